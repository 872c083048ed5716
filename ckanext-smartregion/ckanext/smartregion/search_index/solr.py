"""Solr as the rebuild sees it: a core's (or collection's) update and select handlers, and the
CoreAdmin API of a standalone Solr (create a core from a configset, swap two cores, unload
one)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import ckan.plugins.toolkit as tk
import pysolr
import requests


class SolrError(Exception):
    """Solr refused or did not answer; the message names the core and Solr's reason."""


@dataclass(frozen=True)
class Core:
    base: str  # http://host:port/solr
    name: str

    @property
    def url(self) -> str:
        return f"{self.base}/{self.name}"

    def sibling(self, name: str) -> Core:
        return Core(self.base, name)


def live_core() -> Core:
    """The core CKAN searches and writes (the last segment of ``solr_url``)."""
    base, _, name = tk.config["solr_url"].rstrip("/").rpartition("/")
    return Core(base, name)


def _auth() -> tuple[str, str] | None:
    user, password = tk.config.get("solr_user"), tk.config.get("solr_password")
    return (user, password) if user and password else None


def _timeout() -> int:
    return tk.config["solr_timeout"]


@cache
def _connection(url: str) -> pysolr.Solr:
    """One connection (HTTP session) per core and process."""
    return pysolr.Solr(url, timeout=_timeout(), auth=_auth())


def forget_connections() -> None:
    """A forked worker must not share its parent's sockets."""
    _connection.cache_clear()


def add(core: Core, docs: list[dict[str, Any]]) -> None:
    """Adds documents without a commit. Through pysolr, as CKAN's index_package sends them:
    the same serialisation (XML, values cleaned of characters XML cannot carry, booleans and
    empty values as pysolr writes them) makes the stored fields the same."""
    if not docs:
        return
    try:
        _connection(core.url).add(docs, commit=False)
    except (pysolr.SolrError, requests.RequestException) as error:
        raise SolrError(f"Solr core {core.name} refused the documents: {error!s:.1000}") from error


def delete(core: Core, queries: list[str]) -> None:
    """Deletes the documents matching any of the queries (CKAN's delete_package queries)."""
    for query in queries:
        try:
            _connection(core.url).delete(q=query, commit=False)
        except (pysolr.SolrError, requests.RequestException) as error:
            raise SolrError(f"Solr core {core.name} could not delete {query}: {error}") from error


def get(url: str, params: dict[str, Any]) -> dict[str, Any]:
    """A Solr API's JSON answer; SolrError with Solr's reason when it refuses."""
    try:
        response = requests.get(
            url, params={**params, "wt": "json"}, auth=_auth(), timeout=_timeout()
        )
    except requests.RequestException as error:
        raise SolrError(f"Solr did not answer at {url}: {error}") from error
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200:
        reason = body.get("error", {}).get("msg") or response.text[:500]
        raise SolrError(f"Solr answered {response.status_code} at {url}: {reason}")
    return body


def commit(core: Core, open_searcher: bool = True) -> None:
    """A hard commit: durable on disk; with open_searcher, visible to searches as well."""
    get(
        f"{core.url}/update",
        {"commit": "true", "openSearcher": str(open_searcher).lower(), "waitSearcher": "true"},
    )


def count(core: Core, fq: str = "") -> int:
    params = {"q": "*:*", "rows": 0, **({"fq": fq} if fq else {})}
    return get(f"{core.url}/select", params)["response"]["numFound"]


def indexed_ids(core: Core, fq: str) -> set[str]:
    """The ``id`` of every document matching fq, paged with a cursor (any index size)."""
    ids: set[str] = set()
    cursor = "*"
    while True:
        params = {"q": "*:*", "fq": fq, "fl": "id", "rows": 10000, "sort": "index_id asc"}
        body = get(f"{core.url}/select", {**params, "cursorMark": cursor})
        ids.update(doc["id"] for doc in body["response"]["docs"])
        if body["nextCursorMark"] == cursor:
            return ids
        cursor = body["nextCursorMark"]


def _admin(solr_base: str, **params: Any) -> dict[str, Any]:
    return get(f"{solr_base}/admin/cores", params)


def exists(core: Core) -> bool:
    return bool(_admin(core.base, action="STATUS", core=core.name)["status"].get(core.name))


def create(core: Core, configset: str) -> None:
    """A new empty core with the configuration of ``configset`` (a folder under the Solr
    home's configsets/, written by deployment/solr.sh from the same files as the portal's
    core)."""
    try:
        _admin(
            core.base,
            action="CREATE",
            name=core.name,
            instanceDir=core.name,
            configSet=configset,
        )
    except SolrError as error:
        raise SolrError(
            f"{error}. Is there a configset {configset!r} in the Solr home (written by "
            "deployment/services.sh start; see ckanext.smartregion.reindex.solr_configset)? "
            "Without core administration rebuild in place: --in-place."
        ) from error


def swap(core: Core, other: Core) -> None:
    """Atomically exchanges the names of two cores: searches of ``core`` answer from the
    index built as ``other`` from the next request on."""
    _admin(core.base, action="SWAP", core=core.name, other=other.name)


def unload(core: Core) -> None:
    """Removes a core together with its index and folder."""
    _admin(core.base, action="UNLOAD", core=core.name, deleteInstanceDir="true")
