"""The threat model as a policy: who may do what with which record (docs/security.md).

The permission matrix takes every expected outcome from here, never from running the portal.
Roles are users with fixed memberships; the policy compares them with the organisation the
record is *stored* in (A for every kind but the report, which the coordinating organisation
publishes), as the portal must.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = (
    "anonymous",
    "editor_same",  # editor of A, the records' organisation
    "editor_other",  # editor of B only
    "editor_admin_elsewhere",  # editor of A and admin of C (issue 13, item 2)
    "org_admin",  # admin of A: the guarantor, A's approver
    "coordinator",  # admin of every organisation (`ckan smartregion assign-role ... coordinator`)
    "sysadmin",
    "harvest",  # the site user inside a harvest job (ignore_auth, smartregion_harvest)
)
# A: the records' organisation; B: another; C: where editor_admin_elsewhere is admin;
# COORD: the coordinating department of schemas/organizations.yaml (plan_role coordinator).
ORGANIZATIONS = ("A", "B", "C", "COORD")
MEMBERSHIPS: dict[str, dict[str, str]] = {
    "anonymous": {},
    "editor_same": {"A": "editor"},
    "editor_other": {"B": "editor"},
    "editor_admin_elsewhere": {"A": "editor", "C": "admin"},
    "org_admin": {"A": "admin"},
    "coordinator": dict.fromkeys(ORGANIZATIONS, "admin"),
    "sysadmin": {},
    "harvest": {},
}
SYSADMINS = frozenset({"sysadmin", "harvest"})  # the site user is a sysadmin account
HTTP_ROLES = tuple(role for role in ROLES if role != "harvest")

STATES = ("public", "private", "draft", "pending", "returned", "deleted")
STATE_MEANING = {
    "public": "submitted by a steward, approved by A's admin with an internal comment; a "
    "content page: published, then edited again (the new text is an unpublished draft)",
    "private": "approved, then made private again by A's admin (review state draft); a "
    "collection object: created private",
    "draft": "created by a steward, never submitted",
    "pending": "submitted, returned with an internal comment, submitted again",
    "returned": "submitted, returned with an internal comment",
    "deleted": "approved, then deleted with package_delete by A's admin",
}


@dataclass(frozen=True)
class Kind:
    name: str
    dataset_type: str | None  # None: not a dataset (content pages)
    organization: str | None
    in_review: bool  # in the portal's review scope (review.dataset_types in ckan.ini)
    states: tuple[str, ...]  # the states the kind has; the others make no sense for it


KINDS = {
    kind.name: kind
    for kind in (
        Kind("dataset", "dataset", "A", True, STATES),
        Kind("indicator", "indicator", "A", True, STATES),  # with values in the DataStore
        Kind("project", "project", "A", True, STATES),
        # harvested museum objects publish as their museums published them: out of the
        # review scope, so no draft, pending or returned
        Kind(
            "collection_object", "collection-object", "A", False, ("public", "private", "deleted")
        ),
        Kind("metering", "dataset", "A", True, STATES),  # with a monthly-totals table
        # content pages are published or not: no private flag, no deletion
        Kind("page", None, None, True, ("public", "draft", "pending", "returned")),
        # the report dataset exists once the coordinator publishes it; the report's content
        # (public data only) is checked on the indicator and project rows
        Kind("report", "dataset", "COORD", True, ("public",)),
    )
}


def capacity(role: str, organization: str | None) -> str | None:
    return MEMBERSHIPS[role].get(organization or "")


def is_steward(role: str, organization: str | None) -> bool:
    """Editors and admins of the organisation, and sysadmins."""
    return role in SYSADMINS or capacity(role, organization) in ("editor", "admin")


def is_approver(role: str, organization: str | None) -> bool:
    """Admins of the organisation and sysadmins; never a harvester in a harvest job."""
    if role == "harvest":
        return False
    return role == "sysadmin" or capacity(role, organization) == "admin"


def is_member(role: str, organization: str | None) -> bool:
    """Those who see the organisation's private and deleted records (CKAN's read permission)."""
    return role in SYSADMINS or capacity(role, organization) is not None


def is_page_steward(role: str) -> bool:
    """Content pages: editors or admins of any organisation write drafts."""
    return role in SYSADMINS or any(c in ("editor", "admin") for c in MEMBERSHIPS[role].values())


def is_coordinator(role: str) -> bool:
    """Publishes content pages and reports: an admin of COORD or a sysadmin."""
    return role in SYSADMINS or capacity(role, "COORD") == "admin"


# --- reads --------------------------------------------------------------------------------


def may_read(role: str, kind: str, state: str) -> bool:
    """Sees the record (its title, metadata, values)."""
    if kind == "page":
        return state == "public" or is_page_steward(role)
    if state == "public":
        return True
    return is_member(role, KINDS[kind].organization)


def may_read_internal(role: str, kind: str, state: str) -> bool:
    """Sees what the review keeps internal: an approver's or returner's comment, a page's
    unpublished text and history. Those who may edit the record."""
    if kind == "page":
        return is_page_steward(role)
    return is_steward(role, KINDS[kind].organization)


# --- changes ------------------------------------------------------------------------------


def may_create(role: str, kind: str) -> bool:
    if kind == "page":
        return is_page_steward(role)
    return is_steward(role, KINDS[kind].organization)


def created_public(role: str, kind: str, asked_public: bool) -> bool:
    """A new record is public only when asked for and its creator may publish it."""
    return asked_public and may_publish(role, kind, "draft")


def may_update(role: str, kind: str, state: str) -> bool:
    if kind == "page":
        return is_page_steward(role)
    return is_steward(role, KINDS[kind].organization)


def may_publish(role: str, kind: str, state: str) -> bool:
    """Makes an unpublished record public (a deleted one: restores it to public)."""
    spec = KINDS[kind]
    if kind in ("page", "report"):
        return is_coordinator(role) and role != "harvest"
    if spec.in_review:  # restoring a deleted record publishes it again: the same rule
        return is_approver(role, spec.organization)
    return is_steward(role, spec.organization)


def may_submit(role: str, kind: str, state: str) -> bool:
    if kind == "page":
        return is_page_steward(role) and state in ("public", "draft", "returned")
    spec = KINDS[kind]
    return (
        spec.in_review
        and state in ("private", "draft", "returned")
        and (is_steward(role, spec.organization))
    )


def may_approve(role: str, kind: str, state: str) -> bool:
    spec = KINDS[kind]
    return (
        spec.in_review
        and kind != "page"
        and state in ("private", "draft", "pending", "returned")
        and is_approver(role, spec.organization)
    )


def may_return(role: str, kind: str, state: str) -> bool:
    if kind == "page":
        return is_coordinator(role) and state == "pending"
    spec = KINDS[kind]
    return (
        spec.in_review and state in ("public", "pending") and (is_approver(role, spec.organization))
    )


def may_delete(role: str, kind: str, state: str) -> bool:
    return state != "deleted" and is_steward(role, KINDS[kind].organization)


CHANGES = {
    "update": may_update,
    "submit": may_submit,
    "publish": may_publish,
    "approve": may_approve,
    "return": may_return,
    "delete": may_delete,
}


def after(op: str, kind: str, state: str) -> str:
    """The state an allowed change leaves the record in. A published content page stays
    public whatever happens to its next draft; an edit makes a pending page a draft again."""
    if kind == "page" and state == "public" and op in ("update", "submit"):
        return "public"
    if op == "update":
        return "draft" if kind == "page" and state == "pending" else state
    if op == "submit":
        return "pending"
    if op in ("publish", "approve"):
        return "public"
    if op == "return":
        return "returned"
    if op == "delete":
        return "deleted"
    raise ValueError(op)
