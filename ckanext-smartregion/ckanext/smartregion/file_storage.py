"""Where the portal keeps the files it makes (download-all ZIPs, previews, bulk downloads,
reports): a folder a key of ckan.ini names, else one under ckan.storage_path."""

from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk


def directory(key: str | None, *default: str) -> Path:
    """The folder `key` names (when set), else <ckan.storage_path>/<default...>; created."""
    configured = tk.config.get(key) if key else None
    base = (
        Path(configured) if configured else Path(tk.config["ckan.storage_path"]).joinpath(*default)
    )
    base.mkdir(parents=True, exist_ok=True)
    return base
