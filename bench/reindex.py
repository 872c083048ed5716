"""Prints how fast `ckan smartregion reindex` rebuilds the search index, beside CKAN's own
`ckan search-index rebuild` on the same data, whether search answered throughout, and what
the portal's index hooks cost.

    .venv/bin/python bench/reindex.py [--ini .state/ckan_test_j.ini] [--datasets 5000]
        [--templates 200] [--stock-datasets N] [--workers 2] [--batch-size 250]

Data: the demo content, `--templates` collection objects harvested over OAI-PMH/LIDO by the
real harvester (its consumers, harvest objects), copied in SQL up to `--datasets` collection
objects (each copy with an id, name, inventory number, tags, membership and current harvest
object of its own). Then, each command in its own process while a probe asks the live core
for every dataset 10 times a second (failed, empty and incomplete answers counted), with the
peak resident memory of the command's processes:
  1. `ckan smartregion reindex` (the live core gets a full index);
  2. CKAN's path as a schema change needs it: an empty core (of its own, the live one stays
     complete), then `ckan search-index rebuild` (with `--stock-datasets` smaller than the
     data: CKAN's rebuild function on that many datasets, its time for all extrapolated);
  3. `ckan smartregion reindex` again, the figure to quote.
Last, in this process, the documents of a sample built with and without the portal's index
hooks (smartregion, smartregion_review), CKAN's per-dataset path and the batch path, nothing
sent to Solr: what the hooks cost.

The benchmark resets the test slot's database, search index and queues first, never the
portal's: give it a slot of its own whose Redis database no other slot of the machine uses
(SMARTREGION_TEST_SLOT=j, database 10: `deployment/services.sh start` and
`deployment/init_ckan.sh test`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import threading
import time
from argparse import Namespace
from pathlib import Path

import psutil
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.harvest_common import (  # noqa: E402
    CKAN,
    bench_ini,
    reset_slot,
    start_consumers,
    stop_consumers,
)
from bench.oaipmh_harvest import Bench, _services_cpu  # noqa: E402
from tests.harvesters.oai_server import OaiRepository, OaiServer, lido_record  # noqa: E402

OLD = "2020-01-01T00:00:00Z"
MATERIALS = ["sklo", "porcelán", "dřevo", "železo", "textil", "papír", "keramika", "bronz"]


class SearchProbe(threading.Thread):
    """Asks the live core for every dataset every 0.1 s: answers, failures (no answer or an
    error), empty ones and incomplete ones (fewer than `expected`)."""

    def __init__(self, solr_url: str, expected: int) -> None:
        super().__init__(daemon=True)
        self.url, self.expected = f"{solr_url}/select", expected
        self.answers = self.failed = self.empty = self.incomplete = 0
        self.running = True

    def run(self) -> None:
        params = {"q": "*:*", "rows": 0, "wt": "json"}
        while self.running:
            try:
                found = requests.get(self.url, params=params, timeout=10).json()["response"]
                self.answers += 1
                self.empty += found["numFound"] == 0
                self.incomplete += 0 < found["numFound"] < self.expected
            except (requests.RequestException, ValueError, KeyError):
                self.failed += 1
            time.sleep(0.1)

    def stop(self) -> str:
        self.running = False
        self.join()
        return (
            f"probe: {self.answers} answers, {self.failed} failed, {self.empty} empty, "
            f"{self.incomplete} incomplete"
        )


class TreeMemory(threading.Thread):
    """Peak resident memory of a process and its children (the reindex workers), summed."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak_total = self.peak_one = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            with contextlib.suppress(psutil.Error):
                processes = [self.root, *self.root.children(recursive=True)]
                sizes = []
                for process in processes:
                    with contextlib.suppress(psutil.Error):
                        sizes.append(process.memory_info().rss)
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_one = max([self.peak_one, *sizes])
            time.sleep(0.2)

    def stop(self) -> str:
        self.running = False
        self.join()
        return (
            f"peak RSS {self.peak_total / 2**20:.0f} MiB all processes, "
            f"{self.peak_one / 2**20:.0f} MiB the largest"
        )


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (and the workers they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    label: str, argv: list[str], solr_url: str, count: int, log: Path, expected: int = 0
) -> float:
    """Runs a command indexing `count` datasets with the probe (a complete answer has
    `expected` datasets, default `count`) and the memory sampler; prints its time, memory,
    CPU (its processes, Solr's, PostgreSQL's) and what the probe saw; returns seconds."""
    probe = SearchProbe(solr_url, expected or count)
    probe.start()
    services, own = _services_cpu(), _children_cpu()
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT)
        memory = TreeMemory(process.pid)
        memory.start()
        code = process.wait()
    elapsed = time.perf_counter() - started
    own = _children_cpu() - own
    services = {name: seconds - services[name] for name, seconds in _services_cpu().items()}
    print(f"{label}: {elapsed:.1f} s ({elapsed / 60:.1f} min); {memory.stop()}; {probe.stop()}")
    # PostgreSQL's backends of the command end with it (their CPU cannot be read then)
    solr_cpu = services["Solr"]
    print(
        f"  CPU per dataset: command {1000 * own / count:.2f} ms, "
        f"Solr {1000 * solr_cpu / count:.2f} ms (its whole JVM, other users' cores too): "
        "on an idle 2-core machine at most "
        f"{2 * count / (own + solr_cpu):.0f} datasets/s before PostgreSQL's share"
    )
    if code:
        sys.exit(f"{label} failed (exit {code}); see {log}")
    return elapsed


def harvest_templates(ini: Path, workdir: Path, count: int) -> None:
    """`count` LIDO records through the real harvester (gather and fetch consumers)."""
    repository = OaiRepository(page_size=100, name="Bench sbírky")
    for number in range(1, count + 1):
        material = MATERIALS[number % len(MATERIALS)]
        year = 1500 + (number * 37) % 500
        record = lido_record(number, material=material, year=year)
        repository.put(f"oai:bench:{number}", record, datestamp=OLD)
    settings = Namespace(records=count, timeout=3600, fetch_consumers=1, page_size=100)
    with OaiServer(repository) as server:
        bench = Bench(ini, workdir, server.url, settings)
        consumers = start_consumers(ini, workdir, ["gather", "fetch-1"])
        try:
            seconds = bench._run_job("template harvest", count)
        finally:
            stop_consumers(consumers)
    print(f"{count} template collection objects harvested in {seconds:.1f} s")


# package columns a copy changes; the other columns of each table are copied as they are
_COPIES = {
    "package": {
        "id": "m.new_id",
        "name": "left(t.name, 88) || '-k' || m.k",
        "extras": "jsonb_set(t.extras, '{inventory_number}', "
        "to_jsonb(coalesce(t.extras->>'inventory_number', '') || '-k' || m.k))",
    },
    "package_tag": {"id": "gen_random_uuid()::text", "package_id": "m.new_id"},
    "member": {"id": "gen_random_uuid()::text", "table_id": "m.new_id"},
    "resource": {"id": "gen_random_uuid()::text", "package_id": "m.new_id"},
    "harvest_object": {"id": "gen_random_uuid()::text", "package_id": "m.new_id"},
}
_OWNER = {
    "package": "id",
    "package_tag": "package_id",
    "member": "table_id",
    "resource": "package_id",
    "harvest_object": "package_id",
}


def copy_collection_objects(total: int) -> int:
    """Copies the harvested collection objects (rows of every table package_show and the
    index hooks read) until there are `total`; returns how many were made."""
    from ckan import model
    from sqlalchemy import inspect, text

    session = model.Session
    templates = session.execute(
        text("SELECT count(*) FROM package WHERE type = 'collection-object' AND state = 'active'")
    ).scalar_one()
    copies = max(0, -(-total // templates) - 1)
    started = time.perf_counter()
    session.execute(
        text(
            "CREATE TEMP TABLE bench_copy AS SELECT p.id AS old_id, "
            "gen_random_uuid()::text AS new_id, k FROM package p "
            "CROSS JOIN generate_series(1, :copies) k "
            "WHERE p.type = 'collection-object' AND p.state = 'active' "
            "ORDER BY k, p.id LIMIT :needed"
        ),
        {"copies": copies, "needed": total - templates},
    )
    inspector = inspect(session.connection())
    for table, changed in _COPIES.items():
        columns = [column["name"] for column in inspector.get_columns(table)]
        values = [changed.get(c, f"t.{c}") for c in columns]
        if table == "harvest_object":  # the LIDO document itself is never indexed
            values = ["NULL" if c == "content" else v for c, v in zip(columns, values, strict=True)]
        quoted = ", ".join(f'"{c}"' for c in columns)
        session.execute(
            text(
                f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(values)} '
                f'FROM "{table}" t JOIN bench_copy m ON t."{_OWNER[table]}" = m.old_id'
                + (" WHERE t.current" if table == "harvest_object" else "")
            )
        )
    made = session.execute(text("SELECT count(*) FROM bench_copy")).scalar_one()
    session.execute(text("DROP TABLE bench_copy"))
    session.commit()
    session.execute(text("ANALYZE"))
    print(
        f"{made} copies of the {templates} harvested collection objects made in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return made


class HookClock:
    """Time spent inside the portal's index hooks (smartregion's and smartregion_review's
    before_dataset_index, smartregion's after_dataset_show) and in the review plugin's store
    of the quality scores (per dataset in CKAN's path, per batch in the command's): wall and
    CPU seconds, nested calls counted once."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0
        self.depth = 0
        self.restore: list = []

    def _timed(self, function):
        def timed(*args, **kwargs):
            if self.depth:
                return function(*args, **kwargs)
            self.depth += 1
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.wall += time.perf_counter() - wall
                self.cpu += time.process_time() - cpu
                self.depth -= 1

        return timed

    def __enter__(self) -> HookClock:
        import ckan.plugins as p

        from ckanext.smartregion.review import quality

        for name, hook in (
            ("smartregion", "before_dataset_index"),
            ("smartregion", "after_dataset_show"),
            ("smartregion_review", "before_dataset_index"),
        ):
            if p.plugin_loaded(name):
                plugin = p.get_plugin(name)
                setattr(plugin, hook, self._timed(getattr(plugin, hook)))
                self.restore.append(lambda plugin=plugin, hook=hook: delattr(plugin, hook))
        original = quality._save
        quality._save = self._timed(original)
        self.restore.append(lambda: setattr(quality, "_save", original))
        return self

    def __exit__(self, *exc: object) -> None:
        for undo in self.restore:
            undo()


def hook_costs(sample: int, batch_size: int) -> None:
    """What the portal's hooks cost on top of the rest of building the documents (CKAN's
    per-dataset path and the command's batch path, nothing sent to Solr)."""
    from ckan import logic, model

    from ckanext.smartregion.search_index import documents, selection

    ids = selection.package_ids(selection.Filters())[:sample]

    def per_dataset() -> None:
        with documents.collected(documents.Documents()):
            for package_id in ids:
                logic.index_update_package({"ignore_auth": True}, package_id, True)
                model.Session.remove()

    def batched() -> None:
        for batch in selection.batches(ids, batch_size):
            documents.build(batch)
            model.Session.remove()

    for label, run in (("CKAN's per-dataset path", per_dataset), ("batch path", batched)):
        run()  # warm caches (schemas, taxonomy)
        wall, cpu = time.perf_counter(), time.process_time()
        with HookClock() as hooks:
            run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        per = {
            "wall": (1000 * hooks.wall / len(ids), 1000 * (wall - hooks.wall) / len(ids)),
            "CPU": (1000 * hooks.cpu / len(ids), 1000 * (cpu - hooks.cpu) / len(ids)),
        }
        print(
            f"{label}, {len(ids)} datasets, no Solr: "
            + "; ".join(
                f"{kind} {ours:.2f} ms per dataset in the portal's hooks over {rest:.2f} ms "
                f"for the rest = +{100 * ours / rest:.1f} %"
                for kind, (ours, rest) in per.items()
            )
        )


STOCK_SCRIPT = """
import sys, time
from ckan.cli import load_config
from ckan.config.middleware import make_app
make_app(load_config(sys.argv[1]))
from ckan.lib import search
from ckanext.smartregion.search_index import selection
ids = selection.package_ids(selection.Filters())[: int(sys.argv[2])]
search.rebuild(package_ids=ids, defer_commit=True, quiet=True)
search.commit()
"""


def stock_rebuild(ini: Path, workdir: Path, total: int, datasets: int | None) -> float:
    """CKAN's path as a schema change needs it: an empty core (a core of its own, from the
    portal's configset, so that the live core stays complete for the last run), then
    `ckan search-index rebuild`, or CKAN's rebuild function on `datasets` of them. Prints
    and returns datasets/s."""
    from ckanext.smartregion.search_index import solr

    stock = min(datasets or total, total)
    core = solr.live_core().sibling(f"{solr.live_core().name}_stock")
    if solr.exists(core):
        solr.unload(core)
    solr.create(core, "ckan")
    _, stock_ini = bench_ini(str(ini), "bench-reindex-stock-", {"solr_url": core.url})
    if stock == total:
        argv = [str(CKAN), "-c", str(stock_ini), "search-index", "rebuild", "-q"]
    else:
        argv = [sys.executable, "-c", STOCK_SCRIPT, str(stock_ini), str(stock)]
    try:
        seconds = timed(
            f"CKAN's rebuild of {stock} datasets into an empty core",
            argv, core.url, stock, workdir / "stock.log", expected=total,
        )  # fmt: skip
    finally:
        solr.unload(core)
    rate = stock / seconds
    print(
        f"  = {rate:.1f} datasets/s; all {total}: {total / rate / 60:.1f} min"
        + (" (extrapolated)" if stock < total else "")
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(REPO_ROOT / ".state/ckan_test_j.ini"))
    parser.add_argument("--datasets", type=int, default=5000, help="collection objects")
    parser.add_argument("--templates", type=int, default=200, help="of them harvested")
    parser.add_argument("--stock-datasets", type=int, help="for CKAN's rebuild (default all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--hook-sample", type=int, default=2000)
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument(
        "--hooks-only", action="store_true", help="only the hook costs, on the slot's data"
    )
    args = parser.parse_args()
    if args.hooks_only:
        from ckan.cli import load_config
        from ckan.config.middleware import make_app

        with make_app(load_config(args.ini))._wsgi_app.test_request_context():
            hook_costs(args.hook_sample, args.batch_size)
        return
    workdir, ini = bench_ini(
        args.ini, "bench-reindex-", {"ckanext.smartregion.harvest.allowed_hosts": "127.0.0.1"}
    )
    print(f"configuration {ini} (logs in {workdir}); load average {os.getloadavg()}")
    reset_slot(ini)
    started = time.perf_counter()
    subprocess.run([str(CKAN), "-c", str(ini), "smartregion", "demo"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    print(f"demo content loaded in {time.perf_counter() - started:.1f} s")

    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.plugins import toolkit as tk

    app = make_app(load_config(str(ini)))
    with app._wsgi_app.test_request_context():
        harvest_templates(ini, workdir, args.templates)
        copy_collection_objects(args.datasets)
        from ckanext.smartregion.search_index import selection

        total = len(selection.package_ids(selection.Filters()))
        model.Session.remove()
        solr_url = tk.config["solr_url"]
        print(f"{total} datasets to index ({args.datasets} collection objects + demo content)")
        reindex = [str(CKAN), "-c", str(ini), "smartregion", "reindex", "--restart"]
        reindex += ["--workers", str(args.workers), "--batch-size", str(args.batch_size)]
        first = timed("reindex, first", reindex, solr_url, total, workdir / "reindex-1.log")
        print(f"  = {total / first:.0f} datasets/s")
        if not args.skip_stock:
            rate = stock_rebuild(ini, workdir, total, args.stock_datasets)
        second = timed("reindex, again", reindex, solr_url, total, workdir / "reindex-2.log")
        print(f"  = {total / second:.0f} datasets/s, {second / 60:.1f} min")
        if not args.skip_stock:
            print(f"  = {total / second / rate:.1f}× CKAN's rate")
        print(f"the command's last lines:\n{(workdir / 'reindex-2.log').read_text()[-1500:]}")
        hook_costs(args.hook_sample, args.batch_size)


if __name__ == "__main__":
    main()
