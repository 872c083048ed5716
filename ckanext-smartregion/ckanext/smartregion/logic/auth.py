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


def smartregion_report_publish(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Sysadmins and admins of the coordinating organisation (the plan's coordinator)."""
    from ckanext.smartregion.organizations import coordinator_organization

    user = context.get("user")
    if not user:
        return {"success": False, "msg": "Log in as the plan's coordinator"}
    try:
        members = tk.get_action("member_list")(
            {"ignore_auth": True},
            {"id": coordinator_organization(), "object_type": "user", "capacity": "admin"},
        )
    except tk.ObjectNotFound:
        return {"success": False, "msg": "The coordinating organisation does not exist yet"}
    user_id = tk.get_action("user_show")({"ignore_auth": True}, {"id": user})["id"]
    if any(member_id == user_id for member_id, _, _ in members):
        return {"success": True}
    return {"success": False, "msg": "Only the plan's coordinator may publish reports"}
