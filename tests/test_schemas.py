"""The four dataset types: valid records are accepted, every field round-trips through the
API, and invalid ones are refused with errors that name the field and the fix."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from ckanapi import LocalCKAN

from ckanext.smartregion.terms_of_use import OPEN_TERMS
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def _errors(action: str, **data) -> dict:
    sysadmin = ckan_factories.Sysadmin()
    with pytest.raises(tk.ValidationError) as error:
        call_action(action, context={"user": sysadmin["name"]}, **data)
    return error.value.error_dict


FULL_RECORDS = {
    "indicator": {
        "indicator_code": "2.1-07",
        "title": "Spotřeba tepla v domovech pro seniory",
        "notes": "Roční spotřeba tepla; měřeno **GJ**.",
        "unit": "GJ",
        "direction": "lower_is_better",
        "specific_objectives": ["2.1"],
        "calculation_method": "Součet odečtů měřidel za kalendářní rok.",
        "data_source": "Energetický management kraje",
        "periodicity": "QUARTERLY",
        "baseline_value": "1250.5",
        "baseline_year": 2023,
        "target_value": "1100",
        "target_year": 2026,
        "is_sample_data": True,
        "license_id": "cc-by",
        "contact_name": "Útvar energetického managementu",
        "contact_email": "energie@example.org",
    },
    "project": {
        "title": "Digitalizace ve zdravotnictví",
        "specific_objectives": ["1.2", "3.3"],
        "focus": ["Lepší péče o pacienty", "Podpora komunikace"],
        "guarantor": "Odbor zdravotnictví",
        "vision": "Sdílení dat mezi poskytovateli.",
        "notes": "Potřebnost: **dostupnost** péče.",
        "activities": [{"title": "Sdílená dokumentace", "description": "Výměna zpráv"}],
        "example_projects": [{"title": "Elektronická žádanka", "description": ""}],
        "links_to_other_areas": "Oblast 3: sociální péče",
        "partners": [{"name": "Technická univerzita v Liberci", "role": "odborný partner"}],
        "status": "in_progress",
        "period_start": 2024,
        "period_end": 2026,
        "is_sample_data": False,
        "license_id": "cc-by",
    },
    "collection-object": {
        "title": "Číše s rytinou",
        "inventory_number": "UP-123/45",
        "object_type": "sklo",
        "ces_subcollection": "užité umění",
        "classification_terms": ["sklo", "nápojové sklo"],
        "dating_display": "kolem 1720",
        "dating_earliest": 1715,
        "dating_latest": 1725,
        "creators": [{"name": "Neznámý rytec", "role": "rytec"}],
        "place": "Kamenický Šenov",
        "materials": ["sklo"],
        "techniques": ["rytí", "broušení"],
        "dimensions": [{"type": "výška", "value": "21.5", "unit": "cm"}],
        "notes": "Číše s rytým loveckým výjevem.",
        "inscriptions": "Vivat",
        "provenance": "Dar 1901",
        "license_id": "cc-zero",
        "image_rights": "https://creativecommons.org/licenses/by/4.0/",
        "source_record_id": "cz-museum-1:UP-123-45",
        "source_system": "Demus",
        "source_modified": "2024-05-01T10:00:00",
        "is_sample_data": True,
    },
    "dataset": {
        "title": "Průjezdy vozidel na sčítacích profilech",
        "notes": "Hodinové intenzity dopravy.",
        "tags": [{"name": "doprava"}, {"name": "sčítání"}],
        "themes": ["REGI", "TRAN"],  # stored in the vocabulary's order
        "eurovoc_concepts": ["http://eurovoc.europa.eu/4512"],
        "frequency": "DAILY",
        "ruian": ["https://linked.cuzk.cz/resource/ruian/obec/563889"],
        "temporal_start": "2024-01-01",
        "temporal_end": "2024-12-31",
        "contact_name": "Odbor dopravy",
        "contact_email": "doprava@example.org",
        "documentation": "https://example.org/dokumentace",
        "specific_objectives": ["1.1"],
        "is_sample_data": False,
        "license_id": "cc-by",
    },
}

DERIVED = {  # fields the portal computes; they come back although not sent
    "indicator": {
        "strategic_goals": ["2"],
        "priority_areas": ["zivotni-prostredi"],
        "activity_area": "5",
    },
    "project": {
        "strategic_goals": ["1", "3"],
        "priority_areas": ["zdravotnictvi"],
        "activity_area": "4",
    },
    "collection-object": {},
    "dataset": {"strategic_goals": ["1"], "priority_areas": ["doprava"]},
}


@pytest.mark.parametrize("dataset_type", sorted(FULL_RECORDS))
def test_every_field_round_trips_through_the_api(dataset_type):
    sysadmin = ckan_factories.Sysadmin()
    organization = ckan_factories.Organization()
    api = LocalCKAN(username=sysadmin["name"])
    record = {
        "type": dataset_type,
        "name": f"round-trip-{dataset_type}",
        "owner_org": organization["id"],
        **FULL_RECORDS[dataset_type],
    }

    created = api.action.package_create(**record)
    shown = api.action.package_show(id=created["id"])
    updated = api.action.package_update(**shown)
    patched = api.action.package_patch(id=created["id"], title=record["title"] + " – upraveno")

    expected = {**record, **DERIVED[dataset_type]}
    for result in (created, shown, updated):
        for field, value in expected.items():
            if field == "tags":
                assert sorted(t["name"] for t in result["tags"]) == sorted(t["name"] for t in value)
            elif field in (
                "baseline_value",
                "target_value",
                "baseline_year",
                "target_year",
                "period_start",
                "period_end",
                "dating_earliest",
                "dating_latest",
            ):
                assert float(result[field]) == float(value), field
            else:
                assert result[field] == value, field
    assert patched["title"].endswith("– upraveno")
    assert patched.get("specific_objectives") == shown.get("specific_objectives")


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("dataset_type", ["indicator", "project", "collection-object", "dataset"])
def test_schema_show_describes_each_type(dataset_type):
    schema = call_action("scheming_dataset_schema_show", type=dataset_type)
    names = [field["field_name"] for field in schema["dataset_fields"]]
    assert schema["dataset_type"] == dataset_type
    assert all(
        set(f["label"]) >= {"cs", "en"}
        for f in schema["dataset_fields"]
        if isinstance(f.get("label"), dict)
    )
    assert {"title", "owner_org"} <= set(names)


def test_an_unknown_objective_is_named_with_the_valid_codes():
    errors = _errors(
        "package_create",
        **factories.Indicator.stub().__dict__ | {"specific_objectives": ["2.1", "3.5"]},
    )
    assert "Unknown specific objective code(s) 3.5" in errors["specific_objectives"][0]
    assert "1.1, 1.2" in errors["specific_objectives"][0]


def test_a_target_without_a_baseline_is_refused():
    errors = _errors(
        "package_create",
        **factories.Indicator.stub().__dict__ | {"target_value": "10", "target_year": 2026},
    )
    assert errors["baseline_value"] == [
        "A target needs a baseline: give the baseline value and year"
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"baseline_value": "5", "baseline_year": 1850},
            "baseline_year",
            "Year 1850 is impossible",
        ),
        ({"baseline_value": "5", "baseline_year": "loni"}, "baseline_year", "must be a whole year"),
        (
            {
                "baseline_value": "5",
                "baseline_year": 2024,
                "target_value": "3",
                "target_year": 2020,
            },
            "target_year",
            "before the baseline year",
        ),
        ({"baseline_value": "pět", "baseline_year": 2024}, "baseline_value", "Must be a number"),
        ({"indicator_code": "2.1/01"}, "indicator_code", "e.g. 2.1-01"),
        ({"indicator_code": "3.4-01"}, "indicator_code", "not among the indicator's objectives"),
        ({"activity_area": "1"}, "activity_area", "none of which is chosen"),
        ({"direction": "sideways"}, "direction", "Value must be one of"),
    ],
)
def test_invalid_indicators_name_the_field(changes, field, message):
    errors = _errors("package_create", **factories.Indicator.stub().__dict__ | changes)
    assert message in " ".join(errors[field])


def test_an_indicator_code_is_unique_in_the_portal():
    factories.Indicator(indicator_code="2.1-01", name="first")
    errors = _errors(
        "package_create", **factories.Indicator.stub().__dict__ | {"indicator_code": "2.1-01"}
    )
    assert errors["indicator_code"] == [
        "Code 2.1-01 is already used by indicator first; choose another"
    ]


def test_an_inventory_number_is_unique_within_its_institution_only():
    museum = ckan_factories.Organization()
    gallery = ckan_factories.Organization()
    factories.CollectionObject(inventory_number="H-1", owner_org=museum["id"], name="first-object")

    elsewhere = factories.CollectionObject(inventory_number="H-1", owner_org=gallery["id"])
    errors = _errors(
        "package_create",
        **factories.CollectionObject.stub().__dict__
        | {"inventory_number": "H-1", "owner_org": museum["id"]},
    )

    assert elsewhere["inventory_number"] == "H-1"
    assert (
        "Inventory number H-1 is already used in this institution by first-object"
        in errors["inventory_number"][0]
    )


def test_an_object_keeps_its_own_inventory_number_on_update():
    obj = factories.CollectionObject(inventory_number="H-2")
    updated = call_action(
        "package_patch",
        context={"user": ckan_factories.Sysadmin()["name"]},
        id=obj["id"],
        title="Nový název",
    )
    assert updated["inventory_number"] == "H-2"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"dating_earliest": 1900, "dating_latest": 1800},
            "dating_latest",
            "before the earliest year",
        ),
        ({"dating_earliest": 3000}, "dating_earliest", "impossible"),
        (
            {"dimensions": [{"type": "výška", "value": "vysoký", "unit": "cm"}]},
            "dimensions",
            "Must be a number",
        ),
    ],
)
def test_invalid_collection_objects_name_the_field(changes, field, message):
    errors = _errors("package_create", **factories.CollectionObject.stub().__dict__ | changes)
    assert message in str(errors[field])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"ruian": ["https://example.org/obec/1"]},
            "ruian",
            "must start with https://linked.cuzk.cz/resource/ruian/",
        ),
        ({"documentation": "www.kraj-lbc.cz/data"}, "documentation", "is not a valid IRI"),
        ({"eurovoc_concepts": ["eurovoc 4512"]}, "eurovoc_concepts", "is not a valid IRI"),
        ({"themes": ["SPACE"]}, "themes", "unexpected choice"),
        ({"tags": []}, "tag_string", "at least one keyword"),
        ({"frequency": ""}, "frequency", "Missing value"),
    ],
)
def test_invalid_datasets_name_the_field(changes, field, message):
    errors = _errors("package_create", **factories.Dataset.stub().__dict__ | changes)
    assert message in " ".join(errors[field])


def test_a_dataset_covers_the_region_unless_told_otherwise():
    dataset = factories.Dataset()
    assert dataset["ruian"] == ["https://linked.cuzk.cz/resource/ruian/vusc/78"]


def test_terms_of_use_name_the_author_of_a_licensed_work():
    dataset = factories.Dataset()
    errors = _errors(
        "resource_create",
        package_id=dataset["id"],
        url="https://example.org/data.csv",
        **OPEN_TERMS | {"terms_author_work": "https://creativecommons.org/licenses/by/4.0/"},
    )
    assert "requires attribution" in errors["terms_author"][0]


def test_czech_diacritics_are_preserved():
    dataset = factories.Dataset(
        title="Příliš žluťoučký kůň úpěl ďábelské ódy", tags=[{"name": "Říčany"}]
    )
    shown = call_action("package_show", id=dataset["id"])
    assert shown["title"] == "Příliš žluťoučký kůň úpěl ďábelské ódy"
    assert shown["tags"][0]["name"] == "Říčany"
