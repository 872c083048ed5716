"""Traffic counts fetched from a real HTTP server on 127.0.0.1, loaded into the source's
DataStore tables with COPY: no duplicates on a re-run, earlier data kept when a load fails,
hourly, daily and monthly totals computed from the intervals."""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Iterator

import psycopg2
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.traffic import (
    datex2,
    harvest,
    source_config,
    store,
)
from ckanext.smartregion.indicators import values
from tests import factories
from tests.harvesters.file_server import FileServer
from tests.traffic import berlin

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_datastore", "loopback_allowed"),
    pytest.mark.stack,
]

CSV_CONFIG = {
    **berlin.CONFIG,
    "classes": {k: v for k, v in berlin.CONFIG["classes"].items() if k != "car"},
    "dataset": {"name": "scitani-berlin-ukazka", "is_sample_data": True},
}
BERLIN_CSV = berlin.CSV


@pytest.fixture
def server() -> Iterator[FileServer]:
    with FileServer() as running:
        yield running


@pytest.fixture
def organization() -> dict:
    return ckan_factories.Organization(name="odbor-dopravy")


@pytest.fixture
def run(organization):
    sysadmin = ckan_factories.Sysadmin()

    def harvest_once(url: str, config: dict) -> harvest.Outcome:
        source = {"name": "scitace", "title": "Sčítače", "owner_org": organization["id"]}
        return harvest.harvest(
            {"user": sysadmin["name"], "ignore_auth": True},
            source_config.parse(json.dumps(config)),
            {**source, "url": url},
        )

    return harvest_once


def rows(resource_id: str, **filters) -> list[dict]:
    return call_action(
        "datastore_search", resource_id=resource_id, filters=filters, limit=5000, sort="_id"
    )["records"]


def test_csv_loaded_once_with_totals_feeds_an_indicator_and_a_failed_load_keeps_data(
    server, run, organization
):
    url = server.put("/berlin.csv", BERLIN_CSV)
    indicator = factories.Indicator(
        name="doprava-detektor-ukazka",
        owner_org=organization["id"],
        specific_objectives=["1.1"],
        indicator_code="1.1-90",
        unit="vozidel/den",
    )
    feed = {"indicator": indicator["name"], "sites": ["100101010000167"], "per": "month"}
    config = {**CSV_CONFIG, "indicators": [feed]}

    outcome = run(url, config)
    again = run(url, config)  # the same file: updated in place, nothing added

    assert (outcome.written, outcome.rows, outcome.problems) == (192, 96, [])
    assert again.ids == outcome.ids
    counts = rows(outcome.ids[store.COUNTS])
    assert len(counts) == 192
    dataset = call_action("package_show", id="scitani-berlin-ukazka")
    assert dataset["themes"] == ["TRAN"] and dataset["is_sample_data"] is True
    assert "ukázka" in dataset["title"]
    assert dataset["specific_objectives"] == ["1.1", "2.2", "3.1"]
    assert dataset["activity_area"] == "5"  # derived: of the three, only 2.2 has an area
    assert dataset["ruian"] == ["https://linked.cuzk.cz/resource/ruian/vusc/78"]
    daily = {
        r["day"][:10]: r
        for r in rows(
            outcome.ids[store.DAILY], vehicle_class="anyVehicle", site_id="100101010000167"
        )
    }
    expected: dict[str, float] = {}
    hours: dict[str, int] = {}  # the export leaves out hours with under 75 % valid data
    for line in BERLIN_CSV.decode().splitlines()[1:]:
        cells = line.split(";")
        day = datetime.datetime.strptime(cells[1], "%d.%m.%Y").date().isoformat()
        expected[day] = expected.get(day, 0) + int(cells[4])
        hours[day] = hours.get(day, 0) + 1
    assert {day: float(r["vehicles"]) for day, r in daily.items()} == expected
    assert {day: r["intervals"] for day, r in daily.items()} == hours
    monthly = rows(outcome.ids[store.MONTHLY], vehicle_class="anyVehicle")
    assert [(m["month"], float(m["vehicles"])) for m in monthly] == [
        ("2024-01", sum(expected.values()))
    ]
    hourly = rows(outcome.ids[store.HOURLY], vehicle_class="lorry")
    assert len(hourly) == 96

    # the indicator's series: vehicles per day at the site, averaged over January's days
    assert again.indicators == {indicator["name"]: 1}
    (value,) = values.read(call_action("package_show", id=indicator["name"]))
    assert value["period"] == "2024-01" and value["sample"] is True
    assert float(value["value"]) == round(sum(expected.values()) / len(expected), 1)
    assert "scitani-berlin-ukazka" in value["source"] and "100101010000167" in value["source"]
    stranger = factories.Indicator(name="cizi-ukazatel")  # of another organisation
    with pytest.raises(source_config.SourceConfigError, match="cizi-ukazatel"):
        run(url, {**CSV_CONFIG, "indicators": [{**feed, "indicator": stranger["name"]}]})

    changed = [dataclasses.replace(c, vehicles=999.0) for c in read_counts(BERLIN_CSV)]
    bad = dataclasses.replace(changed[-1], vehicle_class="car", day="not a day")
    new_site = datex2.Site("NEW-SITE", name="written first, then rolled back")
    with pytest.raises(psycopg2.DataError):
        store.load(outcome.ids, [*changed, bad], [new_site], set())
    assert {float(r["vehicles"]) for r in rows(outcome.ids[store.COUNTS])} != {999.0}
    assert rows(outcome.ids[store.COUNTS]) == counts
    assert rows(outcome.ids[store.SITES], site_id="NEW-SITE") == []


def read_counts(data: bytes) -> list:
    return berlin.read(data, classes=CSV_CONFIG["classes"]).counts
