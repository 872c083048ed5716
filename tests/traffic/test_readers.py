"""Reading real traffic publications: the NDW DATEX II site table and measured data, the
Berlin counter CSV, and the source configuration's messages (no services needed)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from ckanext.smartregion.harvesters.traffic import datex2, source_config
from tests.traffic import berlin

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DATEX = FIXTURES / "datex2"
SITE = "PZH01_MST_0629_00"
UTC = datetime.UTC


@pytest.fixture(scope="module")
def sites() -> dict[str, datex2.Site]:
    return datex2.parse_sites((DATEX / "site_table_excerpt.xml").read_bytes())


def test_site_table_gives_name_location_lanes_and_what_each_index_measures(sites):
    site = sites[SITE]
    assert (site.name, site.lanes, site.direction) == ("N457 hmp 4.75 Re", 1, "northWestBound")
    assert (site.lat, site.lon) == (52.0263, 4.634289)  # locationForDisplay
    assert site.specs["1"] == datex2.Spec("trafficFlow", "lane1", "length<5.6", 60)
    assert site.specs["2"].vehicle_class == "length>=5.6,length<=12.2"
    assert site.specs["8"] == datex2.Spec("trafficSpeed", "lane1", "anyVehicle", 60)


def test_measured_flow_and_speed_are_joined_per_class_and_unknown_site_is_flagged(sites):
    data = (DATEX / "measured_excerpt.xml").read_bytes()

    result = datex2.parse_measurements(data, sites, time_stamp="start", period=60)

    known = [c for c in result.counts if c.site_id == SITE]
    assert {c.vehicle_class for c in known} == {
        "length<5.6",
        "length>=5.6,length<=12.2",
        "length>12.2",
        "anyVehicle",
    }
    start = datetime.datetime(2025, 8, 15, 21, 48, tzinfo=UTC)
    for count in known:  # the real file: no vehicle that minute, speed -1 with no inputs
        assert (count.start, count.end, count.lane) == (
            start,
            start + datetime.timedelta(minutes=1),
            "lane1",
        )
        assert (count.flow, count.vehicles, count.speed) == (0.0, 0.0, None)
        assert (count.day, count.month) == ("2025-08-15", "2025-08")
    other = [c for c in result.counts if c.site_id == "PZH01_MST_0065_00"]
    by_index = {c.vehicle_class: c for c in other}
    assert by_index["index 2"].flow == 120.0 and by_index["index 2"].vehicles == 2.0
    assert by_index["index 8"].speed == 72.0
    assert result.unknown_sites == {"PZH01_MST_0065_00"}
    assert any("PZH01_MST_0065_00" in str(p) and "not in the" in str(p) for p in result.problems)


def test_unknown_site_without_a_period_is_skipped_with_one_problem_not_refused(sites):
    data = (DATEX / "measured_excerpt.xml").read_bytes()

    result = datex2.parse_measurements(data, sites, time_stamp="end")

    assert {c.site_id for c in result.counts} == {SITE}
    assert all(c.end == datetime.datetime(2025, 8, 15, 21, 48, tzinfo=UTC) for c in result.counts)
    assert [str(p) for p in result.problems if "0065" in str(p)] == [
        "site PZH01_MST_0065_00: is not in the measurement site table and the source "
        'configuration gives no "period_seconds"; its values were skipped'
    ]


def test_wrong_publication_and_entities_are_refused():
    with pytest.raises(datex2.Datex2Error, match="not a MeasuredDataPublication"):
        datex2.parse_measurements((DATEX / "site_table_excerpt.xml").read_bytes(), {})
    evil = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    with pytest.raises(datex2.Datex2Error, match="entities"):
        datex2.parse_sites(evil)


read_berlin = berlin.read


def test_berlin_counter_export_is_read_through_the_column_mapping():
    result = read_berlin(berlin.CSV)

    assert (result.rows, len(result.counts), result.problems) == (96, 288, [])
    first = {c.vehicle_class: c for c in result.counts[:3]}
    # 100101010000167;01.01.2024;0;1.0;109;73;108;73;1;70 - midnight in Berlin is 23:00 UTC
    assert first["anyVehicle"].start == datetime.datetime(2023, 12, 31, 23, 0, tzinfo=UTC)
    assert (first["anyVehicle"].vehicles, first["anyVehicle"].speed) == (109.0, 73.0)
    assert (first["car"].vehicles, first["lorry"].vehicles, first["lorry"].speed) == (108, 1, 70)
    assert first["car"].day == "2024-01-01"
    no_lorry = next(c for c in result.counts if c.vehicle_class == "lorry" and c.vehicles == 0)
    assert no_lorry.speed is None  # -1 in the file: nothing measured


def test_bad_rows_are_reported_with_row_and_column_and_a_missing_column_names_the_key():
    data = (
        b"detid_15;tag;stunde;qualitaet;q_kfz_det_hr;v_kfz_det_hr;q_pkw_det_hr;v_pkw_det_hr;"
        b"q_lkw_det_hr;v_lkw_det_hr\n"
        b"7;32.01.2024;0;1.0;1;1;1;1;0;-1\n"
        b"7;01.01.2024;0;1.0;x;1;1;1;0;-1\n"
    )
    result = read_berlin(data)
    assert [str(p) for p in result.problems] == [
        "row 2, column date/hour: not a time; write ISO 8601 (2024-01-31T07:15) or the date "
        "as %d.%m.%Y and the hour 0–23",
        "row 3, column q_kfz_det_hr: 'x' or speed '1' is not a number; write the vehicles as "
        "a whole number and the speed in km/h (e.g. 412 and 48.5)",
    ]
    with pytest.raises(ValueError, match="no column for site_id"):
        read_berlin(b"sensor;tag;stunde;q_kfz_det_hr\n1;01.01.2024;0;5\n")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"format": "datex2"}, '"sites_url" is required'),
        ({"format": "datex2", "sites_url": "file:///etc/passwd"}, '"sites_url" must be an http'),
        ({"format": "csv", "period_minutes": 0}, '"period_minutes" must be a whole number'),
        ({"format": "csv", "classes": {"car": {"vehicles": 5}}}, '"classes.car" must name'),
        ({"format": "csv", "classes": {"a b": {"vehicles": "q"}}}, "is not a class name"),
        ({"format": "csv", "date_format": "dd.mm"}, '"date_format" must be a strftime'),
        ({"format": "csv", "columns": {"meter": "x"}}, 'Unknown field\\(s\\) in "columns"'),
        ({"format": "csv", "time_stamp": "middle"}, '"time_stamp" must be one of'),
        ({"format": "xml"}, '"format" must be one of datex2, csv'),
        ({"format": "csv", "sql": "drop"}, "Unknown key\\(s\\) sql"),
    ],
)
def test_source_configuration_errors_name_the_key(config, message):
    with pytest.raises(source_config.SourceConfigError, match=message):
        source_config.parse(json.dumps(config))
