"""The CKAN portal harvester against a real local server answering the CKAN Action API's
package_search page by page."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.ckan_portal.harvester import CkanPortalHarvester
from tests.harvesters.catalogue_server import (
    CatalogueHarvest,
    CatalogueServer,
    ckan_package,
    run_stages,
)

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

CONFIG = {"theme_mapping": {"ekonomika": "ECON"}, "rows": 10}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture
def server():
    with CatalogueServer() as running:
        yield running


def _titles(harvest: CatalogueHarvest) -> list[str]:
    return sorted(d["title"] for d in harvest.datasets())


def _searches(server: CatalogueServer) -> list[str]:
    return [r for r in server.requests if "package_search" in r]


def test_a_portal_is_harvested_page_by_page_and_a_rerun_adds_nothing(
    server, loopback_allowed, harvest_consumers
):
    town = factories.Organization(name="mesto-test-u-nas", title="Město Test")
    server.ckan_packages = [ckan_package(n) for n in range(1, 26)]
    # English as ckanext-fluent gives it (title_translated) and as this portal's schema does
    server.ckan_packages[6]["title_translated"] = {
        "cs": "Rozpočet obce č. 7",
        "en": "Municipal budget no. 7",
    }
    server.ckan_packages[6]["notes_en"] = "<p>The town's budget by chapter.</p>"
    # English keywords: ckanext-fluent's tags, this portal's keywords_en (a JSON list)
    server.ckan_packages[6]["keywords"] = {"cs": ["rozpočet"], "en": ["budget", "town"]}
    server.ckan_packages[7]["keywords_en"] = '["expenses"]'
    harvest = CatalogueHarvest(
        "ckan_portal",
        server.url + "/ckan",
        {**CONFIG, "organization_mapping": {"mesto-test": "mesto-test-u-nas"}},
    )

    first = harvest.run()

    assert first["gather_errors"] == [] and first["object_errors"] == []
    assert first["stats"]["added"] == 25
    assert len(_searches(server)) == 3
    [dataset] = [d for d in harvest.datasets() if d["title"] == "Rozpočet obce č. 7"]
    shown = call_action("package_show", id=dataset["id"])
    assert shown["owner_org"] == town["id"]
    assert shown["themes"] == ["ECON"]
    assert shown["frequency"] == "ANNUAL"
    assert shown["url"] == server.url + "/ckan/dataset/rozpocet-7"
    assert shown["title_en"] == "Municipal budget no. 7"
    assert shown["notes_en"] == "The town's budget by chapter."
    assert shown["keywords_en"] == ["budget", "town"]
    [eighth] = [d for d in harvest.datasets() if d["title"] == "Rozpočet obce č. 8"]
    assert call_action("package_show", id=eighth["id"])["keywords_en"] == ["expenses"]
    resource = shown["resources"][0]
    assert resource["terms_author_work"] == CC_BY
    assert resource["terms_author"] == "Město Test"

    second = harvest.run()

    assert second["stats"].get("not modified") == 25
    assert second["stats"].get("added", 0) == 0
    assert len(harvest.datasets()) == 25


def test_a_failing_page_keeps_what_was_read_and_withdraws_nothing(server, loopback_allowed):
    server.ckan_packages = [ckan_package(n) for n in range(1, 16)]
    harvest = CatalogueHarvest("ckan_portal", server.url + "/ckan", CONFIG)
    harvester = CkanPortalHarvester()
    run_stages(harvest, harvester)
    server.ckan_packages[0] = ckan_package(1, title="Rozpočet obce č. 1 – změněný")
    del server.ckan_packages[12:]  # the portal now lists 12; the second page will fail
    original = server._package_search
    server._package_search = lambda query: (
        b"<html>proxy error</html>" if query.get("start") == ["10"] else original(query)
    )

    report = run_stages(harvest, harvester)

    assert "package_search page 2" in report["gather_errors"][0]
    assert "not valid JSON" in report["gather_errors"][0]
    assert len(harvest.datasets()) == 15
    assert "Rozpočet obce č. 1 – změněný" in _titles(harvest)

    server._package_search = original
    complete = run_stages(harvest, harvester)

    assert complete["gather_errors"] == []
    assert len(harvest.datasets()) == 12


def test_a_record_without_description_is_imported_flagged_and_kept_out_of_nkod(
    app, server, loopback_allowed
):
    server.ckan_packages = [ckan_package(1, notes="{{description}}"), ckan_package(2)]
    harvest = CatalogueHarvest("ckan_portal", server.url + "/ckan", CONFIG)

    report = run_stages(harvest, CkanPortalHarvester())

    assert report["object_errors"] == []
    datasets = {d["title"]: d for d in harvest.datasets()}
    flagged = datasets["Rozpočet obce č. 1"]
    assert not flagged.get("notes")
    assert ("notes", True) in [
        (i["field"], i["blocks_catalogue"]) for i in flagged["quality_issues"]
    ]
    for dataset in datasets.values():
        call_action("package_patch", context=dict(harvest.context), id=dataset["id"], private=False)
    catalogue = app.get("/lkod/katalog", headers={"Accept": "application/ld+json"}).get_data(
        as_text=True
    )
    assert datasets["Rozpočet obce č. 2"]["id"] in catalogue
    assert flagged["id"] not in catalogue
    assert (
        app.get(
            f"/lkod/datove-sady/{flagged['id']}", headers={"Accept": "application/ld+json"}
        ).status_code
        == 404
    )

    token = call_action(
        "api_token_create",
        context=dict(harvest.context),
        user=harvest.sysadmin["name"],
        name="t",
    )["token"]
    page = app.get(f"/dataset/{flagged['name']}", headers={"Authorization": token}).get_data(
        as_text=True
    )
    assert 'data-test="quality-issues"' in page and 'data-field="notes"' in page
    assert "quality-issues-blocking" in page
    assert 'data-test="quality-issues"' not in app.get(f"/dataset/{flagged['name']}").get_data(
        as_text=True
    )

    # a steward's description is kept by the next harvest while the source has none
    call_action(
        "package_patch",
        context=dict(harvest.context),
        id=flagged["id"],
        notes="Popis doplněný správcem.",
    )
    fixed = call_action("package_show", id=flagged["id"])
    assert "notes" not in {i["field"] for i in fixed.get("quality_issues") or []}
    server.ckan_packages = [ckan_package(1, notes="", title="Rozpočet obce č. 1 (nový)")]
    server.ckan_packages.append(ckan_package(2))
    run_stages(harvest, CkanPortalHarvester())
    shown = call_action("package_show", id=flagged["id"])
    assert shown["title"] == "Rozpočet obce č. 1 (nový)"
    assert shown["notes"] == "Popis doplněný správcem."
    assert "notes" not in {i["field"] for i in shown.get("quality_issues") or []}


def test_retries_size_cap_and_private_addresses(server, loopback_allowed, monkeypatch):
    server.ckan_packages = [ckan_package(1)]
    server.fail["/ckan/api/3/action/package_search"] = 2
    harvest = CatalogueHarvest("ckan_portal", server.url + "/ckan", CONFIG)
    harvester = CkanPortalHarvester()

    assert run_stages(harvest, harvester) == {"gather_errors": [], "object_errors": []}
    assert len(_searches(server)) == 3

    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.max_response_bytes", 500)
    assert "byte limit" in run_stages(harvest, harvester)["gather_errors"][0]

    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.allowed_hosts", [])
    assert "non-public address" in run_stages(harvest, harvester)["gather_errors"][0]
    assert _titles(harvest) == ["Rozpočet obce č. 1"]


def test_source_configuration_errors_name_the_key():
    harvester = CkanPortalHarvester()
    with pytest.raises(ValueError, match='"rows"'):
        harvester.validate_config('{"rows": 0}')
    with pytest.raises(ValueError, match="theme_mapping"):
        harvester.validate_config('{"theme_mapping": {"ekonomika": "PENIZE"}}')
    assert harvester.validate_config('{"fq": "organization:mesto", "rows": 50}')
