"""DCAT-AP-CZ records → the `dataset` schema, on the specification's own examples (JSON-LD and
Turtle), and the shared mapping rules (frequencies, licences, terms-of-use IRIs)."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from ckanext.smartregion.harvesters import catalogue_config, catalogue_mapping
from ckanext.smartregion.harvesters.dcat_ap_cz import rdf
from ckanext.smartregion.harvesters.dcat_ap_cz.harvester import to_dataset
from ckanext.smartregion.harvesters.record_issues import RecordIssues

pytestmark = pytest.mark.usefixtures("with_plugins")

EXAMPLES = Path("/work/shared/standards/dcat-ap-cz-2024-05-28/příklady")
VLD = "https://data.gov.cz/lkod/mdcr/datové-sady/vld"
CONFIG = catalogue_config.parse("{}")


@pytest.fixture(autouse=True)
def _no_cached_organizations():
    """Organisations cached by an earlier test (same process) are not this test's."""
    catalogue_mapping.forget_organizations()


def _object(guid: str) -> types.SimpleNamespace:
    source = types.SimpleNamespace(id="zdroj", publisher_id="organizace-zdroje")
    return types.SimpleNamespace(guid=guid, source=source)


@pytest.mark.usefixtures("clean_db")  # no organisation holds the example publisher's IČO
@pytest.mark.parametrize(
    "example", ["datová-sada.jsonld", "datová-sada.ttl", "datová-sada-hvd.jsonld"]
)
def test_the_specification_examples_map_onto_the_schema(example):
    parsed = rdf.dataset_record((EXAMPLES / example).read_bytes(), VLD)

    issues = RecordIssues()
    dataset = to_dataset(parsed, _object(VLD), CONFIG, issues)

    assert dataset["title"] == "Jízdní řády veřejné linkové dopravy"
    assert dataset["notes"].startswith("Obsahem datové sady")
    # the examples' @en texts (a JSON-LD language map, Turtle's "…"@en): the English twins
    assert dataset["title_en"] == "Public transport timetables"
    assert dataset["notes_en"].startswith("This dataset contains approved timetables")
    assert sorted(dataset["keywords_en"]) == ["bus", "public transport", "timetable"]
    assert dataset["themes"] == ["TRAN"]
    assert dataset["eurovoc_concepts"] == ["http://eurovoc.europa.eu/4512"]
    assert dataset["frequency"] == "WEEKLY"
    assert dataset["ruian"] == ["https://linked.cuzk.cz/resource/ruian/stat/1"]
    assert (dataset["temporal_start"], dataset["temporal_end"]) == ("2009-01-01", "2017-12-31")
    assert dataset["contact_email"] == "sekretariat.190@mdcr.cz"
    assert dataset["owner_org"] == "organizace-zdroje"
    assert dataset["url"] == VLD
    by_url = {r["url"]: r for r in dataset["resources"]}
    assert by_url["https://portal.cisjr.cz/pub/draha/mestske/JDF.zip"]["mimetype"] == (
        "application/json"
    )
    sparql = by_url["https://portal.cisjr.cz/sparql"]
    assert sparql["terms_personal_data"].endswith("/neobsahuje-osobní-údaje/")
    assert "endpoint_url" in sparql["access_services"]
    assert issues.items == []


def test_a_series_is_harvested_as_a_dataset():
    iri = "https://data.gov.cz/lkod/mdcr/datové-série/rozpočet"
    parsed = rdf.dataset_record((EXAMPLES / "datová-série.jsonld").read_bytes(), iri)

    assert parsed["title"] == "Rozpočet Ministerstva dopravy"
    assert parsed["themes"] == ["TRAN"]


def test_a_remote_json_ld_context_is_never_fetched():
    body = b'{"@context": "https://example.org/context.jsonld", "@id": "https://x/1"}'
    with pytest.raises(rdf.DocumentError, match="is not fetched"):
        rdf.dataset_record(body, "https://x/1")


def test_a_record_describing_another_dataset_is_refused():
    with pytest.raises(rdf.DocumentError, match="describes no dcat:Dataset https://jinde/1"):
        rdf.dataset_record((EXAMPLES / "datová-sada.ttl").read_bytes(), "https://jinde/1")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("http://publications.europa.eu/resource/authority/frequency/DAILY", "DAILY"),
        ("http://publications.europa.eu/resource/authority/frequency/WEEKLY_3", "WEEKLY"),
        ("http://publications.europa.eu/resource/authority/frequency/BIENNIAL", "IRREG"),
        ("http://publications.europa.eu/resource/authority/frequency/HOURLY", "CONT"),
        ("R/P1M", "MONTHLY"),
        ("R/P1Y", "ANNUAL"),
        ("ANNUAL", "ANNUAL"),
        ("", "UNKNOWN"),
        ("každý úplněk", "UNKNOWN"),
    ],
)
def test_frequencies_map_to_the_schema_codes(value, code):
    assert catalogue_mapping.frequency(value, CONFIG) == code


def test_licences_map_to_terms_of_use_or_are_flagged_with_the_fix():
    issues = RecordIssues()
    cc_by = catalogue_mapping.terms_of_use(
        "https://creativecommons.org/licenses/by/4.0/", CONFIG, "Liberecký kraj", issues
    )
    assert cc_by["terms_author_work"] == catalogue_mapping.CC_BY_4
    assert cc_by["terms_database_author"] == "Liberecký kraj"
    cc0 = catalogue_mapping.terms_of_use("cc-zero", CONFIG, None, issues)
    assert cc0["terms_database_sui_generis"] == catalogue_mapping.CC0
    assert issues.items == []
    for unknown in ("CC-BY-4.0", "https://example.cz/licence", None, "{{licenseInfo}}"):
        flagged = RecordIssues("job-1")
        terms = catalogue_mapping.terms_of_use(unknown, CONFIG, None, flagged)
        assert "terms_author_work" not in terms, unknown
        assert [(i["field"], i["blocks_catalogue"], i["harvest_job"]) for i in flagged.items] == [
            ("terms_of_use", True, "job-1")
        ]
        assert "terms_of_use in the source configuration" in flagged.items[0]["fix"]


@pytest.mark.parametrize(
    ("licence", "key"),
    [
        ("CC0", "cc0-1.0"),
        ("<p>CC0</p>", "cc0-1.0"),
        ("CC BY 4.0", "cc-by-4.0"),
        ("<p>CC BY 4.0</p>", "cc-by-4.0"),
        ("Creative Commons Attribution 4.0 International", "cc-by-4.0"),
        ("http://creativecommons.org/licenses/by/4.0/deed.cs", "cc-by-4.0"),
        ("https://creativecommons.org/licenses/by/3.0/cz/", "cc-by-3.0"),
        ("CC BY 3.0", "cc-by-3.0"),
        ("ODbL", "odbl-1.0"),
        ("https://opendatacommons.org/licenses/odbl/1-0/", "odbl-1.0"),
        ("Creative Commons Zero v1.0 Universal", "cc0-1.0"),
        ("CC BY-SA 4.0", None),
        ("https://creativecommons.org/licenses/by-nc/4.0/", None),
        ("{{licenseInfo}}", None),
        ("", None),
        ("N/A", None),
    ],
)
def test_licences_are_recognised_in_their_real_forms(licence, key):
    assert catalogue_mapping.licence_key(licence) == key


def test_a_data_gov_cz_terms_iri_as_the_licence_states_its_part():
    issues = RecordIssues()
    terms = catalogue_mapping.terms_of_use(
        "https://data.gov.cz/podm%C3%ADnky-u%C5%BEit%C3%AD/neobsahuje-autorsk%C3%A1-d%C3%ADla/",
        CONFIG,
        None,
        issues,
    )
    assert terms["terms_author_work"] == catalogue_mapping.NO_WORK
    assert [i["field"] for i in issues.items] == ["terms_of_use"]  # the database part unknown


def test_percent_encoded_terms_iris_are_normalised():
    resource = {
        "terms_personal_data": "https://data.gov.cz/podm%C3%ADnky-u%C5%BEit%C3%AD/"
        "neobsahuje-osobn%C3%AD-%C3%BAdaje",
        "terms_author_work": "http://creativecommons.org/licenses/by/4.0",
    }

    catalogue_mapping.normalise_terms(resource)

    assert resource["terms_personal_data"] == (
        "https://data.gov.cz/podmínky-užití/neobsahuje-osobní-údaje/"
    )
    assert resource["terms_author_work"] == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.usefixtures("clean_db")
def test_html_is_cleaned_out_of_the_english_text_as_out_of_the_czech():
    turtle = (EXAMPLES / "datová-sada.ttl").read_text()
    for czech, english in (
        ('"Jízdní řády veřejné linkové dopravy"@cs', '"Public transport timetables"@en'),
        ('"Obsahem datové sady', '"This dataset contains'),
    ):
        turtle = turtle.replace(czech, czech.replace('"', '"<p>', 1), 1)
        turtle = turtle.replace(english, english.replace('"', '"<p>', 1), 1)
    turtle = turtle.replace('"timetable"@en', '"<b>timetable</b>"@en')
    parsed = rdf.dataset_record(turtle.encode(), VLD)

    dataset = to_dataset(parsed, _object(VLD), CONFIG, RecordIssues())

    assert dataset["title"] == "Jízdní řády veřejné linkové dopravy"
    assert dataset["title_en"] == "Public transport timetables"
    assert dataset["notes"].startswith("Obsahem datové sady")
    assert dataset["notes_en"].startswith("This dataset contains approved timetables")
    assert "timetable" in dataset["keywords_en"]
