"""Prints how fast energy/water meter readings are harvested, end to end.

    .venv/bin/python bench/metering_harvest.py [--ini .state/ckan_test_m.ini] [--meters 100]
        [--readings 10000] [--buildings 10]

A local HTTP server (tests/harvesters/file_server.py) serves one CSV of meters × readings
quarter-hour readings (default 100 × 10,000 = 1,000,000, about 60 MB); a job of the
``metering`` harvester runs through the Redis queues with the real gather and fetch consumer
processes until it is finished. It prints readings/s, wall time, the rows found in the
DataStore and the peak resident memory of each consumer; then a second job of the same file
(nothing new) and a third whose file has one more day per meter (only that day is new).

The benchmark resets the test slot's database, search index and queues first (a slot of its
own, e.g. SMARTREGION_TEST_SLOT=m after `deployment/init_ckan.sh test`), never the portal's.
The default response cap (50 MB) is raised to 512 MB in the benchmark's configuration.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
import zoneinfo
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.harvest_common import (  # noqa: E402
    PeakMemory,
    SiteUserActions,
    bench_ini,
    reset_slot,
    start_consumers,
    stop_consumers,
)
from bench.startup import ckan_request_context  # noqa: E402
from tests.harvesters.file_server import FileServer  # noqa: E402

PRAGUE = zoneinfo.ZoneInfo("Europe/Prague")
START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
MEDIA = (("elektřina", "kWh"), ("teplo", "GJ"), ("plyn", "m3"), ("voda", "m3"))


def readings_csv(meters: int, readings: int, buildings: int) -> bytes:
    """meters × readings quarter-hour readings, local time with offset, one line each."""
    stamps = [
        (START + datetime.timedelta(minutes=15 * step)).astimezone(PRAGUE).isoformat()
        for step in range(readings)
    ]
    lines = ["meter_id;building;medium;timestamp;value;unit"]
    for meter in range(meters):
        medium, unit = MEDIA[meter % len(MEDIA)]
        prefix = f"M{meter:04d};Budova {meter % buildings + 1:02d};{medium};"
        lines.extend(
            f"{prefix}{stamp};{(step * 7 + meter) % 50 / 4};{unit}"
            for step, stamp in enumerate(stamps)
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(REPO_ROOT / ".state/ckan_test_m.ini"))
    parser.add_argument("--meters", type=int, default=100)
    parser.add_argument("--readings", type=int, default=10_000, help="readings per meter")
    parser.add_argument("--buildings", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per harvest job")
    args = parser.parse_args()
    workdir, ini = bench_ini(
        args.ini,
        "bench-metering-",
        {
            "ckanext.smartregion.harvest.allowed_hosts": "127.0.0.1",
            "ckanext.smartregion.harvest.max_response_bytes": 512 * 2**20,
        },
    )
    print(f"configuration {ini} (logs in {workdir})")
    reset_slot(ini)
    started = time.perf_counter()
    body = readings_csv(args.meters, args.readings, args.buildings)
    total = args.meters * args.readings
    print(
        f"file: {total} readings, {len(body) / 2**20:.1f} MiB, "
        f"made in {time.perf_counter() - started:.1f} s"
    )

    with ckan_request_context(str(ini)), FileServer() as server:
        url = server.put("/odecty.csv", body)
        Bench(ini, workdir, url, args).run(server, body, total)


class Bench(SiteUserActions):
    def __init__(self, ini: Path, workdir: Path, url: str, args: argparse.Namespace) -> None:
        super().__init__()
        self.ini, self.workdir, self.args = ini, workdir, args
        organization = self.action(
            "organization_create", name="bench-odbor-investic", title="Bench odbor investic"
        )
        config = {"dataset": {"name": "bench-mereni", "is_sample_data": True}}
        self.source = self.action(
            "harvest_source_create",
            name="bench-mereni-zdroj",
            title="Bench měření",
            url=url,
            source_type="metering",
            config=json.dumps(config),
            owner_org=organization["id"],
        )

    def run(self, server: FileServer, body: bytes, total: int) -> None:
        # both consumers, once they have loaded CKAN (so start-up is not measured)
        processes = start_consumers(self.ini, self.workdir, ["gather", "fetch"], wait_loaded=True)
        try:
            self._measured("first harvest", processes, total)
            self._measured("re-harvest, nothing new", processes, 0)
            extra = readings_csv(self.args.meters, self.args.readings + 96, self.args.buildings)
            server.put("/odecty.csv", extra)
            self._measured("re-harvest, one new day per meter", processes, self.args.meters * 96)
        finally:
            stop_consumers(processes)
        print(f"datastore readings: {self._stored()}")

    def _measured(self, label: str, processes: dict, expected_new: int) -> None:
        memory = PeakMemory(processes, interval=0.25)
        memory.start()
        started = time.perf_counter()
        job = self._run_job()
        seconds = time.perf_counter() - started
        memory.stop()
        summary = self._summary(job["id"])
        rate = summary.get("rows", 0) / seconds
        print(
            f"{label}: {seconds:.1f} s wall, {summary.get('rows')} rows read = {rate:,.0f} rows/s; "
            f"new {summary.get('new')} (expected {expected_new}), unchanged "
            f"{summary.get('unchanged')}, rejected {summary.get('rejected')}; "
            f"stats {job['stats']}; peak RSS {memory.report()}"
        )
        errors = self.action("harvest_job_report", id=job["id"])
        if errors["gather_errors"] or errors["object_errors"]:
            print(f"  errors: {json.dumps(errors, ensure_ascii=False)[:2000]}")

    def _run_job(self) -> dict:
        job = self.action("harvest_job_create", source_id=self.source["id"])
        deadline = time.monotonic() + self.args.timeout
        while time.monotonic() < deadline:
            self.action("harvest_jobs_run", source_id=self.source["id"])
            shown = self.action("harvest_job_show", id=job["id"])
            if shown["status"] == "Finished":
                return shown
            time.sleep(1)
        sys.exit(f"job {job['id']} did not finish in {self.args.timeout} s (logs: {self.workdir})")

    def _summary(self, job_id: str) -> dict:
        from ckan import model
        from ckanext.harvest.model import HarvestObject

        model.Session.remove()
        row = (
            model.Session.query(HarvestObject.content)
            .filter(HarvestObject.harvest_job_id == job_id, HarvestObject.guid == "file")
            .first()
        )
        return json.loads(row[0]) if row and row[0] else {}

    def _stored(self) -> int:
        dataset = self.action("package_show", id="bench-mereni")
        count = 0
        for resource in dataset["resources"]:
            if resource.get("resource_type") == "smartregion_metering_readings":
                sql = f'SELECT count(*) AS n FROM "{resource["id"]}"'
                count += int(self.action("datastore_search_sql", sql=sql)["records"][0]["n"])
        return count


if __name__ == "__main__":
    main()
