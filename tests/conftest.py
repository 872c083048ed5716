"""Fixtures shared by the portal's tests: clean databases with every plugin's tables, the
DataStore, and real harvest consumer processes on the Redis queues."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of every enabled plugin that has migrations of its
    own (activity, harvest, ...), as `ckan db upgrade` makes them."""
    from ckan.cli.db import _get_pending_plugins

    reset_db()
    for plugin in _get_pending_plugins():
        migrate_db_for(plugin)


@pytest.fixture
def clean_datastore(clean_db, clean_index):
    """Empties the DataStore database as well as CKAN's."""
    import ckanext.datastore.tests.helpers as datastore_helpers

    engine = datastore_helpers.db.get_write_engine()
    datastore_helpers.rebuild_all_dbs(
        datastore_helpers.orm.scoped_session(datastore_helpers.orm.sessionmaker(bind=engine))
    )


def _artifacts_dir() -> Path:
    """Where tests leave logs and screenshots (deployment/test.sh sets it per test slot)."""
    default = REPO_ROOT / ".state" / "test-artifacts"
    path = Path(os.environ.get("SMARTREGION_TEST_ARTIFACTS", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def harvest_consumers(clean_redis) -> Iterator[dict[str, Path]]:
    """Runs the real gather and fetch consumers of ckanext-harvest as separate processes on
    the test configuration; yields their log files and stops them afterwards."""
    ini = tk.config["__file__"]
    ckan = Path(sys.executable).parent / "ckan"
    processes, logs = [], {}
    for kind in ("gather", "fetch"):
        log_path = _artifacts_dir() / f"harvest-{kind}-consumer.log"
        logs[kind] = log_path
        log_file = log_path.open("w")
        processes.append(
            subprocess.Popen(
                [str(ckan), "-c", ini, "harvester", f"{kind}-consumer"],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        )
    try:
        yield logs
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def in_czech(app):
    """A Czech page's request: labels that are messages of the catalogue (facet titles and
    values, statuses, centuries) come in the user's language, and the test configuration's
    default locale is English."""
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "cs_CZ"}):
        yield
