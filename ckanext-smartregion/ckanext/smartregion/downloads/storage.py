"""Where the downloads keep their files: the ZIPs, their state and the preview cache."""

from __future__ import annotations

from pathlib import Path

from ckanext.smartregion import file_storage


def directory() -> Path:
    return file_storage.directory(
        "ckanext.smartregion.downloads.directory", "smartregion", "downloads"
    )
