"""CSRF protection stays on for cookie sessions after CKAN exempted a view for an anonymous
or API-token request (CKAN 2.12.0 exempts the view for the whole process; csrf_guard.py)."""

from __future__ import annotations

import re

import pytest
from ckan import model

from tests.review import conftest as review_fixtures
from tests.review.conftest import SCOPE, new_dataset, review, web_user

team = review_fixtures.team  # the review tests' fixture: a steward, an approver, an outsider

LOGIN = "/user/login"
PASSWORD = "Spravne-heslo-123"
pytestmark = [
    pytest.mark.usefixtures("with_plugins"),
    SCOPE,
    pytest.mark.ckan_config("WTF_CSRF_ENABLED", "true"),
]


def _cookie_session(app, user: dict):
    """A browser logged in as user through the login form: a session cookie, no
    Authorization header."""
    account = model.User.get(user["id"])
    account.password = PASSWORD  # hashed by the model
    model.Session.commit()
    browser = app.test_client()
    form = {"login": user["name"], "password": PASSWORD, "_csrf_token": _token(browser, LOGIN)}
    logged_in = browser.post(LOGIN, data=form, follow_redirects=False)
    assert logged_in.status_code == 302 and LOGIN not in logged_in.headers["Location"]
    return browser


def _token(browser, page: str = "/dataset/new") -> str:
    html = browser.get(page).get_data(as_text=True)
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


@pytest.mark.parametrize("first", ["anonymous", "api_token"])
def test_an_exempted_request_does_not_switch_off_csrf_for_cookie_sessions(app, team, first):
    dataset = new_dataset(team, team.steward)
    review("submit", team.steward, id=dataset["id"])
    url = f"/sprava/dataset/{dataset['id']}/return"
    # CKAN exempts the view for an anonymous or token request (answered by the view itself)
    headers = web_user(team.outsider) if first == "api_token" else {}
    exempted = app.post(url, headers=headers, data={"comment": "x"}, follow_redirects=False)
    assert exempted.status_code == 403

    approver = _cookie_session(app, team.approver)
    forged = approver.post(url, data={"comment": "Podvržený požadavek."}, follow_redirects=False)

    assert forged.status_code == 400
    assert "CSRF" in forged.get_data(as_text=True)
    assert review("show", team.approver, id=dataset["id"])["state"] == "pending"

    sent = approver.post(
        url,
        data={"comment": "Doplňte kontakt.", "_csrf_token": _token(approver)},
        follow_redirects=False,
    )

    assert sent.status_code == 302
    assert review("show", team.approver, id=dataset["id"])["state"] == "returned"


def test_token_and_anonymous_requests_keep_ckans_exemption(app, team):
    """What CKAN exempts on purpose still works: an API-token POST to the same view."""
    dataset = new_dataset(team, team.steward)
    review("submit", team.steward, id=dataset["id"])

    sent = app.post(
        f"/sprava/dataset/{dataset['id']}/return",
        headers=web_user(team.approver),
        data={"comment": "Doplňte kontakt."},
        follow_redirects=False,
    )

    assert sent.status_code == 302
    assert review("show", team.approver, id=dataset["id"])["state"] == "returned"
