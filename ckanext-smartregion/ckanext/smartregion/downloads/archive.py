"""The "download all" ZIP of a dataset: the files the portal holds (uploads, DataStore tables),
a README.txt and metadata.json, built by a background job under ckan.storage_path and
replaced atomically.

Linked (remote) files: a build that anyone can cause (a visitor asking for the ZIP, a change
of the dataset) never downloads them; the README lists each with its address and terms of
use instead. Only a build a steward asks for (the smartregion_downloads_build action, allowed
to whoever may edit the dataset, or ``ckan smartregion-downloads build
--with-remote`` on the server) fetches them, through the safe fetcher, each within
ckanext.smartregion.downloads.max_resource_bytes and all together within
ckanext.smartregion.downloads.max_remote_bytes. So no visitor can make the portal download
remote files, and a steward's build runs once per version of the dataset.

An archive is current while the dataset's metadata_modified equals the one recorded beside
it (``<id>.json``, with whether the linked files were fetched); a build of a current archive
does nothing. A resource whose file cannot be had (broken link, over a size cap) is listed
in the README, not fatal."""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.downloads import readme, source, tableview
from ckanext.smartregion.downloads.storage import directory

log = logging.getLogger(__name__)

QUEUE = "smartregion_downloads"
JOB_TITLE = "smartregion: build the download-all ZIP of {name}"
REMOTE_JOB_TITLE = "smartregion: build the download-all ZIP of {name} with its linked files"


def zip_path(package_id: str) -> Path:
    return directory() / f"{package_id}.zip"


def _state_path(package_id: str) -> Path:
    return directory() / f"{package_id}.json"


def recorded_state(package_id: str) -> dict[str, Any] | None:
    """What the last build recorded (metadata_modified, built, files, failed), or None."""
    try:
        return json.loads(_state_path(package_id).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def is_current(pkg: dict[str, Any], include_remote: bool = False) -> bool:
    """Whether the ZIP is of this version of the dataset (and, with include_remote, holds
    the linked files fetched)."""
    state = recorded_state(pkg["id"])
    return (
        state is not None
        and state.get("metadata_modified") == pkg.get("metadata_modified")
        and (state.get("remote", False) or not include_remote)
        and zip_path(pkg["id"]).exists()
    )


def remove(package_id: str) -> None:
    for path in (zip_path(package_id), _state_path(package_id)):
        path.unlink(missing_ok=True)


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_).strip("-.").lower()[:80] or "soubor"


def file_name(position: int, resource: dict[str, Any], taken: set[str]) -> str:
    """A unique, readable name in the ZIP: the uploaded or linked file name, else the
    resource name with its format as extension, numbered on a clash."""
    url_name = (resource.get("url") or "").rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    stem, dot, ext = url_name.rpartition(".")
    if not (dot and stem and ext.isalnum() and len(ext) <= 8):
        stem = resource.get("name") or f"soubor-{position}"
        ext = (resource.get("format") or "bin").lower()
        if source.is_datastore_only(resource):
            ext = "csv"
    name = f"{_slug(stem)}.{_slug(ext)}"
    while name in taken or name in ("README.txt", "metadata.json"):
        name = f"{position}-{name}"
    taken.add(name)
    return name


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def build(package_id: str, force: bool = False, include_remote: bool = False) -> dict[str, Any]:
    """Builds the ZIP of a dataset unless it is current; returns what it did. Run by the
    worker (enqueued by jobs.request_build) or by `ckan smartregion-downloads build`.
    include_remote: also fetch the linked files (a steward's build only)."""
    started = time.monotonic()
    try:
        pkg = tk.get_action("package_show")(_site_context(), {"id": package_id})
    except tk.ObjectNotFound:  # purged (or never existed): nothing may stay behind
        remove(package_id)
        return {"package": package_id, "status": "missing"}
    if pkg.get("state") == "deleted":
        remove(pkg["id"])
        return {"package": pkg["name"], "status": "deleted"}
    if not force and is_current(pkg, include_remote):
        return {"package": pkg["name"], "status": "current"}

    max_bytes = tk.config.get("ckanext.smartregion.downloads.max_resource_bytes")
    remote = _RemoteBudget(tk.config.get("ckanext.smartregion.downloads.max_remote_bytes"))
    target = zip_path(pkg["id"])
    included: list[tuple[dict[str, Any], str]] = []
    failed: list[tuple[dict[str, Any], str]] = []
    linked: list[dict[str, Any]] = []
    taken: set[str] = set()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for position, resource in enumerate(pkg.get("resources", []), start=1):
                if source.is_remote(resource) and not include_remote:
                    linked.append(resource)
                    continue
                name = file_name(position, resource, taken)
                try:
                    _add_resource(archive, resource, name, max_bytes, remote)
                except source.SourceError as error:
                    failed.append((resource, str(error)))
                    log.warning("download-all %s: %s not included: %s", pkg["name"], name, error)
                    continue
                included.append((resource, name))
            page_url = tk.url_for(f"{pkg['type']}.read", id=pkg["name"], _external=True)
            archive.writestr("README.txt", readme.build(pkg, included, failed, page_url, linked))
            archive.writestr(
                "metadata.json", json.dumps(pkg, ensure_ascii=False, indent=2, sort_keys=True)
            )
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    state = {
        "metadata_modified": pkg.get("metadata_modified"),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "remote": include_remote,
        "files": [name for _, name in included],
        "failed": [{"resource": r["id"], "reason": why} for r, why in failed],
        "linked": [r["id"] for r in linked],
        "remote_bytes": remote.used,
        "bytes": target.stat().st_size,
        "seconds": round(time.monotonic() - started, 3),
    }
    _write_state(pkg["id"], state)
    state["previews"] = tableview.warm(pkg)
    log.info(
        "download-all %s: %d files, %d not included, %d linked, %d bytes in %.1f s",
        pkg["name"],
        len(included),
        len(failed),
        len(linked),
        state["bytes"],
        state["seconds"],
    )
    return {"package": pkg["name"], "status": "built", **state}


class _RemoteBudget:
    """What is left of the bytes one build may fetch from linked files."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def cap(self, max_bytes: int) -> int:
        left = self.limit - self.used
        if left <= 0:
            raise source.SourceError(
                f"not fetched: this build already fetched {self.used} bytes of linked files, "
                f"the {self.limit}-byte total (ckanext.smartregion.downloads.max_remote_bytes)"
            )
        return min(max_bytes, left)


def _add_resource(
    archive: zipfile.ZipFile,
    resource: dict[str, Any],
    name: str,
    max_bytes: int,
    remote: _RemoteBudget,
) -> None:
    if source.is_upload(resource):
        path = source.upload_path(resource)
        try:
            size = os.path.getsize(path)
        except OSError as error:
            raise source.SourceError(f"the uploaded file is missing ({error})") from error
        if size > max_bytes:
            raise source.SourceError(f"the file is {size} bytes, over the {max_bytes}-byte limit")
        archive.write(path, name)  # streamed from the storage, not read into memory
        return
    if source.is_remote(resource):
        data = source.read_bytes(resource, remote.cap(max_bytes))
        remote.used += len(data)
    else:
        data = source.read_bytes(resource, max_bytes)
    archive.writestr(name, data)


def _write_state(package_id: str, state: dict[str, Any]) -> None:
    path = _state_path(package_id)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(state, stream, ensure_ascii=False)
    os.replace(temporary, path)
