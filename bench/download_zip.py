"""Download-all ZIP benchmark (issue 8): wall time and peak memory of the real RQ worker
building the ZIP of a dataset with many large uploaded files, and of a second build request
when nothing changed. Prints figures; asserts nothing.

Runs against its own test slot so demo and test data are never touched:
  SMARTREGION_TEST_SLOT=z bash deployment/init_ckan.sh test
  .venv/bin/python bench/download_zip.py [--resources 20] [--megabytes 10]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import startup
from bench.startup import ckan_request_context

REPO = Path(__file__).resolve().parent.parent


def _file(megabytes: int, seed: int) -> bytes:
    """CSV-like text with random numbers: compresses about as well as real tables do."""
    rng = random.Random(seed)
    rows, size, target = ["rok;obec;hodnota\n"], 0, megabytes * 1024 * 1024
    while size < target:
        row = f"{rng.randint(2000, 2026)};{rng.randint(1, 215)};{rng.random() * 1e6:.4f}\n"
        rows.append(row)
        size += len(row)
    return "".join(rows).encode()


def _worker(ini: Path) -> tuple[float, float]:
    """Runs `ckan jobs worker --burst smartregion_downloads`; wall seconds, peak RSS in MiB
    of the worker and its work horse (the largest of the waited-for children so far)."""
    started = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "ckan"),
            "-c",
            str(ini),
            "jobs",
            "worker",
            "--burst",
            "smartregion_downloads",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=20)
    parser.add_argument("--megabytes", type=int, default=10)
    args = parser.parse_args()
    slot = os.environ.get("SMARTREGION_TEST_SLOT", "z")
    ini = REPO / ".state" / f"ckan_test_{slot}.ini"

    with ckan_request_context(str(ini)):
        import ckan.plugins.toolkit as tk
        from werkzeug.datastructures import FileStorage

        from ckanext.smartregion.downloads import archive
        from ckanext.smartregion.terms_of_use import OPEN_TERMS

        # CKAN's default upload limit is 10 MiB; the bench's files are that large.
        tk.config["ckan.max_resource_size"] = args.megabytes + 1
        site_user = startup.site_user()
        context = {"user": site_user}
        organization = tk.get_action("organization_create")(
            dict(context), {"name": f"bench-zip-{uuid.uuid4().hex[:8]}", "title": "Bench ZIP"}
        )
        dataset = tk.get_action("package_create")(
            dict(context),
            {
                "type": "dataset",
                "name": f"bench-zip-{uuid.uuid4().hex[:8]}",
                "title": "Bench ZIP (ukázka)",
                "notes": "Benchmark dataset.",
                "owner_org": organization["id"],
                "themes": ["ENER"],
                "frequency": "ANNUAL",
                "tags": [{"name": "bench"}],
                "is_sample_data": True,
            },
        )
        started = time.perf_counter()
        for index in range(args.resources):
            data = _file(args.megabytes, index)
            tk.get_action("resource_create")(
                dict(context),
                {
                    "package_id": dataset["id"],
                    "name": f"Soubor {index + 1}",
                    "upload": FileStorage(io.BytesIO(data), f"soubor-{index + 1}.csv"),
                    **OPEN_TERMS,
                },
            )
        print(
            f"{args.resources} uploads of {args.megabytes} MB"
            f"{'':30} {time.perf_counter() - started:8.2f} s"
        )
        # The uploads queued builds; start from one clean request, as after a last change.
        tk.get_action("job_clear")({"ignore_auth": True}, {"queues": [archive.QUEUE]})
        archive.remove(dataset["id"])
        tk.get_action("job_clear")({"ignore_auth": True}, {"queues": [archive.QUEUE]})
        from ckanext.smartregion.downloads import jobs

        jobs.request_build(dataset["id"], dataset["name"])
        seconds, rss = _worker(ini)
        state = archive.recorded_state(dataset["id"]) or {}
        print(f"worker: build the ZIP{'':38} {seconds:8.2f} s")
        print(f"  of which the job itself{'':34} {state.get('seconds', float('nan')):8.2f} s")
        print(f"  ZIP size{'':49} {state.get('bytes', 0) / 2**20:8.1f} MiB")
        print(f"  peak RSS (worker or work horse){'':26} {rss:8.1f} MiB")
        jobs.request_build(dataset["id"], dataset["name"])
        seconds, _ = _worker(ini)
        print(f"worker: second request, nothing changed{'':19} {seconds:8.2f} s")
        one, five, _ = os.getloadavg()
        print(f"load average: {one:.2f} (1 min) {five:.2f} (5 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
