"""SolrCloud: a full rebuild fills a new collection made like the live alias's (configset,
shards, replicas) while search answers from the old one, then moves the alias to it; a live
name that is a collection, not an alias, is refused with the fix. One SolrCloud node of the
module's own (embedded ZooKeeper), a 2-shard collection behind the alias solr_url names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from click.testing import Result

from tests import factories
from tests.search_index.conftest import (
    count,
    interrupt_rebuild_at_its_second_batch,
    run_rebuild,
    solr_documents,
)
from tests.search_index.solr_cloud import SolrCloud
from tests.search_index.test_switch import SearchProbe

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), pytest.mark.stack]

ALIAS = "portal"


@pytest.fixture(scope="module")
def solr_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SolrCloud]:
    node = SolrCloud(tmp_path_factory.mktemp("solr-cloud"))
    node.start()
    try:
        node.upload_configset("portal_config")
        node.api(
            "/admin/collections",
            action="CREATE",
            name="portal_first",
            numShards=2,
            replicationFactor=1,
            waitForFinalState="true",
            **{"collection.configName": "portal_config"},
        )
        node.api("/admin/collections", action="CREATEALIAS", name=ALIAS, collections="portal_first")
        yield node
    finally:
        node.stop()


def test_a_collection_named_directly_is_refused_with_the_fix(
    solr_cloud: SolrCloud, reindex: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    [collection] = solr_cloud.collections()
    monkeypatch.setitem(tk.config, "solr_url", f"{solr_cloud.base}/{collection}")

    result = reindex()

    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert f"solr_url names {collection}, a collection, not an alias" in message
    assert f"action=CREATEALIAS&name={collection}_live&collections={collection}" in message
    assert solr_cloud.collections() == {collection}  # nothing was built


def test_rebuild_fills_a_new_collection_and_moves_the_alias(
    solr_cloud: SolrCloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    glasses = [factories.CollectionObject(title=f"Sklenice {n}") for n in range(6)]
    monkeypatch.setitem(tk.config, "solr_url", f"{solr_cloud.base}/{ALIAS}")
    run_rebuild(tmp_path, print, in_place=True)  # the live collection gets the datasets
    assert count() == 6
    [previous] = solr_cloud.collections()
    context = {"user": ckan_factories.Sysadmin()["name"]}
    during: dict[str, Any] = {}

    def meanwhile(line: str) -> None:
        """New collection filled, not switched yet: a user changes datasets (CKAN writes
        into the live alias, still the old collection)."""
        if "datasets indexed" in line:
            call_action("package_patch", context, id=glasses[0]["id"], title="Přejmenovaná")
            during["new"] = factories.CollectionObject(title="Nová sklenice")
            during["old index"] = count()

    probe = SearchProbe()
    probe.start()
    run_rebuild(tmp_path, meanwhile)
    answers = probe.stop()

    found = [answer for answer in answers if answer is not None]
    assert found and len(found) == len(answers)  # search answered all along, never empty
    assert min(found) >= 6
    assert during["old index"] == 7
    [moved] = solr_cloud.collections()  # the previous collection is deleted
    assert moved != previous and moved.startswith(f"{ALIAS}_reindex_")
    assert solr_cloud.aliases() == {ALIAS: moved}
    assert solr_cloud.shards(moved) == 2
    documents = solr_documents()
    assert len(documents) == 7
    assert documents[glasses[0]["id"]]["title"] == "Přejmenovaná"
    assert during["new"]["id"] in documents


def test_an_interrupted_rebuild_resumes_into_its_collection_and_keep_old_keeps_the_previous(
    solr_cloud: SolrCloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    glasses = [factories.CollectionObject(title=f"Sklenice {n}") for n in range(5)]
    monkeypatch.setitem(tk.config, "solr_url", f"{solr_cloud.base}/{ALIAS}")
    previous = solr_cloud.aliases()[ALIAS]
    interrupt_rebuild_at_its_second_batch(tmp_path)
    assert solr_cloud.aliases() == {ALIAS: previous}  # nothing switched
    [building] = solr_cloud.collections() - {previous}
    lines: list[str] = []

    run_rebuild(tmp_path, lines.append, keep_old=True)

    output = "\n".join(lines)
    assert "resuming: 2 were indexed by the previous run" in output  # the first batch
    assert "3 datasets indexed" in output
    assert f"collection {building} switched in as {ALIAS}" in output  # filled further
    assert f"the previous index is kept as collection {previous}" in output
    assert solr_cloud.aliases() == {ALIAS: building}
    assert solr_cloud.collections() == {previous, building}
    assert set(solr_documents()) == {glass["id"] for glass in glasses}
    assert not (tmp_path / "reindex.json").exists()
