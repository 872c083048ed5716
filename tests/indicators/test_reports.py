"""The annual and monitoring reports: content from public data only, HTML, a PDF with the
indicator table in it, JSON, publishing as a dataset by the coordinator, the CLI."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from pypdf import PdfReader

from ckanext.smartregion import organizations
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")


@pytest.fixture
def plan_data():
    organizations.load_organizations()
    sysadmin = ckan_factories.Sysadmin()
    energy = factories.Indicator(
        indicator_code="2.1-01",
        title="Spotřeba energie",
        specific_objectives=["2.1"],
        unit="MWh",
        direction="lower_is_better",
        baseline_value="100",
        baseline_year=2020,
        target_value="80",
        target_year=2026,
    )
    factories.upload_values(
        energy,
        [
            {"period": "2020", "value": 100},
            {"period": "2024", "value": 92},
            {"period": "2025", "value": 90},
        ],
    )
    factories.Indicator(indicator_code="1.1-01", title="Dojížďka", specific_objectives=["1.1"])
    secret = ckan_factories.Organization()
    factories.Indicator(
        indicator_code="2.2-01",
        title="Tajný ukazatel",
        specific_objectives=["2.2"],
        private=True,
        owner_org=secret["id"],
    )
    factories.Project(
        title="Energetický management", specific_objectives=["2.1"], status="in_progress"
    )
    return sysadmin


def test_the_annual_report_page_follows_the_areas(app, plan_data):
    body = app.get("/cs_CZ/akcni-plan/zpravy/vyrocni/2024").body

    assert "Výroční zpráva o plnění akčního plánu 2024" in body
    assert "5. Energetický management a hospodaření s vodou" in body
    assert "Energetický management – in_progress" in body
    assert "92 MWh (2024)" in body  # the 2025 value is after the reported year
    assert "Dojížďka" in body  # transport indicators: outside the activity areas
    assert "Tajný ukazatel" not in body


def test_the_pdf_holds_the_indicator_table(app, plan_data):
    response = app.get("/akcni-plan/zpravy/vyrocni/2025.pdf")

    assert response.headers["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = " ".join(
        unicodedata.normalize("NFC", " ".join(page.extract_text() for page in pages)).split()
    )
    for expected in (
        "Kód",
        "Ukazatel",
        "Hodnota",
        "Cíl",
        "Stav",
        "2.1-01",
        "Spotřeba energie",
        "90 MWh (2025)",
    ):
        assert expected in text, expected
    assert "Tajný ukazatel" not in text


def test_the_json_report_and_its_changes(app, plan_data):
    report = app.get("/akcni-plan/zpravy/monitorovaci/2025.json").json

    entries = {e["code"]: e for a in report["areas"] for e in a["indicators"]} | {
        e["code"]: e for e in report["outside_areas"]
    }
    assert set(entries) == {"2.1-01", "1.1-01"}
    assert entries["2.1-01"]["trend"] == "improving"
    assert report["changes_since_previous"] == []


def test_only_the_coordinator_publishes_and_reports_stay_as_datasets(app, plan_data):
    coordinator = ckan_factories.User()
    organizations.assign_role(coordinator["name"], "coordinator", None)
    editor = ckan_factories.User()

    assert app.post("/akcni-plan/zpravy/vyrocni/2025/zverejnit").status_code == 403
    assert (
        app.post(
            "/akcni-plan/zpravy/vyrocni/2025/zverejnit",
            headers={
                "Authorization": call_action(
                    "api_token_create",
                    context={"user": editor["name"]},
                    user=editor["name"],
                    name="t",
                )["token"]
            },
        ).status_code
        == 403
    )
    token = call_action(
        "api_token_create",
        context={"user": coordinator["name"]},
        user=coordinator["name"],
        name="t",
    )["token"]
    page = app.get("/akcni-plan/zpravy/vyrocni/2025", headers={"Authorization": token}).body
    assert "Zveřejnit jako datovou sadu" in page or "Publish as a dataset" in page
    response = app.post(
        "/akcni-plan/zpravy/vyrocni/2025/zverejnit",
        headers={"Authorization": token},
        follow_redirects=False,
    )

    assert response.status_code == 302
    dataset = call_action("package_show", id="vyrocni-zprava-2025")
    assert sorted(r["format"] for r in dataset["resources"]) == ["HTML", "JSON", "PDF"]
    assert dataset["organization"]["name"] == "odbor-regionalniho-rozvoje-a-evropskych-projektu"
    assert dataset["is_sample_data"] is False


def test_the_cli_writes_the_three_files_and_lists_changes(cli, plan_data, tmp_path):
    first = cli.invoke(
        ckan_command,
        ["smartregion", "report", "monitoring", "--year", "2025", "-o", str(tmp_path), "--publish"],
    )
    energy = call_action(
        "package_show",
        id=call_action("package_search", q="indicator_code:2.1-01")["results"][0]["id"],
    )
    factories.upload_values(energy, [{"period": "2025", "value": 70}], user=plan_data["name"])
    second = cli.invoke(
        ckan_command, ["smartregion", "report", "monitoring", "--year", "2025", "-o", str(tmp_path)]
    )

    assert first.exit_code == 0, first.output
    assert "2 indicators in 7 activity areas" in first.output
    written = sorted(p.suffix for p in tmp_path.iterdir())
    assert written == [".html", ".json", ".pdf"]
    assert "1 changes since the previous report" in second.output
    report = json.loads(next(tmp_path.glob("*.json")).read_text("utf-8"))
    assert report["changes_since_previous"] == [
        {
            "code": "2.1-01",
            "title": "Spotřeba energie",
            "change": "status",
            "from": "limited_progress",
            "to": "target_achieved",
        }
    ]  # R = 0.57 before
