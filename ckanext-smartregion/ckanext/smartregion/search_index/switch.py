"""How a full rebuild's new index replaces the live one: a new core swapped in by CoreAdmin
(standalone Solr) or a new collection the live alias is moved to (SolrCloud). Either way the
previous index stays until the switch succeeded."""

from __future__ import annotations

from typing import Protocol

import ckan.plugins.toolkit as tk

from ckanext.smartregion.search_index import cloud, solr


class Switch(Protocol):
    kind: str  # "core" or "collection", for the messages

    def create(self, target: solr.Core) -> None:
        """An empty index under the target's name, configured as the live one."""

    def exists(self, target: solr.Core) -> bool: ...

    def switch(self, target: solr.Core) -> str:
        """Makes the live name serve the target's index; returns the name under which the
        previous index now lives."""

    def remove(self, name: str) -> None: ...


class CoreSwap:
    """Standalone Solr: a core from the configset ckanext.smartregion.reindex.solr_configset,
    exchanged with the live core by CoreAdmin SWAP (the old index then has the new core's
    name)."""

    kind = "core"

    def __init__(self, live: solr.Core) -> None:
        self.live = live

    def create(self, target: solr.Core) -> None:
        solr.create(target, tk.config["ckanext.smartregion.reindex.solr_configset"])

    def exists(self, target: solr.Core) -> bool:
        return solr.exists(target)

    def switch(self, target: solr.Core) -> str:
        solr.swap(self.live, target)
        return target.name

    def remove(self, name: str) -> None:
        solr.unload(self.live.sibling(name))


class AliasMove:
    """SolrCloud: solr_url names an alias of one collection; the new collection gets that
    collection's configset, shards and replicas, then the alias is moved to it."""

    kind = "collection"

    def __init__(self, live: solr.Core) -> None:
        self.live = live
        self.collection()  # refuses a live name that is no alias, before anything is built

    def collection(self) -> str:
        """The collection the live alias names now."""
        named = cloud.aliases(self.live.base).get(self.live.name, "")
        if named and "," not in named:
            return named
        if named:
            found = tk._("an alias of several collections: {names}").format(names=named)
        elif self.exists(self.live):
            found = tk._("a collection")
        else:
            found = tk._("neither a collection nor an alias")
        raise solr.SolrError(
            tk._(
                "solr_url names {name}, {found}, not an alias of one SolrCloud collection, so "
                "a rebuild cannot switch it without downtime. Make it one: create an alias "
                "for the collection (Collections API: "
                "action=CREATEALIAS&name={name}_live&collections={name}), set solr_url to "
                "{base}/{name}_live, restart CKAN, then run the rebuild again. Or rebuild in "
                "place: --in-place."
            ).format(name=self.live.name, found=found, base=self.live.base)
        )

    def create(self, target: solr.Core) -> None:
        cloud.create_like(target, self.collection())

    def exists(self, target: solr.Core) -> bool:
        return target.name in cloud.collections(target.base)

    def switch(self, target: solr.Core) -> str:
        previous = self.collection()
        cloud.move_alias(self.live.name, target)
        return previous

    def remove(self, name: str) -> None:
        cloud.delete(self.live.base, name)


def for_live(live: solr.Core) -> Switch:
    """The switch the Solr serving ``live`` supports."""
    return AliasMove(live) if cloud.is_cloud(live.base) else CoreSwap(live)
