"""Template helpers of the downloads: the "download all" button and the GeoJSON map's text
alternative."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.downloads import archive, tableview


def smartregion_download_all(pkg: dict[str, Any]) -> dict[str, Any]:
    """The stable URL of the dataset's ZIP and, when it is current, its size in bytes."""
    url = tk.url_for("smartregion_downloads.download_all", id=pkg["name"])
    state = archive.recorded_state(pkg["id"]) if archive.is_current(pkg) else None
    return {"url": url, "ready": state is not None, "bytes": (state or {}).get("bytes")}


def smartregion_geojson_summary(resource: dict[str, Any]) -> dict[str, Any]:
    return tableview.geojson_summary(resource)
