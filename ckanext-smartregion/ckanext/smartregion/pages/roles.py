"""Who may do what with content pages: stewards (editors or admins of any organisation) write
drafts and submit them; coordinators (sysadmins, admins of the coordinator's organisation)
publish or return them."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartregion.organizations import coordinator_organization


def _organizations(user: str, permission: str) -> list[str]:
    try:
        found = tk.get_action("organization_list_for_user")(
            {"user": user, "ignore_auth": True}, {"id": user, "permission": permission}
        )
    except tk.ObjectNotFound:  # a name that is no user account (a deleted one, say)
        return []
    return [org["name"] for org in found]


def _sysadmin(user: str | None) -> bool:
    if not user:
        return False
    try:
        shown = tk.get_action("user_show")({"ignore_auth": True}, {"id": user})
    except tk.ObjectNotFound:
        return False
    return bool(shown.get("sysadmin"))


def is_coordinator(user: str | None) -> bool:
    if not user:
        return False
    if _sysadmin(user):
        return True
    return coordinator_organization() in _organizations(user, "admin")


def is_steward(user: str | None) -> bool:
    """Editors and admins of any organisation (coordinators included)."""
    if not user:
        return False
    return _sysadmin(user) or bool(_organizations(user, "create_dataset"))
