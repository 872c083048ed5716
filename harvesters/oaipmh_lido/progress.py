"""The batch import's progress: a line per batch and the job's summary at its end."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from ckan import model
from ckanext.harvest.model import HarvestObject

from ckanext.smartregion import clock
from ckanext.smartregion.harvesters.oaipmh_lido.gather import BATCHED

log = logging.getLogger("ckanext.smartregion.harvesters.oaipmh_lido.batch")

REPORT_NAMES = {
    "added": "created",
    "updated": "updated",
    "not modified": "unchanged",
    "deleted": "withdrawn",
    "errored": "errors",
}


def log_progress(leader: HarvestObject, leader_status: str) -> None:
    """A line per batch: records done of the job's total, the rate and the time left; the
    job's summary (the same counts harvest_job_show / harvest_job_report give as stats)
    once the last batch is done."""
    rows = (
        model.Session.query(HarvestObject.state, HarvestObject.report_status, sa.func.count())
        .filter(
            HarvestObject.harvest_job_id == leader.harvest_job_id, HarvestObject.id != leader.id
        )
        .group_by(HarvestObject.state, HarvestObject.report_status)
        .all()
    )
    rows.append(("COMPLETE", leader_status, 1))
    total = sum(count for _state, _status, count in rows)
    open_states = ("WAITING", BATCHED, "FETCH", "IMPORT")
    pending = sum(count for state, _status, count in rows if state in open_states)
    done = total - pending
    started = leader.job.gather_started or leader.gathered
    elapsed = max((clock.now() - started).total_seconds(), 1e-3)
    rate = done / elapsed
    if pending > 0:
        log.info(
            "Job %s: %s of %s records done (%.1f records/s, about %.0f s left)",
            leader.harvest_job_id,
            done,
            total,
            rate,
            pending / rate if rate else 0,
        )
        return
    counts = dict.fromkeys(REPORT_NAMES.values(), 0)
    for _state, status, count in rows:
        counts[REPORT_NAMES.get(status or "", "errors")] += count
    log.info(
        "Job %s summary: %s records in %.0f s (%.1f/s): %s",
        leader.harvest_job_id,
        total,
        elapsed,
        rate,
        ", ".join(f"{name} {count}" for name, count in counts.items()),
    )
