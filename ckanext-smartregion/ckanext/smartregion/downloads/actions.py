"""The download-all ZIP's action: a steward asks for a build that also fetches the dataset's
linked files (every other build holds only the files the portal keeps itself)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.downloads import archive, jobs


def smartregion_downloads_build(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Queues a build of the dataset's ZIP that fetches its linked files too, unless that ZIP
    is current for this version of the dataset or such a build is already waiting.

    :param id: the dataset's id or name
    :returns: ``{"queued": bool, "current": bool}``
    """
    tk.check_access("smartregion_downloads_build", context, data_dict)
    pkg = tk.get_action("package_show")(dict(context), {"id": tk.get_or_bust(data_dict, "id")})
    if archive.is_current(pkg, include_remote=True):
        return {"queued": False, "current": True}
    return {
        "queued": jobs.request_build(pkg["id"], pkg["name"], include_remote=True),
        "current": False,
    }
