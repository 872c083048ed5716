"""Auth functions of the portal's actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def smartregion_taxonomy_show(context: dict, data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def smartregion_indicator_values(context: dict, data_dict: dict[str, Any]) -> dict[str, bool]:
    """Public: the results include only indicators the caller can see (via package_search)."""
    return {"success": True}


def smartregion_indicator_values_upload(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever may update the indicator may upload its values (checked in the action)."""
    return {"success": True}
