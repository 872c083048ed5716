"""Security headers on every response (issue 13): a Content-Security-Policy without
'unsafe-inline' scripts whose nonce is on the templates' inline scripts, nosniff, the
referrer policy, and framing refused except for the embeddable chart and resource views."""

from __future__ import annotations

import re

import flask
import pytest
from bs4 import BeautifulSoup
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion import security_headers
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db")


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.fixture
def records() -> dict[str, dict]:
    dataset = factories.Dataset(
        resources=[
            {
                "url": "https://data.example.org/poznamky.txt",
                "format": "TXT",
                "name": "Poznámky",
                **factories.OPEN_TERMS,
            }
        ]
    )
    resource = dataset["resources"][0]
    view = call_action(
        "resource_view_create",
        context={"user": ckan_factories.Sysadmin()["name"]},
        resource_id=resource["id"],
        view_type="text_view",
        title="Text",
    )
    indicator = factories.Indicator(indicator_code="2.1-31")
    factories.upload_values(indicator, [{"period": "2024", "value": 1}])
    return {"dataset": dataset, "resource": resource, "view": view, "indicator": indicator}


def _paths(records: dict[str, dict]) -> dict[str, str]:
    dataset, resource = records["dataset"], records["resource"]
    return {
        "home": "/",
        "search": "/dataset/",
        "dataset": f"/dataset/{dataset['name']}",
        "resource": f"/dataset/{dataset['name']}/resource/{resource['id']}",
        "indicator": f"/indicator/{records['indicator']['name']}",
        "api": f"/api/3/action/package_show?id={dataset['id']}",
        "not-found": "/dataset/no-such-dataset",
        "asset": "/base/images/ckan-logo.png",
        "embed": "/ukazatel/2.1-31/graf",
        "resource-view": (
            f"/dataset/{dataset['name']}/resource/{resource['id']}/view/{records['view']['id']}"
        ),
    }


def test_every_response_carries_the_headers(app, records):
    for name, path in _paths(records).items():
        response = app.get(path)
        csp = _directives(response)

        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", name
        script_src = csp["script-src"]
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, name
        assert script_src[0] == "'self'" and script_src[1].startswith("'nonce-"), name
        assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"], name
        if name == "embed":
            assert csp["frame-ancestors"] == ["*"]
            assert "X-Frame-Options" not in response.headers
        elif name == "resource-view":
            assert csp["frame-ancestors"] == ["'self'"]
            assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        else:
            assert csp["frame-ancestors"] == ["'none'"], name
            assert response.headers["X-Frame-Options"] == "DENY", name


def test_inline_scripts_of_templates_carry_this_responses_nonce(app, records):
    """The text view (ckanext-textview) writes an inline script; the nonce changes per request."""
    path = _paths(records)["resource-view"]
    nonces = set()
    for _ in range(2):
        response = app.get(path)
        (nonce,) = [v for v in _directives(response)["script-src"] if v.startswith("'nonce-")]
        nonce = nonce[len("'nonce-") : -1]
        inline = [
            s
            for s in BeautifulSoup(response.body, "html.parser").find_all("script")
            if not s.get("src") and "json" not in (s.get("type") or "")
        ]
        assert inline, "the text view has an inline script"
        assert {s.get("nonce") for s in inline} == {nonce}
        nonces.add(nonce)
    assert len(nonces) == 2 and all(len(n) >= 22 for n in nonces)


@pytest.mark.ckan_config(
    "ckanext.smartregion.embed.frame_ancestors", "'self' https://www.kraj-lbc.cz"
)
def test_the_sites_that_may_embed_the_chart_are_configurable(app):
    factories.Indicator(indicator_code="2.1-32")
    response = app.get("/ukazatel/2.1-32/graf")
    assert _directives(response)["frame-ancestors"] == ["'self'", "https://www.kraj-lbc.cz"]
    assert _directives(app.get("/"))["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "value", ["'self'; script-src *", "https://a.example.org,https://b.example.org", ""]
)
def test_a_source_list_that_would_change_the_policy_is_refused(monkeypatch, value):
    monkeypatch.setitem(tk.config, "ckanext.smartregion.csp.img_src", value)
    with pytest.raises(ValueError, match=re.escape("ckanext.smartregion.csp.img_src")):
        security_headers.install(flask.Flask(__name__))


def test_a_logged_in_users_pages_carry_them_too(app):
    user = ckan_factories.User()
    token = call_action(
        "api_token_create", context={"user": user["name"]}, user=user["name"], name="t"
    )["token"]
    response = app.get("/dashboard/datasets", headers={"Authorization": token})
    assert response.status_code == 200
    assert _directives(response)["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_write_no_inline_event_handlers(app):
    """Core's onclick/onchange attributes (resource form, API tokens) are removed from the
    templates; assets/csp-compat.js does their work."""
    sysadmin = ckan_factories.Sysadmin()
    token = call_action(
        "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )["token"]
    dataset = factories.Dataset()
    for path in (
        f"/dataset/{dataset['name']}/resource/new",
        f"/user/{sysadmin['name']}/api-tokens",
    ):
        page = BeautifulSoup(app.get(path, headers={"Authorization": token}).body, "html.parser")
        handlers = [
            (element.name, name)
            for element in page.find_all(True)
            for name in element.attrs
            if name.startswith("on")
        ]
        assert handlers == [], path
        assert page.select("script[src*=csp_compat]"), path
    assert page.select("#api-tokens-table input[name=token]")


def test_json_data_blocks_are_left_as_written(app, records):
    """A data block is never executed, so it gets no nonce: schema.org readers find it as is."""
    response = app.get(_paths(records)["dataset"])
    blocks = [
        s
        for s in BeautifulSoup(response.body, "html.parser").find_all("script")
        if s.get("type") == "application/ld+json"
    ]
    assert blocks and all(s.get("nonce") is None for s in blocks)
