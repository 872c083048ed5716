"""Prints how fast a museum collection is harvested over OAI-PMH/LIDO, end to end.

    .venv/bin/python bench/oaipmh_harvest.py [--ini .state/ckan_test_p.ini] [--records 2000]
        [--fetch-consumers 1] [--page-size 100] [--stock]

A local OAI-PMH server (tests/harvesters/oai_server.py) serves N generated LIDO records; a
harvest job of the smartregion_oaipmh_lido_harvester plugin runs through the Redis queues with the
real consumer processes (`ckan harvester gather-consumer` and K `fetch-consumer`s) until the
job is finished and every record is found in Solr. It prints records/s, the peak resident
memory of each consumer, and the time of a second harvest of the unchanged source (full
listing, every record compared) and of an incremental one. `--stock` also times the stock
path on the same records: the same mapping, then one plain `package_create` per record.

The benchmark resets the test slot's database, search index and queues first (it must be a
slot of its own, SMARTREGION_TEST_SLOT=p: `deployment/services.sh start` and
`deployment/init_ckan.sh test`), never the portal's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import psutil

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
from tests.harvesters.oai_server import OaiRepository, OaiServer, lido_record  # noqa: E402

OLD = "2020-01-01T00:00:00Z"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(REPO_ROOT / ".state/ckan_test_p.ini"))
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--fetch-consumers", type=int, default=1)
    parser.add_argument("--page-size", type=int, default=100, help="records per OAI-PMH page")
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per harvest job")
    parser.add_argument("--stock", action="store_true", help="also time plain package_create")
    parser.add_argument(
        "--stock-records", type=int, default=None, help="records for --stock (default --records)"
    )
    args = parser.parse_args()
    workdir, ini = bench_ini(
        args.ini, "bench-oaipmh-", {"ckanext.smartregion.harvest.allowed_hosts": "127.0.0.1"}
    )
    print(f"configuration {ini} (logs in {workdir}); load average {os.getloadavg()}")
    reset_slot(ini)

    repository = OaiRepository(page_size=args.page_size, name="Bench sbírky")
    for number in range(1, args.records + 1):
        repository.put(f"oai:bench:{number}", lido_record(number), datestamp=OLD)

    with ckan_request_context(str(ini)), OaiServer(repository) as server:
        bench = Bench(ini, workdir, server.url, args)
        bench.harvests()
        if args.stock:
            bench.stock(repository, args.stock_records or args.records)


def _services_cpu() -> dict[str, float]:
    """CPU seconds (user + system) used so far by Solr's JVM and PostgreSQL's processes."""
    used = {"Solr": 0.0, "PostgreSQL": 0.0}
    for process in psutil.process_iter(["name", "cpu_times"]):
        name = {"java": "Solr", "postgres": "PostgreSQL"}.get(process.info["name"] or "")
        if name and process.info["cpu_times"]:
            times = process.info["cpu_times"]
            used[name] += times.user + times.system
    return used


class Bench(SiteUserActions):
    def __init__(self, ini: Path, workdir: Path, url: str, args: argparse.Namespace) -> None:
        super().__init__()
        self.first_rate = 0.0
        self.ini, self.workdir, self.args = ini, workdir, args
        organization = self.action(
            "organization_create", name="bench-agregator", title="Bench agregátor"
        )
        self.source = self.action(
            "harvest_source_create",
            name="bench-sbirky-oai",
            title="Bench sbírky OAI",
            url=url,
            source_type="oaipmh_lido",
            config=json.dumps({"incremental": True}),
            owner_org=organization["id"],
        )

    def harvests(self) -> None:
        fetch = [f"fetch-{n}" for n in range(1, self.args.fetch_consumers + 1)]
        consumers = start_consumers(self.ini, self.workdir, ["gather", *fetch])
        memory = PeakMemory(consumers)
        memory.start()
        try:
            records = self.args.records
            services = _services_cpu()
            first = self._run_job("first harvest", records)
            services = {k: v - services[k] for k, v in _services_cpu().items()}
            self.first_rate = records / first
            cpu = sum(memory.cpu.values())
            print(
                f"first harvest: consumers' CPU {cpu:.0f} s = {1000 * cpu / records:.0f} ms per "
                f"record (on an idle 2-core machine at most {2 * records / cpu:.0f} records/s "
                "before PostgreSQL's and Solr's share)"
            )
            print(
                "first harvest: "
                + ", ".join(
                    f"{name} CPU {seconds:.0f} s = {1000 * seconds / records:.1f} ms per record"
                    for name, seconds in services.items()
                )
                + " (every process of the machine's PostgreSQL and Solr, other users' too)"
            )
            print(
                f"first harvest: {records} records in {first:.1f} s = "
                f"{records / first:.1f} records/s "
                f"(gather + {self.args.fetch_consumers} fetch consumer(s), "
                f"page size {self.args.page_size})"
            )
            self._set_incremental(False)
            full = self._run_job("unchanged re-harvest (full list)", records)
            print(f"re-harvest, nothing changed, full list compared: {full:.1f} s")
            self._set_incremental(True)
            incremental = self._run_job("unchanged re-harvest (incremental)", records)
            print(f"re-harvest, nothing changed, incremental (from=last job): {incremental:.1f} s")
        finally:
            memory.stop()
            stop_consumers(consumers)
        for name, peak in memory.peak.items():
            print(f"peak RSS {name}: {peak / 2**20:.0f} MiB")

    def _set_incremental(self, incremental: bool) -> None:
        # on the model: harvest_source_update's package_update fails here, in a process whose
        # session harvest_jobs_run has committed and removed (its savepoint is closed)
        from ckanext.harvest.model import HarvestSource

        source = HarvestSource.get(self.source["id"])
        source.config = json.dumps({"incremental": incremental})
        source.save()

    def _run_job(self, label: str, expected: int) -> float:
        """Seconds from the job's creation until it is finished and `expected` datasets of
        the source are found in Solr."""
        started = time.perf_counter()
        job = self.action("harvest_job_create", source_id=self.source["id"])
        deadline = started + self.args.timeout
        last_progress = started
        finished = False
        last_run = 0.0
        while time.perf_counter() < deadline:
            # the scheduler's step, which also resubmits every waiting object missing from
            # Redis (a query and a full read of the queue): every 2 s, not on every poll
            if time.perf_counter() - last_run >= 2:
                self.action("harvest_jobs_run", source_id=self.source["id"])
                last_run = time.perf_counter()
            status = self._job_status(job["id"])  # harvest_job_show counts every object
            if status == "Finished":
                finished = True
                found = self._searchable()
                if found >= expected:
                    break
            if time.perf_counter() - last_progress >= 10:
                last_progress = time.perf_counter()
                shown = self.action("harvest_job_show", id=job["id"])
                print(
                    f"  {label}: {time.perf_counter() - started:.0f} s, job {shown['status']}, "
                    f"objects {shown['stats']}, in Solr {self._searchable()}",
                    flush=True,
                )
            time.sleep(0.2 if finished else 0.5)
        else:
            sys.exit(f"{label}: job {job['id']} did not finish in {self.args.timeout} s")
        elapsed = time.perf_counter() - started
        shown = self.action("harvest_job_show", id=job["id"])
        report = self.action("harvest_job_report", id=job["id"])
        errors = len(report["gather_errors"]) + len(report["object_errors"])
        print(
            f"  {label}: stats {shown['stats']}, errors {errors}, "
            f"load average (1/5/15 min) {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        return elapsed

    def _job_status(self, job_id: str) -> str:
        from ckan import model
        from ckanext.harvest.model import HarvestJob

        model.Session.remove()
        return HarvestJob.get(job_id).status

    def _searchable(self) -> int:
        result = self.action(
            "package_search",
            fq="dataset_type:collection-object",  # the stock path runs after the harvests
            rows=0,
            include_private=True,
        )
        return result["count"]

    def stock(self, repository: OaiRepository, count: int) -> None:
        """The stock path: the same mapped records, one default package_create each (which
        commits the database and the Solr index per record)."""
        from ckan.lib import search

        from ckanext.smartregion.harvesters import safe_xml
        from ckanext.smartregion.harvesters.oaipmh_lido import institutions, lido
        from ckanext.smartregion.harvesters.oaipmh_lido.importer import DATASET_TYPE

        organization = self.action(
            "organization_create", name="bench-stock", title="Bench stock path"
        )
        records = [repository.records[f"oai:bench:{n}"] for n in range(1, count + 1)]
        started = time.perf_counter()
        for number, stored in enumerate(records, start=1):
            mapped = lido.map_record(safe_xml.parse(stored.lido.encode()), ("cs", "en"))
            self.action(
                "package_create",
                **mapped.fields,
                type=DATASET_TYPE,
                name=f"{institutions.slug(mapped.fields['title'], 60)}-stock-{number}",
                owner_org=organization["id"],
                source_system="bench",
                is_sample_data=False,
                resources=mapped.resources,
            )
        elapsed = time.perf_counter() - started
        search.commit()
        stock_rate = count / elapsed
        print(
            f"stock path (map + package_create per record, in-process): {count} records in "
            f"{elapsed:.1f} s = {stock_rate:.1f} records/s; the harvester's first harvest is "
            f"{self.first_rate / stock_rate:.1f}× that"
        )


if __name__ == "__main__":
    main()
