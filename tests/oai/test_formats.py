"""The provider's formats checked from outside: LIDO against the official LIDO 1.1 XSD
(tests/fixtures/lido_schema), EDM parsed with rdflib for Europeana's required properties, and
sickle (an OAI-PMH client from PyPI) walking every verb and set over HTTP."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, RDF
from sickle import Sickle

from tests.oai.conftest import IMAGE, OAI

pytestmark = pytest.mark.stack

LIDO_XSD = Path(__file__).resolve().parent.parent / "fixtures" / "lido_schema" / "lido-v1.1.xsd"
EDM = Namespace("http://www.europeana.eu/schemas/edm/")
ORE = Namespace("http://www.openarchives.org/ore/terms/")
# Europeana accepts these as edm:rights (https://pro.europeana.eu/page/available-rights-statements)
RIGHTS = ("http://creativecommons.org/", "http://rightsstatements.org/vocab/")


@pytest.fixture(scope="module")
def lido_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(LIDO_XSD)))


def _metadata(answer: etree._Element) -> list[etree._Element]:
    return [m[0] for m in answer.iterfind(".//oai:metadata", OAI)]


def test_every_lido_record_is_valid_against_the_official_xsd(oai, world, lido_schema):
    records = []
    for spec in ("severoceske-muzeum", "oblastni-galerie"):
        records += _metadata(oai(verb="ListRecords", metadataPrefix="lido", set=spec))

    for record in records:
        document = etree.ElementTree(copy.deepcopy(record))
        assert lido_schema.validate(document), lido_schema.error_log
    assert len(records) == 4
    glass = records[0]
    lido = {"lido": OAI["lido"]}
    assert glass.findtext(".//lido:titleSet/lido:appellationValue", namespaces=lido) == (
        "Pohár s rytinou 1"
    )
    assert glass.findtext(".//lido:repositorySet/lido:workID", namespaces=lido) == "S-0001"
    assert glass.findtext(".//lido:repositoryName/lido:legalBodyID", namespaces=lido) == "00083232"
    assert glass.findtext(".//lido:linkResource", namespaces=lido) == IMAGE
    assert glass.findtext(".//lido:earliestDate", namespaces=lido) == "1885"
    assert records[1].findtext(".//lido:earliestDate", namespaces=lido) == "-0500"
    assert glass.findtext(".//lido:recordInfoLink", namespaces=lido) == (
        f"http://test.ckan.net/collection-object/{world.objects['glass']['name']}"
    )


def test_edm_has_europeanas_required_properties(oai, world):
    answer = oai(verb="ListRecords", metadataPrefix="edm", set="severoceske-muzeum")
    graph = Graph()
    for rdf in _metadata(answer):
        graph.parse(data=etree.tostring(rdf), format="xml")

    chos = set(graph.subjects(RDF.type, EDM.ProvidedCHO))
    aggregations = set(graph.subjects(RDF.type, ORE.Aggregation))
    assert len(chos) == len(aggregations) == 3
    for cho in chos:
        assert graph.value(cho, DC.title) or graph.value(cho, DC.description)
        assert any(
            graph.value(cho, p) for p in (DC.subject, DC.type, DCTERMS.spatial, DCTERMS.temporal)
        )
        edm_type = str(graph.value(cho, EDM.type))
        assert edm_type in ("TEXT", "IMAGE", "SOUND", "VIDEO", "3D")
        assert edm_type != "TEXT" or graph.value(cho, DC.language)
    for aggregation in aggregations:
        assert graph.value(aggregation, EDM.aggregatedCHO) in chos
        assert graph.value(aggregation, EDM.dataProvider)
        assert graph.value(aggregation, EDM.provider)
        assert graph.value(aggregation, EDM.isShownAt) or graph.value(aggregation, EDM.isShownBy)
        rights = graph.value(aggregation, EDM.rights)
        assert isinstance(rights, URIRef) and str(rights).startswith(RIGHTS)
    assert str(graph.value(URIRef(IMAGE), EDM.rights)) == (
        "http://creativecommons.org/licenses/by/4.0/"
    )


@pytest.mark.ckan_config("ckanext.smartregion.oai.page_size", 2)
def test_sickle_walks_every_verb_and_set(served_app, world):
    client = Sickle(served_app, max_retries=0, timeout=30)

    identify = client.Identify()
    formats = [f.metadataPrefix for f in client.ListMetadataFormats()]
    sets = [s.setSpec for s in client.ListSets()]
    listed = {
        prefix: [r.header.identifier for r in client.ListRecords(metadataPrefix=prefix)]
        for prefix in formats
    }
    by_set = {
        spec: [h.identifier for h in client.ListIdentifiers(metadataPrefix="lido", set=spec)]
        for spec in sets
    }
    record = client.GetRecord(identifier=listed["lido"][0], metadataPrefix="oai_dc")

    assert identify.deletedRecord == "persistent"
    assert formats == ["oai_dc", "lido", "edm"]
    assert listed["oai_dc"] == listed["lido"] == listed["edm"]
    assert len(listed["lido"]) > 2  # more than one page: the tokens were followed
    institutions = [spec for spec in sets if ":" not in spec]
    assert sorted(i for spec in institutions for i in by_set[spec]) == sorted(listed["lido"])
    for spec in sets:
        if ":" in spec:
            assert set(by_set[spec]) <= set(by_set[spec.split(":")[0]])
    assert record.header.identifier == listed["lido"][0]
    assert record.metadata["title"]
