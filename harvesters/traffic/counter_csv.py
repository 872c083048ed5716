"""Counter CSV exports read row by row into traffic counts.

The accepted layout (UTF-8, comma, semicolon or tab; one row per site, interval, and class):

    site_id   the counter or detector                               required
    start     interval start, ISO 8601 (local time of the source's zone, or with an offset)
              - or - date + hour: a date (``date_format``, default %Y-%m-%d) and hour 0–23
    lane      lane or direction                                     optional ("all")
    vehicle_class  e.g. anyVehicle, car, lorry                      optional ("anyVehicle")
    vehicles  vehicles counted in the interval                      required
    speed     average speed, km/h (-1 or empty: not measured)       optional

The interval lasts ``period_minutes`` (default 15). ``columns`` maps these names to the file's
headings; ``classes`` reads a wide file with one vehicles/speed column pair per class instead
(e.g. the Berlin detector export: {"anyVehicle": {"vehicles": "q_kfz_det_hr", "speed":
"v_kfz_det_hr"}, ...}). Bad rows are reported with their row number, column and fix.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ckanext.smartregion.harvesters.traffic.counts import (
    ALL_LANES,
    Count,
    Problem,
    finish,
    measured,
)

FIELDS = ("site_id", "start", "date", "hour", "lane", "vehicle_class", "vehicles", "speed")
ALIASES = {
    "site_id": ("site_id", "site", "detector", "counter", "detektor", "sčítač", "profil"),
    "start": ("start", "timestamp", "time", "čas", "cas", "začátek", "zacatek"),
    "date": ("date", "datum", "den"),
    "hour": ("hour", "hodina"),
    "lane": ("lane", "pruh", "směr", "smer", "direction"),
    "vehicle_class": ("vehicle_class", "class", "kategorie", "třída", "trida"),
    "vehicles": ("vehicles", "count", "počet", "pocet", "intenzita"),
    "speed": ("speed", "rychlost", "average_speed"),
}


@dataclass
class Layout:
    """Which heading holds which field, and the per-class column pairs of a wide file."""

    columns: dict[str, str]  # field -> heading
    classes: dict[str, dict[str, str]]  # class -> {"vehicles": heading, "speed": heading}

    def missing(self) -> list[str]:
        needed = ["site_id"]
        if "start" not in self.columns:
            needed += ["date", "hour"]
        if not self.classes:
            needed.append("vehicles")
        return [name for name in needed if name not in self.columns]


def layout(
    headings: Iterable[str], configured: dict[str, str], classes: dict[str, dict[str, str]]
) -> Layout:
    """configured maps a casefolded heading to a field (source_config.column_mapping)."""
    columns: dict[str, str] = {}
    for heading in headings:
        folded = str(heading or "").strip().casefold()
        target = configured.get(folded) or next(
            (f for f, names in ALIASES.items() if folded in names and f not in configured.values()),
            None,
        )
        if target and target not in columns:
            columns[target] = heading
    return Layout(columns, classes)


@dataclass
class Read:
    counts: list[Count] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def _number(cell: Any) -> float | None:
    text = str(cell if cell is not None else "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    return float(text.replace(",", "."))


class Reader:
    def __init__(self, shape: Layout, timezone: str, period_minutes: int, date_format: str) -> None:
        self.shape = shape
        self.zone = zoneinfo.ZoneInfo(timezone)
        self.span = datetime.timedelta(minutes=period_minutes)
        self.date_format = date_format
        self.result = Read()
        self._seen: set[tuple] = set()

    def add(self, number: int, row: dict[str, Any]) -> None:
        cells = {f: row.get(h) for f, h in self.shape.columns.items()}
        if not any(str(v).strip() for v in row.values() if v is not None):
            return
        self.result.rows += 1
        where = f"row {number}"
        site_id = str(cells.get("site_id") or "").strip()
        if not site_id:
            self._problem(where, "site_id", "missing; give the counter's identifier")
            return
        start = self._start(where, cells)
        if start is None:
            return
        lane = str(cells.get("lane") or "").strip() or ALL_LANES
        if self.shape.classes:
            pairs = [
                (
                    name,
                    columns["vehicles"],
                    row.get(columns["vehicles"]),
                    row.get(columns.get("speed")),
                )
                for name, columns in self.shape.classes.items()
            ]
        else:
            name = str(cells.get("vehicle_class") or "").strip() or "anyVehicle"
            pairs = [(name, "vehicles", cells.get("vehicles"), cells.get("speed"))]
        for vehicle_class, column, vehicles_cell, speed_cell in pairs:
            try:
                vehicles = measured(_number(vehicles_cell))
                speed = measured(_number(speed_cell))
            except ValueError:
                self._problem(
                    where,
                    column,
                    f"{vehicles_cell!r} or speed {speed_cell!r} is not a number; write the "
                    "vehicles as a whole number and the speed in km/h (e.g. 412 and 48.5)",
                )
                continue
            key = (site_id, start, vehicle_class, lane)
            if key in self._seen:
                self._problem(
                    where, "site_id", f"repeats site {site_id} at {start.isoformat()}; keep one"
                )
                continue
            self._seen.add(key)
            hours = self.span.total_seconds() / 3600
            count = Count(
                site_id=site_id,
                lane=lane,
                vehicle_class=vehicle_class,
                start=start,
                end=start + self.span,
                flow=None if vehicles is None else vehicles / hours,
                vehicles=vehicles,
                speed=speed,
            )
            self.result.counts.append(count)

    def _start(self, where: str, cells: dict[str, Any]) -> datetime.datetime | None:
        try:
            if "start" in self.shape.columns:
                text = str(cells.get("start") or "").strip()
                local = datetime.datetime.fromisoformat(text)
            else:
                day = datetime.datetime.strptime(
                    str(cells.get("date") or "").strip(), self.date_format
                )
                hour = int(str(cells.get("hour") or "").strip())
                if not 0 <= hour <= 23:
                    raise ValueError(hour)
                local = day.replace(hour=hour)
        except ValueError:
            column = "start" if "start" in self.shape.columns else "date/hour"
            self._problem(
                where,
                column,
                "not a time; write ISO 8601 (2024-01-31T07:15) or the date as "
                f"{self.date_format} and the hour 0–23",
            )
            return None
        if local.tzinfo is not None:
            return local.astimezone(datetime.UTC)
        aware = local.replace(tzinfo=self.zone)
        if aware.astimezone(datetime.UTC).astimezone(self.zone).replace(tzinfo=None) != local:
            self._problem(
                where,
                "start",
                f"{local.isoformat(sep=' ')} does not exist in {self.zone.key} (clocks went "
                "forward); give the time with its UTC offset",
            )
            return None
        return aware.astimezone(datetime.UTC)

    def done(self) -> Read:
        """The result, counts of one key joined and given their local day and month."""
        self.result.counts = finish(self.result.counts, self.zone.key)
        return self.result

    def _problem(self, where: str, column: str, message: str) -> None:
        heading = self.shape.columns.get(column, column)
        self.result.problems.append(Problem(f"{where}, column {heading}", message))


def read(
    rows: Iterable[tuple[int, dict[str, Any]]],
    columns: dict[str, str],
    classes: dict[str, dict[str, str]],
    timezone: str,
    period_minutes: int,
    date_format: str,
) -> Read:
    """The counts of (row number, {heading: cell}) rows; a missing column raises ValueError
    naming it and the configuration key that maps it."""
    reader: Reader | None = None
    for number, row in rows:
        if reader is None:
            shape = layout(row.keys(), columns, classes)
            missing = shape.missing()
            if missing:
                raise ValueError(
                    f"the file has no column for {', '.join(missing)}; name the columns so or "
                    f'map them in the source configuration, e.g. {{"columns": '
                    f'{{"{missing[0]}": "<heading in the file>"}}}}'
                )
            reader = Reader(shape, timezone, period_minutes, date_format)
        reader.add(number, row)
    return reader.done() if reader else Read()
