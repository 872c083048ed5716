"""The local catalogue's documents: a dataset's DCAT-AP-CZ record, and the catalogue listing
the IRI of every public dataset (streamed, for catalogues of 100,000 datasets)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.dcat.profiles import DCAT, EuropeanDCATAP3Profile
from ckanext.dcat.utils import dataset_uri
from rdflib import Graph, URIRef
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.smartregion.dcat import iris, jsonld
from ckanext.smartregion.dcat.mapping import PUBLISHED_TYPES
from ckanext.smartregion.dcat.profile import SmartRegionDCATAPCZProfile
from ckanext.smartregion.review import issues

# The profiles of the DCAT-AP-CZ outputs, in order (names as registered for ckanext-dcat).
PROFILES = ["euro_dcat_ap_3", "smartregion_dcat_ap_cz"]
PROFILE_CLASSES = (EuropeanDCATAP3Profile, SmartRegionDCATAPCZProfile)
CHUNK = 2000


def published_dataset(dataset_id: str) -> dict[str, Any]:
    """The dataset as anyone may see it; ObjectNotFound unless it is public, active and of a
    published type (private, draft and deleted records are never in the catalogue)."""
    try:
        pkg = tk.get_action("package_show")({"user": "", "ignore_auth": False}, {"id": dataset_id})
    except tk.NotAuthorized as error:
        raise tk.ObjectNotFound(dataset_id) from error
    if pkg.get("private") or pkg.get("state") != "active" or pkg.get("type") not in PUBLISHED_TYPES:
        raise tk.ObjectNotFound(dataset_id)
    if issues.blocks_catalogue(issues.parse(pkg.get(issues.FIELD))):
        raise tk.ObjectNotFound(dataset_id)  # NKOD would refuse it (review/issues.py)
    return pkg


def record_graph(pkg: dict[str, Any]) -> tuple[Graph, str]:
    """The DCAT-AP-CZ record of a dataset dict as an RDF graph, and the dataset's IRI.

    What RDFSerializer(profiles=PROFILES).graph_from_dataset does, with the profile classes
    named directly: the serializer looks its profiles up among the installed entry points on
    every call, which alone costs ~45 ms, most of a record's time budget."""
    graph = Graph()
    dataset_ref = URIRef(dataset_uri(pkg))
    for profile in PROFILE_CLASSES:
        profile(graph).graph_from_dataset(pkg, dataset_ref)
    return graph, str(dataset_ref)


def record_jsonld(pkg: dict[str, Any]) -> dict[str, Any]:
    graph, iri = record_graph(pkg)
    return jsonld.frame(graph, iri)


def record_turtle(pkg: dict[str, Any]) -> str:
    return record_graph(pkg)[0].serialize(format="turtle")


def catalogue_graph() -> Graph:
    """The catalogue node alone (title, publisher, contact, ...), without its datasets."""
    graph = Graph()
    catalogue = URIRef(iris.catalogue_iri())
    for profile in PROFILE_CLASSES:
        profile(graph).graph_from_catalog({}, catalogue)
    _bind(graph)
    return graph


def public_dataset_ids() -> list[str]:
    """Ids of every public, active dataset of a published type, in one SQL query.

    Deliberately not package_search: the catalogue needs nothing but ids, and paging Solr
    (1,000 rows at a time) for 100,000 datasets costs seconds; this reads the package table's
    id column through the primary-key index in about 0.1 s."""
    query = (
        sa.select(model.Package.id)
        .where(
            model.Package.state == "active",
            model.Package.private.is_(False),
            model.Package.type.in_(PUBLISHED_TYPES),
            # a harvested record with an issue NKOD would refuse waits until it is fixed
            sa.not_(
                sa.func.coalesce(model.Package.extras[issues.FIELD].astext, "[]")
                .cast(JSONB)
                .contains([{"blocks_catalogue": True}])
            ),
        )
        .order_by(model.Package.metadata_created, model.Package.id)
    )
    return list(model.Session.execute(query).scalars())


def stream_catalogue_jsonld(dataset_ids: list[str]) -> Iterator[str]:
    head = jsonld.frame(catalogue_graph(), iris.catalogue_iri())
    head.pop("datová_sada", None)
    opening = json.dumps(head, ensure_ascii=False, indent=2)[:-2]
    yield opening + ',\n  "datová_sada": ['
    for start in range(0, len(dataset_ids), CHUNK):
        chunk = dataset_ids[start : start + CHUNK]
        separator = "," if start else ""
        yield separator + ",".join(f'\n    "{iris.dataset_iri(i)}"' for i in chunk)
    yield "\n  ]\n}\n"


def stream_catalogue_turtle(dataset_ids: list[str]) -> Iterator[str]:
    yield catalogue_graph().serialize(format="turtle")
    catalogue = f"<{iris.catalogue_iri()}>"
    predicate = f"<{DCAT.dataset}>"
    for start in range(0, len(dataset_ids), CHUNK):
        yield "".join(
            f"{catalogue} {predicate} <{iris.dataset_iri(i)}> .\n"
            for i in dataset_ids[start : start + CHUNK]
        )


def _bind(graph: Graph) -> None:
    graph.bind("dcat", DCAT)
    graph.bind("pu", "https://data.gov.cz/slovník/podmínky-užití/")
