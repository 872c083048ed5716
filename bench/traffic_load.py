"""Prints how fast a year of traffic counts loads into the DataStore (COPY + merge + totals).

    .venv/bin/python bench/traffic_load.py [--ini .state/ckan_test_e.ini] [--detectors 100]
        [--days 365] [--minutes 15]

SYNTHETIC data: detectors × days × (1440 / minutes) counts (default 100 × 365 × 96 =
3,504,000 rows), shaped like the real NDW fixture (tests/fixtures/datex2): each synthetic
detector copies the lane and the all-vehicles class of site PZH01_MST_0629_00, with made-up
flows. They go into a dataset marked as sample data ("ukázka") in the slot's database, one
load (one transaction) per month as a monthly harvest would write them, each followed by the
refresh of its hourly, daily and monthly totals. Then one month is loaded again (a re-run:
updated in place, no row added). It prints rows/s per month and in all, the wall time, the
rows in the tables and the peak resident memory of this process.

Run it against a test slot's configuration (it creates an organisation and a dataset there),
never the portal's.
"""

from __future__ import annotations

import argparse
import datetime
import json
import resource
import sys
import time
import uuid
import zoneinfo
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

START = datetime.datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Prague"))
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "datex2" / "site_table_excerpt.xml"


def month_counts(detectors: list, month_start: datetime.datetime, days: int, minutes: int):
    """The synthetic counts of one month (or of what is left of the days)."""
    from ckanext.smartregion.harvesters.traffic.counts import Count, finish

    step = datetime.timedelta(minutes=minutes)
    first = month_start.astimezone(datetime.UTC)
    following = (month_start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last = min(following, START + datetime.timedelta(days=days)).astimezone(datetime.UTC)
    counts = []
    for number, (site_id, lane, vehicle_class) in enumerate(detectors):
        at = first
        while at < last:
            flow = float((at.hour * 37 + number * 11) % 900 + 60)
            counts.append(
                Count(site_id, lane, vehicle_class, at, at + step, flow, flow * minutes / 60, 50.0)
            )
            at += step
    return finish(counts, "Europe/Prague"), following


def upsert_batches(context: dict, ids: dict[str, str], counts: list) -> int:
    """The counts through datastore_upsert (10,000 records a call), then the totals."""
    from ckan.plugins import toolkit as tk

    from ckanext.smartregion.harvesters.traffic import store

    for start in range(0, len(counts), 10_000):
        records = [
            {
                "site_id": c.site_id,
                "lane": c.lane,
                "vehicle_class": c.vehicle_class,
                "period_start": c.start.isoformat(),
                "period_end": c.end.isoformat(),
                "flow": c.flow,
                "vehicles": c.vehicles,
                "speed": c.speed,
                "day": c.day,
                "month": c.month,
            }
            for c in counts[start : start + 10_000]
        ]
        tk.get_action("datastore_upsert")(
            dict(context),
            {
                "resource_id": ids[store.COUNTS],
                "records": records,
                "method": "upsert",
                "force": True,
            },
        )
    connection = store._engine().raw_connection()
    try:
        with connection.cursor() as cursor:
            store.refresh_totals(
                cursor, ids, sorted({c.site_id for c in counts}), sorted({c.day for c in counts})
            )
        connection.commit()
    finally:
        connection.close()
    return len(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ini", default=str(REPO_ROOT / ".state" / "ckan_test_e.ini"))
    parser.add_argument("--detectors", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--minutes", type=int, default=15)
    parser.add_argument(
        "--method",
        choices=("copy", "upsert"),
        default="copy",
        help="copy: store.load (COPY + merge); upsert: datastore_upsert in batches of 10,000 "
        "and the same refresh of the totals, for comparison",
    )
    args = parser.parse_args()
    if ".state/ckan.ini" in args.ini:
        sys.exit("Refusing to run against the portal's configuration; use a test slot's ini.")

    from ckan.plugins import toolkit as tk

    from bench.startup import ckan_request_context, site_user

    with ckan_request_context(args.ini):
        from ckanext.smartregion.harvesters.metering.store import ensure_dataset
        from ckanext.smartregion.harvesters.traffic import datex2, harvest, source_config, store

        site = datex2.parse_sites(FIXTURE.read_bytes())["PZH01_MST_0629_00"]
        lane = next(s.lane for s in site.specs.values() if s.vehicle_class == "anyVehicle")
        detectors = [(f"SYNTH-{n:03d}", lane, "anyVehicle") for n in range(args.detectors)]
        sites = [datex2.Site(d[0], name=f"Synthetic detector {d[0]}") for d in detectors]
        context = {"ignore_auth": True, "user": site_user()}
        suffix = uuid.uuid4().hex[:8]
        org = tk.get_action("organization_create")(dict(context), {"name": f"bench-{suffix}"})
        config = source_config.parse(
            json.dumps({"format": "csv", "dataset": {"is_sample_data": True}})
        )
        source = {"name": f"bench-{suffix}", "title": "Synthetic", "owner_org": org["id"]}
        dataset = ensure_dataset(context, config, source, harvest.TRAFFIC_DATASET)
        ids = store.ensure_tables(context, dataset, config.terms)
        print(
            f"dataset {dataset['name']} (sample data), {args.detectors} synthetic detectors, "
            f"method {args.method}"
        )

        total, started, month = 0, time.perf_counter(), START
        first_month = None
        while month < START + datetime.timedelta(days=args.days):
            counts, following = month_counts(detectors, month, args.days, args.minutes)
            first_month = first_month or counts
            load_started = time.perf_counter()
            if args.method == "copy":
                written = store.load(ids, counts, sites if total == 0 else [], set())
            else:
                written = upsert_batches(context, ids, counts)
            took = time.perf_counter() - load_started
            total += written
            print(f"{month:%Y-%m}: {written:>9,} rows in {took:6.1f} s ({written / took:,.0f}/s)")
            month = following
        wall = time.perf_counter() - started
        print(
            f"TOTAL {total:,} rows in {wall / 60:.1f} min ({total / wall:,.0f} rows/s, "
            "generation included)"
        )
        again = time.perf_counter()
        if args.method == "copy":
            store.load(ids, first_month, [], set())
        else:
            upsert_batches(context, ids, first_month)
        print(f"re-run of the first month: {time.perf_counter() - again:.1f} s")
        engine = store._engine()
        with engine.connect() as connection:
            for kind in (store.COUNTS, store.HOURLY, store.DAILY, store.MONTHLY):
                rows = connection.exec_driver_sql(f'SELECT count(*) FROM "{ids[kind]}"').scalar()
                print(f"{kind}: {rows:,} rows")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
