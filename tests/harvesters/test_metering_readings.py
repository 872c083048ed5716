"""Row checks of metering files: media and units, times and DST, per-meter consistency, and
the source configuration's messages (no services needed)."""

from __future__ import annotations

import datetime

import pytest

from ckanext.smartregion.harvesters.metering import readings, source_config

HEADINGS = ["Měřidlo", "Budova", "Komodita", "Čas", "Hodnota", "Jednotka"]


def check(*rows: tuple, group_by: str = "building") -> readings.Checked:
    columns = readings.ColumnMap(HEADINGS, {})
    checker = readings.Checker(columns, "Europe/Prague", group_by)
    for number, row in enumerate(rows, start=2):
        checker.add(number, dict(zip(HEADINGS, row, strict=True)))
    return checker.result


def test_czech_headings_labels_and_units_are_understood():
    result = check(("EL-1", "Úřad", "Elektřina", "2024-01-15T10:00:00+01:00", "1,5", "kwh"))

    assert result.problems == []
    (reading,) = result.readings
    assert (reading.medium, reading.unit, reading.value) == ("electricity", "kWh", 1.5)
    assert reading.at == datetime.datetime(2024, 1, 15, 9, 0, tzinfo=datetime.UTC)
    assert (reading.day, reading.month) == ("2024-01-15", "2024-01")


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        (("V", "Úřad", "voda", "2024-01-01T00:00", "1", "kWh"), "Jednotka", "not a unit of water"),
        (("V", "Úřad", "pára", "2024-01-01T00:00", "1", "t"), "Komodita", "is not a medium"),
        (("V", "Úřad", "voda", "včera", "1", "m3"), "Čas", "is not a time"),
        (("V", "Úřad", "voda", "2024-01-01T00:00", "-1", "m3"), "Hodnota", "not a valid reading"),
        (("V", "Úřad", "voda", "2024-01-01T00:00", "nan", "m3"), "Hodnota", "not a valid reading"),
        (("", "Úřad", "voda", "2024-01-01T00:00", "1", "m3"), "Měřidlo", "missing"),
    ],
)
def test_a_bad_cell_names_the_row_the_column_and_the_fix(row, column, text):
    result = check(row)

    assert result.readings == []
    assert any(p.row == 2 and p.column == column and text in p.message for p in result.problems)


def test_a_local_time_is_read_in_prague_across_both_dst_changes():
    result = check(
        ("E", "Úřad", "elektřina", "2024-10-27T02:30:00", "1", "kWh"),  # first 02:30 (CEST)
        ("E", "Úřad", "elektřina", "2024-10-27T02:30:00", "2", "kWh"),  # second 02:30 (CET)
        ("E", "Úřad", "elektřina", "2024-03-31T02:30:00", "1", "kWh"),  # never happened
        ("E", "Úřad", "elektřina", "2024-03-31T03:00:00", "1", "kWh"),
    )

    assert [r.at.isoformat() for r in result.readings] == [
        "2024-10-27T00:30:00+00:00",
        "2024-10-27T01:30:00+00:00",
        "2024-03-31T01:00:00+00:00",
    ]
    assert [(p.row, p.column) for p in result.problems] == [(4, "Čas")]
    assert "does not exist in Europe/Prague" in result.problems[0].message


def test_a_reading_near_midnight_utc_belongs_to_the_local_day():
    (reading,) = check(("E", "Úřad", "plyn", "2024-06-30T22:30:00Z", "1", "m³")).readings

    assert (reading.day, reading.month) == ("2024-07-01", "2024-07")


def test_repeats_conflicts_and_a_meter_changing_its_unit():
    result = check(
        ("E", "Úřad", "teplo", "2024-01-01T00:00:00+01:00", "1", "GJ"),
        ("E", "Úřad", "teplo", "2024-01-01T00:00:00+01:00", "1", "GJ"),  # exact repeat
        ("E", "Úřad", "teplo", "2023-12-31T23:00:00Z", "2", "GJ"),  # same time, other value
        ("E", "Úřad", "teplo", "2024-01-01T01:00:00+01:00", "1", "MWh"),  # other unit
    )

    assert len(result.readings) == 1 and result.duplicates == 1
    assert [(p.row, p.column) for p in result.problems] == [(4, "Čas"), (5, "Jednotka")]
    assert "already has 1.0 at this time in row 2" in result.problems[0].message
    assert "one meter measures one medium in one unit" in result.problems[1].message


def test_grouping_by_meter_group_requires_its_column():
    columns = readings.ColumnMap(HEADINGS, {})

    assert columns.missing("meter_group") == ["meter_group"]
    assert readings.ColumnMap([*HEADINGS, "Skupina"], {}).missing("meter_group") == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('{"group_by": "floor"}', '"group_by" must be one of building, meter_group'),
        ('{"timezone": "Mars/Olympus"}', '"timezone" must be an IANA time zone'),
        ('{"limits": {"max_bad_share": 2}}', '"limits.max_bad_share" must be a fraction'),
        ('{"dataset": {"name": "Měření"}}', '"dataset.name" must be 2–100 lowercase'),
        ('{"columns": {"meter": "M"}}', 'Unknown field(s) in "columns": meter'),
        ('{"url": "ftp://x/y.csv"}', '"url" must be an http(s) address'),
        ("[1]", "must be a JSON object"),
    ],
)
def test_the_source_configuration_names_the_key_and_the_fix(config, message):
    with pytest.raises(source_config.SourceConfigError) as refused:
        source_config.parse(config)

    assert message in str(refused.value)
