"""Who and what the review workflow applies to, and the review state of each dataset.

Scope (ckanext.smartregion.review.organizations / .dataset_types): a dataset needs review
when its organisation OR its type is in scope (``*`` = all). Roles: a steward is an editor
or admin of the dataset's organisation; an approver is an admin of it (the plan's guarantor
or coordinator) or a sysadmin. An approver may approve their own submission: approvers can
publish directly anyway. The site user is an approver too, except inside a harvest job
(``ckan harvester ...`` consumers, or a context with ``smartregion_harvest: True``): what a
harvester creates in scope starts pending; a harvester updating an approved dataset keeps
it approved and public.

Harvesters with a bulk path call ``needs_review(owner_org, dataset_type)`` to decide whether
to create records private, then ``record_pending(package_ids)`` once they are stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.smartregion.clock import now
from ckanext.smartregion.review import activity
from ckanext.smartregion.review.model import ReviewEvent, ReviewState

ORGANIZATIONS_KEY = "ckanext.smartregion.review.organizations"
TYPES_KEY = "ckanext.smartregion.review.dataset_types"
PRIVATE_STATES = ("draft", "pending", "returned")


def _names(key: str) -> set[str]:
    value = tk.config.get(key) or ""
    items = value if isinstance(value, list) else str(value).split()
    return {item.strip() for item in items if item.strip()}


def _organization_name(owner_org: str | None) -> str | None:
    if not owner_org:
        return None
    group = model.Group.get(owner_org)
    return group.name if group is not None else owner_org


def needs_review(owner_org: str | None, dataset_type: str | None) -> bool:
    """True when a dataset of this organisation (id or name) or type must be reviewed."""
    types = _names(TYPES_KEY)
    if "*" in types or (dataset_type or "dataset") in types:
        return True
    organizations = _names(ORGANIZATIONS_KEY)
    if not organizations or not owner_org:
        return False
    return "*" in organizations or _organization_name(owner_org) in organizations


def _user(user: str | None) -> model.User | None:
    return model.User.get(user) if user else None


def is_approver(user: str | None, owner_org: str | None) -> bool:
    """Sysadmins and admins of the organisation (guarantor, coordinator)."""
    account = _user(user)
    if account is None:
        return False
    if account.sysadmin:
        return True
    return bool(owner_org) and authz.users_role_for_group_or_org(owner_org, account.name) == "admin"


def is_steward(user: str | None, owner_org: str | None) -> bool:
    """Editors and admins of the organisation, and sysadmins."""
    account = _user(user)
    if account is None:
        return False
    if account.sysadmin:
        return True
    return bool(owner_org) and authz.users_role_for_group_or_org(owner_org, account.name) in (
        "editor",
        "admin",
    )


def curated_organizations(user: str | None) -> list[str] | None:
    """Ids of the organisations the user curates (editor or admin); None = all (sysadmin).
    Remembered for the rest of a dashboard request, which asks several times."""
    from flask import g, has_app_context

    cache = g.get("smartregion_curated") if has_app_context() else None
    if cache is None:
        return _curated_organizations(user)
    if user not in cache:
        cache[user] = _curated_organizations(user)
    return cache[user]


def _curated_organizations(user: str | None) -> list[str] | None:
    account = _user(user)
    if account is None:
        return []
    if account.sysadmin:
        return None
    organizations = tk.get_action("organization_list_for_user")(
        {"user": account.name}, {"permission": "update_dataset"}
    )
    return [organization["id"] for organization in organizations]


def in_harvest(context: dict[str, Any]) -> bool:
    """True inside a harvest job run by the site user."""
    if context.get("user") != tk.config.get("ckan.site_id"):
        return False
    if context.get("smartregion_harvest"):
        return True
    import click

    click_context = click.get_current_context(silent=True)
    return click_context is not None and " harvester " in f" {click_context.command_path} "


def state_of(package_id: str) -> ReviewState | None:
    return model.Session.get(ReviewState, package_id)


def set_state(
    package_id: str,
    new_state: str,
    user: str | None,
    comment: str | None = None,
    commit: bool = True,
) -> ReviewState:
    """Moves the dataset to new_state, keeps the step in its history and writes the
    activity ("smartregion review <state>") to its stream."""
    account = _user(user)
    user_id = account.id if account is not None else None
    current = state_of(package_id)
    previous = current.state if current is not None else None
    if current is None:
        current = ReviewState(package_id=package_id, state=new_state)
        model.Session.add(current)
    current.state = new_state
    current.updated = now()
    current.updated_by = user_id
    current.comment = comment or None
    event = ReviewEvent(
        package_id=package_id,
        from_state=previous,
        to_state=new_state,
        user_id=user_id,
        comment=comment or None,
    )
    model.Session.add(event)
    model.Session.flush()  # the event's id, which the activity refers to
    activity.record(package_id, user_id, new_state, event.id)
    if commit:
        model.Session.commit()
    return current


def record_pending(package_ids: Iterable[str], user: str | None = None) -> int:
    """Marks datasets a harvester stored (private) as pending review; returns how many.
    Datasets already in a review state keep it (a re-harvest changes nothing)."""
    user = user or tk.config.get("ckan.site_id")
    count = 0
    for package_id in package_ids:
        if state_of(package_id) is None:
            set_state(package_id, "pending", user, "Sklizeno / harvested", commit=False)
            count += 1
    model.Session.commit()
    return count


def history(package_id: str) -> list[dict[str, Any]]:
    events = (
        model.Session.query(ReviewEvent, model.User.name)
        .outerjoin(model.User, model.User.id == ReviewEvent.user_id)
        .filter(ReviewEvent.package_id == package_id)
        .order_by(ReviewEvent.created.desc(), ReviewEvent.id.desc())
    )
    return [
        {
            "from_state": event.from_state,
            "state": event.to_state,
            "user": user_name,
            "comment": event.comment,
            "timestamp": event.created.isoformat(),
        }
        for event, user_name in events
    ]
