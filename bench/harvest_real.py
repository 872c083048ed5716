"""Prints, per harvester, records/s and the share imported on the real public feeds of
tests/fixtures/real/, scaled to N records by copying real records under new identifiers.

    .venv/bin/python bench/harvest_real.py [--ini .state/ckan_test_e.ini] [--records 10000]
        [--only dcat_ap_cz,arcgis_hub,ckan_portal,oaipmh_lido]

Each harvest runs its stages in this process (gather, then ckanext-harvest's
fetch_and_import_stages per object, as the tests do), with the default source configuration,
against a local server: the Hradec Králové Region's LKOD records (DCAT-AP-CZ), its ArcGIS Hub
data.json entries, catalog.data.gov's CKAN packages (IMLS and NEH, from the library's snapshot
of github:BCDigSchol/data-rescue, see tests/fixtures/real/README.md) through package_search,
the INP/CIMEC LIDO export over OAI-PMH. A copy differs from its original only in its
identifier (IRI, `identifier`, CKAN id and name, lidoRecID), so the defects are the originals'.
Each harvester prints records/s, the share imported, this process's CPU time a record
(PostgreSQL's and Solr's are not counted) and the load average during its run.

It resets the test slot's database, index and queues first: use a slot of your own
(`SMARTREGION_TEST_SLOT=e deployment/init_ckan.sh test`), never the portal's configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.harvest_common import SiteUserActions, bench_ini, reset_slot  # noqa: E402
from bench.startup import ckan_request_context  # noqa: E402
from tests.harvesters import real_feeds  # noqa: E402
from tests.harvesters.catalogue_server import CatalogueServer, data_json  # noqa: E402
from tests.harvesters.oai_server import OaiRepository, OaiServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(REPO_ROOT / ".state/ckan_test_e.ini"))
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--only", default="dcat_ap_cz,arcgis_hub,ckan_portal,oaipmh_lido")
    args = parser.parse_args()
    _workdir, ini = bench_ini(
        args.ini, "bench-real-", {"ckanext.smartregion.harvest.allowed_hosts": "127.0.0.1"}
    )
    print(f"configuration {ini}; load average {os.getloadavg()}")
    reset_slot(ini)

    with ckan_request_context(str(ini)):
        bench = Bench()
        for kind in args.only.split(","):
            getattr(bench, kind)(args.records)


class LoadSampler:
    """The 1-minute load average, read every 10 s until stopped: (lowest, highest)."""

    def __init__(self) -> None:
        self.samples = [os.getloadavg()[0]]
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.wait(10):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> tuple[float, float]:
        self.done.set()
        self.thread.join()
        self.samples.append(os.getloadavg()[0])
        return min(self.samples), max(self.samples)


class Bench(SiteUserActions):
    def __init__(self) -> None:
        super().__init__()
        self.organization = self.action(
            "organization_create", name="bench-real", title="Bench real feeds"
        )

    def _source(self, kind: str, url: str) -> dict:
        return self.action(
            "harvest_source_create",
            name=f"bench-real-{kind.replace('_', '-')}",
            title=f"Bench {kind}",
            url=url,
            source_type=kind,
            config="{}",
            owner_org=self.organization["id"],
        )

    def _run(self, kind: str, url: str, records: int) -> None:
        from ckan import model
        from ckan.plugins import PluginImplementations
        from ckanext.harvest.interfaces import IHarvester
        from ckanext.harvest.model import HarvestJob, HarvestObject
        from ckanext.harvest.queue import fetch_and_import_stages

        source = self._source(kind, url)
        harvester = next(h for h in PluginImplementations(IHarvester) if h.info()["name"] == kind)
        job = self.action("harvest_job_create", source_id=source["id"])
        job_object = model.Session.get(HarvestJob, job["id"])
        job_object.status = "Running"
        job_object.save()
        loads = LoadSampler()
        started, cpu_started = time.perf_counter(), time.process_time()
        for object_id in harvester.gather_stage(job_object) or []:
            fetch_and_import_stages(harvester, model.Session.get(HarvestObject, object_id))
        seconds = time.perf_counter() - started
        cpu_ms = (time.process_time() - cpu_started) * 1000 / records
        low, high = loads.stop()
        report = self.action("harvest_job_report", id=job["id"])
        summary = report.get("quality_summary") or {}
        imported = summary.get("imported", 0)  # LIDO jobs too (job_summary.counts)
        print(
            f"{kind}: {records} records in {seconds:.1f} s = {records / seconds:.1f} records/s; "
            f"imported {imported} ({imported / records:.2%}); "
            f"{len(report['object_errors'])} object errors, "
            f"{len(report['gather_errors'])} gather errors"
        )
        print(
            f"  this process {cpu_ms:.1f} ms CPU a record (PostgreSQL and Solr not counted); "
            f"load average {low:.1f}-{high:.1f} during the run"
        )
        if summary.get("line"):
            print(f"  {summary['line']}")

    def dcat_ap_cz(self, records: int) -> None:
        documents = real_feeds.lkod_documents()
        catalogue = json.loads(documents.pop("katalog.jsonld"))
        originals = sorted(documents)
        with CatalogueServer() as server:
            base = server.url + "/"
            iris = []
            for number in range(records):
                name = originals[number % len(originals)]
                copy = f"{number:06d}-{name}"
                body = (
                    documents[name]
                    .decode("utf-8")
                    .replace(real_feeds.LKOD_HOST + name, base + copy)
                )
                server.put(
                    "/" + copy, body.replace(real_feeds.LKOD_HOST, base), "application/ld+json"
                )
                iris.append(base + copy)
            catalogue["datová_sada"] = iris
            url = server.put(
                "/katalog.jsonld", json.dumps(catalogue, ensure_ascii=False), "application/ld+json"
            )
            self._run("dcat_ap_cz", url, records)

    def arcgis_hub(self, records: int) -> None:
        originals = real_feeds.hub_entries()
        entries = []
        for number in range(records):
            entry = dict(originals[number % len(originals)])
            entry["identifier"] = f"{entry['identifier']}&copy={number}"
            entries.append(entry)
        with CatalogueServer() as server:
            url = server.put("/data.json", data_json(entries), "application/json")
            self._run("arcgis_hub", url, records)

    def ckan_portal(self, records: int) -> None:
        answers = real_feeds.ckan_answers()
        if answers is None:
            sys.exit(f"No snapshot of github:BCDigSchol/data-rescue at {real_feeds.CKAN_SNAPSHOT}")
        originals = real_feeds.ckan_packages(answers)
        packages = []
        for number in range(records):
            package = dict(originals[number % len(originals)])
            package["id"] = f"{number:08d}{package['id'][8:]}"
            package["name"] = f"{package['name'][:90]}-{number}"
            packages.append(package)
        with CatalogueServer() as server:
            server.ckan_packages = packages
            self._run("ckan_portal", server.url + "/ckan", records)

    def oaipmh_lido(self, records: int) -> None:
        originals = real_feeds.lido_records()
        repository = OaiRepository(page_size=100)
        for number in range(records):
            lido = originals[number % len(originals)]
            copy = number // len(originals)
            if copy:
                lido = lido.replace("</lido:lidoRecID>", f"-{copy}</lido:lidoRecID>", 1)
            repository.put(f"oai:inp:{number}", lido, datestamp="2014-02-02T00:00:00Z")
        with OaiServer(repository) as server:
            self._run("oaipmh_lido", server.url, records)


if __name__ == "__main__":
    main()
