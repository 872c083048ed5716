"""Readings of a metering file checked row by row: meter, building, medium, time, value, unit.

Media are electricity, heat, gas and water (Czech labels elektřina, teplo, plyn, voda too),
each with the units it may be measured in. Times are ISO 8601; a time with an offset is
exact, a time without one is local time of the source's zone (Europe/Prague): an hour that
does not exist (the spring change) is refused, and an hour that occurs twice (the autumn
change) is taken as the first occurrence when a meter first reports it and as the second when
the same meter reports it again. Every reading keeps the local day and month it belongs to,
so daily and monthly totals follow the calendar people live in.
"""

from __future__ import annotations

import datetime
import math
import sys
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MEDIA = {
    "electricity": "electricity",
    "elektřina": "electricity",
    "elektrina": "electricity",
    "elektrická energie": "electricity",
    "ee": "electricity",
    "heat": "heat",
    "teplo": "heat",
    "gas": "gas",
    "plyn": "gas",
    "zemní plyn": "gas",
    "water": "water",
    "voda": "water",
}
UNITS = {"wh": "Wh", "kwh": "kWh", "mwh": "MWh", "mj": "MJ", "gj": "GJ", "l": "l"}
UNITS.update({"m3": "m³", "m³": "m³", "m^3": "m³"})
UNITS_BY_MEDIUM = {
    "electricity": ("Wh", "kWh", "MWh"),
    "heat": ("MJ", "GJ", "kWh", "MWh"),
    "gas": ("m³", "kWh", "MWh"),
    "water": ("m³", "l"),
}
ALIASES = {
    "meter_id": ("meter_id", "meter", "měřidlo", "meridlo", "id měřidla", "id_meridla", "měřič"),
    "building": ("building", "budova", "objekt"),
    "meter_group": ("meter_group", "group", "skupina", "skupina měřidel", "skupina_meridel"),
    "medium": ("medium", "médium", "komodita", "energie"),
    "timestamp": ("timestamp", "time", "datetime", "čas", "cas", "datum a čas", "datum_cas"),
    "value": ("value", "hodnota", "spotřeba", "spotreba", "consumption"),
    "unit": ("unit", "jednotka"),
}
TIME_CACHE_SIZE = 100_000
REQUIRED = ("meter_id", "building", "medium", "timestamp", "value", "unit")
FIX = {
    "meter_id": "give the meter's identifier",
    "building": "give the building the meter is in",
    "meter_group": "give the meter group (the source groups tables by it)",
    "medium": "write electricity, heat, gas or water (elektřina, teplo, plyn, voda)",
    "timestamp": "write ISO 8601, e.g. 2024-03-31T02:15:00+02:00 or 2024-03-31 02:15",
    "value": "write a number that is not negative, e.g. 12.5",
}


@dataclass(slots=True)
class Reading:
    row: int
    meter_id: str
    building: str
    meter_group: str
    medium: str
    unit: str
    at: datetime.datetime  # UTC
    value: float
    day: str  # local calendar day, YYYY-MM-DD
    month: str  # local month, YYYY-MM

    @property
    def key(self) -> tuple[str, datetime.datetime]:
        return self.meter_id, self.at


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


@dataclass
class Checked:
    readings: list[Reading] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    duplicates: int = 0  # rows repeating an earlier row of the file exactly


class ColumnMap:
    """Which heading of the file holds which field (configured names first, then aliases)."""

    def __init__(self, headings: Iterable[str], configured: dict[str, str]) -> None:
        self.columns: dict[str, str] = {}
        for heading in headings:
            folded = str(heading or "").strip().casefold()
            target = configured.get(folded) or next(
                (
                    t
                    for t, names in ALIASES.items()
                    if folded in names and t not in configured.values()
                ),
                None,
            )
            if target and target not in self.columns:
                self.columns[target] = heading

    def missing(self, group_by: str) -> list[str]:
        needed = [*REQUIRED, "meter_group"] if group_by == "meter_group" else list(REQUIRED)
        return [name for name in needed if name not in self.columns]

    def heading(self, target: str) -> str:
        return self.columns.get(target, target)


class Checker:
    def __init__(self, columns: ColumnMap, timezone: str, group_by: str) -> None:
        self.columns = columns
        self.zone = zoneinfo.ZoneInfo(timezone)
        self.group_by = group_by
        self.result = Checked()
        self._first: dict[tuple[str, datetime.datetime], tuple[int, float]] = {}
        self._meters: dict[str, tuple[int, str, str, str]] = {}  # row, medium, unit, group
        self._ambiguous_seen: set[tuple[str, datetime.datetime]] = set()
        self._exact_times: dict[str, tuple[datetime.datetime, str, str]] = {}

    def add(self, number: int, row: dict[str, Any]) -> None:
        cells = {t: row.get(h) for t, h in self.columns.columns.items()}
        if not any(str(v).strip() for v in cells.values() if v is not None):
            return  # a blank line
        self.result.rows += 1
        problems: list[Problem] = []

        def text(target: str) -> str:
            value = cells.get(target)
            text_value = "" if value is None else str(value).strip()
            if not text_value and target in REQUIRED + (
                ("meter_group",) if self.group_by == "meter_group" else ()
            ):
                problems.append(
                    Problem(number, self.columns.heading(target), f"missing; {FIX[target]}")
                )
            return sys.intern(text_value)

        meter_id, building, group = text("meter_id"), text("building"), text("meter_group")
        medium_text, unit_text, time_text = text("medium"), text("unit"), text("timestamp")
        medium = MEDIA.get(medium_text.casefold())
        if medium_text and medium is None:
            problems.append(
                Problem(
                    number,
                    self.columns.heading("medium"),
                    f"{medium_text!r} is not a medium; {FIX['medium']}",
                )
            )
        unit = UNITS.get(unit_text.casefold().replace(" ", ""))
        if medium and unit_text and unit not in UNITS_BY_MEDIUM[medium]:
            problems.append(
                Problem(
                    number,
                    self.columns.heading("unit"),
                    f"{unit_text!r} is not a unit of {medium}; use one of "
                    f"{', '.join(UNITS_BY_MEDIUM[medium])}",
                )
            )
        value = self._value(number, cells.get("value"), problems)
        at, day, month = (
            self._time(number, meter_id, time_text, problems) if time_text else (None, "", "")
        )
        if meter_id and medium and unit and not problems:
            self._same_meter(
                number,
                meter_id,
                medium,
                unit,
                group if self.group_by == "meter_group" else building,
                problems,
            )
        if problems:
            self.result.problems.extend(problems)
            return
        assert at is not None and value is not None and medium and unit
        key = (meter_id, at)
        earlier = self._first.get(key)
        if earlier is not None:
            if math.isclose(earlier[1], value, rel_tol=1e-12, abs_tol=1e-12):
                self.result.duplicates += 1
            else:
                self.result.problems.append(
                    Problem(
                        number,
                        self.columns.heading("timestamp"),
                        f"meter {meter_id} already has {earlier[1]} at this time in row "
                        f"{earlier[0]}; keep one of the two rows",
                    )
                )
            return
        self._first[key] = (number, value)
        self.result.readings.append(
            Reading(number, meter_id, building, group, medium, unit, at, value, day, month)
        )

    def _value(self, number: int, cell: Any, problems: list[Problem]) -> float | None:
        if cell is None or str(cell).strip() == "":
            problems.append(
                Problem(number, self.columns.heading("value"), f"missing; {FIX['value']}")
            )
            return None
        try:
            value = (
                float(cell)
                if isinstance(cell, int | float) and not isinstance(cell, bool)
                else float(
                    str(cell).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
                )
            )
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            problems.append(
                Problem(
                    number,
                    self.columns.heading("value"),
                    f"{cell!r} is not a valid reading; {FIX['value']}",
                )
            )
            return None
        return value

    def _time(
        self, number: int, meter_id: str, text: str, problems: list[Problem]
    ) -> tuple[datetime.datetime | None, str, str]:
        cached = self._exact_times.get(text)
        if cached is not None:  # many meters share each time stamp: convert it once
            return cached
        heading = self.columns.heading("timestamp")
        try:
            parsed = datetime.datetime.fromisoformat(text)
        except ValueError:
            problems.append(Problem(number, heading, f"{text!r} is not a time; {FIX['timestamp']}"))
            return None, "", ""
        if parsed.tzinfo is None:
            local = self._localise(number, meter_id, parsed, heading, problems)
            if local is None:
                return None, "", ""
        else:
            local = parsed.astimezone(self.zone)
        day = local.date().isoformat()
        result = (local.astimezone(datetime.UTC), sys.intern(day), sys.intern(day[:7]))
        if parsed.tzinfo is not None or (meter_id, parsed) not in self._ambiguous_seen:
            if len(self._exact_times) >= TIME_CACHE_SIZE:
                self._exact_times.clear()
            self._exact_times[text] = result
        return result

    def _localise(
        self,
        number: int,
        meter_id: str,
        naive: datetime.datetime,
        heading: str,
        problems: list[Problem],
    ) -> datetime.datetime | None:
        first = naive.replace(tzinfo=self.zone, fold=0)
        second = naive.replace(tzinfo=self.zone, fold=1)
        if first.utcoffset() == second.utcoffset():
            return first
        round_trip = first.astimezone(datetime.UTC).astimezone(self.zone).replace(tzinfo=None)
        if round_trip != naive:  # the hour skipped when clocks go forward
            problems.append(
                Problem(
                    number,
                    heading,
                    f"{naive.isoformat(sep=' ')} does not exist in {self.zone.key} (the clocks "
                    "went forward); give the time with its UTC offset",
                )
            )
            return None
        key = (meter_id, naive)
        if key in self._ambiguous_seen:  # the hour that repeats when clocks go back
            return second
        self._ambiguous_seen.add(key)
        return first

    def _same_meter(
        self,
        number: int,
        meter_id: str,
        medium: str,
        unit: str,
        group: str,
        problems: list[Problem],
    ) -> None:
        known = self._meters.setdefault(meter_id, (number, medium, unit, group))
        if known[1:] != (medium, unit, group):
            problems.append(
                Problem(
                    number,
                    self.columns.heading("unit"),
                    f"meter {meter_id} is {known[1]} in {known[2]} ({self.group_by} {known[3]!r}) "
                    f"in row {known[0]}, here {medium} in {unit} ({self.group_by} {group!r}); "
                    "one meter measures one medium in one unit in one place",
                )
            )
