"""Template helpers of the review workflow: the review box of a dataset page and labels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartregion.language import N_
from ckanext.smartregion.review import badge, issues, policy
from ckanext.smartregion.review.model import ReviewEvent

# review state / kind of a missing item -> label (English; Czech in i18n/)
STATE_LABELS = {
    "draft": N_("Draft"),
    "pending": N_("Pending review"),
    "approved": N_("Approved"),
    "returned": N_("Returned for changes"),
}
MISSING_KINDS = {
    "required": N_("required"),
    "recommended": N_("recommended"),
    "broken": N_("broken link"),
    "issue": N_("harvest problem"),
}


def _translated(labels: dict[str, str], key: str) -> str:
    return tk._(labels[key]) if key in labels else key


def smartregion_review_state_label(state: str) -> str:
    return _translated(STATE_LABELS, state)


def smartregion_review_missing_label(item: str) -> str:
    """``required:notes`` → ``povinné: notes`` (in the user's language)."""
    kind, _, what = item.partition(":")
    return f"{_translated(MISSING_KINDS, kind)}: {what}"


def smartregion_review_box(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """What the review box of a dataset page shows to the current user; None when the
    dataset is out of scope or the user may not act on it."""
    if not tk.current_user.is_authenticated:
        return None
    owner_org, dataset_type = pkg.get("owner_org"), pkg.get("type")
    if not policy.needs_review(owner_org, dataset_type):
        return None
    user = tk.current_user.name
    steward = policy.is_steward(user, owner_org)
    if not steward:
        return None
    current = policy.state_of(pkg["id"])
    state = current.state if current else ("draft" if pkg.get("private") else "approved")
    approver = policy.is_approver(user, owner_org)
    return {
        "state": state,
        "comment": current.comment if current else None,
        "updated_by": model.User.get(current.updated_by).name
        if current and current.updated_by and model.User.get(current.updated_by)
        else None,
        "updated": current.updated if current else None,
        "can_submit": state in ("draft", "returned"),
        "can_approve": approver and (state != "approved" or bool(pkg.get("private"))),
        "can_return": approver and state in ("pending", "approved"),
        "approver": approver,
    }


def smartregion_review_activity_comment(activity: dict[str, Any]) -> str | None:
    """The comment of a review step in the activity stream, for the dataset's stewards
    (editors and admins of its organisation, sysadmins) only: the activity itself carries
    just the review event's id, since anyone may read a public dataset's activities."""
    event_id = (activity.get("data") or {}).get("event_id")
    if not event_id or not tk.current_user.is_authenticated:
        return None
    event = model.Session.get(ReviewEvent, event_id)
    package = model.Package.get(activity.get("object_id") or "")
    if event is None or package is None or event.package_id != package.id:
        return None
    if not policy.is_steward(tk.current_user.name, package.owner_org):
        return None
    return event.comment


def smartregion_review_quality_issues(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The problems a harvest found in the dataset's source record, for its stewards only
    (editors and admins of its organisation, sysadmins); None for anyone else or none."""
    found = issues.parse(pkg.get(issues.FIELD))
    if not found or not tk.current_user.is_authenticated:
        return None
    if not policy.is_steward(tk.current_user.name, pkg.get("owner_org")):
        return None
    shown = [issues.shown(issue) for issue in found]  # in the user's language
    return {"issues": shown, "blocking": issues.blocks_catalogue(found)}


@tk.chained_helper
def new_activities(next_helper: Callable[[], int | None]) -> int | None:
    """The header badge's count of new dashboard activities, remembered for a minute per
    user (review/badge.py)."""
    user = tk.g.get("userobj")
    if not user:
        return next_helper()
    return badge.cached_count(user.id, next_helper)
