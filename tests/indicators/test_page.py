"""The indicator page, its downloads, permanent address and embeddable chart, as the public
sees them over HTTP; a private indicator is invisible on all of them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")

ROWS = [
    {"period": "2020", "value": 100},
    {"period": "2022", "value": 110},
    {"period": "2024", "value": 131},
    {"period": "2024", "value": 40, "okres": "Liberec"},
    {"period": "2024", "value": 30, "okres": "Česká Lípa"},
]


def _indicator_with_values(**changes):
    indicator = factories.Indicator(
        indicator_code="2.1-05",
        name="spotreba-tepla",
        title="Spotřeba tepla",
        baseline_value="100",
        baseline_year=2020,
        target_value="200",
        target_year=2030,
        direction="higher_is_better",
        **changes,
    )
    factories.upload_values(indicator, ROWS)
    return indicator


def test_the_page_shows_status_chart_table_and_downloads(app):
    _indicator_with_values()

    page = BeautifulSoup(app.get("/cs_CZ/indicator/spotreba-tepla").body, "html.parser")

    assert (
        page.select_one(".smartregion-status-substantial_progress").get_text(strip=True)
        == "Výrazný pokrok"
    )
    table = page.select_one("table.smartregion-values")
    assert table.caption.get_text(strip=True).startswith("Hodnoty")
    cells = [[td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert ["2024", "okres: Liberec", "40"] in [c[:3] for c in cells]
    assert ["2020", "celkem", "100"] in [c[:3] for c in cells]
    chart = json.loads(page.select_one("#indicator-chart-data").string)
    assert chart["baseline"] == {"period": "2020", "value": 100.0, "label": "Výchozí hodnota 2020"}
    assert chart["target"]["period"] == "2030"
    assert {"dimension": "okres", "category": "Česká Lípa"} in chart["breakdowns"]
    assert len(page.select(".smartregion-series-toggles input[type=checkbox]")) == 2
    links = {a.get_text(strip=True): a["href"] for a in page.select(".smartregion-downloads a")}
    assert links["CSV"].endswith("/ukazatel/2.1-05/hodnoty.csv")
    assert links["XLSX"].endswith("/ukazatel/2.1-05/hodnoty.xlsx")


def test_the_english_page_speaks_english(app):
    _indicator_with_values()
    page = BeautifulSoup(app.get("/en/indicator/spotreba-tepla").body, "html.parser")
    assert page.select_one(".smartregion-status").get_text(strip=True) == "Substantial progress"


def test_downloads_carry_every_value(app):
    _indicator_with_values()

    as_csv = list(
        csv.DictReader(io.StringIO(app.get("/ukazatel/2.1-05/hodnoty.csv").body.lstrip("\ufeff")))
    )
    as_json = app.get("/ukazatel/2.1-05/hodnoty.json").json
    workbook = load_workbook(
        io.BytesIO(app.get("/ukazatel/2.1-05/hodnoty.xlsx").data), read_only=True
    )
    sheet_rows = list(workbook.active.iter_rows(values_only=True))

    assert len(as_csv) == len(as_json["values"]) == len(sheet_rows) - 1 == 5
    assert {(r["period"], r["category"], float(r["value"])) for r in as_csv} >= {
        ("2024", "Česká Lípa", 30.0)
    }
    assert sheet_rows[0][:3] == ("indicator_code", "period", "value")
    assert as_json["unit"] == "MWh"


def test_the_permanent_address_follows_the_code(app):
    _indicator_with_values()
    response = app.get("/ukazatel/2.1-05", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/indicator/spotreba-tepla")


def test_the_embeddable_chart_stands_alone(app):
    _indicator_with_values()
    page = BeautifulSoup(app.get("/ukazatel/2.1-05/graf").body, "html.parser")
    assert page.select_one("canvas")["aria-label"] == "Spotřeba tepla"
    assert json.loads(page.select_one("#indicator-chart-data").string)["rows"]


def test_a_private_indicator_is_invisible_to_the_public(app):
    organization = ckan_factories.Organization()
    _indicator_with_values(private=True, owner_org=organization["id"])

    for path in (
        "/indicator/spotreba-tepla",
        "/ukazatel/2.1-05",
        "/ukazatel/2.1-05/graf",
        "/ukazatel/2.1-05/hodnoty.csv",
        "/ukazatel/2.1-05/hodnoty.json",
        "/ukazatel/2.1-05/hodnoty.xlsx",
    ):
        assert app.get(path, follow_redirects=False).status_code == 404, path
    assert (
        call_action("smartregion_indicator_values", context={"user": None, "ignore_auth": False})[
            "count"
        ]
        == 0
    )


def test_a_steward_uploads_values_through_the_form(app):
    sysadmin = ckan_factories.Sysadmin()
    token = call_action(
        "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )["token"]
    indicator = factories.Indicator(indicator_code="2.1-06", name="forma")
    headers = {"Authorization": token}

    page = BeautifulSoup(app.get("/indicator/forma", headers=headers).body, "html.parser")
    bad = app.post(
        "/ukazatel/2.1-06/nahrat",
        headers=headers,
        data={"upload": (io.BytesIO(b"period,value\n2024,x\n"), "bad.csv")},
    )
    good = app.post(
        "/ukazatel/2.1-06/nahrat",
        headers=headers,
        follow_redirects=False,
        data={"upload": (io.BytesIO("období;hodnota\n2023;5\n2024;6\n".encode()), "ok.csv")},
    )

    assert page.find("a", href="/ukazatel/2.1-06/nahrat")
    assert (
        "Row 2: value &#39;x&#39; is not a number" in bad.body
        or "Row 2: value 'x' is not a number" in bad.body
    )
    assert good.status_code == 302
    assert call_action("package_show", id=indicator["id"])["progress"]["latest_value"] == 6.0


def test_the_form_is_for_editors_only(app):
    factories.Indicator(indicator_code="2.1-06", name="forma")
    assert app.get("/ukazatel/2.1-06/nahrat").status_code == 403
    assert "nahrat" not in app.get("/indicator/forma").body
