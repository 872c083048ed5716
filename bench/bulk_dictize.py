"""Bulk dictization bench: CKAN's package_show_default_and_custom_schemas once per dataset vs
bulk_dictize.package_show_dicts for the whole list, on N collection objects (the OAI-PMH/LIDO
batch's case: an organisation, a creator, materials and one image resource each).

Creates the datasets through package_create (names start with ``bench-dictize-``, purged at the
end unless --keep), times both ways over the same list in fresh sessions, checks they agree,
and prints ms per dataset and SQL statements per dataset. Asserts nothing about speed. Run on
a test slot, never the portal's database, e.g.:
  .venv/bin/python bench/bulk_dictize.py -c .state/ckan_test_d.ini [--datasets 100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import ckan_request_context

PREFIX = "bench-dictize-"


def seed(count: int) -> list[str]:
    """`count` collection objects of one museum; their ids."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.smartregion.organizations import site_context

    org_name = f"{PREFIX}museum"
    if model.Group.get(org_name) is None:
        tk.get_action("organization_create")(
            site_context(), {"name": org_name, "title": "Muzeum (ukázka pro měření)"}
        )
    ids = []
    started = time.perf_counter()
    for number in range(count):
        name = f"{PREFIX}{number:05d}"
        existing = model.Package.get(name)
        if existing is not None and existing.state == "active":
            ids.append(existing.id)
            continue
        created = tk.get_action("package_create")(
            site_context(),
            {
                "type": "collection-object",
                "name": name,
                "title": f"Sklenice č. {number} (ukázka)",
                "inventory_number": f"B-{number:05d}",
                "owner_org": org_name,
                "object_type": "sklo",
                "materials": ["sklo", "email"],
                "creators": [{"name": "Neznámý autor", "role": "výrobce"}],
                "is_sample_data": True,
                "resources": [{"url": f"https://sbirky.example.cz/{number}.jpg", "name": "Foto"}],
            },
        )
        ids.append(created["id"])
    print(f"{count} datasets ready in {time.perf_counter() - started:.1f} s")
    return ids


def _statements() -> tuple[list[str], Callable[[], None]]:
    from ckan import model
    from sqlalchemy import event

    statements: list[str] = []

    def count(conn, cursor, statement: str, *args) -> None:
        statements.append(statement)

    event.listen(model.meta.engine, "before_cursor_execute", count)
    return statements, lambda: event.remove(model.meta.engine, "before_cursor_execute", count)


def measure(ids: list[str], runs: int) -> None:
    from ckan import logic, model

    from ckanext.smartregion.bulk_dictize import package_show_dicts
    from ckanext.smartregion.organizations import site_context

    context = site_context()
    ways = {
        "package_show_default_and_custom_schemas per dataset": lambda pkgs: [
            logic.package_show_default_and_custom_schemas(context, pkg.id) for pkg in pkgs
        ],
        "bulk_dictize.package_show_dicts for the list": lambda pkgs: package_show_dicts(
            context, pkgs
        ),
    }
    results = {}
    for name, way in ways.items():
        times, queries = [], []
        for _ in range(runs):
            model.Session.remove()
            packages = [model.Package.get(i) for i in ids]  # loaded as the batch has them
            statements, stop = _statements()
            start = time.perf_counter()
            results[name] = way(packages)
            times.append((time.perf_counter() - start) * 1000 / len(ids))
            stop()
            queries.append(len(statements) / len(ids))
        print(
            f"{name}: median {statistics.median(times):.2f} ms/dataset "
            f"(min {min(times):.2f}, max {max(times):.2f}, {runs} runs of {len(ids)}), "
            f"{statistics.median(queries):.2f} SQL statements/dataset"
        )
    first, second = results.values()
    print("results identical:", first == second)


def cleanup() -> None:
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.smartregion.organizations import site_context

    model.Session.remove()
    names = [
        n
        for (n,) in model.Session.query(model.Package.name).filter(
            model.Package.name.like(f"{PREFIX}%")
        )
    ]
    for name in names:
        tk.get_action("dataset_purge")(site_context(), {"id": name})
    tk.get_action("organization_purge")(site_context(), {"id": f"{PREFIX}museum"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--datasets", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if ".state/ckan.ini" in args.config:
        sys.exit("Refusing to run against the portal's configuration; use a test slot's ini.")

    with ckan_request_context(args.config):
        ids = seed(args.datasets)
        measure(ids, args.runs)
        if not args.keep:
            cleanup()
            print("bench datasets purged")


if __name__ == "__main__":
    main()
