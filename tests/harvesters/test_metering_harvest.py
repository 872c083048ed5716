"""The metering harvester against a real HTTP server on 127.0.0.1: readings in CSV and JSON go
into a DataStore table per building, only new ones, with daily and monthly totals shown on
the public page."""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.harvesters.file_server import FileServer, FileSource

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_datastore", "loopback_allowed"),
    pytest.mark.stack,
]

PRAGUE = zoneinfo.ZoneInfo("Europe/Prague")
QUARTER = datetime.timedelta(minutes=15)
METERS = {  # meter → (building, medium, unit)
    "EL-01": ("Krajský úřad", "elektřina", "kWh"),
    "VO-01": ("Krajský úřad", "voda", "m3"),
    "TE-07": ("Gymnázium F. X. Šaldy", "teplo", "GJ"),
}
HEADER = "meter_id;building;medium;timestamp;value;unit"
DATASET = "mereni-budov-kraje"


def series(start: datetime.datetime, count: int, meters=METERS) -> list[dict]:
    """count quarter-hour readings per meter from start (UTC), stamped in local time with
    its offset; value and local month kept for computing the expected totals."""
    rows = []
    for index, (meter, (building, medium, unit)) in enumerate(sorted(meters.items())):
        for step in range(count):
            local = (start + step * QUARTER).astimezone(PRAGUE)
            rows.append(
                {
                    "meter_id": meter,
                    "building": building,
                    "medium": medium,
                    "timestamp": local.isoformat(),
                    "value": round(0.25 * ((local.hour * 4 + local.minute // 15) % 9) + index, 2),
                    "unit": unit,
                    "month": local.strftime("%Y-%m"),
                }
            )
    return rows


def as_csv(rows: list[dict]) -> str:
    lines = [HEADER] + [
        ";".join(
            str(row[k]).replace(".", ",") if k == "value" else str(row[k])
            for k in ("meter_id", "building", "medium", "timestamp", "value", "unit")
        )
        for row in rows
    ]
    return "\n".join(lines) + "\n"


MEDIA = {"elektřina": "electricity", "voda": "water", "teplo": "heat"}


def monthly_expected(rows: list[dict]) -> dict[tuple, float]:
    """Sums per building, medium and local month, computed here from the input."""
    totals: dict[tuple, float] = defaultdict(float)
    for row in rows:
        totals[(row["building"], MEDIA[row["medium"]], row["month"])] += row["value"]
    return {key: round(value, 6) for key, value in totals.items()}


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch) -> None:
    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.backoff", 0.2)
    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.retries", 3)


@pytest.fixture
def server() -> Iterator[FileServer]:
    with FileServer() as running:
        yield running


def _source(url: str, config: dict | None = None) -> FileSource:
    organization = factories.Organization(name="odbor-investic", title="Odbor investic")
    settings = {"dataset": {"name": DATASET, "title": "Měření spotřeby v budovách kraje"}}
    return FileSource("metering", url, {**settings, **(config or {})}, organization["id"])


def _tables() -> dict[str, dict]:
    dataset = call_action("package_show", id=DATASET)
    return {r["name"]: r for r in dataset["resources"]}


def _rows(resource_name: str) -> list[dict]:
    resource = _tables()[resource_name]
    return call_action("datastore_search", resource_id=resource["id"], limit=32000)["records"]


def _readings() -> list[tuple]:
    found = []
    for name in _tables():
        if name.startswith("Budova: "):
            found += [
                (r["meter_id"], datetime.datetime.fromisoformat(r["timestamp"]), float(r["value"]))
                for r in _rows(name)
            ]
    return sorted(found)


def _expected_readings(rows: list[dict]) -> list[tuple]:
    return sorted(
        (
            r["meter_id"],
            datetime.datetime.fromisoformat(r["timestamp"])
            .astimezone(datetime.UTC)
            .replace(tzinfo=None),
            float(r["value"]),
        )
        for r in rows
    )


def _naive_utc(readings: list[tuple]) -> list[tuple]:
    return [
        (m, t.astimezone(datetime.UTC).replace(tzinfo=None) if t.tzinfo else t, v)
        for m, t, v in readings
    ]


def test_a_csv_file_is_appended_per_building_and_a_rerun_adds_nothing(
    server, harvest_consumers, app
):
    rows = series(datetime.datetime(2024, 1, 31, 12, 0, tzinfo=datetime.UTC), 400)
    source = _source(server.put("/odecty.csv", as_csv(rows)))

    first = source.run(harvest_consumers)

    assert first["gather_errors"] == [] and first["object_errors"] == []
    assert sorted(n for n in _tables() if n.startswith("Budova")) == [
        "Budova: Gymnázium F. X. Šaldy",
        "Budova: Krajský úřad",
    ]
    assert _naive_utc(_readings()) == _expected_readings(rows)
    dataset = call_action("package_show", id=DATASET)
    assert dataset["type"] == "dataset" and dataset["themes"] == ["ENER"]
    assert all(r["terms_personal_data"] for r in dataset["resources"])
    units = {
        r["meter_id"]: (r["medium"], r["unit"]) for r in _rows("Měsíční souhrny / Monthly totals")
    }
    assert units == {
        "EL-01": ("electricity", "kWh"),
        "VO-01": ("water", "m³"),
        "TE-07": ("heat", "GJ"),
    }

    second = source.run(harvest_consumers)

    assert second["object_errors"] == []
    assert second["stats"]["not modified"] == 1
    assert second["stats"]["added"] + second["stats"]["updated"] == 0
    assert len(_readings()) == len(rows)

    page = app.get(f"/mereni/{DATASET}")
    assert page.status_code == 200
    expected = monthly_expected(rows)
    assert len({month for _, _, month in expected}) == 2  # January and February
    for (building, medium, month), total in expected.items():
        assert building in page.body
        assert f'data-total="{total}"' in page.body, (building, medium, month, total)
    download = app.get(f"/mereni/{DATASET}/mesicne.csv")
    assert download.headers["Content-Type"].startswith("text/csv")
    lines = download.body.lstrip("\ufeff").splitlines()
    by_key = {
        (cells[0], cells[1], cells[3]): float(cells[4])
        for cells in (line.split(",") for line in lines[1:])
    }
    assert by_key == pytest.approx(expected)
    english = app.get(f"/en/mereni/{DATASET}")
    assert "Monthly totals" in english.body or "Download this table" in english.body


def test_json_with_an_overlapping_window_adds_only_new_readings_and_reports_corrections(server):
    start = datetime.datetime(2024, 5, 1, 0, 0, tzinfo=datetime.UTC)
    first_rows = series(start, 96)  # 1 May, UTC
    second_rows = series(start + 48 * QUARTER, 96)  # 1 May noon to 2 May noon
    changed = dict(second_rows[0], value=999.5)  # a corrected reading for a stored key
    source = _source(server.put("/odecty.json", json.dumps({"readings": first_rows})))
    source.run()

    server.put("/odecty.json", json.dumps([changed, *second_rows[1:]]))
    job = source.run()

    corrections = [e for e in job["object_errors"] if e[0] == "corrections"]
    assert len(corrections) == 1, job["object_errors"]
    assert "stored as" in corrections[0][1] and "999.5" in corrections[0][1]
    assert corrections[0][2] == 1  # JSON records are numbered from 1
    expected = {r[:2]: r for r in _expected_readings(first_rows + second_rows[1:])}
    assert _naive_utc(_readings()) == sorted(expected.values())  # new ones once, old value kept
    assert len(_readings()) == 3 * 144


def test_dst_days_in_local_time_are_counted_to_the_right_day(server):
    autumn = [  # 27 October 2024: 02:00–02:45 twice, 100 quarter-hours in the local day
        (datetime.datetime(2024, 10, 26, 22, 0, tzinfo=datetime.UTC) + step * QUARTER).astimezone(
            PRAGUE
        )
        for step in range(100)
    ]
    spring = [  # 31 March 2024: 02:00–02:45 never happened, 92 quarter-hours
        (datetime.datetime(2024, 3, 30, 23, 0, tzinfo=datetime.UTC) + step * QUARTER).astimezone(
            PRAGUE
        )
        for step in range(92)
    ]
    lines = [HEADER]
    for local in autumn + spring:  # naive local times, as many systems export them
        lines.append(f"EL-01;Krajský úřad;elektřina;{local.replace(tzinfo=None).isoformat()};1;kWh")
    lines.append("EL-01;Krajský úřad;elektřina;2024-03-31T02:30:00;1;kWh")  # does not exist
    source = _source(server.put("/odecty.csv", "\n".join(lines) + "\n"))

    job = source.run()

    assert [(guid, line) for guid, _, line in job["object_errors"]] == [("rows", 194)]
    assert "does not exist in Europe/Prague" in job["object_errors"][0][1]
    daily = {
        r["day"][:10]: (float(r["total"]), r["readings"])
        for r in _rows("Denní souhrny / Daily totals")
    }
    assert daily == {"2024-10-27": (100.0, 100), "2024-03-31": (92.0, 92)}
    assert len(_readings()) == 192


def test_a_bad_unit_row_is_reported_and_the_rest_is_written(server):
    rows = series(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC), 10)
    text = as_csv(rows) + "VO-01;Krajský úřad;voda;2024-02-03T00:00:00+01:00;5;kWh\n"
    source = _source(server.put("/odecty.csv", text))

    job = source.run()

    assert job["gather_errors"] == []
    assert len(job["object_errors"]) == 1
    guid, message, line = job["object_errors"][0]
    assert (guid, line) == ("rows", 32)
    assert "column unit" in message and "'kWh' is not a unit of water" in message
    assert "m³" in message
    assert len(_readings()) == 30


def test_a_mostly_garbage_file_writes_nothing(server):
    rows = series(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC), 4)
    source = _source(server.put("/odecty.csv", as_csv(rows)))
    source.run()
    garbage = as_csv(rows[:2]) + "".join(f"X;;plyn;včera;-{n};t\n" for n in range(10))
    server.put("/odecty.csv", garbage)

    job = source.run()

    assert "10 of 12 rows are bad" in job["gather_errors"][0]
    assert "Nothing was written" in job["gather_errors"][0]
    assert len([e for e in job["object_errors"] if e[0] == "rows"]) > 10  # each bad cell
    assert len(_readings()) == 12


def test_503_is_retried_and_a_source_still_down_writes_nothing(server):
    rows = series(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC), 8)
    source = _source(server.put("/odecty.csv", as_csv(rows[:12])))
    server.http_errors = [503, 503]

    recovered = source.run()

    assert recovered["gather_errors"] == []
    assert len(_readings()) == 12

    server.put("/odecty.csv", as_csv(rows))
    server.http_errors = [503] * 10
    failed = source.run()

    assert (
        "HTTP 503" in failed["gather_errors"][0]
        and "Nothing was written" in failed["gather_errors"][0]
    )
    assert len(_readings()) == 12


def test_an_oversized_file_is_refused(server, monkeypatch):
    rows = series(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC), 200)
    source = _source(server.put("/odecty.csv", as_csv(rows)))
    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.max_response_bytes", 10_000)

    job = source.run()

    assert "over the 10000-byte limit" in job["gather_errors"][0]
    with pytest.raises(tk.ObjectNotFound):
        call_action("package_show", id=DATASET)


def test_a_missing_column_and_a_bad_configuration_are_explained(server):
    source = _source(server.put("/odecty.csv", "meter_id;timestamp;value\nA;2024-01-01;1\n"))

    job = source.run()

    assert "no column for building, medium, unit" in job["gather_errors"][0]
    sysadmin = factories.Sysadmin()
    with pytest.raises(tk.ValidationError) as refused:
        call_action(
            "harvest_source_create",
            context={"user": sysadmin["name"]},
            name="spatne-mereni",
            title="Špatné",
            url=server.url + "/x.csv",
            source_type="metering",
            config='{"group_by": "floor"}',
            owner_org=factories.Organization()["id"],
        )
    assert '"group_by" must be one of building, meter_group' in str(refused.value)


def test_a_dataset_name_taken_by_another_organization_is_not_written_into(server):
    from tests import factories as portal_factories

    other = portal_factories.Dataset(name=DATASET, title="Cizí datová sada")
    rows = series(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC), 4)
    source = _source(server.put("/odecty.csv", as_csv(rows)))

    job = source.run()

    assert f'The name "{DATASET}" belongs to another record' in job["gather_errors"][0]
    assert call_action("package_show", id=other["id"])["resources"] == []


def test_an_object_delivered_twice_writes_nothing_twice_and_is_no_error(server):
    """harvest_jobs_run re-sends WAITING objects it does not see in the Redis list, so a
    consumer may get an object it has imported already."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestObject

    rows = series(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC), 8)
    source = _source(server.put("/odecty.csv", as_csv(rows)))
    job = source.run()
    imported = HarvestObject.filter(harvest_job_id=job["id"], guid="Krajský úřad").one()

    queue.fetch_and_import_stages(queue.get_harvester("metering"), imported)

    again = call_action("harvest_object_show", id=imported.id)
    assert (again["state"], again["report_status"]) == ("COMPLETE", "not modified")
    assert call_action("harvest_job_report", id=job["id"])["object_errors"] == {}
    assert len(_readings()) == len(rows)


def test_tables_per_meter_group_when_the_source_says_so(server):
    text = (
        "Měřidlo;Budova;Skupina;Komodita;Čas;Hodnota;Jednotka\n"
        "EL-01;Krajský úřad;Administrativa;elektřina;2024-02-01T00:00:00+01:00;1,5;kWh\n"
        "EL-02;Gymnázium;Školy;elektřina;2024-02-01T00:00:00+01:00;2;kWh\n"
        "EL-03;Obchodní akademie;Školy;elektřina;2024-02-01T00:00:00+01:00;3;kWh\n"
    )
    source = _source(server.put("/odecty.csv", text), {"group_by": "meter_group"})

    job = source.run()

    assert job["gather_errors"] == [] and job["object_errors"] == []
    groups = sorted(n for n in _tables() if n.startswith("Skupina"))
    assert groups == ["Skupina měřidel: Administrativa", "Skupina měřidel: Školy"]
    assert sorted(r["meter_id"] for r in _rows("Skupina měřidel: Školy")) == ["EL-02", "EL-03"]
