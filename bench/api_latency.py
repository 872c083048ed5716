"""Server latency of the portal's main API calls, measured against a running portal.

Usage: .venv/bin/python bench/api_latency.py [--url http://127.0.0.1:5000] [--requests 200]
Prints p50/p95/max per call; start the portal first (`make run`). Read-only, loopback only.
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.parse
import urllib.request

CALLS = {
    "status_show": "/api/3/action/status_show",
    "package_search (facets)": "/api/3/action/package_search?"
    + urllib.parse.urlencode(
        {
            "q": "energie",
            "facet.field": (
                '["vocab_activity_area","vocab_strategic_goals","dataset_type","organization"]'
            ),
        }
    ),
    "package_search (no diacritics)": "/api/3/action/package_search?q=spotreba",
    "package_show (indicator)": "/api/3/action/package_show?id=ukazatel-2-1-01",
    "smartregion_taxonomy_show": "/api/3/action/smartregion_taxonomy_show",
    "dataset page (HTML)": "/indicator/ukazatel-2-1-01",
    "search page (HTML)": "/dataset/?q=energie",
}


def measure(url: str, requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("this benchmark only targets a portal on loopback")
    print(
        f"{'call':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}   "
        f"({args.requests} sequential requests each)"
    )
    for name, path in CALLS.items():
        measure(args.url + path, 5)  # warm caches and connections
        timings = sorted(measure(args.url + path, args.requests))
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:34} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f}")


if __name__ == "__main__":
    main()
