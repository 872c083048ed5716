"""Checks a running container deployment through its published port, then measures node loss.

Usage: deploy_check.py BASE_URL --token TOKEN [--compose "docker-compose ... --profile cluster"]
  functional   API status_show, package_search (with facets), a dataset page, a DataStore
               query, /lkod/katalog, one probe harvest job through the gather/fetch consumers
  load         READ_THREADS clients for LOAD_SECONDS (package_search with facets, package_show,
               dataset pages); with --compose, one Solr node and one web replica are stopped
               at 1/4 of the run and started again at 1/2. Counts failed requests and incomplete
               searches (numFound below the count before the load), per phase, with req/s, p50
               and p95. Recovery: both services healthy again, every Solr replica active.
Prints one JSON object with the figures; exits 1 when a functional check fails, when requests
fail or searches are incomplete, or when the cluster does not recover.
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
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

FACETS = json.dumps(["organization", "groups", "tags", "res_format", "license_id", "dataset_type"])


class Client:
    """A small HTTP client for the portal's API and pages."""

    def __init__(self, base: str, token: str = "") -> None:
        self.base = base.rstrip("/")
        self.token = token

    def get(
        self, path: str, params: dict[str, Any] | None = None, timeout: float = 30, accept: str = ""
    ) -> tuple[int, bytes]:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        headers = {"Authorization": self.token} if self.token else {}
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def action(
        self, name: str, data: dict[str, Any] | None = None, params: dict[str, Any] | None = None
    ) -> Any:
        if data is None:
            status, body = self.get(f"/api/3/action/{name}", params)
        else:
            request = urllib.request.Request(
                f"{self.base}/api/3/action/{name}",
                data=json.dumps(data).encode(),
                headers={"Content-Type": "application/json", "Authorization": self.token},
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read()
        if status != 200:
            raise RuntimeError(f"{name}: HTTP {status}: {body[:300]!r}")
        return json.loads(body)["result"]


def functional(client: Client, results: dict[str, Any]) -> list[str]:
    """The portal's main surfaces, each through the published port."""
    failures: list[str] = []

    def check(name: str, fn: Any) -> None:
        start = time.monotonic()
        try:
            detail = fn()
            results["checks"][name] = {
                "ok": True,
                "ms": round((time.monotonic() - start) * 1000),
                "detail": detail,
            }
        except Exception as error:
            results["checks"][name] = {"ok": False, "error": str(error)[:400]}
            failures.append(name)

    results["checks"] = {}
    check("status_show", lambda: client.action("status_show")["ckan_version"])
    search: dict[str, Any] = {}

    def package_search() -> int:
        search.update(client.action("package_search", params={"rows": 50, "facet.field": FACETS}))
        if search["count"] < 1:
            raise RuntimeError("package_search found no datasets; was the demo content loaded?")
        return search["count"]

    check("package_search", package_search)
    datasets = search.get("results", [])

    def dataset_page() -> str:
        path = f"/{datasets[0]['type']}/{datasets[0]['name']}"
        status, body = client.get(path)
        if status != 200 or datasets[0]["title"].encode() not in body:
            raise RuntimeError(f"{path}: HTTP {status}")
        return path

    check("dataset_page", dataset_page)

    def datastore_query() -> str:
        for dataset in datasets:
            for resource in dataset.get("resources", []):
                if resource.get("datastore_active"):
                    found = client.action(
                        "datastore_search", params={"resource_id": resource["id"], "limit": 5}
                    )
                    if not found["records"]:
                        raise RuntimeError(f"datastore_search {resource['id']}: no records")
                    return f"{resource['id']}: {found.get('total')} rows"
        raise RuntimeError("no resource with datastore_active in the first 50 datasets")

    check("datastore_search", datastore_query)

    def catalogue() -> int:
        status, body = client.get("/lkod/katalog", accept="application/ld+json")
        if status != 200 or (b"Katalog" not in body and b"Catalog" not in body):
            raise RuntimeError(f"/lkod/katalog: HTTP {status}, no catalogue: {body[:200]!r}")
        return len(body)

    check("lkod_katalog", catalogue)
    check("harvest_job", lambda: harvest(client, datasets))
    return failures


def harvest(
    client: Client, datasets: list[dict[str, Any]], count: int = 5, timeout: float = 240
) -> str:
    """A probe harvest job: gathered, fetched and imported by the consumers, marked finished."""
    owner = next(d["organization"]["name"] for d in datasets if d.get("organization"))
    name = f"deploy-probe-{int(time.time())}"
    source = client.action(
        "harvest_source_create",
        {
            "name": name,
            "title": "Deploy test probe",
            "url": f"http://probe.invalid/{name}",
            "source_type": "smartregion_probe",
            "owner_org": owner,
            "config": json.dumps({"count": count, "owner_org": owner}),
            "frequency": "MANUAL",
        },
    )
    try:
        client.action("harvest_job_create", {"source_id": source["id"], "run": True})
    except RuntimeError as error:  # a new source may already have its first job queued
        if "already" not in str(error):
            raise
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        last = (
            client.action("harvest_source_show", params={"id": source["id"]})
            .get("status", {})
            .get("last_job")
        )
        if last and last.get("status") == "Finished":
            stats = last.get("stats", {})
            if stats.get("added", 0) != count or stats.get("errored", 0):
                raise RuntimeError(f"harvest job finished with {stats}")
            found = client.action(
                "package_search",
                params={
                    "fq": f"name:{source['id'][:8]}-probe-*",
                    "include_private": True,
                    "rows": 0,
                },
            )["count"]
            if found != count:
                raise RuntimeError(f"{found} of {count} harvested datasets are in the search index")
            return f"{count} objects added, {found} indexed"
        time.sleep(3)
    raise RuntimeError(f"the harvest job did not finish within {timeout:.0f} s")


def addresses(compose: list[str], services: tuple[str, ...]) -> dict[str, list[str]]:
    """The container addresses of services (a restarted container may get another one)."""
    found = {}
    for service in services:
        cid = subprocess.run(
            [*compose, "ps", "-q", service], capture_output=True, text=True
        ).stdout.strip()
        found[service] = subprocess.run(
            [
                "docker",
                "inspect",
                "-f",
                "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
                cid,
            ],
            capture_output=True,
            text=True,
        ).stdout.split()
    return found


def load(
    client: Client,
    datasets: list[tuple[str, str]],
    expected: int,
    threads: int,
    seconds: float,
    compose: list[str],
) -> dict[str, Any]:
    """Bounded read load; optionally takes solr2 and web2 away for the middle quarter."""
    samples: list[tuple[float, float, str, str]] = []  # (start, ms, kind, outcome)
    failed: list[dict[str, Any]] = []  # what each failed request got, for the diagnosis
    lock = threading.Lock()
    start = time.monotonic()
    started_utc = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    # With the node loss the load ends half of `seconds` after the nodes were started again
    # (stopping them gracefully takes a while), so the restart is measured as long as the rest.
    stop_at = [start + (10 * seconds if compose else seconds)]
    events: dict[str, float] = {}

    def worker(index: int) -> None:
        i = index
        while time.monotonic() < stop_at[0]:
            i += 1
            kind = ("search", "show", "page", "search")[i % 4]
            t0 = time.monotonic()
            outcome, reason, path = "ok", "", "/api/3/action/package_search"
            try:
                if kind == "search":
                    status, body = client.get(path, {"rows": 10, "facet.field": FACETS})
                    if status != 200:
                        outcome, reason = "failed", f"HTTP {status}"
                    elif json.loads(body)["result"]["count"] < expected:
                        outcome = "incomplete"
                else:
                    if kind == "show":
                        path = "/api/3/action/package_show?id=" + datasets[i % len(datasets)][1]
                        params = None
                    else:
                        path, params = "/{}/{}".format(*datasets[i % len(datasets)]), None
                    status, _ = client.get(path, params)
                    if status != 200:
                        outcome, reason = "failed", f"HTTP {status}"
            except Exception as error:
                outcome, reason = "failed", f"{type(error).__name__}: {error}"[:160]
            with lock:
                samples.append((t0 - start, (time.monotonic() - t0) * 1000, kind, outcome))
                if reason:
                    failed.append(
                        {
                            "at_s": round(t0 - start, 1),
                            # wall clock, to find the request in the saved container logs
                            "at_utc": time.strftime(
                                "%H:%M:%S", time.gmtime(time.time() - (time.monotonic() - t0))
                            ),
                            "ms": round((time.monotonic() - t0) * 1000),
                            "kind": kind,
                            "path": path,
                            "reason": reason,
                        }
                    )

    pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for thread in pool:
        thread.start()
    if compose:
        # Up for the first quarter, down for the second (counted from when both have stopped),
        # then started again for half of `seconds`.
        time.sleep(seconds / 4)
        ips_before = addresses(compose, ("solr2", "web2"))
        events["stop"] = time.monotonic() - start
        subprocess.run([*compose, "stop", "solr2", "web2"], check=True, capture_output=True)
        events["stopped"] = time.monotonic() - start
        time.sleep(seconds / 4)
        events["start"] = time.monotonic() - start
        subprocess.run([*compose, "start", "solr2", "web2"], check=True, capture_output=True)
        ips_after = addresses(compose, ("solr2", "web2"))
        stop_at[0] = time.monotonic() + seconds / 2
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - start

    def summary(rows: list[tuple[float, float, str, str]], span: float) -> dict[str, Any]:
        times = sorted(r[1] for r in rows)
        return {
            "requests": len(rows),
            "failed": sum(r[3] == "failed" for r in rows),
            "incomplete_searches": sum(r[3] == "incomplete" for r in rows),
            "failed_by_kind": {
                kind: sum(r[3] == "failed" and r[2] == kind for r in rows)
                for kind in ("search", "show", "page")
            },
            "req_per_s": round(len(rows) / span, 1) if span else None,
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1) if times else None,
        }

    figures: dict[str, Any] = {
        "started_utc": started_utc,
        "threads": threads,
        "seconds": round(elapsed, 1),
        "all": summary(samples, elapsed),
        "failed_requests": sorted(failed, key=lambda f: f["at_s"])[:40],
    }
    if compose:
        before = [s for s in samples if s[0] < events["stop"]]
        during = [s for s in samples if events["stop"] <= s[0] < events["start"]]
        after = [s for s in samples if s[0] >= events["start"]]
        figures["events_s"] = {k: round(v, 1) for k, v in events.items()}
        figures["addresses"] = {"before_stop": ips_before, "after_start": ips_after}
        figures["before"] = summary(before, events["stop"])
        figures["nodes_down"] = summary(during, events["start"] - events["stop"])
        figures["after_restart"] = summary(after, elapsed - events["start"])
        searches = [s for s in samples if s[2] == "search"]
        figures["search_p95_ms"] = summary(searches, elapsed)["p95_ms"]
    return figures


def recovery(compose: list[str], timeout: float = 420) -> dict[str, Any]:
    """solr2 and web2 healthy again and every replica of the collection active."""
    start = time.monotonic()
    deadline = start + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        health = {}
        for service in ("solr2", "web2"):
            cid = subprocess.run(
                [*compose, "ps", "-q", service], capture_output=True, text=True
            ).stdout.strip()
            health[service] = subprocess.run(
                ["docker", "inspect", "-f", "{{.State.Health.Status}}", cid],
                capture_output=True,
                text=True,
            ).stdout.strip()
        status = subprocess.run(
            [
                *compose,
                "exec",
                "-T",
                "solr1",
                "curl",
                "-fsS",
                "http://127.0.0.1:8983/solr/admin/collections?action=CLUSTERSTATUS&collection=ckan&wt=json",
            ],
            capture_output=True,
            text=True,
        ).stdout
        replicas: list[str] = []
        try:
            # `ckan` is an alias: CLUSTERSTATUS answers with the collection it names.
            (collection,) = json.loads(status)["cluster"]["collections"].values()
            shards = collection["shards"]
            live = set(json.loads(status)["cluster"]["live_nodes"])
            replicas = [
                r["state"] if r["node_name"] in live else "down"
                for shard in shards.values()
                for r in shard["replicas"].values()
            ]
        except (ValueError, KeyError):
            pass
        state = {"health": health, "replicas": replicas}
        if (
            all(h == "healthy" for h in health.values())
            and replicas
            and all(r == "active" for r in replicas)
        ):
            state["recovered_in_s"] = round(time.monotonic() - start, 1)
            state["ok"] = True
            return state
        time.sleep(2)
    state["ok"] = False
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--token", default="")
    parser.add_argument("--compose", default="", help="compose command for the node-loss test")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--skip-functional", action="store_true")
    args = parser.parse_args()
    client = Client(args.base_url, args.token)
    anonymous = Client(args.base_url)
    results: dict[str, Any] = {}
    failures = [] if args.skip_functional else functional(client, results)

    found = anonymous.action("package_search", params={"rows": 1000, "fl": "name,dataset_type"})
    names = [(d["dataset_type"], d["name"]) for d in found["results"]]
    compose = shlex.split(args.compose)
    results["load"] = load(anonymous, names, found["count"], args.threads, args.seconds, compose)
    results["load"]["expected_count"] = found["count"]
    if compose:
        results["recovery"] = recovery(compose)
        if not results["recovery"]["ok"]:
            failures.append("recovery")
        # After the recovery the collection still answers in full.
        after = anonymous.action("package_search", params={"rows": 0})["count"]
        results["recovery"]["count_after"] = after
        if after < found["count"]:
            failures.append("count_after_recovery")
    overall = results["load"]["all"]
    if overall["failed"] or overall["incomplete_searches"]:
        failures.append("load")
    results["failures"] = failures
    print(json.dumps(results, indent=2))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
