"""Prints how fast the OAI-PMH provider (/oai) serves pages and a whole harvest at N objects.

    .venv/bin/python bench/oai.py [--ini .state/ckan_test_d.ini] [--objects 100000]
        [--templates 200] [--pages 30]

Data: `--templates` collection objects harvested over OAI-PMH/LIDO by the real harvester,
copied in SQL up to `--objects` (bench/reindex.py's copy: ids, names, inventory numbers,
resources, tags, memberships of their own), all public. The portal's app is served on a port
of 127.0.0.1 by one thread of this process (werkzeug, one request at a time); a client in the
same process asks:
  1. ListIdentifiers and ListRecords pages (100 records) of each format: the first page and
     `--pages` pages deep into the list, by their resumption tokens: median and slowest;
  2. GetRecord;
  3. a full harvest of every record in LIDO by sickle (an OAI-PMH client from PyPI):
     records/s, and the same for ListIdentifiers.

The benchmark resets the test slot's database, search index and queues first, never the
portal's: give it a slot of its own (`deployment/services.sh start`, `init_ckan.sh test`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.harvest_common import bench_ini, reset_slot  # noqa: E402
from bench.reindex import copy_collection_objects, harvest_templates  # noqa: E402
from bench.startup import ckan_request_context  # noqa: E402

OAI = "{http://www.openarchives.org/OAI/2.0/}"


def _page_times(url: str, arguments: dict[str, str], pages: int) -> tuple[float, list[float]]:
    """Seconds of the first page, and of each of the next `pages` pages (by the tokens)."""
    from lxml import etree

    times = []
    params = dict(arguments)
    first = 0.0
    for number in range(pages + 1):
        started = time.perf_counter()
        response = requests.get(url, params=params, timeout=120)
        elapsed = time.perf_counter() - started
        response.raise_for_status()
        token = etree.fromstring(response.content).find(f".//{OAI}resumptionToken")
        if number == 0:
            first = elapsed
        else:
            times.append(elapsed)
        if token is None or not token.text:
            break
        params = {"verb": arguments["verb"], "resumptionToken": token.text}
    return first, times


def _walk(url: str, verb: str) -> tuple[int, float]:
    from sickle import Sickle

    client = Sickle(url, max_retries=0, timeout=300)
    started = time.perf_counter()
    count = sum(1 for _ in getattr(client, verb)(metadataPrefix="lido"))
    return count, time.perf_counter() - started


def measure(url: str, pages: int) -> None:
    for verb, prefix in (("ListIdentifiers", "lido"), ("ListRecords", "lido"),
                         ("ListRecords", "edm"), ("ListRecords", "oai_dc")):  # fmt: skip
        first, deep = _page_times(url, {"verb": verb, "metadataPrefix": prefix}, pages)
        print(
            f"{verb} {prefix}: first page {first * 1000:.0f} ms; {len(deep)} pages after it: "
            f"median {statistics.median(deep) * 1000:.0f} ms, slowest {max(deep) * 1000:.0f} ms"
        )
    from lxml import etree

    listing = requests.get(url, params={"verb": "ListIdentifiers", "metadataPrefix": "lido"},
                           timeout=120)  # fmt: skip
    identifier = etree.fromstring(listing.content).findtext(f".//{OAI}identifier")
    started = time.perf_counter()
    for _ in range(20):
        requests.get(url, timeout=60, params={
            "verb": "GetRecord", "metadataPrefix": "lido", "identifier": identifier})  # fmt: skip
    print(f"GetRecord lido: {(time.perf_counter() - started) / 20 * 1000:.0f} ms")
    for verb in ("ListIdentifiers", "ListRecords"):
        count, seconds = _walk(url, verb)
        print(f"full harvest by sickle, {verb} lido: {count} records in {seconds:.1f} s "
              f"= {count / seconds:.0f} records/s ({seconds / 60:.1f} min)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(REPO_ROOT / ".state/ckan_test_d.ini"))
    parser.add_argument("--objects", type=int, default=100000)
    parser.add_argument("--templates", type=int, default=200)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--keep-data", action="store_true", help="measure the slot's data")
    args = parser.parse_args()
    workdir, ini = bench_ini(
        args.ini, "bench-oai-", {"ckanext.smartregion.harvest.allowed_hosts": "127.0.0.1"}
    )
    print(f"configuration {ini} (logs in {workdir}); load average {os.getloadavg()}")
    from ckan import model
    from sqlalchemy import text
    from werkzeug.serving import make_server

    if not args.keep_data:
        reset_slot(ini)
    with ckan_request_context(str(ini)) as flask_app:
        if not args.keep_data:
            harvest_templates(ini, workdir, args.templates)
            model.Session.execute(
                text("UPDATE package SET private = false WHERE type = 'collection-object'")
            )
            model.Session.commit()
            copy_collection_objects(args.objects)
        total = model.Session.execute(text(
            "SELECT count(*) FROM package WHERE type = 'collection-object' AND state = 'active'"
            " AND NOT private")).scalar_one()  # fmt: skip
        model.Session.remove()
    print(f"{total} public collection objects; load average {os.getloadavg()}")
    server = make_server("127.0.0.1", 0, flask_app, threaded=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        measure(f"http://127.0.0.1:{server.server_port}/oai", args.pages)
    finally:
        server.shutdown()
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
