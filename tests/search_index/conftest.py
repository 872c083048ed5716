"""What the reindex tests share: the command run as a user runs it (its checkpoint in the
test's folder), and the documents of a Solr core read back with every stored field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from ckan.plugins import toolkit as tk
from click.testing import Result

from ckanext.smartregion.cli import smartregion
from ckanext.smartregion.search_index import rebuild, selection


def _core_url(core: str | None) -> str:
    base = tk.config["solr_url"].rstrip("/")
    return f"{base.rpartition('/')[0]}/{core}" if core else base


def solr_documents(core: str | None = None) -> dict[str, dict[str, Any]]:
    """Every document of the core (default: the live one), all stored fields, by dataset id."""
    body = requests.get(
        f"{_core_url(core)}/select",
        params={"q": "*:*", "fl": "*", "rows": 10000, "wt": "json"},
        timeout=30,
    ).json()
    return {doc["id"]: doc for doc in body["response"]["docs"]}


def indexed_terms(core: str | None = None) -> dict[str, dict[str, list[str]]]:
    """The terms of every indexed field Solr does not store (CKAN's schema keeps many of
    them: `*`, text, urls, the n-grams), per dataset id: one facet request per document on
    each such field the index has (the Luke handler lists them)."""
    url = _core_url(core)
    fields = requests.get(
        f"{url}/admin/luke", params={"numTerms": 0, "wt": "json"}, timeout=30
    ).json()["fields"]
    unstored = sorted(name for name, info in fields.items() if info["schema"][2] != "S")
    terms: dict[str, dict[str, list[str]]] = {}
    for dataset_id in solr_documents(core):
        facets = requests.get(
            f"{url}/select",
            params={
                "q": "*:*",
                "fq": f'id:"{dataset_id}"',
                "rows": 0,
                "facet": "true",
                "facet.field": unstored,
                "facet.limit": -1,
                "facet.mincount": 1,
                "wt": "json",
            },
            timeout=30,
        ).json()["facet_counts"]["facet_fields"]
        # facet answers alternate term, count
        terms[dataset_id] = {f: values[::2] for f, values in facets.items() if values}
    return terms


def cores() -> dict[str, str]:
    """The Solr cores: name → folder (a swap exchanges the folders of two names)."""
    base = tk.config["solr_url"].rstrip("/").rpartition("/")[0]
    status = requests.get(
        f"{base}/admin/cores", params={"action": "STATUS", "wt": "json"}, timeout=30
    ).json()
    return {name: core["instanceDir"] for name, core in status["status"].items()}


def live_name() -> str:
    return tk.config["solr_url"].rstrip("/").rpartition("/")[2]


def rebuild_cores() -> set[str]:
    """Cores a rebuild of the live core made and left."""
    return {name for name in cores() if name.startswith(f"{live_name()}_reindex_")}


def count(query: str = "*:*") -> int:
    body = requests.get(
        f"{_core_url(None)}/select", params={"q": query, "rows": 0, "wt": "json"}, timeout=30
    ).json()
    return body["response"]["numFound"]


def run_rebuild(tmp_path: Path, echo: Callable[[str], None], **settings: Any) -> None:
    """The rebuild as the command runs it, with the given options (2 workers, batches of 2
    unless said otherwise), its lines going to echo."""
    options = rebuild.Options(
        filters=settings.pop("filters", selection.Filters()),
        checkpoint=tmp_path / "reindex.json",
        workers=settings.pop("workers", 2),
        batch_size=settings.pop("batch_size", 2),
        **settings,
    )
    rebuild.Rebuild(options, echo).run()


def interrupt_rebuild_at_its_second_batch(tmp_path: Path) -> None:
    """A rebuild (one worker, batches of 2) stopped as Ctrl-C stops it, at its second batch's
    progress line: its checkpoint and its new core or collection stay for a resume."""
    progress_lines = []

    def interrupted_at_the_second_batch(line: str) -> None:
        if "datasets/s, ETA" in line:
            progress_lines.append(line)
            if len(progress_lines) == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_rebuild(
            tmp_path, interrupted_at_the_second_batch, workers=1, commit_every=0, progress_every=0
        )


@pytest.fixture
def reindex(cli, tmp_path: Path) -> Callable[..., Result]:
    """`ckan smartregion reindex ARGS` with the checkpoint in the test's folder."""

    def run(*args: str) -> Result:
        checkpoint = str(tmp_path / "reindex.json")
        return cli.invoke(smartregion, ["reindex", "--checkpoint", checkpoint, *args])

    return run
