"""Prints how fast a DCAT-AP-CZ catalogue (LKOD, documents variant) is harvested, end to end.

    .venv/bin/python bench/catalogue_harvest.py [--ini .state/ckan_test_c.ini] [--datasets 5000]
        [--fetch-consumers 1]

A local server (tests/harvesters/catalogue_server.py) serves a catalogue listing N dataset IRIs
and each dataset's record (the specification's example, alternately JSON-LD and Turtle); a
`dcat_ap_cz` harvest job runs through the Redis queues with the real consumer processes
(`ckan harvester gather-consumer` and K `fetch-consumer`s) until it is finished and every
dataset is found in Solr. Then the unchanged catalogue is harvested again (every record
dereferenced and compared). Prints records/s, wall time and the consumers' peak RSS.

It resets the test slot's database, index and queues first: use a slot of your own
(SMARTREGION_TEST_SLOT=c: `deployment/init_ckan.sh test`), never the portal's configuration.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
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
from tests.harvesters.catalogue_server import CatalogueServer, Lkod  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(REPO_ROOT / ".state/ckan_test_c.ini"))
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument("--fetch-consumers", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per harvest job")
    args = parser.parse_args()
    workdir, ini = bench_ini(
        args.ini, "bench-catalogue-", {"ckanext.smartregion.harvest.allowed_hosts": "127.0.0.1"}
    )
    print(f"configuration {ini} (logs in {workdir}); load average {os.getloadavg()}")
    reset_slot(ini)

    with ckan_request_context(str(ini)), CatalogueServer() as server:
        lkod = Lkod(server, kind="jsonld")
        started = time.perf_counter()
        lkod.publish(range(1, args.datasets + 1))
        print(f"{args.datasets} records built in {time.perf_counter() - started:.1f} s")
        Bench(ini, workdir, lkod.catalogue_url, args).run()


class Bench(SiteUserActions):
    def __init__(self, ini: Path, workdir: Path, url: str, args: argparse.Namespace) -> None:
        super().__init__()
        self.ini, self.workdir, self.args = ini, workdir, args
        organization = self.action("organization_create", name="bench-lkod", title="Bench LKOD")
        self.source = self.action(
            "harvest_source_create",
            name="bench-lkod",
            title="Bench LKOD",
            url=url,
            source_type="dcat_ap_cz",
            config="{}",
            owner_org=organization["id"],
        )

    def run(self) -> None:
        names = ["gather"] + [f"fetch-{n}" for n in range(1, self.args.fetch_consumers + 1)]
        consumers = start_consumers(self.ini, self.workdir, names)
        memory = PeakMemory(consumers)
        memory.start()
        count = self.args.datasets
        try:
            first = self._job("first harvest", count)
            print(
                f"first harvest: {count} datasets in {first:.1f} s = {count / first:.1f} records/s"
            )
            again = self._job("unchanged re-harvest", count)
            print(
                f"unchanged re-harvest: {again:.1f} s = {count / again:.1f} records/s "
                "(every IRI dereferenced, compared, nothing imported)"
            )
        finally:
            memory.stop()
            stop_consumers(consumers)
        for name, peak in memory.peak.items():
            print(f"peak RSS {name} consumer: {peak / 2**20:.0f} MiB")
        print(f"load average at the end (1/5/15 min): {os.getloadavg()}")

    def _job(self, label: str, expected: int) -> float:
        started = time.perf_counter()
        job = self.action("harvest_job_create", source_id=self.source["id"])
        deadline, last_run, last_progress = started + self.args.timeout, 0.0, started
        while time.perf_counter() < deadline:
            if time.perf_counter() - last_run >= 2:
                self.action("harvest_jobs_run", source_id=self.source["id"])
                last_run = time.perf_counter()
            shown = self.action("harvest_job_show", id=job["id"])
            if shown["status"] == "Finished" and self._searchable() >= expected:
                break
            if time.perf_counter() - last_progress >= 15:
                last_progress = time.perf_counter()
                print(
                    f"  {label}: {last_progress - started:.0f} s, job {shown['status']}, "
                    f"objects {shown['stats']}",
                    flush=True,
                )
            time.sleep(0.5)
        else:
            sys.exit(f"{label}: job {job['id']} did not finish in {self.args.timeout} s")
        elapsed = time.perf_counter() - started
        report = self.action("harvest_job_report", id=job["id"])
        errors = len(report["gather_errors"]) + len(report["object_errors"])
        print(f"  {label}: stats {shown['stats']}, errors {errors}, load {os.getloadavg()}")
        return elapsed

    def _searchable(self) -> int:
        return self.action(
            "package_search", fq="dataset_type:dataset", rows=0, include_private=True
        )["count"]


if __name__ == "__main__":
    main()
