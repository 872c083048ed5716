"""Indicator benchmarks (issue 4): server time of an indicator page with 10 years of monthly
values and 5 breakdowns, the bulk export of 500 indicators × 120 periods, and both reports
for 7 activity areas × 50 indicators in HTML and PDF. Prints figures; asserts nothing.

Runs in-process against its own test slot so demo and test data are never touched:
  SMARTREGION_TEST_SLOT=b bash deployment/services.sh start
  SMARTREGION_TEST_SLOT=b bash deployment/init_ckan.sh test
  .venv/bin/python bench/indicators.py [--indicators 500] [--periods 120] [--page-requests 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import ckan_request_context, site_user

REPO = Path(__file__).resolve().parent.parent
AREA_OBJECTIVES = {
    "1": "3.6",
    "2": "3.2",
    "3": "1.3",
    "4": "3.3",
    "5": "2.1",
    "6": "3.4",
    "7": "1.4",
}


def _months(count: int) -> list[str]:
    return [f"{2016 + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


def _timed(label: str, function, *args):
    started = time.perf_counter()
    result = function(*args)
    seconds = time.perf_counter() - started
    print(f"{label:58} {seconds:8.2f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--periods", type=int, default=120)
    parser.add_argument("--page-requests", type=int, default=50)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the indicators of an earlier run"
    )
    args = parser.parse_args()
    slot = os.environ.get("SMARTREGION_TEST_SLOT", "b")
    ini = REPO / ".state" / f"ckan_test_{slot}.ini"

    with ckan_request_context(str(ini)) as flask_app:
        run(args, flask_app)


def _setup(args, site) -> str:
    import ckan.plugins.toolkit as tk

    from ckanext.smartregion.indicators import values

    organization = "bench-garant"
    try:
        tk.get_action("organization_show")(site(), {"id": organization})
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(
            site(), {"name": organization, "title": "Bench garant"}
        )
    existing = tk.get_action("package_search")(
        site(), {"fq": "dataset_type:indicator", "rows": 0, "include_private": True}
    )["count"]
    if args.keep and existing >= args.indicators + 1:
        print(f"reusing {existing} indicators")
        return "bench-page"
    for dataset in tk.get_action("package_search")(
        site(), {"fq": "dataset_type:indicator", "rows": 5000, "include_private": True}
    )["results"]:
        tk.get_action("dataset_purge")(site(), {"id": dataset["id"]})
    months = _months(args.periods)
    started = time.perf_counter()
    for number in range(args.indicators):
        area = str(number % 7 + 1)
        objective = AREA_OBJECTIVES[area]
        created = tk.get_action("package_create")(
            site(),
            {
                "type": "indicator",
                "name": f"bench-{number:04d}",
                "title": f"Bench ukazatel {number}",
                "indicator_code": f"{objective}-{number % 100:02d}" if number < 100 * 7 else None,
                "notes": "Benchmark",
                "unit": "MWh",
                "direction": "lower_is_better",
                "specific_objectives": [objective],
                "activity_area": area,
                "periodicity": "MONTHLY",
                "baseline_value": "1000",
                "baseline_year": 2016,
                "target_value": "800",
                "target_year": 2026,
                "owner_org": organization,
                "is_sample_data": True,
            }
            | ({"indicator_code": f"{objective}-{number // 7:02d}"}),
        )
        rows = [
            {"period": m, "value": 1000 - i * (number % 5), "sample": True}
            for i, m in enumerate(months)
        ]
        records = values.normalise_rows(rows, True, 1)
        values.write(site(), tk.get_action("package_show")(site(), {"id": created["id"]}), records)
        if (number + 1) % 100 == 0:
            print(
                f"  created {number + 1}/{args.indicators} indicators "
                f"({time.perf_counter() - started:.0f} s)"
            )
    page = tk.get_action("package_create")(
        site(),
        {
            "type": "indicator",
            "name": "bench-page",
            "title": "Bench page",
            "indicator_code": "2.2-99",
            "notes": "Benchmark",
            "unit": "t",
            "direction": "lower_is_better",
            "specific_objectives": ["2.2"],
            "periodicity": "MONTHLY",
            "baseline_value": "100",
            "baseline_year": 2016,
            "target_value": "80",
            "target_year": 2026,
            "owner_org": organization,
        },
    )
    districts = ["Liberec", "Jablonec nad Nisou", "Česká Lípa", "Semily", "mimo kraj"]
    rows = [{"period": m, "value": 100 - i * 0.1} for i, m in enumerate(months)]
    rows += [
        {"period": m, "okres": d, "value": 20 - i * 0.02}
        for d in districts
        for i, m in enumerate(months)
    ]
    values.write(
        site(),
        tk.get_action("package_show")(site(), {"id": page["id"]}),
        values.normalise_rows(rows, True, 1),
    )
    from ckan.lib.search import rebuild

    rebuild(page["id"])
    return "bench-page"


def run(args, flask_app) -> None:
    from ckanext.smartregion.indicators import bulk
    from ckanext.smartregion.reports import publish

    user = site_user()

    def site():
        return {"user": user, "ignore_auth": True}

    print(
        f"setting up {args.indicators} indicators × {args.periods} monthly values "
        "(+1 with 5 breakdowns)"
    )
    page_name = _setup(args, site)

    client = flask_app.test_client()
    timings = []
    for _ in range(args.page_requests + 3):
        started = time.perf_counter()
        response = client.get(f"/indicator/{page_name}")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    timings = sorted(timings[3:])
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    print(
        f"{'indicator page, 120 months × (total + 5 breakdowns)':58} "
        f"p50 {statistics.median(timings):6.0f} ms, p95 {p95:6.0f} ms"
    )

    written, _ = _timed(
        f"bulk export of {args.indicators} indicators (CSV+JSON+ZIP)", bulk.build, lambda _: None
    )
    print(f"{'':58} {written['rows']} rows")
    for kind in ("annual", "monitoring"):
        from ckanext.smartregion.reports import data, render

        report, _ = _timed(f"{kind} report: gather data", data.build, kind, 2025)
        _timed(f"{kind} report: HTML", render.html, report, [], True)
        pdf, _ = _timed(f"{kind} report: PDF", render.pdf, report, [])
        print(f"{'':58} {report['indicator_count']} indicators, {len(pdf):,} bytes of PDF")
    _timed("annual report end to end (data + HTML + PDF + JSON)", publish.produce, "annual", 2025)


if __name__ == "__main__":
    main()
