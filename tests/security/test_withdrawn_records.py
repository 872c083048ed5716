"""A record withdrawn from the public (made private or deleted) leaves the public activity
streams, and a steward cannot bring a deleted record in review back public by restoring it."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.review import policy
from tests import factories

SCOPE = pytest.mark.ckan_config(
    "ckanext.smartregion.review.dataset_types", "dataset indicator project"
)
pytestmark = [SCOPE, pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _as(user: dict[str, Any] | None) -> dict[str, Any]:
    return {"user": user["name"] if user else "", "ignore_auth": False}


@pytest.fixture
def published() -> dict[str, Any]:
    """A public dataset approved by its organisation's admin, with its editor and admin."""
    editor, approver = ckan_factories.User(), ckan_factories.User()
    organization = ckan_factories.Organization(
        users=[
            {"name": editor["name"], "capacity": "editor"},
            {"name": approver["name"], "capacity": "admin"},
        ]
    )
    dataset = factories.Dataset(owner_org=organization["id"], user=editor)
    call_action("smartregion_review_submit", context=_as(editor), id=dataset["id"])
    call_action("smartregion_review_approve", context=_as(approver), id=dataset["id"])
    assert call_action("package_show", id=dataset["id"])["private"] is False
    return {"dataset": dataset, "editor": editor, "approver": approver, "org": organization}


def _public_stream_ids(organization_id: str) -> set[str]:
    anonymous = _as(None)
    recent = call_action("recently_changed_packages_activity_list", context=anonymous)
    of_org = call_action("organization_activity_list", context=anonymous, id=organization_id)
    return {activity["object_id"] for activity in recent + of_org}


@pytest.mark.parametrize("withdrawal", ["private", "deleted"])
def test_a_withdrawn_record_leaves_the_public_activity_streams(published, withdrawal):
    dataset, approver = published["dataset"], published["approver"]
    assert dataset["id"] in _public_stream_ids(published["org"]["id"])

    if withdrawal == "private":
        call_action("package_patch", context=_as(approver), id=dataset["id"], private=True)
    else:
        call_action("package_delete", context=_as(approver), id=dataset["id"])

    assert dataset["id"] not in _public_stream_ids(published["org"]["id"])
    own_stream = call_action("package_activity_list", context=_as(approver), id=dataset["id"])
    assert own_stream, "the dataset's stewards still see its history"


def test_a_steward_cannot_restore_a_deleted_record_to_public(published):
    dataset, editor = published["dataset"], published["editor"]
    call_action("package_delete", context=_as(published["approver"]), id=dataset["id"])

    with pytest.raises(tk.NotAuthorized, match="approver"):
        call_action("package_patch", context=_as(editor), id=dataset["id"], state="active")

    stored = call_action("package_show", id=dataset["id"])
    assert stored["state"] == "deleted"


def test_a_harvest_restores_a_deleted_record_private_and_pending(published):
    dataset = published["dataset"]
    call_action("package_delete", context=_as(published["approver"]), id=dataset["id"])
    site_user = call_action("get_site_user", context={"ignore_auth": True})

    call_action(
        "package_patch",
        context={"user": site_user["name"], "smartregion_harvest": True},
        id=dataset["id"],
        state="active",
    )

    stored = call_action("package_show", id=dataset["id"])
    assert (stored["state"], stored["private"]) == ("active", True)
    assert policy.state_of(dataset["id"]).state == "pending"
