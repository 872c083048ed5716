"""One traffic count: a site's vehicles of one class on one lane in one interval, with the
problems found while reading counts (shared by the DATEX II and the counter CSV readers).

Flow is in vehicles per hour (DATEX II ``vehicleFlowRate``), vehicles is the number that
passed in the interval (flow × interval), speed the average in km/h or None where nothing was
measured (publishers write -1 for that). Day and month are those of the interval's start in
the source's time zone, so daily and monthly totals follow the local calendar.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

ALL_LANES = "all"  # a count not split by lane


@dataclass(slots=True)
class Count:
    site_id: str
    lane: str
    vehicle_class: str
    start: datetime.datetime  # UTC
    end: datetime.datetime  # UTC
    flow: float | None  # vehicles per hour
    vehicles: float | None  # vehicles in [start, end)
    speed: float | None  # km/h
    day: str = ""  # local YYYY-MM-DD of start
    month: str = ""  # local YYYY-MM of start

    @property
    def key(self) -> tuple[str, datetime.datetime, str, str]:
        """The table's primary key: site, interval start, vehicle class, lane."""
        return self.site_id, self.start, self.vehicle_class, self.lane


@dataclass(frozen=True)
class Problem:
    where: str  # "row 12", "site PZH01_MST_0065_00", ...
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def finish(counts: list[Count], timezone: str) -> list[Count]:
    """Counts of the same key joined (merge), each with its local day and month."""
    zone = zoneinfo.ZoneInfo(timezone)
    joined = merge(counts)
    for count in joined:
        day = count.start.astimezone(zone).date().isoformat()
        count.day, count.month = day, day[:7]
    return joined


def measured(value: float | None) -> float | None:
    """None for the publishers' "not measured" (a negative number or nothing)."""
    return None if value is None or value < 0 else value


def merge(counts: list[Count]) -> list[Count]:
    """Counts of the same key (flow from one index, speed from another) joined into one."""
    joined: dict[tuple, Count] = {}
    for count in counts:
        held = joined.get(count.key)
        if held is None:
            joined[count.key] = count
            continue
        for name in ("flow", "vehicles", "speed"):
            if getattr(held, name) is None:
                setattr(held, name, getattr(count, name))
    return list(joined.values())
