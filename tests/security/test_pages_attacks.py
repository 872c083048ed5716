"""Attacks on the content pages: a steward moving a published text to another kind or
activity area without the coordinator."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.organizations import coordinator_organization

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def people() -> dict[str, dict]:
    steward, coordinator = ckan_factories.User(), ckan_factories.User()
    ckan_factories.Organization(users=[{"name": steward["name"], "capacity": "editor"}])
    ckan_factories.Organization(
        name=coordinator_organization(),
        users=[{"name": coordinator["name"], "capacity": "admin"}],
    )
    return {"steward": steward, "coordinator": coordinator}


def _as(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def _published_area_text(people: dict[str, dict]) -> dict:
    call_action(
        "smartregion_page_create",
        context=_as(people["steward"]),
        slug="digitalizace-sbirek",
        kind="area",
        area_code="1",
        title_cs="Digitalizace sbírek",
        body_cs="Schválený text oblasti 1.",
    )
    return call_action(
        "smartregion_page_publish", context=_as(people["coordinator"]), id="digitalizace-sbirek"
    )


def _public_areas() -> dict[str, list[str]]:
    pages = call_action("smartregion_page_list", context={"user": None})
    shown: dict[str, list[str]] = {}
    for page in pages:
        shown.setdefault(f"{page['kind']}:{page['area_code']}", []).append(page["slug"])
    return shown


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "news"}, "kind"),
        ({"kind": "about", "area_code": ""}, "kind"),
        ({"area_code": "2"}, "area_code"),
    ],
)
def test_a_steward_cannot_move_a_published_page(people, changes, field):
    _published_area_text(people)

    with pytest.raises(tk.ValidationError) as refused:
        call_action(
            "smartregion_page_update",
            context=_as(people["steward"]),
            id="digitalizace-sbirek",
            **changes,
        )

    assert field in refused.value.error_dict
    assert "coordinator" in " ".join(refused.value.error_dict[field])
    assert _public_areas() == {"area:1": ["digitalizace-sbirek"]}
    stored = call_action(
        "smartregion_page_show", context=_as(people["steward"]), id="digitalizace-sbirek"
    )
    assert (stored["kind"], stored["area_code"], stored["state"]) == ("area", "1", "published")


def test_the_edit_form_refuses_the_move_and_keeps_the_page(app, people):
    _published_area_text(people)
    token = ckan_factories.APIToken(user=people["steward"]["name"])["token"]

    response = app.post(
        "/stranky/digitalizace-sbirek/upravit",
        headers={"Authorization": token},
        data={
            "kind": "area",
            "area_code": "2",
            "title_cs": "Digitalizace sbírek",
            "body_cs": "Schválený text oblasti 1.",
            "save": "1",
        },
        follow_redirects=False,
    )

    assert response.status_code == 200  # the form again, with the reason
    assert 'id="error-area_code"' in response.get_data(as_text=True)
    assert _public_areas() == {"area:1": ["digitalizace-sbirek"]}


def test_the_steward_still_edits_the_text_and_the_coordinator_moves_it(people):
    _published_area_text(people)
    edited = call_action(
        "smartregion_page_update",
        context=_as(people["steward"]),
        id="digitalizace-sbirek",
        kind="area",
        area_code="1",
        body_cs="Nový text ke schválení.",
    )
    assert edited["state"] == "draft"

    moved = call_action(
        "smartregion_page_update",
        context=_as(people["coordinator"]),
        id="digitalizace-sbirek",
        area_code="2",
    )
    assert moved["area_code"] == "2"


def test_an_unpublished_draft_may_change_kind(people):
    call_action(
        "smartregion_page_create",
        context=_as(people["steward"]),
        slug="koncept",
        kind="news",
        title_cs="Koncept",
    )
    changed = call_action(
        "smartregion_page_update",
        context=_as(people["steward"]),
        id="koncept",
        kind="area",
        area_code="3",
    )
    assert (changed["kind"], changed["area_code"]) == ("area", "3")
