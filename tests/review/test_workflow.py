"""The review workflow through its actions: who may do what, states and history."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action

from ckanext.smartregion.review import policy
from tests.review.conftest import SCOPE, as_user, new_dataset, review

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_out_of_scope_datasets_are_untouched(team):
    dataset = new_dataset(team, team.steward, private=False)
    assert dataset["private"] is False
    assert policy.state_of(dataset["id"]) is None


@SCOPE
def test_a_stewards_new_dataset_is_a_private_draft_they_cannot_publish(team):
    dataset = new_dataset(team, team.steward, private=False)
    assert dataset["private"] is True
    assert review("show", team.steward, id=dataset["id"])["state"] == "draft"

    patched = call_action(
        "package_patch", context=as_user(team.steward), id=dataset["id"], private=False
    )
    assert patched["private"] is True
    with pytest.raises(tk.NotAuthorized, match="approver"):
        call_action(
            "bulk_update_public",
            context=as_user(team.steward),
            datasets=[dataset["id"]],
            org_id=team.organization["id"],
        )
    assert model.Package.get(dataset["id"]).private is True


@SCOPE
def test_submit_approve_publishes_and_keeps_the_history(team):
    dataset = new_dataset(team, team.steward)
    with pytest.raises(tk.NotAuthorized):
        review("submit", team.outsider, id=dataset["id"])
    assert review("submit", team.steward, id=dataset["id"])["state"] == "pending"
    with pytest.raises(tk.ValidationError, match="only a draft or returned"):
        review("submit", team.steward, id=dataset["id"])
    with pytest.raises(tk.NotAuthorized):
        review("approve", team.steward, id=dataset["id"])  # an editor is no approver

    approved = review("approve", team.approver, id=dataset["id"], comment="V pořádku.")
    assert approved["state"] == "approved"
    assert approved["private"] is False
    assert call_action("package_show", id=dataset["id"])["private"] is False
    steps = [(h["state"], h["user"], h["comment"]) for h in approved["history"]]
    assert steps == [
        ("approved", team.approver["name"], "V pořádku."),
        ("pending", team.steward["name"], None),
        ("draft", team.steward["name"], None),
    ]


@SCOPE
def test_return_needs_a_comment_and_makes_the_dataset_private_again(team):
    dataset = new_dataset(team, team.steward)
    review("submit", team.steward, id=dataset["id"])
    with pytest.raises(tk.ValidationError) as refused:
        review("return", team.approver, id=dataset["id"], comment="  ")
    assert "comment" in refused.value.error_dict
    returned = review(
        "return", team.approver, id=dataset["id"], comment="Doplňte kontaktní e-mail."
    )
    assert returned["state"] == "returned"
    assert returned["private"] is True
    assert returned["comment"] == "Doplňte kontaktní e-mail."
    # the steward fixes it and submits again; the approver approves, then unpublishes it
    assert review("submit", team.steward, id=dataset["id"])["state"] == "pending"
    review("approve", team.approver, id=dataset["id"])
    again = review("return", team.approver, id=dataset["id"], comment="Chybná data.")
    assert again["private"] is True
    assert again["state"] == "returned"


@SCOPE
def test_approvers_publish_directly_and_editors_cannot_reverse_their_approval(team):
    dataset = new_dataset(team, team.approver, private=False)
    assert dataset["private"] is False
    assert review("show", team.approver, id=dataset["id"])["state"] == "approved"
    private = new_dataset(team, team.approver, private=True)
    assert review("show", team.approver, id=private["id"])["state"] == "draft"
    # an approver publishing by editing approves it
    call_action("package_patch", context=as_user(team.approver), id=private["id"], private=False)
    assert review("show", team.approver, id=private["id"])["state"] == "approved"
    # an editor's later edit of an approved dataset keeps it approved and public
    edited = call_action(
        "package_patch", context=as_user(team.steward), id=private["id"], notes="Opraveno."
    )
    assert edited["private"] is False
    assert review("show", team.steward, id=private["id"])["state"] == "approved"


@SCOPE
def test_the_list_shows_only_organizations_the_user_curates(team):
    dataset = new_dataset(team, team.steward)
    review("submit", team.steward, id=dataset["id"])
    mine = review("list", team.steward, state="pending")
    assert [row["name"] for row in mine["results"]] == [dataset["name"]]
    assert mine["results"][0]["updated_by"] == team.steward["name"]
    assert review("list", team.outsider, state="pending")["count"] == 0
    assert review("list", team.sysadmin, state="pending")["count"] == 1
    assert review("list", team.approver, state="approved")["count"] == 0
    with pytest.raises(tk.ValidationError):
        review("list", team.steward, state="published")
    with pytest.raises(tk.NotAuthorized):
        call_action("smartregion_review_list", context={"user": "", "ignore_auth": False})


@SCOPE
def test_the_activity_stream_records_who_did_what(team):
    dataset = new_dataset(team, team.steward)
    review("submit", team.steward, id=dataset["id"])
    review("return", team.approver, id=dataset["id"], comment="Doplňte popis.")
    review("submit", team.steward, id=dataset["id"])
    review("approve", team.approver, id=dataset["id"])
    activities = call_action(
        "package_activity_list", context=as_user(team.approver), id=dataset["id"]
    )
    steps = [
        (a["activity_type"], a["user_id"])
        for a in activities
        if a["activity_type"].startswith("smartregion review")
    ]
    assert steps == [
        ("smartregion review approved package", team.approver["id"]),
        ("smartregion review pending package", team.steward["id"]),
        ("smartregion review returned package", team.approver["id"]),
        ("smartregion review pending package", team.steward["id"]),
        ("smartregion review draft package", team.steward["id"]),
    ]
    # the comments are in the review history; the stream shows them to stewards only
    assert not any("comment" in a["data"] for a in activities if "review" in a["activity_type"])
    history = review("show", team.steward, id=dataset["id"])["history"]
    assert [h["comment"] for h in history if h["state"] == "returned"] == ["Doplňte popis."]
    # steps taken while private stay hidden from anonymous users; the approval is public
    public = call_action(
        "package_activity_list", context={"user": "", "ignore_auth": False}, id=dataset["id"]
    )
    public_steps = [a["activity_type"] for a in public if "review" in a["activity_type"]]
    assert public_steps == ["smartregion review approved package"]


@SCOPE
def test_harvested_datasets_start_pending_and_stay_approved_on_update(team):
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    harvest = {"user": site, "ignore_auth": True, "smartregion_harvest": True}
    dataset = new_dataset(team, site, private=False)  # the site user outside a harvest
    assert dataset["private"] is False
    harvested = call_action(
        "package_create",
        context=dict(harvest),
        type="dataset",
        name="sklizena-sada",
        title="Sklizená sada",
        notes="Ze zdroje.",
        tags=[{"name": "doprava"}],
        owner_org=team.organization["id"],
        themes=["TRAN"],
        frequency="ANNUAL",
        private=False,
    )
    assert harvested["private"] is True
    assert review("show", team.approver, id=harvested["id"])["state"] == "pending"
    # a re-harvest keeps it pending and private
    call_action("package_patch", context=dict(harvest), id=harvested["id"], private=False)
    assert model.Package.get(harvested["id"]).private is True
    review("approve", team.approver, id=harvested["id"])
    # a later re-harvest of the approved dataset keeps it approved and public
    updated = call_action("package_patch", context=dict(harvest), id=harvested["id"], notes="Nově.")
    assert updated["private"] is False
    assert review("show", team.approver, id=harvested["id"])["state"] == "approved"


@SCOPE
def test_bulk_harvest_path_helpers(team):
    assert policy.needs_review(team.organization["id"], "dataset") is True
    assert policy.needs_review(team.organization["id"], "indicator") is False
    dataset = new_dataset(team, team.sysadmin, private=True)
    model.Session.query(policy.ReviewState).filter_by(package_id=dataset["id"]).delete()
    model.Session.commit()
    assert policy.record_pending([dataset["id"]]) == 1
    assert policy.record_pending([dataset["id"]]) == 0  # a re-run changes nothing
    assert review("show", team.approver, id=dataset["id"])["state"] == "pending"


@pytest.mark.ckan_config("ckanext.smartregion.review.organizations", "*")
def test_organization_scope(team):
    assert policy.needs_review(team.organization["name"], "indicator") is True
    assert policy.needs_review(None, "indicator") is False
    dataset = new_dataset(team, team.steward, private=False)
    assert dataset["private"] is True
