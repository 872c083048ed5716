"""A dataset's IRI answers with its DCAT-AP-CZ record, which the national JSON Schema and the
SHACL drafts accept, for every dataset type; JSON-LD and Turtle state the same graph."""

from __future__ import annotations

import pytest
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS

from ckanext.smartregion.dcat import jsonld
from tests.dcat.conftest import (
    BASE_URI,
    DCAT_AP_CZ,
    ENGLISH,
    ontology_graph,
    shacl_violations,
)

RPP = "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/"
TYPES = ["dataset", "indicator", "project", "collection-object"]
SHACL_SAMPLE = 20  # records of the catalogue validated against the SHACL shapes


def _record(app, dataset_id: str, accept: str = "application/ld+json"):
    return app.get(f"/lkod/datove-sady/{dataset_id}", headers={"Accept": accept})


@pytest.mark.parametrize("dataset_type", TYPES)
def test_record_of_every_type_satisfies_the_json_schema(
    app, records_of_every_type, json_schema, dataset_type
):
    record = records_of_every_type[dataset_type]
    response = _record(app, record["id"])

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    document = response.json
    assert json_schema(document, "datová-sada.json") == []
    assert document["iri"] == f"{BASE_URI}/lkod/datove-sady/{record['id']}"
    english = ENGLISH.get(dataset_type, {})
    assert document["název"] == {
        "cs": record["title"],
        **({"en": english["title_en"]} if english else {}),
    }
    if english:
        assert document["popis"]["en"] == english["notes_en"]
    assert document["poskytovatel"] == RPP + "70891508"


def test_records_of_the_catalogue_conform_to_the_shacl_shapes_but_for_code_lists(
    app, records_of_every_type, shacl_shapes
):
    catalogue = app.get("/lkod/katalog", headers={"Accept": "application/ld+json"}).json
    sample = catalogue["datová_sada"][:SHACL_SAMPLE]
    assert len(sample) == len(records_of_every_type)

    for iri in sample:
        turtle = _record(app, iri.removeprefix(f"{BASE_URI}/lkod/datove-sady/"), "text/turtle")
        data = Graph().parse(data=turtle.body, format="turtle")
        # The ontology is merged in, not passed as ont_graph: pyshacl 0.40's ont_graph mixing
        # loses statements about IRIs with diacritics (podmínky-užití).
        _, report, _ = shacl_validate(
            data + ontology_graph(), shacl_graph=shacl_shapes, inference="rdfs"
        )
        assert shacl_violations(report, data) == [], iri


def test_the_draft_shapes_count_a_text_per_language_as_the_specification_gives_it(shacl_shapes):
    """The draft shapes allow one dct:title; the specification's own example has one per
    language, which shacl_violations, given the data, lets pass (and nothing else)."""
    data = Graph().parse(DCAT_AP_CZ / "příklady" / "datová-sada.ttl", format="turtle")
    _, report, _ = shacl_validate(
        data + ontology_graph(), shacl_graph=shacl_shapes, inference="rdfs"
    )

    assert any(v.startswith(str(DCTERMS.title)) for v in shacl_violations(report))
    assert not any(v.startswith(str(DCTERMS.title)) for v in shacl_violations(report, data))


@pytest.mark.parametrize("dataset_type", TYPES)
def test_jsonld_and_turtle_are_the_same_graph_without_blank_nodes(
    app, records_of_every_type, dataset_type
):
    dataset_id = records_of_every_type[dataset_type]["id"]
    from_turtle = Graph().parse(data=_record(app, dataset_id, "text/turtle").body, format="turtle")
    from_jsonld = jsonld.to_graph(_record(app, dataset_id).json)

    assert isomorphic(from_turtle, from_jsonld)
    assert not [t for t in from_turtle if any(isinstance(term, BNode) for term in t)]
    assert all(str(s).startswith("https://") for s in from_turtle.subjects())


def test_dataset_record_carries_the_dcat_ap_cz_values(app, records_of_every_type):
    record = records_of_every_type["dataset"]
    document = _record(app, record["id"]).json

    assert document["téma"] == [
        "http://publications.europa.eu/resource/authority/data-theme/REGI",
        "http://publications.europa.eu/resource/authority/data-theme/TRAN",
    ]
    assert document["koncept_euroVoc"] == ["http://eurovoc.europa.eu/4512"]
    assert document["periodicita_aktualizace"] == (
        "http://publications.europa.eu/resource/authority/frequency/DAILY"
    )
    assert document["prvek_rúian"] == ["https://linked.cuzk.cz/resource/ruian/obec/563889"]
    assert sorted(document["klíčové_slovo"]["cs"]) == ["doprava", "sčítání"]
    assert sorted(document["klíčové_slovo"]["en"]) == ["counting", "traffic"]
    assert document["časové_pokrytí"]["začátek"] == "2024-01-01"
    assert document["kontaktní_bod"]["e-mail"] == "mailto:doprava@example.org"
    assert document["kontaktní_bod"]["iri"].startswith(document["iri"] + "/")
    assert document["dokumentace"] == "https://example.org/dokumentace"

    by_name = {d["název"]["cs"]: d for d in document["distribuce"]}
    licensed = by_name["Průjezdy 2024 (JSON)"]
    assert licensed["formát"] == "http://publications.europa.eu/resource/authority/file-type/JSON"
    assert licensed["typ_média"] == "http://www.iana.org/assignments/media-types/application/json"
    terms = licensed["podmínky_užití"]
    assert terms["iri"] == licensed["iri"] + "/podminky-uziti"
    assert terms["typ"] == "Specifikace podmínek užití"
    assert terms["autorské_dílo"] == "https://creativecommons.org/licenses/by/4.0/"
    assert terms["autor"] == {"cs": "Odbor dopravy Libereckého kraje"}
    assert terms["osobní_údaje"] == "https://data.gov.cz/podmínky-užití/neobsahuje-osobní-údaje/"


def test_indicator_maps_periodicity_priority_area_and_region(app, records_of_every_type):
    document = _record(app, records_of_every_type["indicator"]["id"]).json

    assert document["periodicita_aktualizace"].endswith("/frequency/QUARTERLY")
    assert document["téma"] == [
        "http://publications.europa.eu/resource/authority/data-theme/ENVI",
        "http://publications.europa.eu/resource/authority/data-theme/REGI",
    ]
    assert document["prvek_rúian"] == ["https://linked.cuzk.cz/resource/ruian/vusc/78"]
    assert "ukazatel akčního plánu" in document["klíčové_slovo"]["cs"]
    assert "Životní prostředí" in document["klíčové_slovo"]["cs"]


def _valid_ico(first_seven: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True)) % 11
    return first_seven + str((11 - remainder) % 10)


def test_publisher_is_the_organizations_iri_in_the_rpp_register(app, clean_db, clean_index):
    from ckan.tests import factories as ckan_factories

    from tests import factories

    ico = _valid_ico("1234567")
    organization = ckan_factories.Organization(ico=ico)
    dataset = factories.Dataset(owner_org=organization["id"])

    data = Graph().parse(data=_record(app, dataset["id"], "text/turtle").body, format="turtle")
    dataset_iri = URIRef(f"{BASE_URI}/lkod/datove-sady/{dataset['id']}")
    assert list(data.objects(dataset_iri, DCTERMS.publisher)) == [URIRef(RPP + ico)]
    assert (dataset_iri, DCAT.keyword, None) in data


@pytest.mark.parametrize("state", ["private", "draft", "deleted"])
def test_unpublished_records_are_not_found(app, clean_db, clean_index, state):
    from ckan.tests import factories as ckan_factories
    from ckan.tests.helpers import call_action

    from tests import factories

    context = {"user": ckan_factories.Sysadmin()["name"]}
    dataset = factories.Dataset(private=state == "private")
    if state == "draft":
        call_action("package_patch", context=context, id=dataset["id"], state="draft")
    if state == "deleted":
        call_action("package_delete", context=context, id=dataset["id"])

    assert _record(app, dataset["id"]).status_code == 404
    assert app.get(f"/lkod/datove-sady/{dataset['id']}.ttl").status_code == 404


def test_browser_is_sent_to_the_dataset_page(app, records_of_every_type):
    record = records_of_every_type["indicator"]
    response = app.get(
        f"/lkod/datove-sady/{record['id']}", headers={"Accept": "text/html"}, follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/indicator/{record['name']}")
