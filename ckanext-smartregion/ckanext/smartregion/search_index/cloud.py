"""SolrCloud as the rebuild sees it: the collection behind the live alias, a new collection
made like it, the alias moved to the new one, a collection deleted (Collections API)."""

from __future__ import annotations

from typing import Any

from ckanext.smartregion.search_index.solr import Core, SolrError, get


def is_cloud(base: str) -> bool:
    """Whether the Solr at ``base`` runs in SolrCloud mode (collections and aliases instead
    of cores)."""
    return get(f"{base}/admin/info/system", {}).get("mode") == "solrcloud"


def _collections_api(base: str, **params: Any) -> dict[str, Any]:
    return get(f"{base}/admin/collections", params)


def collections(base: str) -> set[str]:
    return set(_collections_api(base, action="LIST").get("collections", []))


def aliases(base: str) -> dict[str, str]:
    """Alias → the collection(s) it names (comma-separated)."""
    found: dict[str, str] = _collections_api(base, action="LISTALIASES").get("aliases", {})
    return found


def _status(base: str, collection: str) -> dict[str, Any]:
    found = _collections_api(base, action="CLUSTERSTATUS", collection=collection)
    status: dict[str, Any] = found["cluster"]["collections"][collection]
    return status


def create_like(target: Core, model: str) -> None:
    """A new empty collection with the configset, shards and replicas of ``model``."""
    status = _status(target.base, model)
    router = status["router"]["name"]
    shards = sorted(status["shards"])
    params: dict[str, Any] = {
        "action": "CREATE",
        "name": target.name,
        "collection.configName": status["configName"],
        "router.name": router,
        "nrtReplicas": status.get("nrtReplicas", status.get("replicationFactor", 1)),
        "tlogReplicas": status.get("tlogReplicas", 0),
        "pullReplicas": status.get("pullReplicas", 0),
        "waitForFinalState": "true",
    }
    if router == "implicit":
        params["shards"] = ",".join(shards)
    else:
        params["numShards"] = len(shards)
    try:
        _collections_api(target.base, **params)
    except SolrError as error:
        raise SolrError(
            f"{error}. The new collection {target.name} was to have the configset "
            f"{status['configName']!r} and the {len(shards)} shards of {model}."
        ) from error


def move_alias(alias: str, target: Core) -> None:
    """Points ``alias`` at the collection ``target`` in one step: searches of the alias are
    answered by the new collection from the next request on."""
    _collections_api(target.base, action="CREATEALIAS", name=alias, collections=target.name)


def delete(base: str, collection: str) -> None:
    """Removes a collection with its index."""
    _collections_api(base, action="DELETE", name=collection)
