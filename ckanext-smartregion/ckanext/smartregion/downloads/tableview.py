"""The smartregion_table_view resource view: the first rows of a CSV or XLSX resource as an
accessible HTML table, read from the file itself (uploaded or linked), so a table can be
previewed without loading it into the DataStore."""

from __future__ import annotations

import dataclasses
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.downloads import preview, preview_cache, source

NAME = "smartregion_table_view"
EXTENSIONS = (".csv", ".tsv", ".xlsx")
CSV_HEAD_BYTES = 1024 * 1024


def info() -> dict[str, Any]:
    return {
        "name": NAME,
        "title": tk._("Table"),
        "icon": "table",
        "iframed": False,
        "always_available": False,
        "default_title": tk._("Table"),
        "preview_enabled": True,
    }


def can_view(resource: dict[str, Any]) -> bool:
    format_ = (resource.get("format") or "").lower()
    if format_ in preview.TABLE_FORMATS:
        return True
    path = (resource.get("url") or "").lower().split("?")[0]
    return not format_ and path.endswith(EXTENSIONS)


def _table(resource: dict[str, Any]) -> dict[str, Any]:
    max_rows = tk.config.get("ckanext.smartregion.preview.max_rows")
    max_bytes = tk.config.get("ckanext.smartregion.preview.max_bytes")
    format_ = resource.get("format") or ""
    head = None
    if format_.lower() != "xlsx":  # a text table's first rows are at its start
        head = source.read_head(resource, CSV_HEAD_BYTES)
    data, complete = head or (source.read_bytes(resource, max_bytes), True)
    return dataclasses.asdict(preview.read_table(data, format_, max_rows, complete))


def template_variables(resource: dict[str, Any]) -> dict[str, Any]:
    try:
        table = preview_cache.cached(resource, "table", lambda: _table(resource))
    except (source.SourceError, preview.PreviewError) as error:
        return {"table": None, "error": str(error)}
    return {"table": table, "error": None}


def _geojson(resource: dict[str, Any]) -> dict[str, Any]:
    max_rows = tk.config.get("ckanext.smartregion.preview.max_rows")
    max_bytes = tk.config.get("ckanext.smartregion.preview.max_bytes")
    data = source.read_bytes(resource, max_bytes)
    return dataclasses.asdict(preview.summarize_geojson(data, max_rows))


def geojson_summary(resource: dict[str, Any]) -> dict[str, Any]:
    """The text alternative of a GeoJSON map: feature count, geometry types, properties."""
    try:
        summary = preview_cache.cached(resource, "geojson", lambda: _geojson(resource))
    except (source.SourceError, preview.PreviewError) as error:
        return {"summary": None, "error": str(error)}
    return {"summary": summary, "error": None}


def warm(pkg: dict[str, Any]) -> int:
    """Prepares the previews of a dataset's own tables and GeoJSON files (run by the ZIP job,
    so the first visitor does not wait for a workbook to be parsed); returns how many. Not of
    linked files: the job fetches nothing remote for them (their pages do, and cache it)."""
    done = 0
    for resource in pkg.get("resources", []):
        if source.is_remote(resource):
            continue
        if can_view(resource):
            done += template_variables(resource)["error"] is None
        elif (resource.get("format") or "").lower() in ("geojson", "gjson"):
            done += geojson_summary(resource)["error"] is None
    return done
