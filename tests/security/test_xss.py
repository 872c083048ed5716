"""Stored script injection through an indicator's unit and an uploaded breakdown category: the
indicator page and the embeddable chart keep the text as data (issue 13, item 3)."""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")

PAYLOAD = "</script><script>alert(1)</script><!--<script>"
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


def _editor_token(organization_id: str) -> str:
    editor = ckan_factories.User()
    call_action(
        "organization_member_create",
        id=organization_id,
        username=editor["name"],
        role="editor",
    )
    return call_action(
        "api_token_create", context={"user": editor["name"]}, user=editor["name"], name="t"
    )["token"]


def _indicator_with_payload(app) -> dict:
    """An editor's indicator whose unit and uploaded breakdown category carry PAYLOAD."""
    organization = ckan_factories.Organization()
    token = _editor_token(organization["id"])
    indicator = factories.Indicator(
        indicator_code="2.1-13", name="utok", unit=PAYLOAD, owner_org=organization["id"]
    )
    sheet = f"období;hodnota;okres\n2023;5;\n2024;6;\n2024;2;{PAYLOAD}\n"
    response = app.post(
        "/ukazatel/2.1-13/nahrat",
        headers={"Authorization": token},
        follow_redirects=False,
        data={"upload": (io.BytesIO(sheet.encode()), "hodnoty.csv")},
    )
    assert response.status_code == 302, response.body
    return indicator


def _scripts(html: str) -> list:
    return BeautifulSoup(html, "html.parser").find_all("script")


@pytest.mark.parametrize("path", ["/indicator/utok", "/ukazatel/2.1-13/graf"])
def test_unit_and_category_stay_data_in_the_chart_json(app, path):
    _indicator_with_payload(app)

    html = app.get(path).body

    assert "<script>alert(1)" not in html
    inline_code = [
        s for s in _scripts(html) if not s.get("src") and s.get("type") not in DATA_BLOCK_TYPES
    ]
    assert [s.get_text() for s in inline_code if "alert(1)" in s.get_text()] == []
    (data,) = [s for s in _scripts(html) if s.get("id") == "indicator-chart-data"]
    # A browser ends a script element at "</script" and changes state at "<!--" and
    # "<script": none of them may appear inside the JSON.
    assert "<" not in data.get_text()
    chart = json.loads(data.get_text())
    assert chart["unit"] == PAYLOAD
    assert {"dimension": "okres", "category": PAYLOAD} in chart["breakdowns"]
    assert PAYLOAD in {row["category"] for row in chart["rows"]}
