"""Prints how long the local catalogue (DCAT-AP-CZ) takes: the catalogue document streamed for
N public datasets, and one dataset record (package_show + the profile + JSON-LD framing).

    .venv/bin/python bench/dcat_catalogue.py [--ini .state/ckan_test_d.ini] [-n 100000]

The N datasets are bare package rows inserted in one transaction and rolled back at the end
(the catalogue reads nothing else); the record is timed on one real dataset made through
package_create and purged afterwards. Run it against a test slot's configuration, never the
portal's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import ckan_request_context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=".state/ckan_test_d.ini")
    parser.add_argument("-n", type=int, default=100_000, help="datasets in the catalogue")
    parser.add_argument("--records", type=int, default=50, help="record timings to take")
    args = parser.parse_args()

    with ckan_request_context(args.ini):
        _catalogue(args.n)
        _record(args.records)


def _catalogue(count: int) -> None:
    import sqlalchemy as sa
    from ckan import model

    from ckanext.smartregion.dcat import catalogue

    model.Session.execute(
        sa.text(
            "INSERT INTO package (id, name, title, type, state, private, metadata_created, "
            "metadata_modified) SELECT gen_random_uuid()::text, 'bench-' || i, 'Bench ' || i, "
            "'dataset', 'active', false, now(), now() FROM generate_series(1, :n) AS i"
        ),
        {"n": count},
    )
    try:
        for fmt, stream in (
            ("JSON-LD", catalogue.stream_catalogue_jsonld),
            ("Turtle", catalogue.stream_catalogue_turtle),
        ):
            started = time.perf_counter()
            ids = catalogue.public_dataset_ids()
            size = sum(len(chunk.encode()) for chunk in stream(ids))
            elapsed = time.perf_counter() - started
            print(
                f"catalogue {fmt:7} {len(ids):>7} datasets  {elapsed:6.2f} s  {size / 1e6:6.1f} MB"
            )
    finally:
        model.Session.rollback()


def _record(repeat: int) -> None:
    import ckan.plugins.toolkit as tk

    from ckanext.smartregion.dcat import catalogue

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"ignore_auth": True, "user": site_user["name"]}
    suffix = uuid.uuid4().hex[:8]
    org = tk.get_action("organization_create")(context, {"name": f"bench-{suffix}"})
    terms = {
        "terms_author_work": "https://data.gov.cz/podmínky-užití/neobsahuje-autorská-díla/",
        "terms_database_work": "https://data.gov.cz/podmínky-užití/není-autorskoprávně-chráněnou-databází/",
        "terms_database_sui_generis": "https://data.gov.cz/podmínky-užití/není-chráněna-zvláštním-právem-pořizovatele-databáze/",
        "terms_personal_data": "https://data.gov.cz/podmínky-užití/neobsahuje-osobní-údaje/",
    }
    pkg = tk.get_action("package_create")(
        context,
        {
            "name": f"bench-record-{suffix}",
            "title": "Měření výkonu",
            "notes": "Záznam pro měření.",
            "owner_org": org["id"],
            "themes": ["ENER"],
            "frequency": "ANNUAL",
            "tags": [{"name": "energie"}],
            "contact_name": "Útvar",
            "contact_email": "a@example.cz",
            "resources": [
                {"url": f"https://example.cz/{i}.csv", "format": "CSV", **terms} for i in range(3)
            ],
        },
    )
    try:
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            catalogue.record_jsonld(catalogue.published_dataset(pkg["id"]))
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"record JSON-LD (3 distributions): median {statistics.median(timings):.1f} ms, "
            f"p90 {sorted(timings)[int(len(timings) * 0.9) - 1]:.1f} ms over {repeat}"
        )
    finally:
        tk.get_action("dataset_purge")(context, {"id": pkg["id"]})
        tk.get_action("group_purge")(context, {"id": org["id"]})


if __name__ == "__main__":
    main()
