"""Harvest errors on the steward dashboard: sources whose last job had errors, counted in SQL
and paged, and one job's messages only when the steward opens them.

Measured with bench/sprava.py (100,000 datasets, 50 sources, 20,000 object errors): reading
every source's last-job report through harvest_source_list and harvest_job_report on every
view of /sprava took 20 s; one aggregate query over the last jobs takes milliseconds."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import sqlalchemy as sa
from ckan import model

from ckanext.smartregion.review import policy

PAGE_SIZE = 20
MESSAGES = 50

# The last job of every active source the user may see (sysadmins: all; otherwise sources of
# the organisations they curate), with its gather and object error counts.
LAST_JOBS = """
WITH last_job AS (
    SELECT DISTINCT ON (job.source_id) job.id, job.source_id, job.created, job.finished
    FROM harvest_job job
    JOIN package source ON source.id = job.source_id
    JOIN harvest_source ON harvest_source.id = job.source_id
    WHERE source.state = 'active' AND harvest_source.active
      AND (:all_organizations OR source.owner_org = ANY(CAST(:organizations AS text[])))
      AND (CAST(:source_id AS text) IS NULL OR job.source_id = :source_id)
    ORDER BY job.source_id, job.created DESC
), object_errors AS (
    SELECT object.harvest_job_id AS job_id, count(*) AS errors
    FROM harvest_object object
    JOIN harvest_object_error error ON error.harvest_object_id = object.id
    WHERE object.harvest_job_id IN (SELECT id FROM last_job)
    GROUP BY object.harvest_job_id
), gather_errors AS (
    SELECT harvest_job_id AS job_id, count(*) AS errors
    FROM harvest_gather_error
    WHERE harvest_job_id IN (SELECT id FROM last_job)
    GROUP BY harvest_job_id
)
SELECT last_job.id AS job_id, last_job.source_id, last_job.created, last_job.finished,
    source.name, source.title, harvest_source.url,
    coalesce(gather_errors.errors, 0) + coalesce(object_errors.errors, 0) AS error_count,
    count(*) OVER () AS total
FROM last_job
JOIN package source ON source.id = last_job.source_id
JOIN harvest_source ON harvest_source.id = last_job.source_id
LEFT JOIN object_errors ON object_errors.job_id = last_job.id
LEFT JOIN gather_errors ON gather_errors.job_id = last_job.id
WHERE coalesce(gather_errors.errors, 0) + coalesce(object_errors.errors, 0) > 0
ORDER BY error_count DESC, source.title, last_job.source_id
LIMIT :limit OFFSET :offset
"""

JOB_MESSAGES = """
SELECT message FROM (
    SELECT 0 AS kind, created, id, message
    FROM harvest_gather_error WHERE harvest_job_id = :job_id
    UNION ALL
    SELECT 1, error.created, error.id,
        coalesce(nullif(object.guid, '') || ': ', '') || error.message
    FROM harvest_object object
    JOIN harvest_object_error error ON error.harvest_object_id = object.id
    WHERE object.harvest_job_id = :job_id
) messages
ORDER BY kind, created, id
LIMIT :limit
"""


def _scope(user: str, source_id: str | None) -> dict[str, Any]:
    curated = policy.curated_organizations(user)
    return {
        "all_organizations": curated is None,
        "organizations": sorted(curated or []),
        "source_id": source_id,
    }


def sources_with_errors(user: str, page: int = 1) -> dict[str, Any]:
    """{count, results}: the page's sources whose last job had errors, most errors first, each
    with its job and error count (no messages)."""
    if not p.plugin_loaded("harvest"):
        return {"count": 0, "results": []}
    rows = model.Session.execute(
        sa.text(LAST_JOBS),
        {**_scope(user, None), "limit": PAGE_SIZE, "offset": (max(page, 1) - 1) * PAGE_SIZE},
    ).mappings()
    results = [dict(row) for row in rows]
    total = results[0]["total"] if results else 0
    if not results and page > 1:
        total = sources_with_errors(user)["count"]
    return {"count": total, "results": results}


def job_messages(user: str, source_id: str) -> dict[str, Any] | None:
    """The source's last job with its first MESSAGES error messages (gather errors first, then
    object errors named by the record's guid), or None when the user may not see the source or
    its last job had no errors."""
    if not p.plugin_loaded("harvest"):
        return None
    row = (
        model.Session.execute(
            sa.text(LAST_JOBS), {**_scope(user, source_id), "limit": 1, "offset": 0}
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    messages = model.Session.execute(
        sa.text(JOB_MESSAGES), {"job_id": row["job_id"], "limit": MESSAGES}
    ).scalars()
    return {**row, "messages": list(messages)}
