"""The DCAT-AP 3 catalogue for data.europa.eu (ckanext-dcat's `dcat` plugin, `euro_dcat_ap_3`
profile) lists public datasets only, in every RDF serialisation, with the same dataset IRIs as
the local catalogue; every record page carries schema.org Dataset markup (`structured_data`)."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests import factories
from tests.dcat.conftest import BASE_URI, ENGLISH

SDO = Namespace("http://schema.org/")  # the namespace ckanext-dcat's schemaorg profile uses
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
SCHEMA_DATASET = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _catalogue(app, suffix: str = "ttl") -> Graph:
    response = app.get(f"/catalog.{suffix}")
    assert response.status_code == 200, response.body[:500]
    return Graph().parse(data=response.body, format=FORMATS[suffix])


def _listed_ids(graph: Graph) -> set[str]:
    return {str(iri).rsplit("/", 1)[1] for iri in graph.subjects(RDF.type, DCAT.Dataset)}


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_the_dcat_ap_3_catalogue_parses_and_lists_every_public_record(
    app, records_of_every_type, suffix
):
    graph = _catalogue(app, suffix)

    assert _listed_ids(graph) == {record["id"] for record in records_of_every_type.values()}
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    for record in records_of_every_type.values():
        iri = URIRef(f"{BASE_URI}/lkod/datove-sady/{record['id']}")  # the same IRI as in the LKOD
        assert (catalogue, DCAT.dataset, iri) in graph
        titles = {(str(t), t.language) for t in graph.objects(iri, DCTERMS.title)}
        english = ENGLISH.get(record["type"])
        # the Czech title as ckanext-dcat states it (untagged), the English one tagged @en
        assert titles == {(record["title"], None)} | (
            {(english["title_en"], "en")} if english else set()
        )
        if english:
            assert (english["notes_en"], "en") in {
                (str(d), d.language) for d in graph.objects(iri, DCTERMS.description)
            }
            keywords = {(str(k), k.language) for k in graph.objects(iri, DCAT.keyword)}
            assert {(word, "en") for word in english["keywords_en"]} <= keywords


def test_the_dcat_ap_3_record_describes_distributions(app, records_of_every_type):
    dataset = records_of_every_type["dataset"]

    graph = Graph().parse(data=app.get(f"/dataset/{dataset['name']}.ttl").body, format="turtle")

    iri = URIRef(f"{BASE_URI}/lkod/datove-sady/{dataset['id']}")
    distributions = set(graph.objects(iri, DCAT.distribution))
    assert {str(d) for d in distributions} == {
        f"{iri}/distribuce/{resource['id']}" for resource in dataset["resources"]
    }
    assert {str(graph.value(d, DCAT.accessURL)) for d in distributions} == {
        resource["url"] for resource in dataset["resources"]
    }


@pytest.mark.parametrize("state", ["private", "draft", "deleted"])
def test_unpublished_datasets_are_not_in_the_dcat_ap_3_catalogue(app, clean_db, clean_index, state):
    public, other = factories.public_and_unpublished(state)

    assert _listed_ids(_catalogue(app)) == {public["id"]}
    assert app.get(f"/dataset/{other['id']}.ttl").status_code in (403, 404)


@pytest.mark.parametrize("dataset_type", ["dataset", "indicator", "project", "collection-object"])
def test_every_record_page_carries_schema_org_dataset_markup(
    app, records_of_every_type, dataset_type
):
    record = records_of_every_type[dataset_type]

    response = app.get(f"/{dataset_type}/{record['name']}")

    assert response.status_code == 200
    blocks = SCHEMA_DATASET.findall(response.body)
    assert len(blocks) == 1
    json.loads(blocks[0])  # well-formed JSON as well as JSON-LD
    markup = Graph().parse(data=blocks[0], format="json-ld")
    described = set(markup.subjects(RDF.type, SDO.Dataset))
    assert {str(node) for node in described} == {f"{BASE_URI}/lkod/datove-sady/{record['id']}"}
    assert str(markup.value(next(iter(described)), SDO.name)) == record["title"]
