"""Content pages: stewards write drafts and submit them, the coordinator publishes or returns
them; nothing unpublished reaches anyone else (pages, lists, API); every step is a revision."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.organizations import coordinator_organization

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def people():
    steward = ckan_factories.User()
    coordinator = ckan_factories.User()
    outsider = ckan_factories.User()
    ckan_factories.Organization(users=[{"name": steward["name"], "capacity": "editor"}])
    ckan_factories.Organization(
        name=coordinator_organization(),
        users=[{"name": coordinator["name"], "capacity": "admin"}],
    )
    return {
        name: {
            "user": user,
            "headers": {"Authorization": ckan_factories.APIToken(user=user["name"])["token"]},
        }
        for name, user in (
            ("steward", steward),
            ("coordinator", coordinator),
            ("outsider", outsider),
        )
    }


def _create_in_browser(app, headers) -> None:
    response = app.post(
        "/stranky/novy",
        headers=headers,
        data={
            "slug": "o-konceptu",
            "kind": "about",
            "area_code": "",
            "title_cs": "O konceptu",
            "title_en": "About the concept",
            "body_cs": "Koncept **Chytřejší Liberecký kraj**.",
            "body_en": "The concept.",
            "save": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 302, response.body


def test_draft_and_pending_pages_stay_hidden_until_the_coordinator_publishes(app, people):
    steward, coordinator = people["steward"]["headers"], people["coordinator"]["headers"]
    _create_in_browser(app, steward)

    assert app.get("/stranky/o-konceptu", status=404)
    assert "About the concept" in app.get("/stranky/o-konceptu", headers=steward).body
    assert "o-konceptu" not in app.get("/stranky").body

    app.post("/stranky/o-konceptu/odeslat", headers=steward)
    assert app.get("/stranky/o-konceptu", status=404)
    assert call_action("smartregion_page_list", context={"user": None}) == []

    app.post("/stranky/o-konceptu/zverejnit", headers=coordinator)
    page = BeautifulSoup(app.get("/stranky/o-konceptu").body, "html.parser")
    assert page.h1.get_text(strip=True) == "About the concept"
    czech = BeautifulSoup(app.get("/cs_CZ/stranky/o-konceptu").body, "html.parser")
    assert czech.h1.get_text(strip=True) == "O konceptu"
    assert (
        czech.select_one(".smartregion-page-body strong").get_text() == "Chytřejší Liberecký kraj"
    )
    assert "o-konceptu" in app.get("/stranky").body

    history = call_action(
        "smartregion_page_revisions",
        context={"user": people["steward"]["user"]["name"]},
        id="o-konceptu",
    )
    assert [(r["number"], r["action"], r["state"]) for r in history] == [
        (3, "publish", "published"),
        (2, "submit", "pending"),
        (1, "create", "draft"),
    ]
    assert history[0]["user"] == people["coordinator"]["user"]["display_name"]
    table = BeautifulSoup(
        app.get("/stranky/o-konceptu/historie", headers=steward).body, "html.parser"
    )
    assert len(table.select("[data-test=page-history] tbody tr")) == 3
    older = BeautifulSoup(
        app.get("/stranky/o-konceptu/historie/1", headers=steward).body, "html.parser"
    )
    assert "O konceptu" in older.select_one("[data-test=page-revision]").get_text()


def test_an_edit_of_a_published_page_stays_private_until_published_again(app, people):
    steward = people["steward"]["user"]["name"]
    coordinator = people["coordinator"]["user"]["name"]
    call_action(
        "smartregion_page_create",
        context={"user": steward},
        slug="aktualita",
        kind="news",
        title_cs="První verze",
        body_cs="Veřejný text",
    )
    call_action("smartregion_page_publish", context={"user": coordinator}, id="aktualita")
    call_action(
        "smartregion_page_update",
        context={"user": steward},
        id="aktualita",
        title_cs="Rozpracovaná verze",
        body_cs="Neveřejný text",
    )

    body = app.get("/cs_CZ/stranky/aktualita").body
    assert "První verze" in body and "Neveřejný text" not in body
    shown = app.get("/api/3/action/smartregion_page_show?id=aktualita").json["result"]
    assert (shown["title_cs"], shown["body_cs"], shown["state"]) == (
        "První verze",
        "Veřejný text",
        "published",
    )
    listed = app.get("/api/3/action/smartregion_page_list").json["result"]
    assert [p["title_cs"] for p in listed] == ["První verze"]
    assert app.get("/api/3/action/smartregion_page_revisions?id=aktualita", status=403)
    assert (
        "Rozpracovaná verze"
        in app.get("/cs_CZ/stranky/aktualita", headers=people["steward"]["headers"]).body
    )


def test_the_coordinator_returns_a_pending_page_with_a_comment(app, people):
    steward = people["steward"]["user"]["name"]
    coordinator = people["coordinator"]["user"]["name"]
    call_action(
        "smartregion_page_create",
        context={"user": steward},
        slug="plan",
        kind="plan",
        title_cs="Akční plán",
    )
    call_action("smartregion_page_submit", context={"user": steward}, id="plan")

    with pytest.raises(Exception) as error:
        call_action(
            "smartregion_page_return", context={"user": coordinator}, id="plan", comment=" "
        )
    assert "comment" in str(error.value)
    returned = call_action(
        "smartregion_page_return", context={"user": coordinator}, id="plan", comment="Doplňte cíle."
    )
    assert returned["state"] == "draft"
    history = call_action("smartregion_page_revisions", context={"user": steward}, id="plan")
    assert (history[0]["action"], history[0]["comment"]) == ("return", "Doplňte cíle.")
    assert app.get("/stranky/plan", status=404)


def test_only_stewards_write_and_only_the_coordinator_publishes(app, people):
    outsider = people["outsider"]
    assert app.get("/stranky/novy", headers=outsider["headers"], status=403)
    assert app.post("/stranky/novy", headers=outsider["headers"], data={"slug": "x1"}, status=403)
    assert app.get("/stranky/novy", status=403)
    call_action(
        "smartregion_page_create",
        context={"user": people["steward"]["user"]["name"]},
        slug="novinka",
        kind="news",
        title_cs="Novinka",
    )
    assert app.get("/stranky/novinka/upravit", headers=outsider["headers"], status=403)
    app.post("/stranky/novinka/zverejnit", headers=people["steward"]["headers"], status=403)
    api = app.post(
        "/api/3/action/smartregion_page_publish",
        headers=outsider["headers"],
        json={"id": "novinka"},
        status=403,
    )
    assert api.json["success"] is False
    assert app.get("/stranky/novinka", status=404)


def test_bad_input_names_the_field(app, people):
    steward = people["steward"]["headers"]
    response = app.post(
        "/stranky/novy",
        headers=steward,
        data={
            "slug": "Špatná adresa",
            "kind": "area",
            "area_code": "",
            "title_cs": "",
            "save": "1",
        },
    )
    page = BeautifulSoup(response.body, "html.parser")
    errors = {e["id"]: e.get_text(strip=True) for e in page.select(".invalid-feedback")}
    assert set(errors) == {"error-slug", "error-area_code", "error-title_cs"}
    assert "o-konceptu" in errors["error-slug"]


def test_the_preview_renders_markdown_without_saving(app, people):
    response = app.post(
        "/stranky/novy",
        headers=people["steward"]["headers"],
        data={
            "slug": "nahled",
            "kind": "news",
            "title_cs": "Náhled",
            "body_cs": "*kurzíva* <script>x()</script>",
            "preview": "1",
        },
    )
    preview = BeautifulSoup(response.body, "html.parser").select_one(".smartregion-preview")
    assert preview.select_one("em").get_text() == "kurzíva"
    assert preview.select_one("script") is None
    assert app.get("/stranky/nahled", headers=people["steward"]["headers"], status=404)
