"""The review policy in the OAI-PMH/LIDO harvester's batch path: with collection objects in
the review scope a harvested object starts private and pending (the real consumers read the
scope from their own ini); without it, public and without a review state. The batch queues
no link check per dataset, and its index documents carry the harvest fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestObject

from tests.harvesters.oai_server import lido_record

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

OLD = "2020-01-01T00:00:00Z"
SCOPE_KEY = "ckanext.smartregion.review.dataset_types"


@pytest.fixture
def consumers_in_scope(loopback_allowed, tmp_path: Path, monkeypatch) -> None:
    """The consumer processes read the configuration file: one with the review scope."""
    ini = tmp_path / "review-scope.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{tk.config['__file__']}\n{SCOPE_KEY} = collection-object\n"
        "ckanext.smartregion.review.link_check = true\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(tk.config, "__file__", str(ini))


def _put_records(repository, count: int) -> None:
    for number in range(1, count + 1):
        repository.put(f"oai:sbirky:{number}", lido_record(number), datestamp=OLD)


@pytest.mark.ckan_config(SCOPE_KEY, "collection-object")
def test_in_review_scope_a_harvested_object_starts_private_and_pending(
    consumers_in_scope, oai_repository, harvest
):
    repository, _url = oai_repository
    _put_records(repository, 5)  # a batch of 4 and one of 1 (page size 4)
    source = harvest()

    job = source.run()

    assert job["stats"]["added"] == 5
    datasets = source.datasets()
    assert len(datasets) == 5
    for dataset in datasets:
        shown = call_action("package_show", id=dataset["id"])
        assert shown["private"] is True
        review = call_action("smartregion_review_show", id=dataset["id"])
        assert review["state"] == "pending"
        assert [step["state"] for step in review["history"]] == ["pending"]
    # one link-check job per batch, none per dataset (no worker runs in the tests)
    titles = [j["title"] for j in call_action("job_list", context={"ignore_auth": True})]
    link_checks = [t for t in titles if t.startswith("smartregion link check")]
    assert sorted(link_checks) == [
        "smartregion link check of 1 datasets",
        "smartregion link check of 4 datasets",
    ]
    # the index documents carry the harvest fields as ckanext-harvest's hook adds them
    for dataset in datasets:
        extras = {e["key"]: e["value"] for e in dataset["extras"]}
        [object_id] = (
            model.Session.query(HarvestObject.id)
            .filter(HarvestObject.package_id == dataset["id"], HarvestObject.current.is_(True))
            .one()
        )
        assert extras["harvest_object_id"] == object_id
        assert extras["harvest_source_id"] == source.source["id"]
        assert extras["harvest_source_title"] == source.source["title"]


def test_without_review_scope_a_harvested_object_is_public(oai_repository, harvest):
    repository, _url = oai_repository
    _put_records(repository, 5)
    source = harvest()

    job = source.run()

    assert job["stats"]["added"] == 5
    for dataset in source.datasets():
        shown = call_action("package_show", id=dataset["id"])
        assert shown["private"] is False
        review = call_action("smartregion_review_show", id=dataset["id"])
        assert review["state"] == "approved"  # public: no review state recorded
        assert review["history"] == []
