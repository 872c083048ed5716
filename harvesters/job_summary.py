"""The harvest job's summary of what its imported records lack ("807 imported, 640 without
a description, 676 without terms of use"), added to harvest_job_report as `quality_summary`
from the issues each import noted on its harvest object (catalogue_sync.store)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.smartregion.review.issues import FIELD, TERMS

PHRASES = {
    "title": "without a title",
    "notes": "without a description",
    TERMS: "without terms of use",
    "tag_string": "without keywords",
    "themes": "without an EU data theme (given OP_DATPRO)",
    "contact_email": "without a contact e-mail",
    "resources": "with a distribution left out (no URL)",
    "inventory_number": "with a missing or repeated inventory number",
}


def counts(job_id: str) -> tuple[int, Counter]:
    """(records imported by the job, records per field an issue names)."""
    rows = (
        model.Session.query(HarvestObjectExtra.value)
        .join(HarvestObject, HarvestObject.id == HarvestObjectExtra.harvest_object_id)
        .filter(HarvestObject.harvest_job_id == job_id, HarvestObjectExtra.key == FIELD)
    )
    imported, fields = 0, Counter[str]()
    for (value,) in rows:
        imported += 1
        try:
            fields.update(set(json.loads(value or "[]")))
        except ValueError:
            continue
    return imported, fields


def summary(job_id: str) -> dict[str, Any]:
    imported, fields = counts(job_id)
    parts = [f"{imported} imported"] + [
        f"{number} {PHRASES.get(field, f'with a problem in {field}')}"
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
