"""Dashboards per strategic goal, activity area and specific objective."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")


def _with_values(indicator, rows):
    factories.upload_values(indicator, rows)


def _rows(page) -> list[list[str]]:
    return [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in page.select("table tbody tr")
    ]


def test_an_activity_area_lists_its_indicators_with_status_and_its_projects(app):
    energy = factories.Indicator(
        indicator_code="2.1-01",
        title="Energie",
        specific_objectives=["2.1"],
        direction="lower_is_better",
        baseline_value="100",
        baseline_year=2020,
        target_value="50",
        target_year=2030,
    )
    _with_values(energy, [{"period": "2020", "value": 100}, {"period": "2024", "value": 110}])
    factories.Indicator(indicator_code="3.4-01", title="Školy", specific_objectives=["3.4"])
    factories.Project(title="Energetický management", specific_objectives=["2.1", "2.2"])
    organization = ckan_factories.Organization()
    factories.Indicator(
        indicator_code="2.2-01",
        title="Skryté",
        specific_objectives=["2.2"],
        private=True,
        owner_org=organization["id"],
    )

    page = BeautifulSoup(app.get("/cs_CZ/akcni-plan/oblast-aktivit/5").body, "html.parser")

    assert page.h1.get_text(strip=True) == "Energetický management a hospodaření s vodou"
    rows = _rows(page)
    assert [r[0] for r in rows] == ["2.1-01"]  # not the school indicator, not the private one
    assert rows[0][4] == "Zhoršení"
    assert [a.get_text(strip=True) for a in page.select("h2 + ul a")][:1] == [
        "Energetický management"
    ]


def test_a_goal_dashboard_gathers_its_objectives(app):
    factories.Indicator(indicator_code="2.1-01", specific_objectives=["2.1"])
    factories.Indicator(indicator_code="2.2-01", specific_objectives=["2.2"])
    factories.Indicator(indicator_code="1.1-01", specific_objectives=["1.1"])

    page = BeautifulSoup(app.get("/cs_CZ/akcni-plan/strategicky-cil/2").body, "html.parser")

    assert sorted(r[0] for r in _rows(page)) == ["2.1-01", "2.2-01"]
    links = [a.get_text(strip=True) for a in page.select("a[href*='/akcni-plan/specificky-cil/']")]
    assert links[:2] == [
        "2.1 Úspora energie a vody na základě inteligentního měření",
        "2.2 Snížení emisí skleníkových plynů měřené v tunách na osobu",
    ]


def test_an_objective_without_an_area_says_so(app):
    page = BeautifulSoup(app.get("/cs_CZ/akcni-plan/specificky-cil/1.1").body, "html.parser")
    assert "V tomto plánu bez projektu." in page.get_text()


@pytest.mark.parametrize(
    "path", ["/akcni-plan/specificky-cil/3.5", "/akcni-plan/oblast-aktivit/8", "/akcni-plan/cil/1"]
)
def test_unknown_parts_of_the_plan_are_404(app, path):
    assert app.get(path).status_code == 404
