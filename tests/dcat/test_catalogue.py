"""The catalogue document lists every public dataset and nothing else; harvested back the way
NKOD does it (catalogue, then each dataset IRI) with ckanext-dcat's own parser, it gives the
same datasets."""

from __future__ import annotations

import pytest
from ckanext.dcat.processors import RDFParser
from rdflib import URIRef
from rdflib.namespace import DCAT

from ckanext.smartregion.dcat.jsonld import CONTEXT_URL
from tests import factories
from tests.dcat.conftest import BASE_URI

CATALOGUE = f"{BASE_URI}/lkod/katalog"


def _path(iri: str) -> str:
    return iri.removeprefix(BASE_URI)


def test_catalogue_satisfies_the_json_schema_and_lists_public_datasets(
    app, records_of_every_type, json_schema
):
    hidden = factories.Dataset(
        private=True, owner_org=records_of_every_type["dataset"]["owner_org"]
    )
    response = app.get("/lkod/katalog", headers={"Accept": "application/ld+json"})

    assert response.status_code == 200
    document = response.json
    assert json_schema(document, "katalog.json") == []
    assert document["@context"] == CONTEXT_URL
    assert document["iri"] == CATALOGUE
    assert document["poskytovatel"].endswith("/orgán-veřejné-moci/70891508")
    assert document["název"] == {"cs": "Chytřejší Liberecký kraj – otevřená data"}
    listed = set(document["datová_sada"])
    assert listed == {
        f"{BASE_URI}/lkod/datove-sady/{r['id']}" for r in records_of_every_type.values()
    }
    assert not any(hidden["id"] in iri for iri in listed)


@pytest.mark.parametrize("state", ["private", "draft", "deleted"])
def test_unpublished_datasets_are_not_in_the_catalogue(app, clean_db, clean_index, state):
    public, other = factories.public_and_unpublished(state)

    turtle = app.get("/lkod/katalog.ttl").body
    jsonld = app.get("/lkod/katalog.jsonld").json

    assert public["id"] in turtle
    assert other["id"] not in turtle
    assert [i.rsplit("/", 1)[1] for i in jsonld["datová_sada"]] == [public["id"]]


def test_harvesting_the_catalogue_with_ckanext_dcat_gives_the_same_datasets(
    app, records_of_every_type
):
    catalogue = RDFParser(profiles=["euro_dcat_ap_3", "smartregion_dcat_ap_cz"])
    catalogue.parse(app.get("/lkod/katalog", headers={"Accept": "text/turtle"}).body, "turtle")
    dataset_iris = sorted(str(i) for i in catalogue.g.objects(URIRef(CATALOGUE), DCAT.dataset))
    assert len(dataset_iris) == 4

    harvested = {}
    for iri in dataset_iris:
        record = RDFParser(profiles=["euro_dcat_ap_3", "smartregion_dcat_ap_cz"])
        record.parse(app.get(_path(iri), headers={"Accept": "text/turtle"}).body, "turtle")
        [dataset] = list(record.datasets())
        harvested[_extra(dataset, "identifier")] = dataset

    for original in records_of_every_type.values():
        dataset = harvested[original["id"]]
        assert dataset["title"] == original["title"]
        assert _extra(dataset, "uri") == f"{BASE_URI}/lkod/datove-sady/{original['id']}"
        assert dataset["themes"], original["type"]
        assert dataset["ruian"]
    shipped = harvested[records_of_every_type["dataset"]["id"]]
    assert sorted(shipped["themes"]) == ["REGI", "TRAN"]
    assert shipped["frequency"] == "DAILY"
    assert {r["url"] for r in shipped["resources"]} == {
        "https://data.example.cz/soubory/prujezdy-2024.csv",
        "https://data.example.cz/soubory/prujezdy-2024.json",
    }


def _extra(dataset: dict, key: str) -> str | None:
    return next((e["value"] for e in dataset.get("extras", []) if e["key"] == key), None)


def test_catalogue_in_turtle_by_suffix_and_unknown_suffix_is_404(app, clean_db, clean_index):
    response = app.get("/lkod/katalog.ttl")
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert f"<{CATALOGUE}> a dcat:Catalog" in response.body
    assert app.get("/lkod/katalog.xml").status_code == 404
