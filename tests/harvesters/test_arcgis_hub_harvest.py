"""The ArcGIS Hub data.json harvester against a real local server serving a data.json in the
shape ArcGIS Hub publishes (DCAT-US 1.1)."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.arcgis_hub.harvester import ArcGisHubHarvester
from ckanext.smartregion.harvesters.catalogue_mapping import forget_organizations
from tests.harvesters.catalogue_server import (
    CatalogueHarvest,
    CatalogueServer,
    data_json,
    hub_dataset,
    run_stages,
)

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

CONFIG = {"theme_mapping": {"doprava": "TRAN"}}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture
def server():
    with CatalogueServer() as running:
        yield running


def _publish(server: CatalogueServer, entries: list[dict]) -> str:
    return server.put("/data.json", data_json(entries), "application/json")


def _titles(harvest: CatalogueHarvest) -> list[str]:
    return sorted(d["title"] for d in harvest.datasets())


def test_data_json_is_harvested_end_to_end_and_a_rerun_adds_nothing(
    server, loopback_allowed, harvest_consumers
):
    region = factories.Organization(name="liberecky-kraj", title="Liberecký kraj")
    url = _publish(server, [hub_dataset(n) for n in range(1, 4)])
    harvest = CatalogueHarvest(
        "arcgis_hub",
        url,
        {**CONFIG, "organization_mapping": {"Liberecký kraj": "liberecky-kraj"}},
    )

    first = harvest.run()

    assert first["gather_errors"] == [] and first["object_errors"] == []
    assert first["stats"]["added"] == 3
    [dataset] = [d for d in harvest.datasets() if d["title"] == "Vrstva č. 2"]
    shown = call_action("package_show", id=dataset["id"])
    assert shown["owner_org"] == region["id"]
    assert shown["themes"] == ["TRAN"]
    assert shown["frequency"] == "UNKNOWN"
    assert shown["url"] == "https://datalk.example.cz/datasets/lk::vrstva-2"
    assert shown["contact_email"] == "gis@example.cz"
    assert sorted(t["name"] for t in shown["tags"]) == ["doprava", "silnice"]
    csv = shown["resources"][0]
    assert csv["url"].endswith("/items/2/csv")
    assert csv["mimetype"] == "text/csv"
    assert csv["terms_author_work"] == CC_BY
    assert csv["terms_author"] == "Liberecký kraj"
    assert csv["terms_personal_data"].endswith("není-specifikováno-zda-obsahuje-osobní-údaje/")

    second = harvest.run()

    assert second["stats"].get("not modified") == 3
    assert second["stats"].get("added", 0) == 0
    assert len(harvest.datasets()) == 3


def test_a_changed_entry_is_updated_and_a_removed_one_withdrawn(server, loopback_allowed):
    url = _publish(server, [hub_dataset(n) for n in range(1, 4)])
    harvest = CatalogueHarvest("arcgis_hub", url, CONFIG)
    harvester = ArcGisHubHarvester()
    run_stages(harvest, harvester)
    _publish(server, [hub_dataset(1, title="Vrstva č. 1 – nová"), hub_dataset(2)])

    report = run_stages(harvest, harvester)

    assert report == {"gather_errors": [], "object_errors": []}
    assert _titles(harvest) == ["Vrstva č. 1 – nová", "Vrstva č. 2"]


def test_a_shrunken_or_malformed_data_json_changes_nothing(server, loopback_allowed):
    url = _publish(server, [hub_dataset(n) for n in range(1, 5)])
    harvest = CatalogueHarvest("arcgis_hub", url, CONFIG)
    harvester = ArcGisHubHarvester()
    run_stages(harvest, harvester)

    _publish(server, [hub_dataset(1)])
    shrunk = run_stages(harvest, harvester)
    server.put("/data.json", '{"dataset": [{"identifier": "x", ', "application/json")
    broken = run_stages(harvest, harvester)
    _publish(server, [hub_dataset(1), {"description": "Bez identifikátoru i názvu"}])
    unidentified = run_stages(harvest, harvester)

    assert "NOT withdrawn" in shrunk["gather_errors"][0]
    assert "is not valid JSON" in broken["gather_errors"][0]
    assert "neither an `identifier` nor a `title`" in unidentified["gather_errors"][0]
    assert len(harvest.datasets()) == 4


def test_server_errors_are_retried_and_an_oversized_answer_refused(
    server, loopback_allowed, monkeypatch
):
    url = _publish(server, [hub_dataset(1)])
    server.fail["/data.json"] = 2
    harvest = CatalogueHarvest("arcgis_hub", url, CONFIG)
    harvester = ArcGisHubHarvester()

    assert run_stages(harvest, harvester) == {"gather_errors": [], "object_errors": []}
    assert _titles(harvest) == ["Vrstva č. 1"]

    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.max_response_bytes", 1000)
    _publish(server, [hub_dataset(n, title=f"Nová {n}") for n in range(1, 5)])
    report = run_stages(harvest, harvester)

    assert "over the 1000-byte limit" in report["gather_errors"][0]
    assert _titles(harvest) == ["Vrstva č. 1"]


def test_an_unknown_licence_or_theme_is_imported_and_flagged_until_the_source_has_it(
    server, loopback_allowed
):
    url = _publish(
        server,
        [
            hub_dataset(1, license="https://example.cz/vlastni-licence"),
            hub_dataset(2, keyword=["ortofoto"]),
            hub_dataset(3),
        ],
    )
    harvest = CatalogueHarvest("arcgis_hub", url, CONFIG)
    harvester = ArcGisHubHarvester()

    report = run_stages(harvest, harvester)

    assert report["object_errors"] == []
    datasets = {d["title"]: d for d in harvest.datasets()}
    assert sorted(datasets) == ["Vrstva č. 1", "Vrstva č. 2", "Vrstva č. 3"]
    licence = datasets["Vrstva č. 1"]["quality_issues"]
    assert [(i["field"], i["blocks_catalogue"]) for i in licence] == [("terms_of_use", True)]
    assert "vlastni-licence" in licence[0]["problem"]
    assert not datasets["Vrstva č. 1"]["resources"][0].get("terms_author_work")
    assert datasets["Vrstva č. 2"]["themes"] == ["OP_DATPRO"]
    assert [i["field"] for i in datasets["Vrstva č. 2"]["quality_issues"]] == ["themes"]
    assert "quality_issues" not in datasets["Vrstva č. 3"]
    assert harvest.quality_summary["line"] == (
        "3 imported, 1 without terms of use, 1 without an EU data theme (given OP_DATPRO)"
    )

    _publish(
        server,
        [
            hub_dataset(1, license="CC BY 4.0"),
            hub_dataset(2, keyword=["doprava"]),
            hub_dataset(3),
        ],
    )
    forget_organizations()
    assert run_stages(harvest, harvester)["object_errors"] == []
    datasets = {d["title"]: d for d in harvest.datasets()}
    assert len(datasets) == 3
    assert not any("quality_issues" in d for d in datasets.values())
    assert datasets["Vrstva č. 1"]["resources"][0]["terms_author_work"] == CC_BY
    assert datasets["Vrstva č. 2"]["themes"] == ["TRAN"]


def test_a_private_address_is_refused(server, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.allowed_hosts", [])
    url = _publish(server, [hub_dataset(1)])
    harvest = CatalogueHarvest("arcgis_hub", url, CONFIG)

    report = run_stages(harvest, ArcGisHubHarvester())

    assert "non-public address" in report["gather_errors"][0]
    assert server.requests == []
