"""Every page of the DCAT-AP 3 catalogue for data.europa.eu (/catalog.ttl) conforms to the
official DCAT-AP 3.0.1 SHACL shapes (tests/fixtures/dcat-ap-3.0.1/shapes.ttl, fetched, not
rewritten): formats and frequencies as EU vocabulary IRIs, the catalogue's language and
publisher, a description on every dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests import factories
from tests.dcat.conftest import CSV_DISTRIBUTION

SHAPES = Path(__file__).parents[1] / "fixtures" / "dcat-ap-3.0.1" / "shapes.ttl"
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SH = Namespace("http://www.w3.org/ns/shacl#")
EU = "http://publications.europa.eu/resource/authority/"
PAGES = 3


@pytest.fixture(scope="module")
def dcat_ap_3_shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def _pages(app) -> list[Graph]:
    """The first PAGES pages of /catalog.ttl, following the catalogue's hydra:nextPage."""
    pages, url = [], "/catalog.ttl"
    while url and len(pages) < PAGES:
        response = app.get(url)
        assert response.status_code == 200, (url, response.body[-2000:])
        page = Graph().parse(data=response.body, format="turtle")
        pages.append(page)
        following = next(page.objects(None, HYDRA.nextPage), None)
        url = str(following).split("/catalog", 1)[1] if following else None
        url = f"/catalog{url}" if url else None
    return pages


def _violations(report: Graph) -> list[str]:
    return sorted(
        f"{report.value(result, SH.resultPath)} of {report.value(result, SH.focusNode)}: "
        f"{report.value(result, SH.resultMessage)} ({report.value(result, SH.value)})"
        for result in report.subjects(RDF.type, SH.ValidationResult)
    )


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_every_page_of_the_dcat_ap_3_catalogue_conforms_to_the_official_shapes(
    app, records_of_every_type, dcat_ap_3_shapes
):
    owner = records_of_every_type["dataset"]["owner_org"]
    undescribed = factories.CollectionObject(owner_org=owner, notes="")
    formats = factories.Dataset(
        owner_org=owner,
        frequency="MONTHLY",
        resources=[
            {**CSV_DISTRIBUTION, "format": "csv"},
            {**CSV_DISTRIBUTION, "format": "Tabulka"},
        ],
    )

    pages = _pages(app)

    assert len(pages) == PAGES  # 6 datasets at 2 a page
    listed = set()
    for page in pages:
        conforms, report, _ = shacl_validate(page, shacl_graph=dcat_ap_3_shapes)
        assert conforms, _violations(report)
        listed |= set(page.subjects(RDF.type, DCAT.Dataset))
        catalogue = next(page.subjects(RDF.type, DCAT.Catalog))
        assert page.value(catalogue, DCTERMS.language) == URIRef(f"{EU}language/CES")
        assert isinstance(page.value(catalogue, DCTERMS.publisher), URIRef)
        for dataset in page.subjects(RDF.type, DCAT.Dataset):
            assert str(page.value(dataset, DCTERMS.accrualPeriodicity)).startswith(
                f"{EU}frequency/"
            )
    assert len(listed) == 6
    graph = sum(pages, Graph())
    by_id = {str(iri).rsplit("/", 1)[1]: iri for iri in listed}
    fallback = str(graph.value(by_id[undescribed["id"]], DCTERMS.description))
    assert fallback == f"Sbírkový předmět: {undescribed['title']}"
    iri = by_id[formats["id"]]
    assert graph.value(iri, DCTERMS.accrualPeriodicity) == URIRef(f"{EU}frequency/MONTHLY")
    file_types = {graph.value(d, DCTERMS["format"]) for d in graph.objects(iri, DCAT.distribution)}
    assert file_types == {URIRef(f"{EU}file-type/CSV"), None}  # "Tabulka" names no EU file type
