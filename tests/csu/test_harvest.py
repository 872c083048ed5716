"""The ČSÚ harvester against a real HTTP server on 127.0.0.1: a ČSÚ table and its CSV-W schema
become the indicator's breakdown ``kraj`` (every kraj and the Czech Republic), all or nothing;
the real files' defects are read or refused with the fix named."""

from __future__ import annotations

from collections.abc import Iterator

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests import factories
from tests.csu.conftest import FIXTURES, kraj_table
from tests.harvesters.file_server import FileServer, FileSource
from tests.harvesters.local_http import reconfigure

pytestmark = [
    pytest.mark.usefixtures("csu_plugin", "clean_datastore", "loopback_allowed"),
    pytest.mark.stack,
]
SCHEMA = (FIXTURES / "130141-21schema2020.json").read_bytes()


@pytest.fixture
def server() -> Iterator[FileServer]:
    with FileServer() as running:
        running.put("/130141-21schema2020.json", SCHEMA)
        yield running


@pytest.fixture
def indicator() -> dict:
    indicator = factories.Indicator(name="stredni-stav-obyvatel", indicator_code="2.1-71")
    factories.upload_values(indicator, [{"period": "2020", "value": 440000}])
    return indicator


def _source(server: FileServer, indicator: dict, data: str, **config) -> FileSource:
    config = {
        "dataset": "130141r21",
        "indicator": indicator["name"],
        "schema_url": server.url + "/130141-21schema2020.json",
        "filter": {"vuk": "DEM0004"},
        **config,
    }
    return FileSource(
        "csu", server.put("/130141-21data2020.csv", data), config, indicator["owner_org"]
    )


def _series(indicator: dict) -> list[dict]:
    shown = call_action("package_show", id=indicator["id"])
    resource = next(
        r for r in shown["resources"] if r.get("resource_type") == "smartregion_indicator_values"
    )
    rows = call_action("datastore_search", resource_id=resource["id"], limit=1000)["records"]
    return sorted(rows, key=lambda r: (r["period"], r["dimension"], r["category"]))


def test_every_kraj_and_the_state_are_written_and_a_rerun_corrects_without_duplicates(
    server, indicator
):
    unknown = ["5", "DEM0004", "Střední stav obyvatel", "2406", "100", "3999", "2020"]
    unknown += ["2020-01-01", "2020-12-31", "Neznámý kraj"]
    source = _source(server, indicator, kraj_table(extra_rows=(unknown,)))

    job = source.run()

    assert job["gather_errors"] == []
    assert [message for _, message, _ in job["object_errors"]] == [
        "Row 62: vuzemi_kod '3999' is not a kraj of ČSÚ code list 100; left out"
    ]
    rows = _series(indicator)
    kraj = [r for r in rows if r["dimension"] == "kraj"]
    assert len(kraj) == 2 * 15  # 14 kraje and the Czech Republic, two years
    liberec = next(r for r in kraj if r["category"] == "Liberecký kraj" and r["period"] == "2020")
    assert float(liberec["value"]) == 156.0  # the 7th kraj by code: 100 + 6 + 50
    assert liberec["note"] == "ČSÚ 3077 · VÚSC 78 · CZ051"
    assert liberec["source"] == f"ČSÚ 130141r21 {server.url}/130141-21data2020.csv"
    assert liberec["sample"] is False
    assert {r["category"] for r in kraj} >= {"Česká republika", "Hlavní město Praha"}
    assert ("2020", "", "", 440000.0) in [
        (r["period"], r["dimension"], r["category"], float(r["value"])) for r in rows
    ]  # the indicator's own series is left as it was

    server.put(
        "/130141-21data2020.csv",
        kraj_table(value_of=lambda i, year: 100 + i + (year - 2019) * 50 + (i == 6) * 1000),
    )
    again = source.run()

    assert again["gather_errors"] == []
    rows = _series(indicator)
    assert len(rows) == 1 + 30
    corrected = next(r for r in rows if r["category"] == "Liberecký kraj" and r["period"] == "2020")
    assert float(corrected["value"]) == 1156.0


def test_a_bad_file_schema_or_filter_writes_nothing_and_keeps_the_earlier_values(server, indicator):
    source = _source(server, indicator, kraj_table())
    source.run()
    before = _series(indicator)

    server.put("/130141-21data2020.csv", kraj_table().replace('"156"', '"sto"'))
    bad_value = source.run()
    server.put("/130141-21data2020.csv", kraj_table().replace('"vuzemi_txt"', '"uzemi_txt"'))
    bad_header = source.run()

    assert "'sto' is not a number" in bad_value["gather_errors"][0]
    assert "Nothing was written" in bad_value["gather_errors"][0]
    assert "does not match its schema" in bad_header["gather_errors"][0]
    assert "missing vuzemi_txt" in bad_header["gather_errors"][0]
    assert _series(indicator) == before

    real = (FIXTURES / "130185_zemreli_tydny_sample.csv").read_bytes()
    reconfigure(
        source.context,
        source.source | {"url": server.put("/ds_130185.csv", real)},
        {"dataset": "130185", "indicator": indicator["name"], "filter": {"vek_kod": ""}},
    )
    weekly = source.run()

    message = weekly["gather_errors"][0]  # the real file: one row per week, and no kraje
    assert "Rows 8 and 15 both give Česká republika in 2011" in message
    assert "tyden" in message and "roktyden" in message
    assert _series(indicator) == before


def test_the_configuration_is_checked_field_by_field_and_names_only_own_indicators(indicator):
    sysadmin = ckan_factories.Sysadmin()
    other = ckan_factories.User()
    other_org = ckan_factories.Organization(users=[{"name": other["name"], "capacity": "editor"}])

    def create(config: str, user: str = sysadmin["name"], org: str = indicator["owner_org"]):
        with pytest.raises(tk.ValidationError) as refused:
            call_action(
                "harvest_source_create",
                context={"user": user},
                name="csu-spatne",
                title="ČSÚ špatně",
                url="http://127.0.0.1/x.csv",
                source_type="csu",
                config=config,
                owner_org=org,
            )
        return refused.value.error_dict["config"][0]

    # an editor of another organisation cannot point a source at this indicator
    assert "may not create datasets" in create(
        '{"dataset": "130141r21", "indicator": "stredni-stav-obyvatel"}',
        other["name"],
        other_org["id"],
    )

    assert '"dataset" must be the ČSÚ dataset code' in create('{"indicator": "x1"}')
    assert "no indicator is named 'neni-takovy'" in create(
        '{"dataset": "130141r21", "indicator": "neni-takovy"}'
    )
    assert "is not a ČSÚ column name" in create(
        '{"dataset": "130141r21", "indicator": "stredni-stav-obyvatel", "filter": {"A;B": "1"}}'
    )
    assert "Unknown key(s) sql" in create('{"dataset": "1", "indicator": "x1", "sql": "1"}')
