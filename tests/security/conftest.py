"""Fixtures of the security tests: the permission matrix's world, built once per module on
clean databases with the portal's production review scope."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins
import pytest
from ckan.plugins import toolkit as tk

from tests.security.matrix_policy import HTTP_ROLES, KINDS

# the portal's configuration (deployment/ckan.ini.template) where the test one differs
PORTAL_SCOPE = {"ckanext.smartregion.review.dataset_types": "dataset indicator project"}
MATRIX_CONFIG: dict[str, Any] = {}  # set by permission_matrix, applied before every cell


@dataclass
class Matrix:
    app: Any
    world: Any
    records: Any  # matrix_changes.Records
    observations: dict[tuple, Any]  # answers already read, by surface, role and request
    built_in: float
    cells: int = 0  # cells judged


def _clean_databases(reset_db, reset_index, migrate_db_for) -> None:
    """What the clean_db, clean_index and clean_datastore fixtures do, once."""
    import ckanext.datastore.tests.helpers as datastore_helpers
    from ckan.cli.db import _get_pending_plugins

    reset_db()
    for plugin in _get_pending_plugins():
        migrate_db_for(plugin)
    reset_index()
    engine = datastore_helpers.db.get_write_engine()
    datastore_helpers.rebuild_all_dbs(
        datastore_helpers.orm.scoped_session(datastore_helpers.orm.sessionmaker(bind=engine))
    )


@pytest.fixture(scope="module")
def permission_matrix(
    reset_db, reset_index, reset_queues, migrate_db_for, tmp_path_factory
) -> Iterator[Matrix]:
    """The matrix's world: organisations, a user per role, one record per kind and state,
    the bulk files and the published report. While it is built, Solr commits once at the
    end instead of after every record (ckan.search.solr_commit off), as a bulk import does."""
    from ckan.lib import search
    from ckan.lib.app_globals import _CONFIG_CACHE
    from ckan.tests.helpers import _get_test_app

    from ckanext.smartregion.indicators import bulk
    from tests.security import matrix_changes, matrix_world

    started = time.perf_counter()
    files = tmp_path_factory.mktemp("matrix")
    MATRIX_CONFIG.update(
        {
            **PORTAL_SCOPE,
            "ckan.search.solr_commit": False,
            "ckanext.smartregion.bulk.directory": str(files / "bulk"),
            "ckanext.smartregion.downloads.directory": str(files / "downloads"),
            "ckanext.smartregion.downloads.build_on_change": False,
        }
    )
    # pytest-ckan restores the configuration before every test: matrix_config sets it again
    tk.config.update(MATRIX_CONFIG)
    ckan.plugins.load_all()
    _clean_databases(reset_db, reset_index, migrate_db_for)
    reset_queues()
    _CONFIG_CACHE.clear()
    app = _get_test_app()
    world = matrix_world.build_people()
    world.clients = {role: app.test_client() for role in HTTP_ROLES}
    for kind, spec in KINDS.items():
        for state in spec.states if kind != "report" else ():
            world.records[(kind, state)] = matrix_world.make_record(world, kind, state)
    search.commit()
    bulk.build()  # what the background job does after every change of an indicator
    world.records[("report", "public")] = matrix_world.publish_report(world, app)
    search.commit()
    # From here every change commits: package_show answers from the index's copy when its
    # metadata_modified matches, and a copy not yet committed would hide a change
    MATRIX_CONFIG["ckan.search.solr_commit"] = True
    tk.config.update(MATRIX_CONFIG)
    matrix = Matrix(app, world, matrix_changes.Records(world), {}, time.perf_counter() - started)
    yield matrix
    reset_queues()
    _write_timings(matrix, time.perf_counter() - started)


@pytest.fixture
def matrix_config(permission_matrix: Matrix) -> None:
    """The matrix's configuration for one cell (pytest-ckan resets it before each test)."""
    tk.config.update(MATRIX_CONFIG)


def _write_timings(matrix: Matrix, total: float) -> None:
    """The matrix's time per surface, in the test artifacts (permission-matrix-timings.txt)."""
    from tests.conftest import _artifacts_dir
    from tests.security.matrix_probe import ASKED, SPENT

    lines = [
        f"{matrix.cells} cells; world built in {matrix.built_in:.1f} s; "
        f"whole module {total:.1f} s; "
        f"{sum(ASKED.values())} requests; {matrix.records.made} records made for changes",
        *(
            f"{SPENT[name]:8.1f} s {ASKED[name]:6d} requests  {name}"
            for name in sorted(SPENT, key=SPENT.get, reverse=True)
        ),
    ]
    (_artifacts_dir() / "permission-matrix-timings.txt").write_text("\n".join(lines) + "\n")
