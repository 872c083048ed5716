"""Harvest sources write only into organisations where their owner (the user who last saved
the configuration) may create datasets: refused when saved, and again at import, through the
real harvest stack (local catalogue and OAI-PMH servers, the real consumers)."""

from __future__ import annotations

import json

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.catalogue_mapping import forget_organizations
from ckanext.smartregion.harvesters.dcat_ap_cz.harvester import DcatApCzHarvester
from tests import factories as portal_factories
from tests.harvesters import conftest as harvester_fixtures
from tests.harvesters.catalogue_server import CatalogueServer, Lkod, ckan_package, run_stages
from tests.harvesters.file_server import FileServer, FileSource
from tests.harvesters.local_http import object_messages, wait_for_job
from tests.harvesters.oai_server import lido_record

loopback_allowed = harvester_fixtures.loopback_allowed  # the harvester tests' fixtures
oai_repository = harvester_fixtures.oai_repository
pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

MINISTRY_ICO = "66003008"  # the publisher of the DCAT-AP-CZ specification's example dataset


class Orgs:
    """Organisation A (its editor may write there) and B (editor B's, the attacker's)."""

    def __init__(self) -> None:
        self.editor_a = factories.User()
        self.editor_b = factories.User()
        self.sysadmin = factories.Sysadmin()
        self.a = factories.Organization(
            name="organizace-a",
            title="Organizace A",
            ico=MINISTRY_ICO,
            users=[{"name": self.editor_a["name"], "capacity": "editor"}],
        )
        self.b = factories.Organization(
            name="organizace-b",
            title="Organizace B",
            users=[{"name": self.editor_b["name"], "capacity": "editor"}],
        )
        forget_organizations()

    def datasets_of(self, org: dict, dataset_type: str = "dataset") -> list[dict]:
        return call_action(
            "package_search",
            fq=f'+owner_org:"{org["id"]}" +dataset_type:{dataset_type}',
            include_private=True,
            rows=100,
        )["results"]


@pytest.fixture
def orgs() -> Orgs:
    return Orgs()


def _as(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def _create_source(user: dict, owner_org: dict, source_type: str, url: str, config: dict) -> dict:
    return call_action(
        "harvest_source_create",
        context=_as(user),
        name=f"zdroj-{source_type.replace('_', '-')}",
        title=f"Zdroj {source_type}",
        url=url,
        source_type=source_type,
        config=json.dumps(config),
        owner_org=owner_org["id"],
    )


def _update_source(user: dict, source: dict, config: dict) -> dict:
    fields = ("id", "name", "title", "url", "source_type", "owner_org")
    return call_action(
        "harvest_source_update",
        context=_as(user),
        **{k: source[k] for k in fields},
        config=json.dumps(config),
    )


def _run(user: dict, source: dict, logs=None) -> tuple[dict, list[str]]:
    job = call_action("harvest_job_create", context=_as(user), source_id=source["id"])
    shown, report = wait_for_job(_as(user), source["id"], job["id"], 180, logs=logs)
    return shown, object_messages(report)


# saving a source


@pytest.mark.parametrize(
    ("source_type", "config", "key"),
    [
        (
            "ckan_portal",
            {"organization_mapping": {"mesto-test": "organizace-a"}},
            "organization_mapping",
        ),
        (
            "dcat_ap_cz",
            {"organization_mapping": {MINISTRY_ICO: "organizace-a"}},
            "organization_mapping",
        ),
        (
            "oaipmh_lido",
            {"institutions": {"Severočeské muzeum v Liberci": "organizace-a"}},
            "institutions",
        ),
        ("smartregion_probe", {"count": 1, "owner_org": "organizace-a"}, "owner_org"),
    ],
)
def test_an_editor_cannot_save_a_source_naming_another_organization(orgs, source_type, config, key):
    with pytest.raises(tk.ValidationError) as refused:
        _create_source(orgs.editor_b, orgs.b, source_type, "http://127.0.0.1:9/", config)

    message = str(refused.value.error_dict["config"])
    assert key in message and "organizace-a" in message and orgs.editor_b["name"] in message
    assert "ask an editor of" in message  # the fix
    assert call_action("harvest_source_list") == []

    # the owner of organisation A may name it
    source = _create_source(orgs.editor_a, orgs.a, source_type, "http://127.0.0.1:9/", config)
    assert source["config"]


def test_an_editor_cannot_save_a_source_that_creates_organizations(orgs):
    config = {"create_institutions": True}
    with pytest.raises(tk.ValidationError) as refused:
        _create_source(orgs.editor_b, orgs.b, "oaipmh_lido", "http://127.0.0.1:9/", config)

    message = str(refused.value.error_dict["config"])
    assert "create_institutions" in message and "sysadmin" in message

    _create_source(orgs.sysadmin, orgs.b, "oaipmh_lido", "http://127.0.0.1:9/", config)


def test_an_editor_cannot_keep_a_sysadmins_mapping_to_another_organization(orgs):
    """A sysadmin saved a mapping into A on B's source; B's editor re-saving it is checked
    for the editor, so the editor cannot take over the sysadmin's rights."""
    config = {"organization_mapping": {"mesto-test": "organizace-a"}}
    source = _create_source(orgs.sysadmin, orgs.b, "ckan_portal", "http://127.0.0.1:9/", config)

    with pytest.raises(tk.ValidationError) as refused:
        _update_source(orgs.editor_b, source, {**config, "rows": 5})

    assert "organizace-a" in str(refused.value.error_dict["config"])
    _update_source(orgs.editor_b, source, {"rows": 5})


# importing, through the real consumers


@pytest.fixture
def catalogue():
    with CatalogueServer() as running:
        yield running


def test_a_mapping_into_an_organization_the_owner_left_writes_nothing_there(
    orgs, catalogue, loopback_allowed, harvest_consumers
):
    """Editor A (also an editor of B) saved B's source mapping the portal's publisher to A,
    then left A: the consumers refuse the records; nothing appears in A."""
    call_action(
        "organization_member_create",
        id=orgs.b["id"],
        username=orgs.editor_a["name"],
        role="editor",
    )
    catalogue.ckan_packages = [ckan_package(1), ckan_package(2)]
    config = {
        "organization_mapping": {"mesto-test": "organizace-a"},
        "theme_mapping": {"ekonomika": "ECON"},
    }
    source = _create_source(orgs.editor_a, orgs.b, "ckan_portal", catalogue.url + "/ckan", config)
    call_action(
        "organization_member_delete",
        context=_as(orgs.sysadmin),
        id=orgs.a["id"],
        username=orgs.editor_a["name"],
    )

    shown, errors = _run(orgs.sysadmin, source, harvest_consumers)

    assert shown["stats"].get("added", 0) == 0
    assert len(errors) == 2
    assert all('organisation "organizace-a"' in e and orgs.editor_a["name"] in e for e in errors), (
        errors
    )
    assert orgs.datasets_of(orgs.a) == []
    assert orgs.datasets_of(orgs.b) == []


def test_a_publisher_matched_by_ico_is_refused_for_another_organizations_source(
    orgs, catalogue, loopback_allowed
):
    """DCAT-AP-CZ: the record's publisher IRI carries A's IČO; B's editor's source must not
    write into A (nor into B under A's name)."""
    lkod = Lkod(catalogue)
    lkod.publish([1])
    source = _create_source(orgs.editor_b, orgs.b, "dcat_ap_cz", lkod.catalogue_url, {})

    report = run_stages(_Harvest(orgs.sysadmin, source), DcatApCzHarvester())

    [error] = report["object_errors"]
    assert 'organisation "organizace-a"' in error and orgs.editor_b["name"] in error
    assert orgs.datasets_of(orgs.a) == [] and orgs.datasets_of(orgs.b) == []

    # the same source saved by A's editor (an editor of B too) imports into A
    call_action(
        "organization_member_create", id=orgs.b["id"], username=orgs.editor_a["name"], role="editor"
    )
    _update_source(orgs.editor_a, source, {})
    report = run_stages(_Harvest(orgs.sysadmin, source), DcatApCzHarvester())
    assert report["object_errors"] == []
    assert len(orgs.datasets_of(orgs.a)) == 1


class _Harvest:
    """What run_stages needs of a source."""

    def __init__(self, user: dict, source: dict) -> None:
        self.context = _as(user)
        self.source = source


def test_lido_institutions_go_only_where_the_owner_may_write_and_create_nothing(
    orgs, oai_repository, loopback_allowed, harvest_consumers
):
    """B's editor's OAI-PMH source: a record of A's museum (matched by A's title) is refused;
    an unknown museum makes no new organisation (create_institutions is a sysadmin's) and
    goes to the source's own organisation, B."""
    repository, url = oai_repository
    repository.put("oai:sbirky:1", lido_record(1, institution="Organizace A"))
    repository.put("oai:sbirky:2", lido_record(2, institution="Neznámé muzeum"))
    organizations_before = call_action("organization_list")
    source = _create_source(orgs.editor_b, orgs.b, "oaipmh_lido", url, {})

    _shown, errors = _run(orgs.sysadmin, source, harvest_consumers)

    assert len(errors) == 1, errors
    [error] = errors
    assert "oai:sbirky:1" in error and 'organisation "organizace-a"' in error
    assert orgs.datasets_of(orgs.a, "collection-object") == []
    [object_2] = orgs.datasets_of(orgs.b, "collection-object")
    assert object_2["inventory_number"] == "S-000002"
    assert call_action("organization_list") == organizations_before


def test_an_indicator_sheet_cannot_write_another_organizations_indicator(
    clean_datastore, orgs, loopback_allowed
):
    """B's editor's sheet names A's indicator code: the sheet is refused, A's series stays
    empty."""
    indicator = portal_factories.Indicator(indicator_code="2.1-99", owner_org=orgs.a["id"])
    with FileServer() as files:
        url = files.put("/hodnoty.csv", "kód;období;hodnota\n2.1-99;2024;1\n")
        source = _create_source(orgs.editor_b, orgs.b, "indicator_sheet", url, {})
        job = call_action("harvest_job_create", context=_as(orgs.sysadmin), source_id=source["id"])
        FileSource._run_stages(job["id"])

    report = call_action("harvest_job_report", id=job["id"])
    [error] = object_messages(report)
    assert "2.1-99" in error and "'organizace-a'" in error and orgs.editor_b["name"] in error
    resources = call_action("package_show", id=indicator["id"])["resources"]
    assert not any(r.get("resource_type") == "smartregion_indicator_values" for r in resources)


def test_a_job_report_with_its_quality_summary_is_for_the_sources_organization_only(orgs):
    """The portal's harvest_job_report (ckanext-harvest's report plus the job's
    quality_summary) is decided by ckanext-harvest's check on the stored source: A's editor
    reads it, B's editor and an anonymous user do not."""
    source = _create_source(orgs.editor_a, orgs.a, "dcat_ap_cz", "https://lkod.example.cz/", {})
    job = call_action("harvest_job_create", context=_as(orgs.sysadmin), source_id=source["id"])

    report = call_action("harvest_job_report", context=_as(orgs.editor_a), id=job["id"])
    assert report["quality_summary"]["imported"] == 0
    for outsider in ({"user": orgs.editor_b["name"]}, {"user": ""}):
        with pytest.raises(tk.NotAuthorized):
            call_action(
                "harvest_job_report", context={**outsider, "ignore_auth": False}, id=job["id"]
            )
