"""Fixtures of the local-catalogue tests: the national JSON Schemas and SHACL shapes, records
of every dataset type, and an https base URI (the schemas refuse http IRIs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from jsonschema import Draft202012Validator
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ckanext.smartregion.dcat import vocabularies as voc
from tests import factories
from tests.test_schemas import FULL_RECORDS

BASE_URI = "https://data.example.cz"
STANDARDS = Path("/work/shared/standards")
DCAT_AP_CZ = STANDARDS / "dcat-ap-cz-2024-05-28"
BASIC_TYPES = STANDARDS / "základní-datové-typy-2020-07-01" / "schémata"
SHAPES = STANDARDS / "dcat-ap-cz-draft-shacl"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


@pytest.fixture(autouse=True)
def https_base_uri(ckan_config, monkeypatch):
    """The test portal runs on http; the catalogue's IRIs must be https."""
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.dcat.base_uri", BASE_URI)


# the English twins the schemas of these types have (the others: Czech only)
ENGLISH = {
    "dataset": {
        "title_en": "Traffic counts",
        "notes_en": "Vehicles counted per hour.",
        "keywords_en": ["traffic", "counting"],
    },
    "indicator": {
        "title_en": "Energy use",
        "notes_en": "Energy used by the region.",
        "keywords_en": ["energy"],
    },
}
CSV_DISTRIBUTION = {
    "url": "https://data.example.cz/soubory/prujezdy-2024.csv",
    "name": "Průjezdy 2024 (CSV)",
    "format": "CSV",
    **factories.OPEN_TERMS,
}
LICENSED_DISTRIBUTION = {
    "url": "https://data.example.cz/soubory/prujezdy-2024.json",
    "name": "Průjezdy 2024 (JSON)",
    "format": "JSON",
    **factories.OPEN_TERMS,
    "terms_author_work": "https://creativecommons.org/licenses/by/4.0/",
    "terms_author": "Odbor dopravy Libereckého kraje",
}


def _schema_registry() -> Registry:
    resources = []
    for path in [*BASIC_TYPES.glob("*.json"), *(DCAT_AP_CZ / "schémata").glob("*.json")]:
        contents = json.loads(path.read_text(encoding="utf-8"))
        # The basic types declare draft 2019-09; the registry needs to know, not guess.
        resources.append(
            (contents["$id"], Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources)


@pytest.fixture(scope="session")
def json_schema():
    """validate(document, 'datová-sada.json' | 'katalog.json') -> list of error messages."""
    registry = _schema_registry()

    def validate(document: dict[str, Any], schema_file: str) -> list[str]:
        schema = json.loads((DCAT_AP_CZ / "schémata" / schema_file).read_text(encoding="utf-8"))
        validator = Draft202012Validator(schema, registry=registry)
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(document)
        ]

    return validate


@pytest.fixture(scope="session")
def shacl_shapes() -> Graph:
    shapes = Graph()
    for path in SHAPES.glob("*.ttl"):
        shapes.parse(path, format="turtle")
    return shapes


# Code-list membership, the one thing the test lets fail: the DCAT-AP-CZ shapes check that a
# theme is a skos:Concept, a frequency a dct:Frequency, ... (sh:class), which only the code
# lists' own triples say and no record carries. Excluded are exactly the results of
# sh:ClassConstraintComponent on these paths whose value is an IRI of these code lists (EU
# authority tables, EuroVoc, IANA media types, RÚIAN, the RPP register of public authorities,
# the terms-of-use and licence documents); every other result fails the test.
PU = Namespace("https://data.gov.cz/slovník/podmínky-užití/")
LICENCES = ("https://data.gov.cz/podmínky-užití/", "https://creativecommons.org/")
CODE_LISTS = {
    DCAT.theme: (str(voc.DATA_THEME), voc.EUROVOC),
    DCTERMS.accrualPeriodicity: (str(voc.FREQUENCY),),
    DCTERMS.spatial: (voc.RUIAN,),
    DCTERMS["format"]: (str(voc.FILE_TYPE),),
    DCAT.mediaType: (voc.IANA_MEDIA_TYPES,),
    DCTERMS.publisher: ("https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/",),
    PU["autorské-dílo"]: LICENCES,
    PU["databáze-jako-autorské-dílo"]: LICENCES,
    PU["databáze-chráněná-zvláštními-právy"]: LICENCES,
    PU["osobní-údaje"]: LICENCES,
}
SH = Namespace("http://www.w3.org/ns/shacl#")


def ontology_graph() -> Graph:
    """Two axioms of the vocabularies the records use, for RDFS inference: an organisation is
    a vcard:Kind (vCard), what foaf:page points to is a foaf:Document (FOAF). Nothing about
    code-list values, nothing about dcat:landingPage (records type their landing page)."""
    ontology = Graph()
    ontology.add((VCARD.Organization, RDFS.subClassOf, VCARD.Kind))
    ontology.add((FOAF.page, RDFS.range, FOAF.Document))
    return ontology


# texts the draft shapes allow once (sh:maxCount 1) though the specification gives them per
# language: its own example datová-sada.ttl has dct:title "…"@cs, "…"@en
LANGUAGE_MAPS = (DCTERMS.title, DCTERMS.description)


def _one_per_language(data: Graph | None, node: Any, path: Any) -> bool:
    if data is None or path not in LANGUAGE_MAPS:
        return False
    languages = [getattr(v, "language", None) for v in data.objects(node, path)]
    return None not in languages and len(set(languages)) == len(languages)


def shacl_violations(report: Graph, data: Graph | None = None) -> list[str]:
    """The validation results that are not code-list membership (see CODE_LISTS), nor, with
    the data graph, a text given once per language (LANGUAGE_MAPS)."""
    left = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        component = report.value(result, SH.sourceConstraintComponent)
        if (
            component == SH.ClassConstraintComponent
            and isinstance(value, URIRef)
            and str(value).startswith(CODE_LISTS.get(path, ()))
        ):
            continue
        if component == SH.MaxCountConstraintComponent and _one_per_language(
            data, report.value(result, SH.focusNode), path
        ):
            continue
        left.append(
            f"{path} of {report.value(result, SH.focusNode)}: "
            f"{report.value(result, SH.resultMessage)} ({value})"
        )
    return sorted(left)


@pytest.fixture
def records_of_every_type(clean_db, clean_index) -> dict[str, dict[str, Any]]:
    """One complete, public record of each of the four dataset types."""
    organization = ckan_factories.Organization()
    records = {}
    for dataset_type, fields in FULL_RECORDS.items():
        extra = (
            {"resources": [CSV_DISTRIBUTION, LICENSED_DISTRIBUTION]}
            if dataset_type == "dataset"
            else {}
        )
        records[dataset_type] = ckan_factories.Dataset(
            type=dataset_type,
            owner_org=organization["id"],
            **fields,
            **extra,
            **ENGLISH.get(dataset_type, {}),
        )
    return records
