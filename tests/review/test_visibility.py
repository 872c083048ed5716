"""A dataset waiting for review is invisible to anonymous users everywhere the portal
publishes datasets, visible to its organisation, and public once approved."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests.review.conftest import SCOPE, new_dataset, review, web_user

pytestmark = [SCOPE, pytest.mark.usefixtures("with_plugins")]

ANONYMOUS_PLACES = (
    "/dataset/{name}",
    "/api/3/action/package_show?id={name}",
    "/api/3/action/package_search?q=name:{name}",
    "/feeds/dataset.atom",
    "/feeds/custom.atom?q=name:{name}",
    "/catalog.ttl",
    "/lkod/katalog",
    "/organization/{org}",
)


def _shows(app, place: str, dataset: dict, org: str, headers: dict | None = None) -> bool:
    url = place.format(name=dataset["name"], org=org)
    response = app.get(url, headers=headers or {}, status=None)
    if response.status_code in (403, 404):
        return False
    assert response.status_code == 200, (url, response.status_code)
    body = response.get_data(as_text=True)
    # the id (API, catalogue IRIs) or the unique title (pages, feeds); never the bare name,
    # which a feed or search page may echo from the query
    return dataset["id"] in body or dataset["title"] in body


def test_pending_is_hidden_from_anonymous_users_until_approved(app, team):
    dataset = new_dataset(team, team.steward, name="ceka-na-schvaleni")
    review("submit", team.steward, id=dataset["id"])
    org = team.organization["name"]
    for place in ANONYMOUS_PLACES:
        assert not _shows(app, place, dataset, org), place
    # the organisation's members see it on its page and in search
    steward = web_user(team.steward)
    assert _shows(app, "/dataset/{name}", dataset, org, steward)
    assert _shows(
        app,
        "/api/3/action/package_search?q=name:{name}&include_private=true",
        dataset,
        org,
        steward,
    )

    review("approve", team.approver, id=dataset["id"])
    for place in ANONYMOUS_PLACES:
        assert _shows(app, place, dataset, org), place


def test_the_review_box_acts_through_post_forms(app, team):
    dataset = new_dataset(team, team.steward, name="sada-ke-kontrole")
    steward, approver = web_user(team.steward), web_user(team.approver)
    page = app.get("/dataset/sada-ke-kontrole", headers=steward).get_data(as_text=True)
    assert 'data-test="review-state"' in page and 'data-state="draft"' in page
    assert 'data-test="review-submit"' in page
    assert 'data-test="review-approve"' not in page  # an editor is no approver
    # the steps' URLs are Czech, as the content pages' (/stranky/<slug>/odeslat)
    assert f'action="/sprava/dataset/{dataset["id"]}/odeslat"' in page

    app.post(f"/sprava/dataset/{dataset['id']}/odeslat", headers=steward)
    page = app.get("/dataset/sada-ke-kontrole", headers=approver).get_data(as_text=True)
    assert 'data-state="pending"' in page
    assert 'data-test="review-approve"' in page and 'data-test="review-return"' in page
    assert f'action="/sprava/dataset/{dataset["id"]}/schvalit"' in page
    assert f'formaction="/sprava/dataset/{dataset["id"]}/vratit"' in page
    assert 'name="comment"' in page and 'data-test="review-comment"' in page

    # returning without a comment is refused with the reason; with one, the steward sees it
    app.post(f"/sprava/dataset/{dataset['id']}/vratit", headers=approver, data={"comment": ""})
    assert review("show", team.approver, id=dataset["id"])["state"] == "pending"
    app.post(
        f"/sprava/dataset/{dataset['id']}/vratit",
        headers=approver,
        data={"comment": "Doplňte časové pokrytí."},
    )
    page = app.get("/dataset/sada-ke-kontrole", headers=steward).get_data(as_text=True)
    assert 'data-state="returned"' in page
    assert "Doplňte časové pokrytí." in page
    assert app.get("/dataset/sada-ke-kontrole", status=None).status_code == 404

    # the stream shows the steps in words, with who took them
    stream = app.get("/dataset/activity/sada-ke-kontrole", headers=steward).get_data(as_text=True)
    assert "returned for changes" in stream and "Doplňte časové pokrytí." in stream
    assert "submitted for review" in stream
    cs_stream = app.get("/cs_CZ/dataset/activity/sada-ke-kontrole", headers=steward)
    assert "vrátil(a) k opravě" in cs_stream.get_data(as_text=True)

    app.post(f"/sprava/dataset/{dataset['id']}/odeslat", headers=steward)
    app.post(f"/sprava/dataset/{dataset['id']}/schvalit", headers=approver, data={"comment": ""})
    assert call_action("package_show", id=dataset["id"])["private"] is False
    assert app.get("/dataset/sada-ke-kontrole").status_code == 200


def test_the_english_step_urls_of_0_4_are_still_accepted(app, team):
    """Forms opened before the URLs became Czech, and scripts, post to the English steps."""
    dataset = new_dataset(team, team.steward)
    steward, approver = web_user(team.steward), web_user(team.approver)
    app.post(f"/sprava/dataset/{dataset['id']}/submit", headers=steward)
    assert review("show", team.approver, id=dataset["id"])["state"] == "pending"
    app.post(f"/sprava/dataset/{dataset['id']}/return", headers=approver, data={"comment": "X"})
    assert review("show", team.approver, id=dataset["id"])["state"] == "returned"
    app.post(f"/sprava/dataset/{dataset['id']}/submit", headers=steward)
    app.post(f"/sprava/dataset/{dataset['id']}/approve", headers=approver)
    assert call_action("package_show", id=dataset["id"])["private"] is False
    response = app.post(f"/sprava/dataset/{dataset['id']}/publish", headers=approver, status=None)
    assert response.status_code == 404  # no other word is a step


def test_outsiders_cannot_act(app, team):
    dataset = new_dataset(team, team.steward)
    outsider = web_user(team.outsider)
    response = app.post(f"/sprava/dataset/{dataset['id']}/odeslat", headers=outsider, status=None)
    assert response.status_code == 403
    response = app.post(f"/sprava/dataset/{dataset['id']}/schvalit", status=None)
    assert response.status_code == 403
    assert review("show", team.approver, id=dataset["id"])["state"] == "draft"


def test_a_stewards_indicator_with_values_waits_for_the_coordinator(
    app, team, ckan_config, monkeypatch
):
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.review.dataset_types", "indicator")
    from tests.factories import Indicator, upload_values

    indicator = Indicator(
        user=team.steward, owner_org=team.organization["id"], name="ukazatel-ke-schvaleni"
    )
    assert indicator["private"] is True
    upload_values(indicator, [{"period": "2024", "value": 12.5}], user=team.steward["name"])
    steward, approver = web_user(team.steward), web_user(team.approver)
    page = app.get("/indicator/ukazatel-ke-schvaleni", headers=steward).get_data(as_text=True)
    assert 'data-test="review-submit"' in page
    app.post(f"/sprava/dataset/{indicator['id']}/odeslat", headers=steward)
    assert app.get("/indicator/ukazatel-ke-schvaleni", status=None).status_code == 404

    page = app.get("/indicator/ukazatel-ke-schvaleni", headers=approver).get_data(as_text=True)
    assert 'data-state="pending"' in page and 'data-test="review-approve"' in page
    app.post(f"/sprava/dataset/{indicator['id']}/schvalit", headers=approver)
    public = app.get("/indicator/ukazatel-ke-schvaleni").get_data(as_text=True)
    assert indicator["title"] in public
    assert 'data-test="review-state"' not in public  # the box is for stewards only
