"""An indicator with kraj rows, as the public sees it: the region's rank among the kraje with
the ranked table, the Czech value and the ČSÚ source linked; the region's and the Czech chart
lines switched on; the downloads and smartregion_indicator_values carry the kraj rows; the
annual report shows the rank. The values are SYNTHETIC (made up for the test)."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.csu import codelist
from ckanext.smartregion.indicators import bulk
from ckanext.smartregion.reports import data as report_data
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")
SOURCE = "ČSÚ 130141r21 https://www.czso.cz/documents/10180/130141-21data2020.csv"


def _benchmarked(direction: str = "higher_is_better") -> dict:
    indicator = factories.Indicator(
        indicator_code="2.1-72", name="stredni-stav", title="Střední stav", direction=direction
    )
    regions = sorted(codelist.kraje().values(), key=lambda r: r.code)
    rows = [{"period": "2023", "value": 90}, {"period": "2024", "value": 95}]
    rows += [
        {"period": "2024", "value": 100 + i, "kraj": r.name, "source": SOURCE}
        for i, r in enumerate(regions)
    ]
    rows += [{"period": "2024", "value": 1000, "kraj": "Česká republika", "source": SOURCE}]
    rows += [{"period": "2025", "value": 7, "kraj": "Liberecký kraj", "source": SOURCE}]
    factories.upload_values(indicator, rows)
    return indicator


def test_the_page_ranks_the_region_links_the_source_and_the_downloads_carry_the_kraje(
    app, tmp_path, ckan_config, monkeypatch
):
    _benchmarked()

    page = BeautifulSoup(app.get("/en/indicator/stredni-stav").body, "html.parser")

    section = page.select_one(".smartregion-benchmark")
    # Liberecký kraj is the 7th kraj by code (106): the 7 after it are higher; 2025 lacks the rest
    assert section.select_one(".smartregion-benchmark-rank").get_text(strip=True) == (
        "Liberecký kraj: 8. of 14 regions in 2024"
    )
    ranked = [
        [cell.get_text(strip=True) for cell in tr.select("td, th")]
        for tr in section.select("tbody tr")
    ]
    assert ranked[0] == ["1.", "Moravskoslezský kraj", "113"]
    assert ranked[7] == ["8.", "Liberecký kraj", "106"]
    assert ranked[-1] == ["", "Česká republika", "1,000"]
    link = section.select_one(".smartregion-benchmark-source a")
    assert link["href"] == SOURCE.split()[-1]
    assert "130141r21" in link.get_text()
    checked = {
        label.get_text(strip=True)
        for label in page.select(".smartregion-series-toggles label")
        if label.input.has_attr("checked")
    }
    assert checked == {"kraj: Liberecký kraj", "kraj: Česká republika"}

    downloaded = list(
        csv.DictReader(io.StringIO(app.get("/ukazatel/2.1-72/hodnoty.csv").body.lstrip("\ufeff")))
    )
    found = call_action("smartregion_indicator_values", codes="2.1-72", dimension="kraj")

    kraj = [r for r in downloaded if r["dimension"] == "kraj"]  # they carry the breakdown
    assert len(kraj) == 16 and {r["source"] for r in kraj} == {SOURCE}
    assert len(found["indicators"][0]["values"]) == 16
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.bulk.directory", str(tmp_path))
    bulk.build()
    everything = (tmp_path / bulk.FILES["csv"]).read_text("utf-8-sig")
    assert (
        len([r for r in csv.DictReader(io.StringIO(everything)) if r["dimension"] == "kraj"]) == 16
    )


def test_lower_is_better_reverses_the_ranking_and_the_annual_report_gives_the_rank(app):
    _benchmarked("lower_is_better")

    page = BeautifulSoup(app.get("/en/indicator/stredni-stav").body, "html.parser")
    report = report_data.build("annual", 2024)
    html = BeautifulSoup(app.get("/en/akcni-plan/zpravy/vyrocni/2024").body, "html.parser")

    assert page.select_one(".smartregion-benchmark-rank").get_text(strip=True) == (
        "Liberecký kraj: 7. of 14 regions in 2024"
    )
    entries = [e for a in report["areas"] for e in a["indicators"]] + report["outside_areas"]
    entry = next(e for e in entries if e["name"] == "stredni-stav")
    assert entry["benchmark"] == {"rank": 7, "count": 14, "period": "2024"}
    assert html.select_one(".smartregion-report-rank").get_text(strip=True) == (
        "7. of 14 regions (2024)"
    )
