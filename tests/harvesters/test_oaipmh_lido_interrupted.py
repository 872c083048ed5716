"""A fetch consumer killed in the middle of a batch: harvest_jobs_run ends its imports as
errors naming their records, the job finishes with a gather error, the earlier data is
intact, and the next incremental harvest imports the records (once)."""

from __future__ import annotations

import datetime

import pytest
from ckan import model
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion import clock
from ckanext.smartregion.harvesters.oaipmh_lido import batch, gather, source_config
from tests.harvesters.local_http import wait_for_job
from tests.harvesters.oai_server import lido_record

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

OLD = "2020-01-01T00:00:00Z"


def _crashed_job(source_id: str) -> list[HarvestObject]:
    """A job gathered for real (in this process, so no consumer gets its objects) whose
    batch leaders a consumer claimed before it died, as ckanext-harvest and the batch import
    mark them; the leaders."""
    job = HarvestJob(source_id=source_id, status="Running")
    job.gather_started = clock.now()
    job.save()
    leader_ids = gather.gather(job, source_config.parse(job.source.config))
    job.gather_finished = clock.now()
    job.save()
    leaders = model.Session.query(HarvestObject).filter(HarvestObject.id.in_(leader_ids)).all()
    for leader in leaders:
        leader.state, leader.report_status = "IMPORT", batch.IMPORTING
        leader.fetch_started = leader.import_started = clock.now()
    model.Session.commit()
    return leaders


def _started_long_ago(harvest_object: HarvestObject) -> None:
    harvest_object.import_started = clock.now() - datetime.timedelta(hours=1)
    model.Session.commit()


def test_an_interrupted_batch_ends_as_errors_and_comes_again(oai_repository, harvest):
    repository, _url = oai_repository
    repository.put("oai:sbirky:1", lido_record(1), datestamp=OLD)
    source = harvest()
    assert source.run()["stats"]["added"] == 1
    [earlier] = source.datasets()
    for number in range(2, 10):  # two batches of the page size 4
        repository.put(f"oai:sbirky:{number}", lido_record(number))
    stale, fresh, *others = _crashed_job(source.source["id"])
    _started_long_ago(stale)
    context = dict(source.context)

    call_action("harvest_jobs_run", context=dict(context), source_id=source.source["id"])

    model.Session.expire_all()
    assert (stale.state, fresh.state) == ("ERROR", "IMPORT")  # a running import goes on
    job = call_action("harvest_job_show", context=dict(context), id=stale.harvest_job_id)
    assert job["status"] == "Running"
    report = call_action("harvest_job_report", context=dict(context), id=stale.harvest_job_id)
    ended = {e["guid"]: e["errors"][0]["message"] for e in report["object_errors"].values()}
    assert len(ended) == 4  # the stale leader and the 3 members of its batch
    for guid, message in ended.items():
        assert guid in message and "interrupted" in message

    for leader in (fresh, *others):
        _started_long_ago(leader)
    call_action("harvest_jobs_run", context=dict(context), source_id=source.source["id"])

    job = call_action("harvest_job_show", context=dict(context), id=stale.harvest_job_id)
    assert job["status"] == "Finished"
    report = call_action("harvest_job_report", context=dict(context), id=stale.harvest_job_id)
    assert len(report["object_errors"]) == 8
    # a gather error per step that ended imports; ckanext-harvest counts them as errors too
    assert ["interrupted" in e["message"] for e in report["gather_errors"]] == [True, True]
    assert job["stats"]["errored"] == 8 + 2
    [still] = source.datasets()  # the earlier data is intact
    assert still["metadata_modified"] == earlier["metadata_modified"]

    again = source.run()  # incremental from the last job without a gather error

    assert again["stats"]["added"] == 8
    numbers = sorted(d["inventory_number"] for d in source.datasets())
    assert numbers == [f"S-{n:06d}" for n in range(1, 10)]


def test_a_repeated_message_of_an_interrupted_batch_imports_it(oai_repository, harvest):
    """ckanext-harvest re-sends a message still unacknowledged after 180 s: the batch whose
    consumer died is imported then (its advisory lock is free), in the same job."""
    from ckanext.harvest.queue import get_fetch_publisher

    repository, _url = oai_repository
    for number in range(1, 9):
        repository.put(f"oai:sbirky:{number}", lido_record(number), datestamp=OLD)
    source = harvest()
    leaders = _crashed_job(source.source["id"])
    publisher = get_fetch_publisher()
    for leader in leaders:
        publisher.send({"harvest_object_id": leader.id})
    publisher.close()

    job, report = wait_for_job(
        source.context, source.source["id"], leaders[0].harvest_job_id, 120, logs=source.logs
    )

    assert job["stats"]["added"] == 8, report["object_errors"]
    assert job["stats"]["errored"] == 0
    numbers = sorted(d["inventory_number"] for d in source.datasets())
    assert numbers == [f"S-{n:06d}" for n in range(1, 9)]
