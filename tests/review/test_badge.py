"""The header's new-activity badge: counted once a minute per user, afresh once the user
has seen the dashboard (review/badge.py)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests.helpers import call_action

from tests.review.conftest import as_user, new_dataset, web_user

pytestmark = pytest.mark.usefixtures("with_plugins")


def _badge(app, headers) -> str:
    page = BeautifulSoup(app.get("/sprava", headers=headers).body, "html.parser")
    return page.select_one("li.notifications .badge").get_text(strip=True)


def test_the_badge_count_is_remembered_until_the_dashboard_is_seen(app, team):
    dataset = new_dataset(team, team.steward)
    call_action("follow_dataset", context=as_user(team.approver), id=dataset["id"])
    headers = web_user(team.approver)
    first = _badge(app, headers)
    assert first != "0"  # the dataset's creation

    call_action("package_patch", context=as_user(team.steward), id=dataset["id"], notes="Nový")
    assert _badge(app, headers) == first  # remembered: no dashboard query on this view

    call_action("dashboard_mark_activities_old", context=as_user(team.approver))
    assert _badge(app, headers) == "0"  # counted afresh once the dashboard was seen
