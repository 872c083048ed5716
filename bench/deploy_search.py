"""Prints package_search with facets under 16 clients on the single-machine compose: the
portal's CKAN image with gunicorn beside a vanilla CKAN 2.12 (the same image, core plugins
only), on the same datasets, measured side by side in one run.

    python3 bench/deploy_search.py --compose "docker-compose -p P -f deployment/docker-compose.yml
        --env-file ENV --profile single" [--datasets 2000] [--clients 16] [--seconds 20]
        [--rounds 3]

Needs the single profile up with the demo content (`DEPLOY_TEST_KEEP=1 make
deploy-test-single` leaves it running and prints its compose command). Steps:
  1. copies the public datasets in SQL (package rows with their extras, tags, memberships,
     resources, each copy with an id and name of its own; a copied resource has no DataStore
     table, so it is not marked datastore_active) until there are --datasets, and indexes
     the copies (`ckan smartregion reindex --in-place`: CKAN's documents with every index
     hook, in batches);
  2. starts two more gunicorn web containers of the `web` service on 127.0.0.1 (the portal's
     plugins; CKAN_PLUGINS with core plugins only), same workers and threads, same PostgreSQL,
     Redis and Solr core;
  3. --rounds rounds, each --seconds of --clients threads on one then the other (the order
     alternates), anonymous package_search, rows=20, six facets, a query word or none;
  4. removes the two containers (the copies stay in the stack's database).
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from typing import Any

FACETS = json.dumps(["organization", "groups", "tags", "res_format", "license_id", "dataset_type"])
QUERIES = ["", "", "data", "doprava", "obec", "sklo", "2024", "Liberec", "indicator", "mapa"]
PSQL = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-U", "postgres", "-d", "ckan"]
# The portal's bulk reindex into the live core (docs/reindex.md: CKAN's documents, in batches,
# 2 workers): CKAN's `search-index rebuild` indexes one dataset at a time, hours for 100,000.
REBUILD = ["ckan", "-c", "/srv/app/ckan.ini", "smartregion", "reindex", "--in-place"]
CORE_PLUGINS = "activity datastore datatables_view text_view image_view"
# What each copied table's copy changes (the rest is the original's value); `m` maps the
# original package id to the copy's id and sequence number k.
CHANGED = {
    "package": {
        "id": "m.new_id",
        "name": "left(t.name, 80) || '-b' || m.k",
        "extras": "CASE WHEN t.extras ? 'inventory_number' THEN jsonb_set(t.extras,"
        " '{inventory_number}', to_jsonb((t.extras->>'inventory_number') || '-b' || m.k))"
        " ELSE t.extras END",
    },
    "package_tag": {"id": "gen_random_uuid()::text", "package_id": "m.new_id"},
    "member": {"id": "gen_random_uuid()::text", "table_id": "m.new_id"},
    # A copied resource has no DataStore table of its own (the table is named by the resource
    # id): without this, indexing a copied indicator read its values from a table that does not
    # exist (datastore_search: NotFound) and `search-index rebuild` stopped.
    "resource": {
        "id": "gen_random_uuid()::text",
        "package_id": "m.new_id",
        "extras": "CASE WHEN t.extras IS NULL THEN NULL"
        " ELSE ((t.extras::jsonb) - 'datastore_active')::text END",
    },
}
OWNER = {
    "package": "id",
    "package_tag": "package_id",
    "member": "table_id",
    "resource": "package_id",
}


def psql(compose: list[str], sql: str) -> str:
    return subprocess.run(
        [*compose, "exec", "-T", "db", *PSQL],
        input=sql,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def copy_datasets(compose: list[str], total: int) -> int:
    """Copies the active public datasets until there are `total`; returns the copies made."""
    have = int(psql(compose, "SELECT count(*) FROM package WHERE state='active';").strip())
    templates = int(
        psql(
            compose,
            "SELECT count(*) FROM package WHERE state='active' AND NOT private;",
        ).strip()
    )
    needed = total - have
    if needed <= 0 or not templates:
        return 0
    statements = [
        "BEGIN;",
        "CREATE TEMP TABLE m AS SELECT p.id AS old_id, gen_random_uuid()::text AS new_id, k"
        f" FROM package p CROSS JOIN generate_series(1, {-(-needed // templates)}) k"
        f" WHERE p.state = 'active' AND NOT p.private ORDER BY k, p.id LIMIT {needed};",
    ]
    for table, changed in CHANGED.items():
        columns = psql(
            compose,
            "SELECT column_name FROM information_schema.columns WHERE table_schema='public'"
            f" AND table_name='{table}' ORDER BY ordinal_position;",
        ).split()
        values = [changed.get(c, f't."{c}"') for c in columns]
        quoted = ", ".join(f'"{c}"' for c in columns)
        where = " WHERE t.table_name = 'package'" if table == "member" else ""
        statements.append(
            f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(values)} FROM "{table}" t'
            f' JOIN m ON t."{OWNER[table]}" = m.old_id{where};'
        )
    statements += ["COMMIT;", "ANALYZE;"]
    psql(compose, "\n".join(statements))
    return needed


def start_web(compose: list[str], name: str, port: int, plugins: str | None) -> None:
    subprocess.run(["docker", "rm", "-f", name], capture_output=True)
    env = ["-e", f"CKAN_PLUGINS={plugins}"] if plugins else []
    publish = ["-p", f"127.0.0.1:{port}:5000"]
    subprocess.run(
        [*compose, "run", "-d", "--no-deps", "--name", name, *publish, *env, "web", "web"],
        check=True,
        capture_output=True,
    )


def wait_ready(base: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/3/action/status_show", timeout=5):
                return
        except OSError:
            time.sleep(2)
    raise RuntimeError(f"{base} did not answer within {timeout:.0f} s")


def run_load(base: str, clients: int, seconds: float) -> tuple[list[float], int, float]:
    """`clients` threads of package_search for `seconds`: latencies (ms), errors, elapsed."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        nonlocal errors
        i = index
        while time.monotonic() < stop_at:
            i += 1
            params = {"rows": 20, "facet.field": FACETS, "q": QUERIES[i % len(QUERIES)]}
            url = f"{base}/api/3/action/package_search?" + urllib.parse.urlencode(params)
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    ok = response.status == 200 and json.loads(response.read())["success"]
            except Exception:
                ok = False
            with lock:
                if ok:
                    times.append((time.monotonic() - t0) * 1000)
                else:
                    errors += 1

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return times, errors, time.monotonic() - started


def figures(times: list[float], errors: int, elapsed: float) -> dict[str, Any]:
    ordered = sorted(times)
    return {
        "requests": len(ordered),
        "errors": errors,
        "req_per_s": round(len(ordered) / elapsed, 2),
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1) if ordered else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compose", required=True)
    parser.add_argument("--datasets", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=28091)
    args = parser.parse_args()
    compose = shlex.split(args.compose)
    result: dict[str, Any] = {"clients": args.clients}

    started = time.monotonic()
    result["copies_made"] = copy_datasets(compose, args.datasets)
    result["copy_s"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    indexed = subprocess.run(
        [*compose, "exec", "-T", "web", *REBUILD], capture_output=True, text=True
    )
    if indexed.returncode:
        sys.exit(f"indexing the copies failed:\n{(indexed.stdout + indexed.stderr)[-3000:]}")
    result["index_summary"] = indexed.stdout.strip().splitlines()[-1:]
    result["index_s"] = round(time.monotonic() - started, 1)

    targets = {"portal": (args.port, None), "vanilla": (args.port + 1, CORE_PLUGINS)}
    names = {key: f"smartregion-bench-{key}" for key in targets}
    try:
        for key, (port, plugins) in targets.items():
            start_web(compose, names[key], port, plugins)
        for port, _ in targets.values():
            wait_ready(f"http://127.0.0.1:{port}")
        with urllib.request.urlopen(
            f"http://127.0.0.1:{args.port}/api/3/action/package_search?rows=0", timeout=60
        ) as response:
            result["datasets_found"] = json.loads(response.read())["result"]["count"]
        # One short warm-up each (first renders, connection pools), not counted.
        for port, _ in targets.values():
            run_load(f"http://127.0.0.1:{port}", args.clients, 3)
        collected: dict[str, tuple[list[float], int, float]] = {k: ([], 0, 0.0) for k in targets}
        order = list(targets)
        for _ in range(args.rounds):
            for key in order:
                times, errors, elapsed = run_load(
                    f"http://127.0.0.1:{targets[key][0]}", args.clients, args.seconds
                )
                old = collected[key]
                collected[key] = (old[0] + times, old[1] + errors, old[2] + elapsed)
            order.reverse()
        for key, (times, errors, elapsed) in collected.items():
            result[key] = figures(times, errors, elapsed)
    finally:
        for name in names.values():
            subprocess.run(["docker", "rm", "-f", name], capture_output=True)
    print(json.dumps(result, indent=2))
    sys.exit(1 if any(result[k]["errors"] for k in targets) else 0)


if __name__ == "__main__":
    main()
