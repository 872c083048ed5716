"""Attacks on publishing reports: an editor squatting the name of next year's report
dataset to break the coordinator's Zveřejnit button (or to put words under its name)."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion import organizations
from ckanext.smartregion.reports import names
from tests import factories
from tests.factories import OPEN_TERMS

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

PUBLISH = "/akcni-plan/zpravy/vyrocni/2025/zverejnit"


@pytest.fixture
def people() -> dict[str, dict]:
    organizations.load_organizations()
    coordinator, squatter = ckan_factories.User(), ckan_factories.User()
    organizations.assign_role(coordinator["name"], "coordinator", None)
    own = ckan_factories.Organization(users=[{"name": squatter["name"], "capacity": "admin"}])
    return {"coordinator": coordinator, "squatter": squatter, "own": own}


def _as(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


@pytest.mark.parametrize(
    "name",
    [
        "vyrocni-zprava-2025",
        "vyrocni-zprava-2031",
        "monitorovaci-zprava-2026-06",
        "vyrocni-zprava-2025-2",  # the fallback publishing would use
    ],
)
def test_an_editor_cannot_take_a_report_name(people, name):
    with pytest.raises(tk.ValidationError) as refused:
        factories.Dataset(name=name, owner_org=people["own"]["id"], user=people["squatter"])
    assert "coordinator" in " ".join(refused.value.error_dict["name"])

    mine = factories.Dataset(owner_org=people["own"]["id"], user=people["squatter"])
    with pytest.raises(tk.ValidationError) as renamed:
        call_action("package_patch", context=_as(people["squatter"]), id=mine["id"], name=name)
    assert "name" in renamed.value.error_dict
    assert model.Package.get(name) is None


def test_harvested_and_other_names_stay_free(people):
    for name in ("vyrocni-zprava-20251234", "vyrocni-zprava-obce", "zprava-2025"):
        factories.Dataset(name=name, owner_org=people["own"]["id"], user=people["squatter"])
        assert model.Package.get(name).owner_org == people["own"]["id"]


@pytest.mark.parametrize("private", [False, True])
def test_a_squatted_name_does_not_break_publishing(app, people, private):
    # a squat that predates the name rule: renamed in the database, as nothing else allows
    squat = factories.Dataset(
        owner_org=people["own"]["id"],
        user=people["squatter"],
        private=private,
        title="Výroční zpráva 2025 (podvrh)",
        resources=[{"url": "https://example.org/podvrh.pdf", "name": "Podvrh", **OPEN_TERMS}],
    )
    model.Package.get(squat["id"]).name = "vyrocni-zprava-2025"
    model.Session.commit()
    token = ckan_factories.APIToken(user=people["coordinator"]["name"])["token"]

    for _ in range(2):  # publishing again replaces the same dataset
        response = app.post(
            PUBLISH, headers={"Authorization": token}, follow_redirects=False, status=None
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]

    assert response.headers["Location"].endswith("/dataset/vyrocni-zprava-2025-2")
    report = call_action("package_show", id="vyrocni-zprava-2025-2")
    assert report["organization"]["name"] == organizations.coordinator_organization()
    assert sorted(r["format"] for r in report["resources"]) == ["HTML", "JSON", "PDF"]
    untouched = call_action("package_show", id=squat["id"])
    assert untouched["owner_org"] == people["own"]["id"]
    assert [r["name"] for r in untouched["resources"]] == ["Podvrh"]
    published = call_action(
        "package_search", fq=f"organization:{organizations.coordinator_organization()}"
    )
    assert [r["name"] for r in published["results"]] == ["vyrocni-zprava-2025-2"]


def test_every_report_name_held_elsewhere_is_explained_not_a_server_error(app, people):
    for name in names.candidates("vyrocni-zprava-2025"):
        squat = factories.Dataset(owner_org=people["own"]["id"], user=people["squatter"])
        model.Package.get(squat["id"]).name = name
    model.Session.commit()
    token = ckan_factories.APIToken(user=people["coordinator"]["name"])["token"]

    response = app.post(PUBLISH, headers={"Authorization": token}, follow_redirects=False)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/akcni-plan/zpravy/vyrocni/2025")
    page = app.get(response.headers["Location"], headers={"Authorization": token})
    assert "held by other organisations" in page.get_data(as_text=True)
