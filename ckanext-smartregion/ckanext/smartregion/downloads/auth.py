"""Auth of the download-all ZIP's action, decided on the stored dataset."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def smartregion_downloads_build(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever may edit the stored dataset: its organisation's editors and admins, sysadmins."""
    try:
        tk.check_access(
            "package_update", {"user": context.get("user")}, {"id": data_dict.get("id")}
        )
    except tk.NotAuthorized:
        return {
            "success": False,
            "msg": tk._("Only those who may edit the dataset may have its linked files fetched"),
        }
    return {"success": True}
