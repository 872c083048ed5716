"""Previews kept on disk, so a page view does not parse the file again: an uploaded file's
preview lives until the resource changes (its last_modified or size), a linked file's for
ckanext.smartregion.preview.cache_seconds, since the remote file may change unseen."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.downloads import source, storage


def _path(resource: dict[str, Any], kind: str) -> Path:
    version = json.dumps(
        [
            kind,
            resource.get("url"),
            resource.get("last_modified"),
            resource.get("size"),
            resource.get("format"),
            tk.config.get("ckanext.smartregion.preview.max_rows"),
        ]
    )
    digest = hashlib.sha256(version.encode()).hexdigest()[:16]
    return storage.directory() / "previews" / f"{resource['id']}-{digest}.json"


def cached(
    resource: dict[str, Any], kind: str, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """compute() (a JSON-serialisable dict) for resource, from the cache when still valid."""
    path = _path(resource, kind)
    try:
        age = time.time() - path.stat().st_mtime
        if source.is_upload(resource) or age < tk.config.get(
            "ckanext.smartregion.preview.cache_seconds"
        ):
            return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        pass
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"{resource['id']}-*.json"):  # earlier versions of the file
        old.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".preview.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(value, stream, ensure_ascii=False)
    os.replace(temporary, path)
    return value
