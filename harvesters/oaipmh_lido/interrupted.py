"""Imports interrupted by a crash end as errors, so that their job finishes.

ckanext-harvest finishes a job when every object is COMPLETE or ERROR. A fetch consumer
killed in the middle of a batch (out of memory, a restart, a lost machine) leaves its objects
in FETCH or IMPORT, and the members of its batch BATCHED: the job would stay "Running" for
ever (or until ``ckan.harvest.timeout``, if set, without saying which records). The batch's
own transaction was rolled back by PostgreSQL when the connection dropped, so the earlier
data is intact.

Normally ckanext-harvest re-sends the unacknowledged message after 180 s and the batch is
imported again in the same job (batch.py, its advisory lock). When no message comes,
``harvest_jobs_run`` (the scheduler's step, chained by the harvester plugin) first ends such
imports: an object of a running job of this harvester whose import started more than
``ckanext.smartregion.harvest.interrupted_minutes`` ago (default 15; a batch takes seconds)
becomes an error naming its record, with the members of its batch, and the job gets a gather
error, so the next incremental harvest lists from the last job without one and the records
come again.
"""

from __future__ import annotations

import datetime
import logging

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestSource,
)

from ckanext.smartregion import clock
from ckanext.smartregion.harvesters.oaipmh_lido import batch, importer
from ckanext.smartregion.harvesters.oaipmh_lido.source_config import SOURCE_TYPE

log = logging.getLogger(__name__)


def end_interrupted(source_id: str | None = None) -> int:
    """Ends the interrupted imports of running jobs (of one source or all); their number."""
    minutes = tk.config.get("ckanext.smartregion.harvest.interrupted_minutes")
    cutoff = clock.now() - datetime.timedelta(minutes=int(minutes))
    query = (
        model.Session.query(HarvestObject)
        .join(HarvestJob, HarvestJob.id == HarvestObject.harvest_job_id)
        .join(HarvestSource, HarvestSource.id == HarvestJob.source_id)
        .filter(
            HarvestJob.status == "Running",
            HarvestSource.type == SOURCE_TYPE,
            HarvestObject.state.in_(("FETCH", "IMPORT")),
            # a stop in the (empty) fetch step leaves no import start
            sa.func.coalesce(HarvestObject.import_started, HarvestObject.fetch_started) < cutoff,
        )
    )
    if source_id:
        query = query.filter(HarvestJob.source_id == source_id)
    interrupted = query.all()
    if not interrupted:
        return 0
    message = (
        f"the import was interrupted (its worker stopped) and did not finish within {minutes} "
        "minutes; the earlier data is unchanged and the next harvest imports the record again"
    )
    now = clock.now()
    jobs: dict[str, int] = {}
    for harvest_object in interrupted:
        harvest_object.state, harvest_object.report_status = "ERROR", "errored"
        harvest_object.import_finished = now
        model.Session.add(
            HarvestObjectError(
                message=f"{importer.describe(harvest_object)}: {message}",
                object=harvest_object,
                stage="Import",
            )
        )
        jobs[harvest_object.harvest_job_id] = jobs.get(harvest_object.harvest_job_id, 0) + 1
    model.Session.commit()
    for harvest_object in interrupted:
        if batch.is_leader(harvest_object):
            batch.fail_members(harvest_object, message)
    for job_id, count in jobs.items():
        log.warning("Job %s: %s interrupted imports ended as errors", job_id, count)
        HarvestGatherError(
            message=f"{count} import(s) of this job were interrupted (a worker stopped); their "
            "records are errors of this job and the next harvest lists them again",
            job=HarvestJob.get(job_id),
        ).save()
    return len(interrupted)


@tk.chained_action
def harvest_jobs_run(original_action, context: dict, data_dict: dict):
    """ckanext-harvest's harvest_jobs_run, after ending interrupted imports."""
    tk.check_access("harvest_jobs_run", context, data_dict)
    end_interrupted(data_dict.get("source_id"))
    return original_action(context, data_dict)
