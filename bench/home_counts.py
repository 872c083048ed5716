"""Home-page counts bench (issue 8): how long the activity-area counts take to build from the
search index with the cache cleared (3 facet searches by type + 1 per area with indicators),
and the server time of the home and area pages of a running portal. Prints figures, asserts
nothing. Run on a configured slot, e.g.:
  .venv/bin/python bench/home_counts.py -c .state/ckan_test_t.ini [--runs 50]
      [--url http://127.0.0.1:5103]
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import ckan_request_context
from bench.timing import summary


def bench_counts(ini: str, runs: int) -> None:
    with ckan_request_context(ini):
        import ckan.plugins.toolkit as tk

        from ckanext.smartregion.plan import home

        total = tk.get_action("package_search")({}, {"rows": 0})["count"]
        print(f"records in the index: {total}")
        times = []
        for _ in range(runs):
            home.clear_cache()
            start = time.perf_counter()
            home.area_counts()
            times.append((time.perf_counter() - start) * 1000)
        summary("area counts, uncached", times)


def bench_pages(url: str, runs: int) -> None:
    for path in ("/", "/en/", "/akcni-plan", "/akcni-plan/oblast-aktivit/5"):
        urllib.request.urlopen(url + path, timeout=60).read()  # warm-up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            urllib.request.urlopen(url + path, timeout=60).read()
            times.append((time.perf_counter() - start) * 1000)
        summary(f"GET {path}", times)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--url")
    args = parser.parse_args()
    bench_counts(args.config, args.runs)
    if args.url:
        bench_pages(args.url.rstrip("/"), args.runs)
