"""Values from URLs and API parameters go into Solr filter queries as quoted literals: a
value that tries to add clauses, wildcards or CKAN's own filters matches nothing, on every
page and action that filters by a code the visitor sends."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion import solr_query
from tests import factories
from tests.harvesters.conftest import loopback_allowed  # noqa: F401 (a fixture)
from tests.harvesters.file_server import FileServer, FileSource

pytestmark = pytest.mark.usefixtures("clean_datastore")

INJECTIONS = [
    '1" OR private:true OR x:"',
    '2.1-01" OR private:true OR indicator_code:"2.2-01',
    "*:*",
    'x" OR dataset_type:* OR name:"x',
    '2.1-01" +state:(active OR draft OR deleted) indicator_code:"2.2-01',
    "x\\",
    "{!lucene}*:*",
    "_query_:x",
]
SECRET = "Tajný ukazatel jiné organizace"
PAGES = [
    "/ukazatel/{0}",
    "/ukazatel/{0}/graf",
    "/ukazatel/{0}/hodnoty.json",
    "/ukazatel/{0}/nahrat",
    "/akcni-plan/oblast-aktivit/{0}",
    "/akcni-plan/specificky-cil/{0}",
    "/akcni-plan/strategicky-cil/{0}",
]


@pytest.fixture
def records():
    """A public indicator with values, another organisation's private one (whose editor is
    the visitor in some cases), and a draft and a deleted one of the visitor's organisation."""
    public = factories.Indicator(
        indicator_code="2.1-01", title="Veřejný ukazatel", specific_objectives=["2.1"]
    )
    factories.upload_values(public, [{"period": "2024", "value": 1}])
    secret = factories.Indicator(
        indicator_code="2.2-01",
        title=SECRET,
        specific_objectives=["2.2"],
        private=True,
        owner_org=ckan_factories.Organization()["id"],
    )
    factories.upload_values(secret, [{"period": "2024", "value": 666}])
    editor = ckan_factories.User()
    own = ckan_factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    draft = factories.Indicator(indicator_code="2.1-02", title="Rozpracovaný", owner_org=own["id"])
    admin = {"user": ckan_factories.Sysadmin()["name"]}
    call_action("package_patch", context=admin, id=draft["id"], state="draft")
    deleted = factories.Indicator(indicator_code="2.1-03", title="Smazaný", owner_org=own["id"])
    call_action("package_delete", context=dict(admin), id=deleted["id"])
    token = call_action(
        "api_token_create", context={"user": editor["name"]}, user=editor["name"], name="t"
    )
    return {"editor": {"Authorization": token["token"]}}


def _visitors(records) -> list[tuple[str, dict]]:
    return [("anonymous", {}), ("editor of another organisation", records["editor"])]


@pytest.mark.parametrize("page", PAGES)
def test_an_injected_code_finds_nothing_on_the_pages(app, records, page):
    for injection in INJECTIONS:
        for visitor, headers in _visitors(records):
            response = app.get(
                page.format(quote(injection, safe="")), headers=headers, follow_redirects=False
            )

            assert response.status_code == 404, (injection, visitor, response.location)
            for hidden in (SECRET, "Rozpracovaný", "Smazaný", "Veřejný ukazatel"):
                assert hidden not in response.get_data(as_text=True), (injection, visitor)


@pytest.mark.parametrize("parameter", ["codes", "objective", "area"])
def test_an_injected_filter_finds_nothing_in_the_values_action(app, records, parameter):
    for injection in INJECTIONS:
        for visitor, headers in _visitors(records):
            response = app.post(
                "/api/3/action/smartregion_indicator_values",
                json={parameter: [injection] if parameter == "codes" else injection},
                headers=headers,
            )

            assert response.status_code == 200, (injection, visitor, response.json)
            assert response.json["result"] == {"count": 0, "indicators": []}, (injection, visitor)


def test_the_values_action_still_finds_what_it_is_asked_for(app, records):
    found = app.post(
        "/api/3/action/smartregion_indicator_values",
        json={"codes": "2.1-01,2.2-01", "objective": "2.1", "area": "5"},
    ).json["result"]

    assert [i["indicator_code"] for i in found["indicators"]] == ["2.1-01"]
    assert app.get("/ukazatel/2.1-01", follow_redirects=False).status_code == 302


@pytest.mark.usefixtures("loopback_allowed")
def test_an_injected_code_in_a_harvested_sheet_is_an_unknown_code():
    indicator = factories.Indicator(indicator_code="2.1-01")
    injected = [code for code in INJECTIONS if ";" not in code and "\n" not in code]
    sheet = "kód;období;hodnota\n2.1-01;2024;1\n" + "".join(f"{c};2024;2\n" for c in injected)
    with FileServer() as server:
        source = FileSource(
            "indicator_sheet", server.put("/hodnoty.csv", sheet), {}, indicator["owner_org"]
        )
        job = source.run()

    refused = {guid: message for guid, message, _ in job["object_errors"]}
    assert set(refused) == set(injected), job["gather_errors"]
    for code in injected:
        assert f"no indicator has the code {code!r}" in refused[code]


def test_a_literal_is_one_quoted_term():
    assert solr_query.literal('1" OR x:"y') == '"1\\" OR x\\:\\"y"'
    assert solr_query.equals("f", "a\\b") == 'f:"a\\\\b"'
    assert solr_query.any_of("f", ["1", "*"]) == 'f:("1" OR "\\*")'
