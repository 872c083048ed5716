"""The indicator-sheet harvester against a real HTTP server on 127.0.0.1: CSV and XLSX sheets
of several indicators go into the indicators' DataStore series, all or nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests import factories
from tests.harvesters.file_server import FileServer, FileSource

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_datastore", "loopback_allowed"),
    pytest.mark.stack,
]

SHEET = """kód;období;hodnota;okres
2.1-01;2023;52000;
2.1-01;2024;50500;
2.1-01;2024;21000;Liberec
2.1-02;2023;310000;
2.1-02;2024;300000;
"""


@pytest.fixture
def server() -> Iterator[FileServer]:
    with FileServer() as running:
        yield running


@pytest.fixture
def indicators() -> dict[str, dict]:
    energy = factories.Indicator(
        indicator_code="2.1-01",
        baseline_value=52000,
        baseline_year=2023,
        target_value=47000,
        target_year=2026,
    )
    water = factories.Indicator(indicator_code="2.1-02", unit="m³", owner_org=energy["owner_org"])
    return {"2.1-01": energy, "2.1-02": water}


def _source(url: str, indicators: dict, config: dict | None = None) -> FileSource:
    return FileSource("indicator_sheet", url, config or {}, indicators["2.1-01"]["owner_org"])


def _series(indicator: dict) -> list[tuple]:
    shown = call_action("package_show", id=indicator["id"])
    resource = next(
        (r for r in shown["resources"] if r.get("resource_type") == "smartregion_indicator_values"),
        None,
    )
    if resource is None:
        return []
    rows = call_action("datastore_search", resource_id=resource["id"], limit=1000)["records"]
    return sorted((r["period"], float(r["value"]), r["dimension"], r["category"]) for r in rows)


def test_a_csv_sheet_fills_the_series_and_a_rerun_is_unchanged(
    server, indicators, harvest_consumers
):
    source = _source(server.put("/hodnoty.csv", SHEET), indicators)

    first = source.run(harvest_consumers)

    assert first["gather_errors"] == [] and first["object_errors"] == []
    assert _series(indicators["2.1-01"]) == [
        ("2023", 52000.0, "", ""),
        ("2024", 21000.0, "okres", "Liberec"),
        ("2024", 50500.0, "", ""),
    ]
    assert _series(indicators["2.1-02"]) == [("2023", 310000.0, "", ""), ("2024", 300000.0, "", "")]
    progress = call_action("package_show", id=indicators["2.1-01"]["id"])["progress"]
    assert progress["latest_value"] == 50500.0
    assert progress["status"] == "moderate_progress"  # R = 0.87: 2.9 % a year of 3.3 % needed

    second = source.run(harvest_consumers)

    assert second["stats"]["not modified"] == 1
    assert second["stats"]["added"] + second["stats"]["updated"] == 0
    assert len(_series(indicators["2.1-01"])) == 3


def test_a_corrected_sheet_corrects_values_and_recomputes_the_status(server, indicators):
    source = _source(server.put("/hodnoty.csv", SHEET), indicators)
    source.run()
    corrected = SHEET.replace("2.1-01;2024;50500;", "2.1-01;2024;47000;")
    server.put("/hodnoty.csv", corrected)

    job = source.run()

    assert job["object_errors"] == []
    assert ("2024", 47000.0, "", "") in _series(indicators["2.1-01"])
    assert len(_series(indicators["2.1-01"])) == 3
    progress = call_action("package_show", id=indicators["2.1-01"]["id"])["progress"]
    assert progress["status"] == "target_achieved"


def test_an_xlsx_sheet_with_named_columns_and_sheet(server, indicators):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Poznámky"
    sheet = workbook.create_sheet("Hodnoty")
    sheet.append(["Ukazatel č.", "Rok", "Hodnota ukazatele"])
    sheet.append(["2.1-02", 2023, 310000])
    sheet.append(["2.1-02", 2025, 290000.5])
    data = io.BytesIO()
    workbook.save(data)
    config = {
        "format": "xlsx",
        "sheet": "Hodnoty",
        "columns": {"code": "Ukazatel č.", "period": "Rok", "value": "Hodnota ukazatele"},
    }
    source = _source(server.put("/hodnoty.xlsx", data.getvalue()), indicators, config)

    job = source.run()

    assert job["gather_errors"] == [] and job["object_errors"] == []
    assert _series(indicators["2.1-02"]) == [("2023", 310000.0, "", ""), ("2025", 290000.5, "", "")]


def test_an_unknown_code_or_a_bad_row_refuses_the_whole_sheet(server, indicators):
    source = _source(server.put("/hodnoty.csv", SHEET), indicators)
    source.run()
    before = {code: _series(indicator) for code, indicator in indicators.items()}
    bad = (
        "kód;období;hodnota\n"
        "2.1-01;2025;49000\n"  # good, but must not be written
        "9.9-99;2025;1\n"  # row 3: unknown code
        "2.1-02;2025;dvě stě\n"  # row 4: not a number
        "2.1-02;2025-13;5\n"  # row 5: no such month
        ";2025;5\n"  # row 6: no code
    )
    server.put("/hodnoty.csv", bad)

    job = source.run()

    assert len(job["gather_errors"]) == 1
    assert "refused" in job["gather_errors"][0] and "Nothing was written" in job["gather_errors"][0]
    errors = sorted((line, guid, message) for guid, message, line in job["object_errors"])
    assert [(line, guid) for line, guid, _ in errors] == [
        (3, "9.9-99"),
        (4, "2.1-02"),
        (5, "2.1-02"),
        (6, "(bez kódu / no code)"),
    ]
    assert "no indicator has the code '9.9-99'" in errors[0][2]
    assert "is not a number" in errors[1][2]
    assert "2025-13" in errors[2][2]
    assert "column kód" in errors[3][2]
    assert {code: _series(indicator) for code, indicator in indicators.items()} == before


def test_a_sheet_without_a_code_column_is_refused_with_the_fix(server, indicators):
    source = _source(server.put("/hodnoty.csv", "období;hodnota\n2024;1\n"), indicators)

    job = source.run()

    assert "no column with the indicator code" in job["gather_errors"][0]
    assert '"columns": {"code"' in job["gather_errors"][0]
    assert _series(indicators["2.1-01"]) == []


def test_an_unreachable_sheet_writes_nothing_and_503_is_retried(server, indicators):
    source = _source(server.put("/hodnoty.csv", SHEET), indicators)
    source.run()
    server.put("/hodnoty.csv", SHEET.replace("50500", "1"))
    server.http_errors = [503] * 10

    failed = source.run()

    assert "HTTP 503" in failed["gather_errors"][0]
    assert ("2024", 50500.0, "", "") in _series(indicators["2.1-01"])

    server.http_errors = [503]
    recovered = source.run()

    assert recovered["gather_errors"] == []
    assert ("2024", 1.0, "", "") in _series(indicators["2.1-01"])


def test_the_source_configuration_is_validated_with_clear_messages(indicators):
    sysadmin = ckan_factories.Sysadmin()
    with pytest.raises(Exception) as refused:
        call_action(
            "harvest_source_create",
            context={"user": sysadmin["name"]},
            name="spatna-konfigurace",
            title="Špatná",
            url="http://127.0.0.1/x.csv",
            source_type="indicator_sheet",
            config='{"format": "ods", "columns": {"kod": "Kód"}}',
            owner_org=indicators["2.1-01"]["owner_org"],
        )
    assert '"format" must be one of auto, csv, xlsx' in str(refused.value)
