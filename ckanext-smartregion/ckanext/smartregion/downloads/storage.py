"""Where the downloads keep their files: the ZIPs, their state and the preview cache."""

from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk


def directory() -> Path:
    configured = tk.config.get("ckanext.smartregion.downloads.directory")
    base = (
        Path(configured)
        if configured
        else Path(tk.config["ckan.storage_path"]) / "smartregion" / "downloads"
    )
    base.mkdir(parents=True, exist_ok=True)
    return base
