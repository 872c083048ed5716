"""--type, --organization and --since index only those datasets, in the live core (no new
core, no switch); the other documents stay as they were."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories as ckan_factories
from sqlalchemy import text

from tests import factories
from tests.search_index.conftest import cores, live_name, rebuild_cores, solr_documents

pytestmark = [pytest.mark.usefixtures("clean_datastore"), pytest.mark.stack]


def _retitle_behind_ckans_back(*datasets: dict) -> None:
    """New titles in the database only: the index keeps the old ones until reindexed."""
    for dataset in datasets:
        model.Session.execute(
            text("UPDATE package SET title = 'Nový název', metadata_modified = :at WHERE id = :id"),
            {"id": dataset["id"], "at": dataset.get("_modified", "2026-06-01 12:00:00")},
        )
    model.Session.commit()


def _titles() -> dict[str, str]:
    return {key: doc["title"] for key, doc in solr_documents().items()}


@pytest.mark.parametrize("option", ["type", "organization", "since"])
def test_only_the_chosen_datasets_are_indexed_in_the_live_core(reindex, option):
    museum = ckan_factories.Organization(name="muzeum")
    chosen = factories.CollectionObject(owner_org=museum["id"])
    other = factories.Indicator()
    _retitle_behind_ckans_back(chosen, {**other, "_modified": "2025-01-01 00:00:00"})
    folder = cores()[live_name()]
    value = {"type": "collection-object", "organization": "muzeum", "since": "2026-01-01"}[option]

    result = reindex(f"--{option}", value)

    assert result.exit_code == 0, result.output
    assert "1 datasets indexed" in result.output
    titles = _titles()
    assert titles[chosen["id"]] == "Nový název"
    assert titles[other["id"]] == other["title"]
    assert cores()[live_name()] == folder
    assert rebuild_cores() == set()


def test_an_unknown_organization_is_named(reindex):
    result = reindex("--organization", "neni-takova")

    assert result.exit_code == 1
    assert "Organisation neni-takova not found" in result.output
