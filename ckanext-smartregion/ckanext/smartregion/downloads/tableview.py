"""The smartregion_table_view resource view: the first rows of a CSV or XLSX resource as an
accessible HTML table, read from the file itself (uploaded or linked), so a table can be
previewed without loading it into the DataStore."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.downloads import preview, source

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


def template_variables(resource: dict[str, Any]) -> dict[str, Any]:
    max_rows = tk.config.get("ckanext.smartregion.preview.max_rows")
    max_bytes = tk.config.get("ckanext.smartregion.preview.max_bytes")
    format_ = resource.get("format") or ""
    try:
        head = None
        if format_.lower() != "xlsx":  # a text table's first rows are at its start
            head = source.read_head(resource, CSV_HEAD_BYTES)
        data, complete = head or (source.read_bytes(resource, max_bytes), True)
        table = preview.read_table(data, format_, max_rows, complete)
    except (source.SourceError, preview.PreviewError) as error:
        return {"table": None, "error": str(error), "max_rows": max_rows}
    return {"table": table, "error": None, "max_rows": max_rows}


def geojson_summary(resource: dict[str, Any]) -> dict[str, Any]:
    """The text alternative of a GeoJSON map: feature count, geometry types, properties."""
    max_rows = tk.config.get("ckanext.smartregion.preview.max_rows")
    max_bytes = tk.config.get("ckanext.smartregion.preview.max_bytes")
    try:
        data = source.read_bytes(resource, max_bytes)
        return {"summary": preview.summarize_geojson(data, max_rows), "error": None}
    except (source.SourceError, preview.PreviewError) as error:
        return {"summary": None, "error": str(error)}
