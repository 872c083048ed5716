"""The harvest job's summary of what its imported records lack ("807 imported, 640 without
a description, 676 without terms of use"): in harvest_job_report as `quality_summary`, and
one log line per job once harvest_jobs_run marks it finished. Counted from the issues each
catalogue import noted on its harvest object (catalogue_sync.store), else (LIDO's batch
import) from the stored datasets' quality_issues."""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra

from ckanext.smartregion.review import issues as stored_issues
from ckanext.smartregion.review.issues import FIELD

log = logging.getLogger(__name__)
PHRASES = stored_issues.PROBLEMS  # the field an issue names -> what the records lack
LOGGED = "smartregion_job_summary_logged"  # context key: an outer link of the chain logs


def counts(job_id: str) -> tuple[int, Counter[str]]:
    """(records imported by the job, records per field an issue names)."""
    noted = sa.orm.aliased(HarvestObjectExtra)
    rows = (
        model.Session.query(noted.value, model.Package.extras[FIELD].astext)
        .select_from(HarvestObject)
        .outerjoin(noted, sa.and_(noted.harvest_object_id == HarvestObject.id, noted.key == FIELD))
        .outerjoin(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(
            sa.or_(
                noted.value.isnot(None),  # a catalogue import noted its issues
                sa.and_(  # LIDO's batch import notes none: the dataset it stored
                    HarvestObject.package_id.isnot(None),
                    HarvestObject.state == "COMPLETE",
                    HarvestObject.report_status.in_(("added", "updated")),
                ),
            )
        )
    )
    imported, fields = 0, Counter[str]()
    for note, stored in rows:
        imported += 1
        if note is not None:
            try:
                fields.update(set(json.loads(note or "[]")))
            except ValueError:
                continue
        else:
            fields.update(stored_issues.flagged_fields(stored_issues.parse(stored)))
    return imported, fields


def summary(job_id: str) -> dict[str, Any]:
    imported, fields = counts(job_id)
    parts = [f"{imported} imported"] + [
        f"{number} {PHRASES.get(field, f'with a problem in {field}')}"  # English: a log line
        for field, number in sorted(fields.items(), key=lambda pair: (-pair[1], pair[0]))
    ]
    return {"imported": imported, "issues": dict(fields), "line": ", ".join(parts)}


@tk.chained_action
@tk.side_effect_free
def harvest_job_report(up_func, context: dict, data_dict: dict) -> dict[str, Any]:
    """ckanext-harvest's report with the job's `quality_summary`."""
    report = up_func(context, data_dict)
    if "quality_summary" not in report:  # every smartregion harvester plugin chains it
        report["quality_summary"] = summary(data_dict["id"])
    return report


# The report checks harvest_job_show itself (as ckanext-harvest's does); no auth function of
# its own name to audit.
harvest_job_report.auth_audit_exempt = True  # type: ignore[attr-defined]


def _running(source_id: str | None) -> list[str]:
    jobs = model.Session.query(HarvestJob.id).filter(HarvestJob.status == "Running")
    if source_id:
        jobs = jobs.filter(HarvestJob.source_id == source_id)
    return [job_id for (job_id,) in jobs]


@tk.chained_action
def harvest_jobs_run(up_func, context: dict, data_dict: dict) -> Any:
    """ckanext-harvest's harvest_jobs_run, then one log line per job it marked finished
    ("Harvest job … of source … finished: 807 imported, 640 without a description, …")."""
    if context.get(LOGGED):  # every smartregion harvester plugin chains it: log once
        return up_func(context, data_dict)
    context[LOGGED] = True
    running = _running(data_dict.get("source_id"))
    result = up_func(context, data_dict)
    if running:
        finished = model.Session.query(HarvestJob.id, HarvestJob.source_id).filter(
            HarvestJob.id.in_(running), HarvestJob.status == "Finished"
        )
        for job_id, source_id in finished.all():
            line = summary(job_id)["line"]
            log.info("Harvest job %s of source %s finished: %s", job_id, source_id, line)
    return result
