"""Review steps in the dataset's activity stream ("smartregion review <state> package").

ckanext-activity's activity_create accepts only its own activity types, so the steps are
stored with its model, carrying the dataset's permission labels: a step taken while the
dataset is private is shown only to those who may see the dataset (ckanext-activity filters
by labels only the types ending in "package"). The stream renders them with
templates/snippets/activities/smartregion_review_<state>_package.html.

The step's comment is never stored in the activity: approvers write it for the stewards,
and the approval of a public dataset is a public activity (the activity API, organisation
and user streams, activity_show). The activity keeps the review event's id; the stream
shows the comment from the review history only to the dataset's stewards
(helpers.smartregion_review_activity_comment).
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib.plugins import get_permission_labels

ACTIVITY_TYPE = "smartregion review {state} package"


def record(package_id: str, user_id: str | None, state: str, event_id: int) -> None:
    if not tk.config.get("ckan.activity_streams_enabled") or not p.plugin_loaded("activity"):
        return
    from ckanext.activity.model import Activity

    package = model.Package.get(package_id)
    if package is None:
        return
    data = {
        "package": {
            "id": package.id,
            "name": package.name,
            "title": package.title,
            "type": package.type,
            "owner_org": package.owner_org,
        },
        "review_state": state,
        "event_id": event_id,
    }
    model.Session.add(
        Activity(
            user_id or "",
            package.id,
            ACTIVITY_TYPE.format(state=state),
            data,
            permission_labels=get_permission_labels().get_dataset_labels(package),
        )
    )


def withdraw(package_id: str) -> None:
    """Takes the public label off the earlier activities of a dataset that is no longer
    public (made private or deleted): ckanext-activity fixes an activity's labels when it is
    written, so recently_changed_packages_activity_list and the organisation's stream kept
    showing a withdrawn dataset's id and title to anyone. Its activities get the labels the
    dataset has now (called once the change is saved, before the commit)."""
    if not p.plugin_loaded("activity"):
        return
    package = model.Package.get(package_id)
    if package is None or (package.state == "active" and not package.private):
        return
    labels = get_permission_labels().get_dataset_labels(package)
    model.Session.execute(
        sa.text(
            "UPDATE activity SET permission_labels = :labels"
            " WHERE object_id = :id AND 'public' = ANY(permission_labels)"
        ),
        {"labels": labels, "id": package.id},
    )
