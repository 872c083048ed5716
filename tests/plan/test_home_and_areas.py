"""The theme: the home page built around the action plan (goals, activity-area cards with
public counts and status), the English switch, an activity area's page and a project's fiche."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.organizations import coordinator_organization
from ckanext.smartregion.plan import home
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")


@pytest.fixture(autouse=True)
def fresh_counts():
    home.clear_cache()
    yield
    home.clear_cache()


def _page(app, url: str, **kwargs) -> BeautifulSoup:
    return BeautifulSoup(app.get(url, **kwargs).body, "html.parser")


def _energy_area():
    """Area 5 (objectives 2.1, 2.2): an indicator with a status, a project, a dataset, and a
    private dataset that no count may include."""
    indicator = factories.Indicator(
        indicator_code="2.1-01",
        title="Spotřeba energie",
        specific_objectives=["2.1"],
        baseline_value="100",
        baseline_year=2020,
        target_value="50",
        target_year=2030,
    )
    factories.upload_values(
        indicator, [{"period": "2020", "value": 100}, {"period": "2024", "value": 110}]
    )
    factories.Project(title="Energetický management", specific_objectives=["2.1", "2.2"])
    factories.Dataset(title="Měření spotřeby", specific_objectives=["2.1"])
    factories.Dataset(title="Neveřejná data", specific_objectives=["2.2"], private=True)
    factories.Dataset(title="Školy", specific_objectives=["3.4"])


def test_the_home_page_shows_the_goals_and_the_areas_with_their_public_counts(app):
    _energy_area()

    page = _page(app, "/cs_CZ/")

    goals = page.select("[data-test=goal] h3")
    assert [g.get_text(" ", strip=True) for g in goals] == ["1 Zrychlit", "2 Ušetřit", "3 Zlepšit"]
    cards = {card["data-area"]: card for card in page.select("[data-test=area-card]")}
    assert list(cards) == ["1", "2", "3", "4", "5", "6", "7"]
    for code, card in cards.items():
        for kind in ("dataset", "indicator", "project"):
            expected = call_action(
                "package_search",
                fq=f'dataset_type:{kind} AND vocab_activity_area:"{code}"',
                rows=0,
            )["count"]
            shown = card.select_one(f"[data-test=count-{kind}]").get_text(strip=True)
            assert int(shown) == expected, (code, kind)
    energy = cards["5"]
    assert energy.h3.get_text(strip=True) == "Energetický management a hospodaření s vodou"
    assert [
        energy.select_one(f"[data-test=count-{k}]").get_text(strip=True)
        for k in ("dataset", "indicator", "project")
    ] == ["1", "1", "1"]
    assert energy.select_one(".smartregion-status-list").get_text(" ", strip=True) == "Zhoršení 1"
    assert cards["6"].select_one("[data-test=count-dataset]").get_text(strip=True) == "1"
    newest = page.select_one("[data-test=newest]").get_text()
    assert "Měření spotřeby" in newest and "Neveřejná data" not in newest
    assert page.select_one("form[role=search] input[name=q]") is not None
    assert page.select_one("a[href*='/api-dokumentace']") is not None
    assert page.select_one("a[href='/lkod/katalog']") is not None


def test_english_is_one_switch_away(app):
    czech = _page(app, "/cs_CZ/")
    switch = czech.select_one("[data-test=lang-switch]")
    assert switch.get_text(strip=True) == "English" and switch["lang"] == "en"

    english = _page(app, switch["href"])

    assert english.html["lang"] == "en"
    assert [g.get_text(" ", strip=True) for g in english.select("[data-test=goal] h3")] == [
        "1 Speed up",
        "2 Save",
        "3 Improve",
    ]
    assert english.select_one("[data-test=lang-switch]").get_text(strip=True) == "Česky"
    nav = [a.get_text(strip=True) for a in english.select(".navbar-nav .nav-link")]
    assert nav[:6] == ["Datasets", "Action plan", "Indicators", "Organisations", "About", "API"]


def test_every_page_has_a_skip_link_landmarks_and_one_h1(app):
    for url in ("/cs_CZ/", "/cs_CZ/akcni-plan", "/cs_CZ/akcni-plan/oblast-aktivit/1"):
        page = _page(app, url)
        skip = page.select_one("a[href='#content']")
        assert skip is not None and page.select_one("#content") is not None, url
        assert len(page.select("h1")) == 1, url
        assert page.select_one("header") and page.select_one("footer") and page.select_one("nav")


def test_an_activity_area_page_has_its_text_objectives_indicators_projects_and_data(app):
    _energy_area()
    coordinator = ckan_factories.Sysadmin()["name"]
    call_action(
        "smartregion_page_create",
        context={"user": coordinator},
        slug="oblast-5",
        kind="area",
        area_code="5",
        title_cs="Energetika",
        body_cs="Text oblasti o **energii**.",
    )
    unpublished = _page(app, "/cs_CZ/akcni-plan/oblast-aktivit/5")
    assert unpublished.select_one("[data-test=area-text]") is None
    call_action("smartregion_page_publish", context={"user": coordinator}, id="oblast-5")

    page = _page(app, "/cs_CZ/akcni-plan/oblast-aktivit/5")

    assert page.h1.get_text(strip=True) == "Energetický management a hospodaření s vodou"
    assert page.select_one("[data-test=area-text] strong").get_text() == "energii"
    objectives = [a.get_text(" ", strip=True) for a in page.select("a[href*='/specificky-cil/']")]
    assert objectives[0].startswith("2.1") and objectives[1].startswith("2.2")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in page.select("table tbody tr")
    ]
    assert [(r[0], r[4]) for r in rows] == [("2.1-01", "Zhoršení")]
    text = page.get_text()
    assert "Energetický management" in text and "Měření spotřeby" in text
    assert "Neveřejná data" not in text and "Školy" not in text
    search = page.select_one(".smartregion-search-links a")["href"]
    assert "vocab_activity_area=5" in search
    assert app.get("/akcni-plan/oblast-aktivit/9", status=404)


def test_a_project_page_shows_its_fiche_and_links_to_its_indicators_and_data(app):
    indicator = factories.Indicator(indicator_code="2.1-01", specific_objectives=["2.1"])
    organization = ckan_factories.Organization(name=coordinator_organization(), title="Odbor RR")
    project = factories.Project(
        name="energeticky-management",
        owner_org=organization["id"],
        specific_objectives=["2.1"],
        guarantor="Odbor investic",
        vision="Soběstačný kraj.",
        activities=[{"title": "Měření", "description": "Chytré měřiče"}],
        partners=[{"name": "TUL", "role": "odborník"}],
        indicators=[indicator["name"]],
    )

    page = _page(app, f"/cs_CZ/project/{project['name']}")

    fiche = page.select_one("[data-test=project-fiche]")
    labels = [dt.get_text(strip=True) for dt in fiche.select("dt")]
    assert labels == [
        "Název",
        "Garant",
        "Vazba na strategický a specifický cíl",
        "Vize",
        "Potřebnost a zacílení aktivit",
        "Aktivity",
        "Příklady konkrétních projektů",
        "Provázanost na další oblasti / projekty",
        "Partnerství a spolupráce",
        "Indikátory",
    ]
    values = dict(
        zip(labels, [dd.get_text(" ", strip=True) for dd in fiche.select("dd")], strict=True)
    )
    assert values["Garant"] == "Odbor investic"
    assert values["Vize"] == "Soběstačný kraj."
    assert values["Partnerství a spolupráce"] == "TUL (odborník)"
    assert values["Příklady konkrétních projektů"] == "neuvedeno"
    assert fiche.select_one("[data-test=fiche-indicators] a")["href"].endswith(
        f"/indicator/{indicator['name']}"
    )
    area_data = fiche.select_one("[data-test=fiche-area-datasets]")["href"]
    assert "vocab_activity_area=5" in area_data and "dataset_type=dataset" in area_data
