"""Harvest errors on the steward dashboard: sources whose last job had errors, counted in SQL
and paged, and one job's messages only when the steward opens them.

Measured with bench/sprava.py (100,000 datasets, 50 sources, 20,000 object errors): reading
every source's last-job report through harvest_source_list and harvest_job_report on every
view of /sprava took 20 s; counting the last jobs' errors in one query 0.2 s, and a finished
job's count never changes, so it is counted once and kept in Redis."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import sqlalchemy as sa
from ckan import model
from ckan.lib.redis import connect_to_redis

from ckanext.smartregion.review import policy

PAGE_SIZE = 20
MESSAGES = 50
# A finished job's error count never changes: kept in Redis, so a view counts only the jobs
# that finished since (or still run). 30 days: a source harvested monthly keeps its entry.
CACHE_KEY = "smartregion:harvest-job-errors:{}"
CACHE_SECONDS = 30 * 24 * 3600

# The last job of every active source the user may see (sysadmins: all; otherwise sources of
# the organisations they curate).
LAST_JOBS = """
SELECT DISTINCT ON (job.source_id) job.id AS job_id, job.source_id, job.created, job.finished,
    source.name, source.title, harvest_source.url
FROM harvest_job job
JOIN package source ON source.id = job.source_id
JOIN harvest_source ON harvest_source.id = job.source_id
WHERE source.state = 'active' AND harvest_source.active
  AND (:all_organizations OR source.owner_org = ANY(CAST(:organizations AS text[])))
  AND (CAST(:source_id AS text) IS NULL OR job.source_id = :source_id)
ORDER BY job.source_id, job.created DESC
"""

# Gather and object errors of the given jobs, counted in one query.
ERROR_COUNTS = """
SELECT job_id, sum(errors) AS errors FROM (
    SELECT object.harvest_job_id AS job_id, count(*) AS errors
    FROM harvest_object object
    JOIN harvest_object_error error ON error.harvest_object_id = object.id
    WHERE object.harvest_job_id = ANY(CAST(:job_ids AS text[]))
    GROUP BY object.harvest_job_id
    UNION ALL
    SELECT harvest_job_id, count(*)
    FROM harvest_gather_error
    WHERE harvest_job_id = ANY(CAST(:job_ids AS text[]))
    GROUP BY harvest_job_id
) counted
GROUP BY job_id
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


def _error_counts(jobs: list[dict[str, Any]]) -> dict[str, int]:
    """Error count of each job: finished jobs' from the cache, the others counted in SQL (and
    cached once finished)."""
    cache = connect_to_redis()
    finished = [job["job_id"] for job in jobs if job["finished"] is not None]
    cached = cache.mget([CACHE_KEY.format(i) for i in finished]) if finished else []
    counts = {i: int(v) for i, v in zip(finished, cached, strict=True) if v is not None}
    missing = [job["job_id"] for job in jobs if job["job_id"] not in counts]
    if missing:
        counted = dict(
            model.Session.execute(sa.text(ERROR_COUNTS), {"job_ids": missing}).tuples().all()
        )
        for job_id in missing:
            counts[job_id] = int(counted.get(job_id, 0))
        with cache.pipeline() as pipe:
            for job_id in set(missing) & set(finished):
                pipe.set(CACHE_KEY.format(job_id), counts[job_id], ex=CACHE_SECONDS)
            pipe.execute()
    return counts


def _last_jobs_with_errors(user: str, source_id: str | None) -> list[dict[str, Any]]:
    """The visible sources' last jobs that had errors, most errors first."""
    jobs = [
        dict(row)
        for row in model.Session.execute(sa.text(LAST_JOBS), _scope(user, source_id)).mappings()
    ]
    counts = _error_counts(jobs)
    with_errors = [{**job, "error_count": counts[job["job_id"]]} for job in jobs]
    with_errors = [job for job in with_errors if job["error_count"]]
    return sorted(
        with_errors, key=lambda job: (-job["error_count"], job["title"] or "", job["source_id"])
    )


def sources_with_errors(user: str, page: int = 1) -> dict[str, Any]:
    """{count, results}: the page's sources whose last job had errors, most errors first, each
    with its job and error count (no messages)."""
    if not p.plugin_loaded("harvest"):
        return {"count": 0, "results": []}
    problems = _last_jobs_with_errors(user, None)
    start = (max(page, 1) - 1) * PAGE_SIZE
    return {"count": len(problems), "results": problems[start : start + PAGE_SIZE]}


def job_messages(user: str, source_id: str) -> dict[str, Any] | None:
    """The source's last job with its first MESSAGES error messages (gather errors first, then
    object errors named by the record's guid), or None when the user may not see the source or
    its last job had no errors."""
    if not p.plugin_loaded("harvest"):
        return None
    problems = _last_jobs_with_errors(user, source_id)
    if not problems:
        return None
    job = problems[0]
    messages = model.Session.execute(
        sa.text(JOB_MESSAGES), {"job_id": job["job_id"], "limit": MESSAGES}
    ).scalars()
    return {**job, "messages": list(messages)}
