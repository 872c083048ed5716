"""Preview benchmark (issue 8): server time of the resource page of a large uploaded CSV
(its first megabyte is read) and of the table view of an XLSX workbook (read whole with
openpyxl in read-only mode). Prints figures; asserts nothing.

Runs in-process against its own test slot so demo and test data are never touched:
  SMARTREGION_TEST_SLOT=z bash deployment/init_ckan.sh test
  .venv/bin/python bench/preview_pages.py [--csv-megabytes 10] [--xlsx-rows 50000] [--requests 30]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import startup
from bench.startup import ckan_request_context

REPO = Path(__file__).resolve().parent.parent


def _csv(megabytes: int) -> bytes:
    lines, size, target = ["rok;obec;hodnota\n"], 0, megabytes * 1_000_000
    index = 0
    while size < target:
        line = f"{2000 + index % 27};Obec č. {index % 215};{index * 1.5:.2f}\n"
        lines.append(line)
        size += len(line)
        index += 1
    return "".join(lines).encode()


def _xlsx(rows: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(["rok", "obec", "hodnota"])
    for index in range(rows):
        sheet.append([2000 + index % 27, f"Obec č. {index % 215}", index * 1.5])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _timings(client, url: str, requests: int) -> str:
    started = time.perf_counter()
    client.get(url)  # the first view parses the file and keeps the preview
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    median = statistics.median(times)
    return f"first {first:7.1f} ms, then p50 {median:7.1f} ms  p95 {p95:7.1f} ms  (n={len(times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-megabytes", type=int, default=10)
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    slot = os.environ.get("SMARTREGION_TEST_SLOT", "z")
    ini = REPO / ".state" / f"ckan_test_{slot}.ini"

    with ckan_request_context(str(ini)) as flask_app:
        import ckan.plugins.toolkit as tk
        from werkzeug.datastructures import FileStorage

        from ckanext.smartregion.terms_of_use import OPEN_TERMS

        tk.config["ckan.max_resource_size"] = args.csv_megabytes + 1
        tk.config["ckanext.smartregion.downloads.build_on_change"] = False
        site_user = startup.site_user()
        context = {"user": site_user}
        suffix = uuid.uuid4().hex[:8]
        organization = tk.get_action("organization_create")(
            dict(context), {"name": f"bench-preview-{suffix}", "title": "Bench preview"}
        )
        dataset = tk.get_action("package_create")(
            dict(context),
            {
                "type": "dataset",
                "name": f"bench-preview-{suffix}",
                "title": "Bench preview (ukázka)",
                "notes": "Benchmark dataset.",
                "owner_org": organization["id"],
                "themes": ["ENER"],
                "frequency": "ANNUAL",
                "tags": [{"name": "bench"}],
                "is_sample_data": True,
            },
        )
        files = {
            "csv": (_csv(args.csv_megabytes), "velky.csv"),
            "xlsx": (_xlsx(args.xlsx_rows), "velky.xlsx"),
        }
        resources = {}
        for kind, (data, filename) in files.items():
            resources[kind] = tk.get_action("resource_create")(
                dict(context),
                {
                    "package_id": dataset["id"],
                    "name": filename,
                    "upload": FileStorage(io.BytesIO(data), filename),
                    **OPEN_TERMS,
                },
            )
            print(f"{kind}: {len(data) / 1e6:.1f} MB uploaded")

    client = flask_app.test_client()
    for kind, resource in resources.items():
        url = f"/dataset/{dataset['name']}/resource/{resource['id']}"
        print(
            f"resource page with the {kind} table preview  {_timings(client, url, args.requests)}"
        )
    one, five, _ = os.getloadavg()
    print(f"load average: {one:.2f} (1 min) {five:.2f} (5 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
