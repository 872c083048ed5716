"""Where a resource's bytes come from: the portal's own storage for uploads, the safe
harvest fetcher (timeouts, size cap, no private addresses) for linked files, and a CSV
export for tables that live only in the DataStore."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.harvesters.http import Fetcher, FetchError, FetchSettings

DATASTORE_PAGE = 10_000


class SourceError(Exception):
    """The resource's file cannot be read; the message names the resource and the reason."""


def is_upload(resource: dict[str, Any]) -> bool:
    return resource.get("url_type") == "upload"


def is_datastore_only(resource: dict[str, Any]) -> bool:
    return resource.get("url_type") == "datastore" or (
        bool(resource.get("datastore_active")) and not resource.get("url")
    )


def is_remote(resource: dict[str, Any]) -> bool:
    """A file only linked: its bytes would have to be fetched from another site."""
    return bool(resource.get("url")) and not is_upload(resource) and not is_datastore_only(resource)


def upload_path(resource: dict[str, Any]) -> str:
    # No action returns the stored file's path; the uploader is the one place that knows it.
    from ckan.lib.uploader import get_resource_uploader

    return get_resource_uploader(resource).get_path(resource["id"])


def read_bytes(resource: dict[str, Any], max_bytes: int) -> bytes:
    """The resource's file, at most max_bytes long (a longer file is an error)."""
    if is_upload(resource):
        path = upload_path(resource)
        try:
            size = os.path.getsize(path)
        except OSError as error:
            raise SourceError(f"the uploaded file is missing from the storage ({error})") from error
        if size > max_bytes:
            raise SourceError(f"the file is {size} bytes, over the {max_bytes}-byte limit")
        with open(path, "rb") as stream:
            return stream.read()
    if is_datastore_only(resource):
        data = datastore_csv(resource["id"])
        if len(data) > max_bytes:
            raise SourceError(f"the table is over the {max_bytes}-byte limit")
        return data
    url = resource.get("url") or ""
    if not url:
        raise SourceError("the resource has no file and no link")
    # One retry: a visitor or a ZIP build should not wait out the harvesters' long backoff.
    defaults = FetchSettings.from_config()
    settings = dataclasses.replace(defaults, max_bytes=max_bytes, retries=min(defaults.retries, 1))
    fetcher = Fetcher(settings)
    try:
        return fetcher.get(url)
    except FetchError as error:
        raise SourceError(str(error)) from error
    finally:
        fetcher.close()


def read_head(resource: dict[str, Any], head_bytes: int) -> tuple[bytes, bool] | None:
    """The first head_bytes of an uploaded file and whether that is all of it; None for
    other resources (their files are read whole, within the cap)."""
    if not is_upload(resource):
        return None
    try:
        with open(upload_path(resource), "rb") as stream:
            data = stream.read(head_bytes + 1)
    except OSError as error:
        raise SourceError(f"the uploaded file is missing from the storage ({error})") from error
    return data[:head_bytes], len(data) <= head_bytes


def datastore_csv(resource_id: str) -> bytes:
    """The DataStore table of a resource as UTF-8 CSV with a header row."""
    search = tk.get_action("datastore_search")
    context = {"ignore_auth": True}
    out = io.StringIO()
    writer = None
    offset = 0
    while True:
        page = search(
            dict(context),
            {"resource_id": resource_id, "limit": DATASTORE_PAGE, "offset": offset, "sort": "_id"},
        )
        fields = [f["id"] for f in page["fields"] if f["id"] != "_id"]
        if writer is None:
            writer = csv.writer(out)
            writer.writerow(fields)
        for record in page["records"]:
            writer.writerow(["" if record.get(f) is None else record[f] for f in fields])
        offset += len(page["records"])
        if not page["records"] or offset >= page.get("total", 0):
            return out.getvalue().encode("utf-8")
