"""The permission matrix's rules and cells: which read rule a surface follows, the further
conditions of CKAN's, the cells left out with their reason, and the generator of the cells.

A cell is (operation, surface, kind, state, role) with its expected outcome from
matrix_policy. A read surface gives up to two cells per record: whether the record shows
("record") and whether its internal text shows ("internal": a review comment, a page's
unpublished draft). The routes and actions no surface reaches are listed with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tests.security import matrix_policy as policy
from tests.security.matrix_policy import KINDS
from tests.security.matrix_surfaces import DATASETS, SURFACES, Surface

# --- read rules: True the record (its internal text) must show, False it must not, None the
# threat model allows either (no cell) ------------------------------------------------------


def _listed(role: str, kind: str, state: str) -> bool:
    return state != "deleted" and policy.may_read(role, kind, state)


def _live(role: str, kind: str, state: str) -> bool | None:
    """Tables and files of a deleted record: hidden from outsiders; members unspecified."""
    readable = policy.may_read(role, kind, state)
    return readable if state != "deleted" else (None if readable else False)


def _outsiders(role: str, kind: str, state: str) -> bool | None:
    return False if not policy.may_read(role, kind, state) else None


def _internal(role: str, kind: str, state: str) -> bool:
    return policy.may_read(role, kind, state) and policy.may_read_internal(role, kind, state)


def _internal_live(role: str, kind: str, state: str) -> bool | None:
    allowed = _internal(role, kind, state)
    return allowed if state != "deleted" else (None if allowed else False)


def _internal_outsiders(role: str, kind: str, state: str) -> bool | None:
    return False if not _internal(role, kind, state) else None


def _curated(role: str, kind: str, state: str) -> bool | None:
    """smartregion_review_list: the records in review of the organisations one curates."""
    if not policy.is_steward(role, KINDS[kind].organization):
        return False
    return True if KINDS[kind].in_review and state != "deleted" else None


def _waiting(role: str, kind: str, state: str) -> bool | None:
    """/sprava: pending and returned records of the organisations one curates (its quality
    list may show their other records too)."""
    if not policy.is_steward(role, KINDS[kind].organization):
        return False
    return True if KINDS[kind].in_review and state in ("pending", "returned") else None


RECORD_RULES: dict[str, Callable[[str, str, str], bool | None]] = {
    "read": policy.may_read,
    "listed": _listed,
    "live": _live,
    "public": lambda role, kind, state: state == "public",
    "public_or_sysadmin": lambda role, kind, state: state == "public"
    or (role == "sysadmin" and state != "deleted"),  # CKAN: include_private for sysadmins
    "outsiders": _outsiders,
    "internal": _internal,
    "internal_live": _internal_live,
    "curated": _curated,
    "waiting": _waiting,
}
SECRET_RULES: dict[str, Callable[[str, str, str], bool | None]] = {
    "internal": _internal,
    "internal_live": _internal_live,
    "outsiders": _internal_outsiders,
    "never": lambda role, kind, state: False,
}


def has_secret(kind: str, state: str) -> bool:
    """Records with internal text: every page (its unpublished text) and reviewed records
    that carry a review comment (all but a draft)."""
    if kind == "page":
        return True
    return KINDS[kind].in_review and kind != "report" and state != "draft"


# --- further conditions of CKAN's, and the cells left out ------------------------------------

REQUIREMENTS: dict[str, Callable[[str], bool]] = {
    # CKAN's bulk_update_* need the organisation's "update" permission: its admins
    "organization_update": lambda role: role == "sysadmin" or policy.capacity(role, "A") == "admin",
    "approver_of_c": lambda role: policy.is_approver(role, "C"),
    "never": lambda role: False,
}


@dataclass(frozen=True)
class Exclusion:
    reason: str
    ops: tuple[str, ...] = ()
    surfaces: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def matches(self, surface: Surface, kind: str, state: str) -> bool:
        return (
            (not self.ops or surface.op in self.ops)
            and (not self.surfaces or surface.name in self.surfaces)
            and (not self.states or state in self.states)
            and (not self.kinds or kind in self.kinds)
        )


EXCLUSIONS = [
    Exclusion(
        "a deleted record is edited or deleted again without any visible effect",
        ops=("update", "delete"),
        states=("deleted",),
    ),
    Exclusion("already public", ops=("publish",), states=("public",), kinds=DATASETS),
    Exclusion(
        "on a deleted record only a restore (state: active) can publish",
        surfaces=(
            "package_patch:private",
            "harvest:package_patch:private",
            "package_revise:private",
            "bulk_update_public",
            "package_patch:type",
            "package_patch:move",
        ),
        states=("deleted",),
    ),
]


# --- the cells ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    surface: Surface
    kind: str
    state: str
    role: str
    check: str  # record | internal (reads), change (the rest)
    expected: bool

    @property
    def id(self) -> str:
        aspect = "-internal" if self.check == "internal" else ""
        return f"{self.surface.op}{aspect}-{self.surface.name}-{self.kind}-{self.state}-{self.role}"


def excluded(surface: Surface, kind: str, state: str) -> str | None:
    """Why the cell makes no sense, or None."""
    for exclusion in EXCLUSIONS:
        if exclusion.matches(surface, kind, state):
            return exclusion.reason
    return None


def _states(surface: Surface, kind: str) -> tuple[str, ...]:
    states = KINDS[kind].states
    if surface.states is not None:
        if surface.op == "create":  # the state asked for, not one the record is in
            return surface.states
        return tuple(state for state in states if state in surface.states)
    return states


def expected_change(surface: Surface, kind: str, state: str, role: str) -> bool:
    if surface.op == "create":
        return policy.may_create(role, kind)
    allowed = policy.CHANGES[surface.op](role, kind, state)
    if surface.requires is not None:
        allowed = allowed and REQUIREMENTS[surface.requires](role)
    return allowed


def cells(op: str | None = None, reads: bool | None = None) -> Iterator[Cell]:
    """Every cell of the matrix (optionally of one operation, or only reads or changes)."""
    for surface in SURFACES.values():
        if op is not None and surface.op != op:
            continue
        if reads is not None and (surface.op == "read") != reads:
            continue
        for kind in surface.kinds:
            for state in _states(surface, kind):
                if excluded(surface, kind, state):
                    continue
                for role in surface.roles:
                    yield from _cells_of(surface, kind, state, role)


def _cells_of(surface: Surface, kind: str, state: str, role: str) -> Iterator[Cell]:
    if surface.op != "read":
        expected = expected_change(surface, kind, state, role)
        if not (expected and surface.refusals_only):
            yield Cell(surface, kind, state, role, "change", expected)
        return
    shown = RECORD_RULES[surface.record or "read"](role, kind, state)
    if shown is not None:
        yield Cell(surface, kind, state, role, "record", shown)
    if surface.secret and has_secret(kind, state):
        secret = SECRET_RULES[surface.secret](role, kind, state)
        if secret is not None:
            yield Cell(surface, kind, state, role, "internal", secret)


def exclusion_count() -> dict[str, int]:
    """How many (surface, kind, state) combinations each exclusion leaves out."""
    counts: dict[str, int] = {}
    for surface in SURFACES.values():
        for kind in surface.kinds:
            for state in _states(surface, kind):
                reason = excluded(surface, kind, state)
                if reason:
                    counts[reason] = counts.get(reason, 0) + len(surface.roles)
    return counts


# --- coverage: every route of the portal's blueprints and every smartregion action ----------

# routes no surface requests, with the reason (rules as Flask writes them)
ROUTE_EXCLUSIONS = {
    "/api-dokumentace": "developer documentation: static text, no record",
    "/api-dokumentace/": "developer documentation: static text, no record",
    "/api-dokumentace/openapi.json": "the OpenAPI description of the actions: no record",
    "/akcni-plan": "the plan's structure with public counts (home.area_counts): no record",
    "/sprava/": "the view of /sprava",
    "/lkod/katalog.<suffix>": "the view of /lkod/katalog with the format as a suffix",
    "/lkod/datove-sady/<dataset_id>": "the view of /lkod/datove-sady/<id>.jsonld, the format "
    "negotiated",
}
# actions registered by the portal's plugins that no surface calls, with the reason
ACTION_EXCLUSIONS = {
    "smartregion_taxonomy_show": "the plan's structure (schemas/taxonomy.yaml): no record",
    "package_update": "package_patch and package_revise are package_update on the stored "
    "dataset (a full dict is what package_patch sends)",
    "harvest_jobs_run": "harvest jobs and sources: tests/security/test_harvest_source_orgs.py",
    "harvest_job_report": "ckanext-harvest's job report plus the job's quality_summary, "
    "after ckanext-harvest's check on the stored source: "
    "tests/security/test_harvest_source_orgs.py",
    "group_activity_list": "the same filter as organization_activity_list "
    "(review/action.py::_readable_only), whose surface is in the matrix",
    "user_activity_list": "the same filter as organization_activity_list "
    "(review/action.py::_readable_only), whose surface is in the matrix",
    "dashboard_mark_activities_old": "ckanext-activity's action on the caller's own dashboard, "
    "its own auth; the chain only drops the caller's remembered badge count "
    "(tests/review/test_badge.py)",
}
# auth functions of the portal without an action of their own: the surface that checks them
AUTH_ONLY = {"smartregion_report_publish": "html:report_publish"}
