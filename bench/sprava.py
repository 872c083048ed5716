"""Steward dashboard at real scale (issue 14): server time of /sprava for a sysadmin with
100,000 datasets, 50 harvest sources and 20,000 flagged records (object errors of the sources'
last jobs, quality issues of their datasets), of its harvest-error query alone and of the
flagged-record filter (?problem=, ?zdroj=).

The volume is built in SQL (generate_series, like bench/reindex.py copies its records), in the
database of a test slot, never the portal's: datasets with quality scores (10 % pending review),
harvest sources with two jobs each, a harvest object per dataset in its source's last job and
the object errors. Every row is named or keyed with ``bench-sprava-`` and removed at the end
unless --keep. Prints figures, asserts nothing, e.g.:
  .venv/bin/python bench/sprava.py -c .state/ckan_test_f.ini [--datasets 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import ckan_request_context
from bench.timing import summary, timed

PREFIX = "bench-sprava-"

# Statements of the volume; :prefix, :org, :datasets, :sources, :flagged are bound.
SEED = [
    # datasets (id = prefix + number, so the other tables derive theirs from it)
    """INSERT INTO package (id, name, title, type, state, private, owner_org, metadata_created,
        metadata_modified)
       SELECT :prefix || n, :prefix || n, 'Sbírkový předmět ' || n, 'collection-object',
        'active', n % 10 = 0, :org, now() - n * interval '1 second', now()
       FROM generate_series(1, :datasets) n""",
    """INSERT INTO smartregion_quality (package_id, owner_org, score, missing, broken_links,
        computed)
       SELECT :prefix || n, :org, 20 + n % 80,
        CASE WHEN (n / :sources) % (:datasets / :flagged) = 0
         THEN '["recommended:contact_email", "issue:notes", "issue:terms_of_use"]'::jsonb
         ELSE '["recommended:contact_email", "recommended:ruian"]'::jsonb END,
        '[]'::jsonb, now()
       FROM generate_series(1, :datasets) n""",
    """INSERT INTO smartregion_review_state (package_id, state, updated)
       SELECT :prefix || n, 'pending', now() - n * interval '1 second'
       FROM generate_series(10, :datasets, 10) n""",
    # harvest sources: a dataset of type harvest and its harvest_source row
    """INSERT INTO package (id, name, title, type, state, private, owner_org, metadata_created,
        metadata_modified)
       SELECT :prefix || 'source-' || s, :prefix || 'source-' || s, 'Zdroj ' || s, 'harvest',
        'active', false, :org, now(), now()
       FROM generate_series(1, :sources) s""",
    """INSERT INTO harvest_source (id, url, title, type, active, created, frequency)
       SELECT :prefix || 'source-' || s, 'https://example.cz/oai/' || s, 'Zdroj ' || s,
        'oai_pmh_lido', true, now(), 'MANUAL'
       FROM generate_series(1, :sources) s""",
    # two finished jobs a source, the older without errors
    """INSERT INTO harvest_job (id, source_id, status, created, gather_started, gather_finished,
        finished)
       SELECT :prefix || 'job-' || s || '-' || j, :prefix || 'source-' || s, 'Finished',
        now() - (3 - j) * interval '1 day', now() - (3 - j) * interval '1 day',
        now() - (3 - j) * interval '1 day', now() - (3 - j) * interval '1 day'
       FROM generate_series(1, :sources) s CROSS JOIN generate_series(1, 2) j""",
    # one harvest object a dataset in its source's last job, every (datasets/flagged)-th of a
    # source errored
    """INSERT INTO harvest_object (id, guid, current, harvest_job_id, harvest_source_id,
        package_id, state, report_status, gathered, import_finished)
       SELECT :prefix || 'object-' || n, 'urn:bench:' || n, true,
        :prefix || 'job-' || (1 + n % :sources) || '-2', :prefix || 'source-' || (1 + n % :sources),
        :prefix || n, 'COMPLETE',
        CASE WHEN (n / :sources) % (:datasets / :flagged) = 0 THEN 'errored' ELSE 'added' END,
        now(), now()
       FROM generate_series(1, :datasets) n""",
    """INSERT INTO harvest_object_error (id, harvest_object_id, message, stage, created)
       SELECT :prefix || 'error-' || n, :prefix || 'object-' || n,
        'Záznam ' || n || ' nemá inventární číslo: doplňte lido:workID', 'Import', now()
       FROM generate_series(1, :datasets) n WHERE (n / :sources) % (:datasets / :flagged) = 0""",
]

VACUUMED = (
    "package",
    "smartregion_quality",
    "smartregion_review_state",
    "harvest_job",
    "harvest_object",
    "harvest_object_error",
)

CLEANUP = [
    "DELETE FROM harvest_object_error WHERE id LIKE :like",
    "DELETE FROM harvest_gather_error WHERE harvest_job_id LIKE :like",
    "DELETE FROM harvest_object WHERE id LIKE :like",
    "DELETE FROM harvest_job WHERE id LIKE :like",
    "DELETE FROM harvest_source WHERE id LIKE :like",
    "DELETE FROM smartregion_review_state WHERE package_id LIKE :like",
    "DELETE FROM smartregion_quality WHERE package_id LIKE :like",
    "DELETE FROM package WHERE id LIKE :like",
]


def seed(datasets: int, sources: int, flagged: int) -> str:
    """The organisation, a sysadmin and the volume; returns the sysadmin's name."""
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa
    from ckan import model

    from ckanext.smartregion.organizations import site_context

    admin = f"{PREFIX}admin"
    if model.User.get(admin) is None:
        tk.get_action("user_create")(
            site_context(),
            {"name": admin, "email": "bench@example.cz", "password": uuid.uuid4().hex},
        )
        model.User.get(admin).sysadmin = True
        model.Session.commit()
    org_name = f"{PREFIX}org"
    if model.Group.get(org_name) is None:
        tk.get_action("organization_create")(site_context(), {"name": org_name, "title": "Bench"})
    cleanup()
    values = {
        "prefix": PREFIX,
        "org": model.Group.get(org_name).id,
        "datasets": datasets,
        "sources": sources,
        "flagged": flagged,
    }
    start = time.perf_counter()
    for statement in SEED:
        model.Session.execute(sa.text(statement), values)
    model.Session.commit()
    # what autovacuum does after a bulk insert: statistics and the visibility map (without it
    # the planner reads the table instead of an index-only scan of the flagged scores)
    engine = model.Session.get_bind().engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in VACUUMED:
            connection.execute(sa.text(f"VACUUM ANALYZE {table}"))
    print(
        f"seeded {datasets} datasets, {sources} harvest sources, {flagged} object errors "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return admin


def cleanup() -> None:
    import sqlalchemy as sa
    from ckan import model

    for statement in CLEANUP:
        model.Session.execute(sa.text(statement), {"like": f"{PREFIX}%"})
    model.Session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--flagged", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    with ckan_request_context(args.config) as flask_app:
        import ckan.plugins.toolkit as tk

        from ckanext.smartregion.review import harvest_errors

        admin = seed(args.datasets, args.sources, args.flagged)
        token = tk.get_action("api_token_create")(
            {"user": admin, "ignore_auth": True}, {"user": admin, "name": "bench"}
        )["token"]
        summary(
            "harvest errors of /sprava (query alone)",
            timed(args.runs, lambda: harvest_errors.sources_with_errors(admin)),
        )
    client = flask_app.test_client()
    headers = {"Authorization": token}
    response = client.get("/sprava", headers=headers)  # warm-up
    assert response.status_code == 200, response.status_code
    print(f"/sprava page: {len(response.data) / 1024:.0f} KiB")
    cpu_start = time.process_time()
    summary(
        "/sprava for a sysadmin (server time, in-process)",
        timed(args.runs, lambda: client.get("/sprava", headers=headers)),
    )
    # The web process's own CPU, which other load on the machine hardly changes (PostgreSQL's
    # time is not in it).
    cpu = (time.process_time() - cpu_start) * 1000 / args.runs
    print(f"/sprava CPU of the web process: {cpu:.1f} ms a view")
    for query in ("problem=*", f"problem=notes&zdroj={PREFIX}source-7"):
        response = client.get(f"/sprava?{query}", headers=headers)
        assert response.status_code == 200, response.status_code
        summary(
            f"/sprava?{query} (flagged datasets)",
            timed(args.runs, lambda q=query: client.get(f"/sprava?{q}", headers=headers)),
        )
    if not args.keep:
        with flask_app.test_request_context():
            cleanup()
        print("seeded rows removed")


if __name__ == "__main__":
    main()
