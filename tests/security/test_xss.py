"""Stored script injection: an indicator's unit and an uploaded breakdown category stay data in
the indicator page and the embeddable chart (issue 13, item 3); record text, Markdown and
content pages stay text on every page that shows them (the audit of |safe and Markdown)."""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion import organizations
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")

PAYLOAD = "</script><script>alert(1)</script><!--<script>"
MARKDOWN_ATTACK = (
    "Text <script>alert(2)</script> <img src=x onerror=alert(3)> [link](javascript:alert(4)) "
    '<a href="javascript:alert(5)">a</a> <svg onload=alert(6)></svg>'
)
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


def _assert_no_injected_code(html: str) -> None:
    """No script, event handler or javascript: address carries a payload; JSON data blocks
    hold no "<" and parse."""
    page = BeautifulSoup(html, "html.parser")
    for script in page.find_all("script"):
        text = script.get_text()
        if script.get("type") in DATA_BLOCK_TYPES:
            assert "<" not in text, text
            json.loads(text)
        else:
            assert "alert(" not in text, text
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            assert not name.startswith("on"), element
            assert not value.strip().lower().startswith("javascript:alert"), element


def test_record_text_and_markdown_stay_text_on_the_pages_that_show_them(app):
    organizations.load_organizations()
    sysadmin = ckan_factories.Sysadmin()
    dataset = factories.Dataset(title=PAYLOAD, notes=MARKDOWN_ATTACK)
    project = factories.Project(
        title=PAYLOAD, notes=MARKDOWN_ATTACK, vision=MARKDOWN_ATTACK, specific_objectives=["2.1"]
    )
    indicator = factories.Indicator(title=PAYLOAD, unit=PAYLOAD, specific_objectives=["2.1"])
    # harvested and edited addresses: a javascript: one must not become a link
    collection_object = factories.CollectionObject(
        resources=[{"url": "javascript:alert(7)//obraz.jpg", "format": "JPEG", "name": "Obraz"}]
    )
    table = factories.Dataset(
        resources=[
            {
                "url": "javascript:alert(8)//tabulka.csv",
                "format": "CSV",
                "name": "Tabulka",
                **factories.OPEN_TERMS,
            }
        ]
    )
    factories.upload_values(
        indicator, [{"period": "2023", "value": 1}, {"period": "2024", "value": 2}]
    )
    context = {"user": sysadmin["name"]}
    call_action(
        "smartregion_page_create",
        context=context,
        slug="utok",
        kind="news",
        title_cs=PAYLOAD,
        body_cs=MARKDOWN_ATTACK,
    )
    call_action("smartregion_page_publish", context=context, id="utok")

    for path in (
        f"/dataset/{dataset['name']}",
        f"/project/{project['name']}",
        f"/indicator/{indicator['name']}",
        f"/collection-object/{collection_object['name']}",
        f"/dataset/{table['name']}/resource/{table['resources'][0]['id']}",
        "/akcni-plan/zpravy/vyrocni/2024",
        "/stranky/utok",
        "/",
    ):
        _assert_no_injected_code(app.get(path).body)
