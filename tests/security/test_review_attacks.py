"""Attacks on the review workflow: publishing unreviewed records through the request's
``type`` or ``owner_org``, and reading the approvers' comments in the activity stream."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.review import policy
from tests import factories

# the production scope (deployment/ckan.ini.template): collection objects are out of it
SCOPE = pytest.mark.ckan_config(
    "ckanext.smartregion.review.dataset_types", "dataset indicator project"
)
pytestmark = [SCOPE, pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

INTERNAL_COMMENT = "Interní: autor sady je ve sporu s krajem, nezveřejňovat jméno."


@dataclass
class People:
    organization: dict[str, Any]  # A: the dataset's organisation
    elsewhere: dict[str, Any]  # C: where the editor of A is an admin
    editor: dict[str, Any]  # editor of A, admin of C
    approver: dict[str, Any]  # admin of A
    member: dict[str, Any]  # a read-only member of A
    outsider: dict[str, Any]


@pytest.fixture
def people() -> People:
    editor, approver, member, outsider = (ckan_factories.User() for _ in range(4))
    organization = ckan_factories.Organization(
        users=[
            {"name": editor["name"], "capacity": "editor"},
            {"name": approver["name"], "capacity": "admin"},
            {"name": member["name"], "capacity": "member"},
        ]
    )
    elsewhere = ckan_factories.Organization(users=[{"name": editor["name"], "capacity": "admin"}])
    return People(organization, elsewhere, editor, approver, member, outsider)


def _as(user: dict[str, Any] | None) -> dict[str, Any]:
    return {"user": user["name"] if user else "", "ignore_auth": False}


def _headers(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": ckan_factories.APIToken(user=user["name"])["token"]}


def _state(package_id: str) -> str | None:
    current = policy.state_of(package_id)
    return current.state if current is not None else None


def _record(kind: str, people: People, state: str) -> dict[str, Any]:
    """A dataset or indicator (with values) of A made by its editor, left in state."""
    owner = {"owner_org": people.organization["id"], "user": people.editor}
    if kind == "indicator":
        record = factories.Indicator(**owner)
        factories.upload_values(record, [{"period": "2024", "value": 3.5}], people.editor["name"])
    else:
        record = factories.Dataset(**owner)
    assert record["private"] is True
    if state in ("pending", "returned"):
        call_action("smartregion_review_submit", context=_as(people.editor), id=record["id"])
    if state == "returned":
        call_action(
            "smartregion_review_return",
            context=_as(people.approver),
            id=record["id"],
            comment="Doplňte zdroj.",
        )
    assert _state(record["id"]) == state
    return record


def _send(action: str, user: dict[str, Any], record: dict[str, Any], **changes: Any) -> Any:
    context = _as(user)
    if action == "package_patch":
        return call_action("package_patch", context=context, id=record["id"], **changes)
    if action == "package_revise":
        return call_action(
            "package_revise", context=context, match={"id": record["id"]}, update=changes
        )
    shown = call_action("package_show", context=_as(user), id=record["id"])
    return call_action("package_update", context=context, **{**shown, **changes})


@pytest.mark.parametrize("action", ["package_patch", "package_update", "package_revise"])
@pytest.mark.parametrize("sent_type", ["collection-object", "no-such-type"])
@pytest.mark.parametrize(("kind", "state"), [("dataset", "draft"), ("indicator", "pending")])
def test_a_sent_type_neither_publishes_nor_changes_the_record(
    people, action, sent_type, kind, state
):
    record = _record(kind, people, state)

    try:
        _send(action, people.editor, record, private=False, type=sent_type)
    except tk.ValidationError as error:
        refused = error.error_dict
    else:
        refused = {}

    stored = model.Package.get(record["id"])
    assert (stored.private, stored.type, _state(record["id"])) == (True, kind, state)
    assert kind in str(refused.get("type"))  # the error names the field and the stored type


def test_a_new_record_of_an_unknown_type_is_refused(people):
    fields = {"name": "nezname", "title": "Neznámý typ", "notes": "Bez schvalování."}
    with pytest.raises(tk.ValidationError) as refused:
        call_action(
            "package_create",
            context=_as(people.editor),
            type="no-such-type",
            owner_org=people.organization["id"],
            private=False,
            **fields,
        )
    assert "indicator" in str(refused.value.error_dict["type"])  # lists the known types
    assert model.Package.get("nezname") is None


def test_sending_the_stored_type_is_no_change(people):
    record = _record("dataset", people, "draft")
    saved = _send("package_patch", people.editor, record, type="dataset", private=False)
    assert (saved["private"], _state(record["id"])) == (True, "draft")
    saved = _send("package_patch", people.approver, record, type="dataset", private=False)
    assert (saved["private"], _state(record["id"])) == (False, "approved")


@pytest.mark.parametrize("action", ["package_patch", "package_update", "package_revise"])
def test_moving_to_an_organization_one_administers_publishes_nothing(people, action):
    record = _record("dataset", people, "draft")
    a, c = people.organization["id"], people.elsewhere["id"]

    moved = _send(action, people.editor, record, owner_org=c, private=False)
    moved = moved.get("package", moved)  # package_revise answers {"package": ...}
    assert moved["owner_org"] == c
    assert moved["private"] is True
    assert _state(record["id"]) == "pending"  # C's approver (here the mover) reviews it
    back = _send(action, people.editor, record, owner_org=a, private=False)
    back = back.get("package", back)

    assert (back["owner_org"], back["private"]) == (a, True)
    assert _state(record["id"]) == "pending"
    waiting = call_action("smartregion_review_list", context=_as(people.approver), state="pending")
    assert [row["id"] for row in waiting["results"]] == [record["id"]]
    anonymous = call_action("package_search", context=_as(None), q=f"id:{record['id']}")
    assert anonymous["count"] == 0


def test_approving_in_the_new_organization_does_not_publish_the_move_back(people):
    record = _record("dataset", people, "pending")
    a, c = people.organization["id"], people.elsewhere["id"]
    _send("package_patch", people.editor, record, owner_org=c)
    # the editor approves it as C's admin: public in C, as a copy made in C would be
    call_action("smartregion_review_approve", context=_as(people.editor), id=record["id"])
    assert model.Package.get(record["id"]).private is False

    back = _send("package_patch", people.editor, record, owner_org=a, private=False)

    assert (back["owner_org"], back["private"]) == (a, True)
    assert _state(record["id"]) == "pending"


def test_an_approver_of_both_organizations_moves_and_publishes(people):
    record = _record("dataset", people, "pending")
    c = people.elsewhere["id"]
    call_action(
        "member_create",
        id=c,
        object=people.approver["id"],
        object_type="user",
        capacity="admin",
    )
    moved = _send("package_patch", people.approver, record, owner_org=c, private=False)
    assert (moved["owner_org"], moved["private"]) == (c, False)
    assert _state(record["id"]) == "approved"


def test_an_editor_moving_an_approved_dataset_sends_it_back_to_review(people):
    record = _record("dataset", people, "pending")
    call_action("smartregion_review_approve", context=_as(people.approver), id=record["id"])

    moved = _send("package_patch", people.editor, record, owner_org=people.elsewhere["id"])

    assert moved["private"] is True
    assert _state(record["id"]) == "pending"


def _approved_with_comment(people: People) -> dict[str, Any]:
    record = _record("dataset", people, "pending")
    call_action(
        "smartregion_review_return",
        context=_as(people.approver),
        id=record["id"],
        comment=INTERNAL_COMMENT + " (vráceno)",
    )
    call_action("smartregion_review_submit", context=_as(people.editor), id=record["id"])
    call_action(
        "smartregion_review_approve",
        context=_as(people.approver),
        id=record["id"],
        comment=INTERNAL_COMMENT,
    )
    assert model.Package.get(record["id"]).private is False
    return record


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_review_comments_stay_out_of_the_activity_api(people, who):
    record = _approved_with_comment(people)
    user = {"anonymous": None, "outsider": people.outsider, "member": people.member}[who]

    stream = call_action("package_activity_list", context=_as(user), id=record["id"])
    organization_stream = call_action(
        "organization_activity_list", context=_as(user), id=people.organization["id"]
    )

    steps = [a["activity_type"] for a in stream if "review" in a["activity_type"]]
    assert "smartregion review approved package" in steps  # the step itself is public
    for activities in (stream, organization_stream):
        assert "Interní" not in json.dumps(activities, ensure_ascii=False)
        for activity in activities:
            try:
                shown = call_action(
                    "activity_show", context=_as(user), id=activity["id"], include_data=True
                )
            except tk.NotAuthorized:
                continue
            assert "Interní" not in json.dumps(shown, ensure_ascii=False)


def test_review_comments_show_on_the_activity_page_only_to_stewards(app, people):
    record = _approved_with_comment(people)
    page = f"/dataset/activity/{record['name']}"

    public = app.get(page).get_data(as_text=True)
    member = app.get(page, headers=_headers(people.member)).get_data(as_text=True)
    editor = app.get(page, headers=_headers(people.editor)).get_data(as_text=True)

    assert "approved and published" in public
    assert "Interní" not in public
    assert "Interní" not in member
    assert INTERNAL_COMMENT in editor and INTERNAL_COMMENT + " (vráceno)" in editor


def test_the_migration_removes_comments_recorded_before(people, migrate_db_for):
    from ckanext.activity.model import Activity

    record = _approved_with_comment(people)
    steps = model.Session.query(Activity).filter(
        Activity.object_id == record["id"], Activity.activity_type.like("smartregion review %")
    )
    for step in steps:  # as the activities were written before the fix
        step.data = {**step.data, "comment": INTERNAL_COMMENT}
    model.Session.commit()
    model.Session.remove()
    public = call_action("package_activity_list", context=_as(None), id=record["id"])
    assert INTERNAL_COMMENT in json.dumps(public, ensure_ascii=False)

    migrate_db_for("smartregion_review", "b7e4d9a1c2f3", False)
    migrate_db_for("smartregion_review")

    public = call_action("package_activity_list", context=_as(None), id=record["id"])
    assert "Interní" not in json.dumps(public, ensure_ascii=False)
    assert "smartregion review approved package" in [a["activity_type"] for a in public]
