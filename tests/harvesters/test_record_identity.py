"""One record, one dataset: the same data.json identity through a second source, or through a
source deleted and re-created, updates the one dataset instead of making a copy; the source
that imported it last owns it (docs/harvest-quality.md). Stages run in-process."""

from __future__ import annotations

import json

import pytest
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.arcgis_hub.harvester import ArcGisHubHarvester
from tests.harvesters.catalogue_server import (
    CatalogueHarvest,
    CatalogueServer,
    data_json,
    hub_dataset,
    run_stages,
)

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

CONFIG = {"theme_mapping": {"doprava": "TRAN"}}


@pytest.fixture
def server():
    with CatalogueServer() as running:
        yield running


def _second_source(first: CatalogueHarvest, url: str) -> CatalogueHarvest:
    """Another source over the same feed, of the same owner and organisation (with a setting
    of its own: ckanext-harvest refuses two sources of one URL and configuration, deleted
    ones included)."""
    second = object.__new__(CatalogueHarvest)
    second.sysadmin, second.context, second.organization = (
        first.sysadmin,
        first.context,
        first.organization,
    )
    second.source = call_action(
        "harvest_source_create",
        context=dict(first.context),
        name="druhy-zdroj",
        title="Druhý zdroj",
        url=url,
        source_type="arcgis_hub",
        config=json.dumps({**CONFIG, "max_datasets": 100_000}),
        owner_org=first.organization["id"],
    )
    return second


def _active_datasets() -> list[dict]:
    return call_action(
        "package_search", fq="+dataset_type:dataset", include_private=True, rows=100
    )["results"]


def test_two_sources_over_the_same_feed_make_one_dataset_per_record(server, loopback_allowed):
    url = server.put("/data.json", data_json([hub_dataset(1), hub_dataset(2)]), "application/json")
    first = CatalogueHarvest("arcgis_hub", url, CONFIG)
    run_stages(first, ArcGisHubHarvester())
    before = {d["title"]: d["id"] for d in _active_datasets()}

    second = _second_source(first, url)
    server.put(
        "/data.json",
        data_json([hub_dataset(1, title="Vrstva č. 1 – opravená"), hub_dataset(2)]),
        "application/json",
    )
    report = run_stages(second, ArcGisHubHarvester())

    assert report["object_errors"] == []
    after = {d["title"]: d["id"] for d in _active_datasets()}
    assert sorted(after) == ["Vrstva č. 1 – opravená", "Vrstva č. 2"]
    assert after["Vrstva č. 1 – opravená"] == before["Vrstva č. 1"]
    assert after["Vrstva č. 2"] == before["Vrstva č. 2"]
    assert len(second.datasets()) == 2  # the index names the second source as theirs

    # the first source no longer lists record 2: it is the second source's now, and stays
    server.put("/data.json", data_json([hub_dataset(1)]), "application/json")
    run_stages(first, ArcGisHubHarvester())
    assert "Vrstva č. 2" in {d["title"] for d in _active_datasets()}


def test_a_deleted_and_re_created_source_takes_its_datasets_over(server, loopback_allowed):
    url = server.put("/data.json", data_json([hub_dataset(1), hub_dataset(2)]), "application/json")
    first = CatalogueHarvest("arcgis_hub", url, CONFIG)
    run_stages(first, ArcGisHubHarvester())
    before = sorted(d["id"] for d in _active_datasets())
    call_action("harvest_source_delete", context=dict(first.context), id=first.source["id"])

    again = _second_source(first, url)
    report = run_stages(again, ArcGisHubHarvester())

    assert report["object_errors"] == []
    assert sorted(d["id"] for d in _active_datasets()) == before
    assert len(again.datasets()) == 2
