"""Rendered reports kept on disk, so that a visitor's request does not render again what was
rendered before (WeasyPrint takes seconds per PDF): one file per kind, year, format and
language, named by the version of the data it shows; a newer version replaces the file, so
the cache holds at most kinds × plan years × formats × languages files."""

from __future__ import annotations

import datetime
import fcntl
import functools
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import ckan.plugins.toolkit as tk

from ckanext.smartregion import file_storage
from ckanext.smartregion.indicators import values
from ckanext.smartregion.reports import publish

log = logging.getLogger(__name__)

LANGUAGE_DEPENDENT = {"page", "pdf"}  # "page": the report's body inside the portal's page
EXTENSIONS = {"page": "html", "pdf": "pdf", "json": "json"}


def directory() -> Path:
    return file_storage.directory(None, "smartregion", "reports", "cache")


@functools.cache
def _code_version() -> str:
    """The report's templates and the plan's structure, read once per process: a deployment
    that changes them does not serve reports rendered by the previous one."""
    digest = hashlib.sha256()
    package = resources.files("ckanext.smartregion")
    for template in sorted(
        (package / "templates" / "smartregion" / "report").iterdir(), key=lambda p: p.name
    ):
        digest.update(template.read_bytes())
    digest.update((resources.files("ckanext.smartregion.schemas") / "taxonomy.yaml").read_bytes())
    return digest.hexdigest()


def data_version(kind: str) -> str:
    """What the report shows, cheaply: the public indicators and projects (their count and
    newest change: an edit, a new or published one raises the newest, a withdrawn or deleted
    one lowers the count), the indicators' values (a counter values.write raises) and, for
    the monitoring report, the day (it reports up to today) and the previous report."""
    found = tk.get_action("package_search")(
        {"user": None, "ignore_auth": False},
        {
            "fq": "dataset_type:(indicator OR project)",
            "rows": 1,
            "sort": "metadata_modified desc",
            "fl": ["metadata_modified"],
        },
    )
    newest = found["results"][0]["metadata_modified"] if found["results"] else None
    parts = [kind, found["count"], newest, values.version(), _code_version()]
    if kind == "monitoring":
        parts += [datetime.date.today().isoformat(), publish.previous(kind)]
    encoded = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:20]


@contextmanager
def _locked(slot: str):
    """One rendering per slot at a time: requests that miss together wait for the first."""
    with (directory() / f".{slot}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def rendered(kind: str, year: int, fmt: str, render: Callable[[], bytes]) -> bytes:
    """The report in format fmt (page, pdf or json), from the cache or render()ed now."""
    language = tk.h.lang() if fmt in LANGUAGE_DEPENDENT else "any"
    slot = f"{kind}-{year}-{fmt}-{language}"
    path = directory() / f"{slot}-{data_version(kind)}.{EXTENSIONS[fmt]}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    with _locked(slot):
        if path.exists():
            return path.read_bytes()
        started = time.perf_counter()
        body = render()
        log.info(
            "report %s %s rendered as %s (%s) in %.2f s",
            kind,
            year,
            fmt,
            language,
            time.perf_counter() - started,
        )
        for old in path.parent.glob(f"{slot}-*"):  # the versions this one replaces
            old.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{slot}.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(body)
        os.replace(temporary, path)
    return body
