"""The documents `ckan smartregion reindex` writes are, field by field, those CKAN's own path
writes (ckan.lib.search.rebuild, what `ckan search-index rebuild` runs), for every dataset
type and for what CKAN's document draws from other tables and from the index hooks."""

from __future__ import annotations

import datetime
import json

import pytest
from ckan import model
from ckan.lib import search
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestJob, HarvestObject

from tests import factories
from tests.search_index.conftest import indexed_terms, solr_documents

# clean_index: CKAN's rebuild keeps what the core already holds, so documents earlier tests
# left would be in CKAN's set and not in the new core
pytestmark = [pytest.mark.usefixtures("clean_datastore", "clean_index"), pytest.mark.stack]

OPEN = factories.OPEN_TERMS
# Solr sets these itself when a document arrives: they differ between any two writes (the
# local cores have no update log, hence no _version_; a production core has one).
WRITE_TIME_FIELDS = {"_version_", "indexed_ts"}
JSON_FIELDS = ("data_dict", "validated_data_dict")
TYPES = ("dataset", "indicator", "project", "collection-object")


def _harvested(dataset: dict) -> dict:
    """The dataset becomes a harvested record: a current object of a harvest source."""
    source = call_action(
        "harvest_source_create",
        context={"user": ckan_factories.Sysadmin()["name"]},
        name="sbirky-muzea",
        title="Sbírky muzea",
        url="https://sbirky.example.cz/oai",
        source_type="oaipmh_lido",
        owner_org=dataset["owner_org"],
    )
    job = call_action("harvest_job_create", context={"ignore_auth": True}, source_id=source["id"])
    job_object = HarvestJob.get(job["id"])
    model.Session.add(
        HarvestObject(
            guid="oai:sbirky:1",
            job=job_object,
            source=job_object.source,
            package_id=dataset["id"],
            current=True,
            import_finished=datetime.datetime(2026, 1, 2, 3, 4, 5),
        )
    )
    model.Session.commit()
    return source


def _datasets_of_every_type() -> dict[str, dict]:
    sysadmin = ckan_factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    museum = ckan_factories.Organization(title="Severočeské muzeum v Liberci")
    environment = ckan_factories.Group(title="Životní prostředí")
    dataset = factories.Dataset(
        title=" Kvalita ovzduší ",
        notes="Měření v Liberci, Jablonci nad Nisou a Semilech.",
        tags=[{"name": "ovzduší"}, {"name": "měření"}],
        groups=[{"id": environment["id"]}],
        specific_objectives=["2.1"],
        resources=[
            {"url": "https://data.example.cz/a.csv", "name": "Měření", "format": "CSV", **OPEN},
            {"url": "https://data.example.cz/b.json", "name": "Stanice", "format": "JSON", **OPEN},
        ],
    )
    indicator = factories.Indicator(
        indicator_code="2.1-01",
        specific_objectives=["2.1"],
        baseline_value="100",
        baseline_year=2020,
        target_value="50",
        target_year=2030,
    )
    factories.upload_values(
        indicator, [{"period": "2020", "value": 100}, {"period": "2024", "value": 80}]
    )
    project = factories.Project(
        owner_org=museum["id"],
        activity_area="5",
        activities=[{"title": "Audit", "description": "Energetický audit budov."}],
    )
    glass = factories.CollectionObject(
        owner_org=museum["id"],
        title="Sklenice s emailovou malbou",
        object_type="sklo",
        creators=[{"name": "Neznámý sklář", "role": "výrobce"}],
        materials=["sklo", "email"],
        dating_earliest=1885,
        dating_latest=1910,
    )
    source = _harvested(glass)
    hidden = factories.Dataset(private=True)
    draft = factories.CollectionObject(owner_org=museum["id"], title="Mince")
    call_action("package_patch", context, id=draft["id"], state="draft")
    gone = factories.Dataset()
    call_action("package_delete", context, id=gone["id"])
    return {
        "dataset": dataset,
        "indicator": indicator,
        "project": project,
        "collection-object": glass,
        "private": hidden,
        "draft": draft,
        "deleted": gone,
        "harvest source": source,
    }


def _differences(ckans: dict[str, dict], ours: dict[str, dict]) -> list[tuple]:
    """(dataset id, field, CKAN's value, ours) of every field that differs."""
    found = []
    for key in sorted(set(ckans) | set(ours)):
        theirs, mine = ckans.get(key, {}), ours.get(key, {})
        for field in sorted((set(theirs) | set(mine)) - WRITE_TIME_FIELDS):
            if theirs.get(field) == mine.get(field):
                continue
            if field in JSON_FIELDS:  # name the keys that differ inside
                a, b = json.loads(theirs.get(field) or "{}"), json.loads(mine.get(field) or "{}")
                for inner in sorted(set(a) | set(b)):
                    if a.get(inner) != b.get(inner):
                        found.append((key, f"{field}.{inner}", a.get(inner), b.get(inner)))
            else:
                found.append((key, field, theirs.get(field), mine.get(field)))
    return found


def test_every_type_gets_the_document_of_ckans_own_path(reindex):
    datasets = _datasets_of_every_type()
    # CKAN's path, one dataset after another, on records read back from the database as in
    # `ckan search-index rebuild` (the session's objects of package_create hold the extras
    # in the order they were given, the database in its JSONB order)
    model.Session.remove()
    search.rebuild()
    search.commit()
    ckans, ckans_terms = solr_documents(), indexed_terms()

    result = reindex("--workers", "2", "--batch-size", "2")

    assert result.exit_code == 0, result.output
    ours, our_terms = solr_documents(), indexed_terms()
    assert set(ours) == set(ckans)
    assert _differences(ckans, ours) == []
    assert _differences(ckans_terms, our_terms) == []
    # what is compared is really there
    ids = {name: d["id"] for name, d in datasets.items()}
    assert set(ours) == {ids[n] for n in ids if n != "deleted"} | {ids["harvest source"]}
    assert {ours[ids[t]]["dataset_type"] for t in TYPES} == set(TYPES)
    assert our_terms[ids["collection-object"]]["harvest_source_title"] == ["Sbírky muzea"]
    assert ours[ids["collection-object"]]["vocab_century"] == ["19", "20"]
    assert "Sklenice s emailovou" in ours[ids["collection-object"]]["extras_smartregion_folded"]
    assert our_terms[ids["indicator"]]["progress_status"] == ["moderate_progress"]
    assert ours[ids["project"]]["vocab_smartregion_area_type"] == ["5:project"]
    assert ours[ids["private"]]["capacity"] == "private"
    assert ours[ids["dataset"]]["res_format"] == ["CSV", "JSON"]
    assert all(ours[key]["indexed_ts"] > ckans[key]["indexed_ts"] for key in ours)  # rewritten
