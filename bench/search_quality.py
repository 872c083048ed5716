"""Czech search quality: recall@10 and MRR of the Czech queries of
tests/search_language/corpus.py with CKAN's analysis (its query fields, English Snowball)
and with the portal's (text_cs and text_en of deployment/solr/schema_smartregion.xml added),
side by side. The records go into a core of their own made from the configset "ckan" (which
deployment/services.sh start writes), as CKAN's index sends them, with the portal's folded
copy; queries are sent with CKAN's dismax parameters. Asserts nothing.

  .venv/bin/python bench/search_quality.py [--solr http://127.0.0.1:58983/solr]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "ckanext-smartregion")]

from ckanext.smartregion.search import fold  # noqa: E402
from ckanext.smartregion.search_language import CKAN_QUERY_FIELDS, QUERY_FIELDS  # noqa: E402

# by path: importing ckan registers its own "tests" package under that name
_spec = importlib.util.spec_from_file_location(
    "search_corpus", REPO / "tests" / "search_language" / "corpus.py"
)
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
QUERIES, RECORDS = corpus.QUERIES, corpus.RECORDS

CORE = "bench_search_quality"
# ckan.lib.search.query.PackageSearchQuery.run of CKAN 2.12
CKAN_PARAMS = {"defType": "dismax", "tie": "0.1", "mm": "2<-1 5<80%", "q.op": "AND"}


def documents() -> list[dict]:
    docs = []
    for name, (title, notes, keywords) in RECORDS.items():
        docs.append(
            {
                "index_id": name,
                "id": name,
                "site_id": "bench",
                "name": name,
                "title": title,
                "notes": notes,
                "tags": keywords,
                "extras_smartregion_folded": fold(" ".join([title, notes, *keywords])),
            }
        )
    return docs


def measure(solr: str, fields: str) -> tuple[float, float, list[str]]:
    found_at, misses = [], []
    for query, expected in QUERIES:
        answer = requests.get(
            f"{solr}/{CORE}/select",
            params={**CKAN_PARAMS, "q": query, "qf": fields, "rows": 10, "fl": "name"},
            timeout=30,
        )
        answer.raise_for_status()
        names = [doc["name"] for doc in answer.json()["response"]["docs"]]
        rank = names.index(expected) + 1 if expected in names else 0
        found_at.append(rank)
        if not rank:
            misses.append(query)
    recall = sum(1 for rank in found_at if rank) / len(QUERIES)
    mrr = sum(1 / rank for rank in found_at if rank) / len(QUERIES)
    return recall, mrr, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solr", default="http://127.0.0.1:58983/solr")
    solr = parser.parse_args().solr
    admin = f"{solr}/admin/cores"
    requests.get(
        admin, params={"action": "UNLOAD", "core": CORE, "deleteInstanceDir": "true"}, timeout=60
    )
    created = requests.get(
        admin,
        params={"action": "CREATE", "name": CORE, "instanceDir": CORE, "configSet": "ckan"},
        timeout=120,
    )
    created.raise_for_status()
    try:
        requests.post(
            f"{solr}/{CORE}/update", params={"commit": "true"}, json=documents(), timeout=60
        ).raise_for_status()
        print(f"{len(RECORDS)} records, {len(QUERIES)} Czech queries (tests/search_language)")
        print(f"{'analysis':<34} {'recall@10':>9} {'MRR':>6}")
        for label, fields in (
            ("CKAN (English Snowball)", CKAN_QUERY_FIELDS),
            ("portal (Czech text_cs + text_en)", QUERY_FIELDS),
        ):
            recall, mrr, misses = measure(solr, fields)
            print(f"{label:<34} {recall:>9.2f} {mrr:>6.2f}  missed: {', '.join(misses) or '-'}")
    finally:
        requests.get(
            admin,
            params={"action": "UNLOAD", "core": CORE, "deleteInstanceDir": "true"},
            timeout=60,
        )


if __name__ == "__main__":
    main()
