"""Auth of the review actions: stewards submit, approvers approve and return."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartregion.review import policy


def _owner_org(data_dict: dict[str, Any]) -> str | None:
    package = model.Package.get(data_dict.get("id") or "")
    return package.owner_org if package is not None else None


def smartregion_review_submit(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Stewards (editors and admins of the dataset's organisation) and sysadmins."""
    if policy.is_steward(context.get("user"), _owner_org(data_dict)):
        return {"success": True}
    return {"success": False, "msg": "Only the dataset's stewards may submit it for review"}


def smartregion_review_approve(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Approvers: admins of the dataset's organisation (guarantor, coordinator), sysadmins."""
    if policy.is_approver(context.get("user"), _owner_org(data_dict)):
        return {"success": True}
    return {"success": False, "msg": "Only an admin of the dataset's organisation may approve"}


smartregion_review_return = smartregion_review_approve


def smartregion_review_show(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever may edit the dataset (the history carries internal comments)."""
    try:
        tk.check_access(
            "package_update", {"user": context.get("user")}, {"id": data_dict.get("id")}
        )
    except tk.NotAuthorized:
        return {"success": False, "msg": "Only the dataset's stewards see its review"}
    return {"success": True}


def smartregion_review_list(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Logged-in users; the list holds only the organisations they curate."""
    if context.get("user") and model.User.get(context["user"]) is not None:
        return {"success": True}
    return {"success": False, "msg": "Log in to see datasets in review"}
