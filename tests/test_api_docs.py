"""The developer documentation: docs/api.md served at /api-dokumentace with every Python example
run and every curl example requested against the test portal, and the OpenAPI description of
the portal's own actions."""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import re
import shlex
import types
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ckanapi
import pytest
import requests
import yaml
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.indicators import bulk
from tests import factories
from tests.test_schemas import FULL_RECORDS

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDE = (DOCS / "api.md").read_text(encoding="utf-8")
PORTAL = "http://127.0.0.1:5000"
CUSTOM_ACTIONS = {
    "smartregion_taxonomy_show",
    "smartregion_indicator_values",
    "smartregion_indicator_values_upload",
}


def fenced_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", GUIDE, flags=re.M | re.S)


def curl_commands() -> list[str]:
    commands = []
    for block in fenced_blocks("sh"):
        commands += [
            line for line in block.replace("\\\n", " ").splitlines() if line.startswith("curl ")
        ]
    return commands


class TestAppResponse:
    """What the examples use of a requests.Response, over a Flask test response."""

    def __init__(self, response):
        self._response = response
        self.status_code = response.status_code
        self.content = response.data
        self.text = response.get_data(as_text=True)
        self.headers = response.headers

    def json(self) -> Any:
        return json.loads(self.text)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code}: {self.text[:500]}")


class TestAppSession:
    """requests' get and post (and so ckanapi.RemoteCKAN) answered by the test portal: the
    examples' portal address is replaced by the test app."""

    def __init__(self, app):
        self.app = app

    @staticmethod
    def _path(url: str) -> tuple[str, str]:
        assert url.startswith(PORTAL), f"an example asks another site: {url}"
        parts = urlsplit(url)
        return parts.path, parts.query

    def get(self, url: str, params: dict | None = None, headers: dict | None = None, **_: Any):
        path, query = self._path(url)
        query_string = {
            **dict(_pairs(query)),
            **{
                key: value if isinstance(value, str) else json.dumps(value)
                for key, value in (params or {}).items()
            },
        }
        return TestAppResponse(self.app.get(path, query_string=query_string, headers=headers or {}))

    def post(
        self,
        url: str,
        data: Any = None,
        headers: dict | None = None,
        files: dict | None = None,
        **_: Any,
    ):
        path, _query = self._path(url)
        headers = dict(headers or {})
        if files:
            headers.pop("Content-Type", None)
            form = {
                **{_text(k): _text(v) for k, v in (data or {}).items()},
                **{
                    name: (file, Path(getattr(file, "name", name)).name)
                    for name, file in files.items()
                },
            }
            response = self.app.post(
                path, data=form, headers=headers, content_type="multipart/form-data"
            )
        else:
            response = self.app.post(path, data=data, headers=headers)
        return TestAppResponse(response)


def _text(value: Any) -> Any:
    """ckanapi encodes multipart fields to bytes; the test client wants str."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


@pytest.fixture
def portal(app, ckan_config, monkeypatch, tmp_path) -> dict[str, Any]:
    """The records the examples talk about: indicator 2.1-01 with values, a project of
    objective 3.3, a glass collection object of the 18th century, a dataset with a DataStore
    table; the bulk files built; an editor's API token."""
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.bulk.directory", str(tmp_path / "bulk"))
    sysadmin = ckan_factories.Sysadmin()
    organization = ckan_factories.Organization()
    indicator = factories.Indicator(
        name="ukazatel-2-1-01",
        indicator_code="2.1-01",
        owner_org=organization["id"],
        baseline_value="52000",
        baseline_year=2023,
        target_value="47000",
        target_year=2026,
        direction="lower_is_better",
    )
    stored = call_action(
        "smartregion_indicator_values_upload",
        context={"user": sysadmin["name"]},
        id=indicator["id"],
        records=[
            {"period": "2023", "value": 51800},
            {"period": "2024", "value": 50900},
            {"period": "2024", "value": 20100, "okres": "Liberec"},
        ],
    )
    project = ckan_factories.Dataset(
        type="project", owner_org=organization["id"], **FULL_RECORDS["project"]
    )
    glass = ckan_factories.Dataset(
        type="collection-object", owner_org=organization["id"], **FULL_RECORDS["collection-object"]
    )
    dataset = factories.Dataset(
        owner_org=organization["id"],
        resources=[
            {"url": "https://data.example.cz/mereni.csv", "format": "CSV", **factories.OPEN_TERMS}
        ],
    )
    call_action(
        "datastore_create",
        context={"user": sysadmin["name"]},
        resource_id=dataset["resources"][0]["id"],
        force=True,
        records=[{"budova": "Krajský úřad", "mwh": 812}, {"budova": "Gymnázium", "mwh": 430}],
    )
    bulk.build(progress=lambda *args, **kwargs: None)
    token = ckan_factories.APIToken(user=sysadmin["name"])["token"]
    monkeypatch.setenv("CKAN_API_TOKEN", token)
    monkeypatch.setenv("RESOURCE_ID", stored["resource_id"])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hodnoty.csv").write_text(fenced_blocks("csv")[0], encoding="utf-8")
    return {"indicator": indicator, "project": project, "glass": glass, "dataset": dataset}


pytestmark = pytest.mark.usefixtures("clean_datastore")


def test_the_guide_is_served_as_a_page_of_the_portal(app):
    response = app.get("/cs_CZ/api-dokumentace")

    assert response.status_code == 200
    assert "<h1" in response.body and "API pro vývojáře" in response.body
    assert '<code class="language-python">' in response.body  # fenced examples render as code
    assert "smartregion_indicator_values" in response.body


def _headings(html: str) -> list[str]:
    return re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html)


def test_english_pages_show_the_english_guide_and_czech_pages_the_czech_one(app):
    english = app.get("/en/api-dokumentace").body
    czech = app.get("/cs_CZ/api-dokumentace").body

    assert "API for developers" in _headings(english)
    assert "Indicator values" in _headings(english) and "Hodnoty ukazatelů" not in english
    assert '<article class="module smartregion-apidocs" lang="en">' in english
    assert "API pro vývojáře" in _headings(czech) and "Hodnoty ukazatelů" in _headings(czech)
    assert '<article class="module smartregion-apidocs" lang="cs">' in czech


def test_the_english_guide_has_the_czech_ones_structure_and_examples():
    english = (DOCS / "api.en.md").read_text(encoding="utf-8")
    levels = [len(h) for h in re.findall(r"^(#+) ", english, flags=re.M)]
    assert levels == [len(h) for h in re.findall(r"^(#+) ", GUIDE, flags=re.M)]
    fenced = r"^```(\w+)\n(.*?)^```$"
    czech_blocks = re.findall(fenced, GUIDE, flags=re.M | re.S)
    english_blocks = re.findall(fenced, english, flags=re.M | re.S)
    assert len(english_blocks) == len(czech_blocks)
    for (language, czech), (_, translated) in zip(czech_blocks, english_blocks, strict=True):
        strings = r'"[^"\n]*"'  # the examples' printed words are translated, the code is not
        assert re.sub(strings, '""', translated) == re.sub(strings, '""', czech), language


def _examples_builtins(session: TestAppSession) -> dict[str, Any]:
    """Builtins for the examples whose `import requests` and `import ckanapi` reach the test
    portal; the rest of the process keeps the real modules (CKAN itself uses requests)."""
    shims = {
        "requests": types.SimpleNamespace(
            get=session.get, post=session.post, HTTPError=requests.HTTPError
        ),
        "ckanapi": types.SimpleNamespace(
            RemoteCKAN=lambda address, **kwargs: ckanapi.RemoteCKAN(
                address, session=session, **kwargs
            )
        ),
    }
    real_import = builtins.__import__

    def examples_import(name, *args, **kwargs):
        return shims[name] if name in shims else real_import(name, *args, **kwargs)

    return {**vars(builtins), "__import__": examples_import}


def test_the_python_examples_run_against_the_portal(app, portal):
    namespace: dict[str, Any] = {"__builtins__": _examples_builtins(TestAppSession(app))}
    blocks = fenced_blocks("python")
    assert len(blocks) >= 8
    printed = io.StringIO()

    with contextlib.redirect_stdout(printed):
        for number, block in enumerate(blocks, 1):
            try:
                exec(compile(block, f"docs/api.md python example {number}", "exec"), namespace)
            except Exception as error:
                pytest.fail(f"python example {number} failed: {error!r}\n{block}")

    output = printed.getvalue()
    assert "2.1-01 Spotřeba energie" in output  # the search by objective found the indicator
    assert "2.1-01 2024 50900" in output  # values of totals only
    assert portal["project"]["name"] in output and portal["glass"]["inventory_number"] in output
    assert "Liberec" in output  # the SQL breakdown by district
    assert f"{portal['dataset']['name']} 2 ['_id', 'budova', 'mwh']" in output
    assert re.search(r"^4 [a-z_]+$", output, re.M)  # the upload stored the file's 4 rows
    assert "datových sad v katalogu DCAT-AP 3" in output
    shown = call_action("smartregion_indicator_values", codes="2.1-01", dimension="")
    assert [value["period"] for value in shown["indicators"][0]["values"]] == [
        "2023",
        "2024",
        "2025",
    ]


def _curl_request(app, command: str):
    """Sends what a curl example of the guide sends (GET with -G/--data-urlencode, headers,
    multipart -F fields and @files) to the test app."""
    args = shlex.split(os.path.expandvars(command))[1:]
    url, headers, query, form, get = None, {}, {}, {}, False
    arguments = iter(args)
    for arg in arguments:
        if arg == "-G":
            get = True
        elif arg == "-O":
            continue
        elif arg == "-H":
            name, value = next(arguments).split(":", 1)
            headers[name.strip()] = value.strip()
        elif arg == "--data-urlencode":
            name, value = next(arguments).split("=", 1)
            query[name] = value
        elif arg == "-F":
            name, value = next(arguments).split("=", 1)
            if value.startswith("@"):
                form[name] = (io.BytesIO(Path(value[1:]).read_bytes()), value[1:])
            else:
                form[name] = value
        elif arg.startswith("http"):
            url = arg
        else:
            raise AssertionError(f"the test does not know curl's {arg} (in {command})")
    assert url and url.startswith(PORTAL), command
    parts = urlsplit(url)
    query = {**dict(_pairs(parts.query)), **query}
    if form and not get:
        return app.post(parts.path, data=form, headers=headers, content_type="multipart/form-data")
    return app.get(parts.path, query_string=query, headers=headers)


def test_every_curl_example_answers_200(app, portal):
    commands = curl_commands()
    assert len(commands) >= 15

    failures = []
    for command in commands:
        response = _curl_request(app, command)
        if response.status_code != 200:
            failures.append(
                f"{command}\n  -> {response.status_code}: {response.get_data(as_text=True)[:300]}"
            )
    assert not failures, "\n".join(failures)


def _unresolved_references(node: Any, spec: dict[str, Any]) -> list[str]:
    """The $refs of the description that point nowhere."""
    missing = []
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = spec
            for key in node["$ref"].removeprefix("#/").split("/"):
                target = target.get(key) if isinstance(target, dict) else None
            if target is None:
                missing.append(node["$ref"])
        for value in node.values():
            missing += _unresolved_references(value, spec)
    elif isinstance(node, list):
        for value in node:
            missing += _unresolved_references(value, spec)
    return missing


def test_the_openapi_description_is_valid_and_lists_the_custom_actions(app):
    response = app.get("/api-dokumentace/openapi.json")

    assert response.status_code == 200
    spec = response.json
    assert not _unresolved_references(spec, spec)
    assert {"openapi", "info", "paths", "components"} <= spec.keys()
    assert spec["openapi"].startswith("3.1")
    operations = {
        operation["operationId"] for path in spec["paths"].values() for operation in path.values()
    }
    assert operations == CUSTOM_ACTIONS
    assert spec["servers"][0]["url"] == "http://test.ckan.net/api/3/action"
    assert spec == {
        **yaml.safe_load((DOCS / "openapi.yaml").read_text(encoding="utf-8")),
        "servers": spec["servers"],
    }


def test_the_openapi_description_names_every_parameter_of_the_actions(app):
    spec = app.get("/api-dokumentace/openapi.json").json
    values = spec["paths"]["/smartregion_indicator_values"]["get"]["parameters"]
    assert {parameter["name"] for parameter in values} == {
        "codes",
        "objective",
        "area",
        "period_from",
        "period_to",
        "dimension",
        "category",
    }
    upload = spec["paths"]["/smartregion_indicator_values_upload"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["required"] == ["id", "upload"]
    assert upload["application/json"]["schema"]["required"] == ["id", "records"]
