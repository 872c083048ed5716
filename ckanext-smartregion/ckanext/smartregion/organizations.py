"""The portal's organisations (schemas/organizations.yaml) and the plan's roles in CKAN terms.

Roles of the action plan (section 5) map onto CKAN as follows:
  coordinator  → admin of every organisation (the portal's curator, without sysadmin rights)
  guarantor    → admin of its own organisation (publishes indicators and project data)
  implementer  → editor of the organisation it works for
  partner      → editor of the organisation it works for
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

ROLE_CAPACITY = {
    "coordinator": "admin",
    "guarantor": "admin",
    "implementer": "editor",
    "partner": "editor",
}
FIELDS = ("title", "kind", "plan_role", "ico", "name_source", "website", "email", "description")


def site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def configured_organizations() -> list[dict[str, Any]]:
    text = (resources.files("ckanext.smartregion.schemas") / "organizations.yaml").read_text(
        "utf-8"
    )
    return yaml.safe_load(text)["organizations"]


def coordinator_organization() -> str:
    return next(
        o["name"] for o in configured_organizations() if o.get("plan_role") == "coordinator"
    )


def load_organizations() -> Counter:
    """Creates or updates the configured organisations; returns counts by outcome."""
    outcome: Counter = Counter()
    for wanted in configured_organizations():
        context = site_context()
        try:
            existing = tk.get_action("organization_show")(context, {"id": wanted["name"]})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(site_context(), dict(wanted))
            outcome["created"] += 1
            continue
        changes = {k: wanted[k] for k in FIELDS if k in wanted and existing.get(k) != wanted[k]}
        if changes:
            tk.get_action("organization_patch")(site_context(), {"id": existing["id"], **changes})
            outcome["updated"] += 1
        else:
            outcome["unchanged"] += 1
    return outcome


def assign_role(username: str, role: str, organization: str | None) -> list[str]:
    """Gives a user the CKAN capacity of a plan role; returns the organisations touched."""
    if role not in ROLE_CAPACITY:
        raise tk.ValidationError(
            {"role": [f"Unknown role {role!r}; use one of: {', '.join(ROLE_CAPACITY)}"]}
        )
    if role == "coordinator":
        targets = tk.get_action("organization_list")(site_context(), {"all_fields": False})
    elif not organization:
        raise tk.ValidationError({"organization": [f"The {role} role needs --organization"]})
    else:
        targets = [organization]
    for name in targets:
        tk.get_action("organization_member_create")(
            site_context(), {"id": name, "username": username, "role": ROLE_CAPACITY[role]}
        )
    return targets
