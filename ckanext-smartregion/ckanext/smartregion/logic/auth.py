"""Auth functions of the portal's actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def smartregion_taxonomy_show(context: dict, data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}
