"""Organisations and roles: created idempotently by the CLI, the plan's roles mapped onto
CKAN capacities."""

from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion import organizations
from ckanext.smartregion.cli import smartregion

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def test_the_organizations_command_is_idempotent(cli):
    first = cli.invoke(smartregion, ["organizations"])
    second = cli.invoke(smartregion, ["organizations"])

    assert first.exit_code == 0, first.output
    assert "11 created, 0 updated, 0 unchanged" in first.output
    assert "0 created, 0 updated, 11 unchanged" in second.output
    names = call_action("organization_list")
    assert "odbor-regionalniho-rozvoje-a-evropskych-projektu" in names
    museum = call_action("organization_show", id="severoceske-muzeum-v-liberci")
    assert museum["title"] == "Severočeské muzeum v Liberci"
    assert museum["kind"] == "museum"


def test_a_changed_organization_is_put_back(cli):
    organizations.load_organizations()
    call_action(
        "organization_patch",
        context={"user": ckan_factories.Sysadmin()["name"]},
        id="odbor-zdravotnictvi",
        title="Jiný název",
    )

    outcome = organizations.load_organizations()

    assert outcome["updated"] == 1
    assert (
        call_action("organization_show", id="odbor-zdravotnictvi")["title"] == "Odbor zdravotnictví"
    )


def _capacity(user: str, organization: str) -> str | None:
    members = call_action("member_list", id=organization, object_type="user")
    user_id = call_action("user_show", id=user)["id"]
    return next((capacity.lower() for member, _, capacity in members if member == user_id), None)


def test_plan_roles_map_to_capacities(cli):
    organizations.load_organizations()
    coordinator, garant, partner = (ckan_factories.User() for _ in range(3))

    assert (
        cli.invoke(smartregion, ["assign-role", coordinator["name"], "coordinator"]).exit_code == 0
    )
    cli.invoke(smartregion, ["assign-role", garant["name"], "guarantor", "-o", "odbor-skolstvi"])
    cli.invoke(
        smartregion, ["assign-role", partner["name"], "partner", "-o", "oblastni-galerie-liberec"]
    )

    assert _capacity(coordinator["name"], "odbor-skolstvi") == "admin"
    assert _capacity(coordinator["name"], "oblastni-galerie-liberec") == "admin"
    assert _capacity(garant["name"], "odbor-skolstvi") == "admin"
    assert _capacity(garant["name"], "oblastni-galerie-liberec") is None
    assert _capacity(partner["name"], "oblastni-galerie-liberec") == "editor"


def test_a_role_without_its_organization_is_refused(cli):
    result = cli.invoke(smartregion, ["assign-role", ckan_factories.User()["name"], "guarantor"])
    assert result.exit_code != 0
    assert "needs --organization" in result.output


@pytest.mark.usefixtures("clean_datastore")
def test_demo_content_loads_once_and_flags_samples(cli):
    first = cli.invoke(smartregion, ["demo"])
    second = cli.invoke(smartregion, ["demo"])

    assert first.exit_code == 0, first.output
    # 25 datasets and 3 content pages; the second run updates the datasets and leaves the
    # unchanged pages alone (no new revisions)
    assert "28 created, 0 updated" in first.output
    assert "0 created, 25 updated" in second.output
    everything = call_action("package_search", rows=100, include_private=True)["results"]
    assert len(everything) == 25
    pages = call_action("smartregion_page_list")
    assert len(pages) == 3 and all(page["state"] == "published" for page in pages)
    projects = [d for d in everything if d["type"] == "project"]
    assert len(projects) == 7 and not any(p["is_sample_data"] for p in projects)
    assert all(d["is_sample_data"] for d in everything if d["type"] != "project")
    assert all("ukázka" in d["title"] for d in everything if d["type"] != "project")
    indicators = [d for d in everything if d["type"] == "indicator"]
    covered = {code for d in indicators for code in d["specific_objectives"]}
    assert len(covered) == 12  # at least one indicator per specific objective


@pytest.mark.usefixtures("clean_datastore")
def test_demo_project_fiches_carry_only_what_the_plan_states(cli):
    cli.invoke(smartregion, ["demo"])

    fiche = call_action(
        "package_show", id="oblast-aktivit-5-energeticky-management-a-hospodareni-s-vodou"
    )

    assert fiche["title"] == "Energetický management a hospodaření s vodou"
    assert fiche["specific_objectives"] == ["2.1", "2.2"]
    assert fiche["strategic_goals"] == ["2"]
    assert len(fiche["focus"]) == 3
    for unstated in (
        "vision",
        "activities",
        "example_projects",
        "partners",
        "indicators",
        "status",
        "guarantor",
    ):
        assert not fiche.get(unstated), unstated
