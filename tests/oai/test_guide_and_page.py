"""The provider in the developer guide (docs/api.md, section OAI-PMH: its examples run against
the test portal) and on a collection object's page (links to its records)."""

from __future__ import annotations

import contextlib
import html
import io
import re

import pytest
from ckan.tests import factories as ckan_factories
from lxml import etree

from tests.oai.conftest import OAI
from tests.test_api_docs import GUIDE, PORTAL, TestAppSession, _curl_request, _examples_builtins

pytestmark = pytest.mark.stack

SECTION = GUIDE.split("## OAI-PMH", 1)[1].split("\n## ", 1)[0]


@pytest.mark.ckan_config("ckanext.smartregion.oai.page_size", 2)
def test_the_guides_examples_run_against_the_provider(world):
    commands = [
        line
        for line in re.findall(r"^```sh\n(.*?)^```$", SECTION, re.M | re.S)[0].splitlines()
        if line.startswith("curl ")
    ]
    (example,) = re.findall(r"^```python\n(.*?)^```$", SECTION, re.M | re.S)
    namespace = {"__builtins__": _examples_builtins(TestAppSession(world.app)), "PORTAL": PORTAL}
    printed = io.StringIO()

    answers = [_curl_request(world.app, command) for command in commands]
    with contextlib.redirect_stdout(printed):
        exec(compile(example, "docs/api.md OAI-PMH example", "exec"), namespace)

    assert len(commands) == 4
    for answer in answers:
        assert answer.status_code == 200
        assert etree.fromstring(answer.data).find("oai:error", OAI) is None, answer.data[:300]
    lines = printed.getvalue().splitlines()
    for name in ("glass", "coin", "painting", "page8", "page12"):
        dataset = world.objects[name]
        assert f"{dataset['inventory_number']} {dataset['title']}" in lines


def test_an_objects_page_links_its_records_only_while_it_is_public(world):
    glass, hidden = world.objects["glass"], world.objects["never_private"]
    token = ckan_factories.APIToken(user=world.sysadmin)["token"]

    page = world.app.get(f"/collection-object/{glass['name']}").get_data(as_text=True)
    private_page = world.app.get(
        f"/collection-object/{hidden['name']}", headers={"Authorization": token}
    ).get_data(as_text=True)

    links = re.findall(r'<a href="(/oai\?[^"]+)">(LIDO|EDM|Dublin Core)</a>', page)
    assert [label for _url, label in links] == ["LIDO", "EDM", "Dublin Core"]
    record = etree.fromstring(world.app.get(html.unescape(links[0][0])).data)
    assert record.findtext(".//oai:identifier", namespaces=OAI) == (
        f"oai:test.ckan.net:{glass['id']}"
    )
    assert record.find(".//oai:metadata", OAI) is not None
    assert hidden["title"] in private_page
    assert 'data-test="co-oai"' not in private_page
