"""`ckan smartregion nkod-registration` writes the registration file NKOD expects."""

from __future__ import annotations

import json

import pytest
from ckan.cli.cli import ckan as ckan_cli
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from tests.dcat.conftest import BASE_URI, VCARD

NKOD_LKOD = URIRef("https://data.gov.cz/slovník/nkod/DcatApLkod")
CATALOGUE = URIRef(f"{BASE_URI}/lkod/katalog")


@pytest.mark.usefixtures("with_plugins")
def test_registration_names_the_catalogue_url_type_and_contact(cli, tmp_path):
    target = tmp_path / "nkod-registrace.jsonld.txt"
    result = cli.invoke(
        ckan_cli,
        [
            "smartregion",
            "nkod-registration",
            "-o",
            str(target),
            "--contact-name",
            "Odbor regionálního rozvoje a evropských projektů",
            "--contact-email",
            "opendata@example.cz",
        ],
    )

    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=target.read_text(encoding="utf-8"), format="json-ld")
    assert {NKOD_LKOD, DCAT.Catalog} <= set(graph.objects(CATALOGUE, RDF.type))
    assert (CATALOGUE, DCAT.endpointURL, Literal(str(CATALOGUE), datatype=XSD.anyURI)) in graph
    assert (
        CATALOGUE,
        DCTERMS.title,
        Literal("Chytřejší Liberecký kraj – otevřená data", lang="cs"),
    ) in graph
    [contact] = graph.objects(CATALOGUE, DCAT.contactPoint)
    assert (
        contact,
        VCARD.fn,
        Literal("Odbor regionálního rozvoje a evropských projektů", lang="cs"),
    ) in graph
    assert (contact, VCARD.hasEmail, Literal("opendata@example.cz")) in graph
    assert isinstance(json.loads(target.read_text(encoding="utf-8")), list)


@pytest.mark.usefixtures("with_plugins")
def test_registration_without_contact_is_refused(cli, tmp_path):
    target = tmp_path / "nkod.jsonld.txt"
    result = cli.invoke(ckan_cli, ["smartregion", "nkod-registration", "-o", str(target)])

    assert result.exit_code != 0
    assert "--contact-email" in result.output
    assert not target.exists()
