"""DATEX II traffic data: the sites of a MeasurementSiteTablePublication and the counts of a
MeasuredDataPublication (v2.x, namespace http://datex2.eu/schema/2/2_0; a SOAP envelope around
d2LogicalModel is fine). Parsed with safe_xml (no entities, no network).

A site record gives, per ``measurementSpecificCharacteristics`` index, what the index measures
(trafficFlow or trafficSpeed), the lane and the vehicles (vehicleType, or length classes such
as "length<5.6"), and the interval (``period``, seconds). A measured value is read by its
index: ``vehicleFlowRate`` (vehicles per hour) or ``averageVehicleSpeed/speed`` (km/h, -1 or
no inputs = not measured). The schema leaves open whether ``measurementTimeDefault`` is the
start or the end of the interval; the source configuration says which ("time_stamp").
Sites missing from the table are reported, and their counts kept as "index N" when an
interval is known, never dropping the whole publication.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ckanext.smartregion.harvesters import safe_xml
from ckanext.smartregion.harvesters.traffic.counts import (
    ALL_LANES,
    Count,
    Problem,
    finish,
    measured,
)

FLOW, SPEED = "trafficFlow", "trafficSpeed"
OPERATORS = {
    "lessThan": "<",
    "lessThanOrEqualTo": "<=",
    "greaterThan": ">",
    "greaterThanOrEqualTo": ">=",
    "equalTo": "=",
}


class Datex2Error(ValueError):
    """The document is not a DATEX II publication of the expected kind; the message says why."""


@dataclass(frozen=True)
class Spec:
    """What one index of a site measures."""

    value_type: str
    lane: str
    vehicle_class: str
    period: int | None  # seconds


@dataclass
class Site:
    site_id: str
    name: str = ""
    lanes: int | None = None
    direction: str = ""
    lat: float | None = None
    lon: float | None = None
    specs: dict[str, Spec] = field(default_factory=dict)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in element if _local(child.tag) == name)


def _child(element: etree._Element | None, *path: str) -> etree._Element | None:
    for name in path:
        if element is None:
            return None
        element = next(_children(element, name), None)
    return element


def _text(element: etree._Element | None, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _xsi_type(element: etree._Element) -> str:
    value = element.get("{http://www.w3.org/2001/XMLSchema-instance}type", "")
    return value.rsplit(":", 1)[-1]


def _publication(data: bytes, kind: str) -> etree._Element:
    try:
        root = safe_xml.parse(data)
    except (safe_xml.UnsafeXMLError, safe_xml.MalformedXMLError) as error:
        raise Datex2Error(str(error)) from error
    for element in root.iter("{*}payloadPublication"):
        if _xsi_type(element) == kind:
            return element
        raise Datex2Error(
            f"The document is a DATEX II {_xsi_type(element) or 'publication'}, not a {kind}; "
            "check the source's URL"
        )
    raise Datex2Error(f"The document has no DATEX II payloadPublication; expected a {kind}")


def vehicle_class(characteristics: etree._Element | None) -> str:
    """ "anyVehicle", a vehicle type such as "lorry", or length bounds like "length<5.6"."""
    if characteristics is None:
        return "anyVehicle"
    types = [(t.text or "").strip() for t in _children(characteristics, "vehicleType")]
    lengths = [
        f"length{OPERATORS.get(_text(c, 'comparisonOperator'), '?')}{_text(c, 'vehicleLength')}"
        for c in _children(characteristics, "lengthCharacteristic")
    ]
    return ",".join([t for t in types if t] + lengths) or "anyVehicle"


def _specs(record: etree._Element) -> dict[str, Spec]:
    specs = {}
    for outer in _children(record, "measurementSpecificCharacteristics"):
        inner = _child(outer, "measurementSpecificCharacteristics")
        if inner is None:
            continue
        period = _number(_text(inner, "period"))
        specs[outer.get("index", "")] = Spec(
            value_type=_text(inner, "specificMeasurementValueType"),
            lane=_text(inner, "specificLane") or ALL_LANES,
            vehicle_class=vehicle_class(_child(inner, "specificVehicleCharacteristics")),
            period=int(period) if period else None,
        )
    return specs


def _location(record: etree._Element) -> tuple[float | None, float | None]:
    location = _child(record, "measurementSiteLocation")
    if location is None:
        return None, None
    for name in ("locationForDisplay", "pointCoordinates"):
        for point in location.iter(f"{{*}}{name}"):
            lat, lon = _number(_text(point, "latitude")), _number(_text(point, "longitude"))
            if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
                return lat, lon
    return None, None


def parse_sites(data: bytes) -> dict[str, Site]:
    """The sites of a MeasurementSiteTablePublication by id."""
    publication = _publication(data, "MeasurementSiteTablePublication")
    sites: dict[str, Site] = {}
    for record in publication.iter("{*}measurementSiteRecord", "{*}measurementSite"):
        site_id = record.get("id", "").strip()
        if not site_id:
            continue
        name = _child(record, "measurementSiteName")
        lanes = _number(_text(record, "measurementSiteNumberOfLanes"))
        lat, lon = _location(record)
        sites[site_id] = Site(
            site_id=site_id,
            name=next((v.text.strip() for v in name.iter("{*}value") if v.text), "")
            if name is not None
            else "",
            lanes=int(lanes) if lanes is not None else None,
            direction=_text(record, "measurementSide"),
            lat=lat,
            lon=lon,
            specs=_specs(record),
        )
    return sites


@dataclass
class Measured:
    counts: list[Count] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_sites: set[str] = field(default_factory=set)
    publication_time: str = ""


def _time(text: str) -> datetime.datetime | None:
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.astimezone(datetime.UTC) if value.tzinfo else None


def _value(basic: etree._Element) -> tuple[str, float | None] | None:
    """(FLOW or SPEED, value) of a basicData, None for other kinds (weather, travel time)."""
    kind = _xsi_type(basic)
    if kind == "TrafficFlow" or _child(basic, "vehicleFlow") is not None:
        return FLOW, measured(_number(_text(basic, "vehicleFlow", "vehicleFlowRate")))
    if kind == "TrafficSpeed" or _child(basic, "averageVehicleSpeed") is not None:
        speed = _child(basic, "averageVehicleSpeed")
        if speed is not None and speed.get("numberOfInputValuesUsed") == "0":
            return SPEED, None
        return SPEED, measured(_number(_text(speed, "speed")))
    return None


def parse_measurements(
    data: bytes,
    sites: dict[str, Site],
    time_stamp: str = "start",
    period: int | None = None,
    timezone: str = "Europe/Prague",
) -> Measured:
    """The flow and speed counts of a MeasuredDataPublication, joined per site, interval,
    class and lane. ``time_stamp`` says whether measurementTimeDefault starts or ends the
    interval; ``period`` (seconds) is used where neither the site table nor the value gives
    one."""
    publication = _publication(data, "MeasuredDataPublication")
    result = Measured(publication_time=_text(publication, "publicationTime"))
    for block in _children(publication, "siteMeasurements"):
        reference = _child(block, "measurementSiteReference")
        site_id = (
            (reference.get("id") or reference.text or "").strip() if reference is not None else ""
        )
        default_time = _text(block, "measurementTimeDefault")
        at = _time(default_time)
        if not site_id or at is None:
            result.problems.append(
                Problem(
                    f"site {site_id or '(no id)'}",
                    f"measurementTimeDefault {default_time!r} is not a time with a UTC offset"
                    if site_id
                    else "siteMeasurements without measurementSiteReference; skipped",
                )
            )
            continue
        site = sites.get(site_id)
        if site is None:
            if period is None:
                result.problems.append(
                    Problem(
                        f"site {site_id}",
                        "is not in the measurement site table and the source configuration "
                        'gives no "period_seconds"; its values were skipped',
                    )
                )
                continue
            result.unknown_sites.add(site_id)
        for outer in _children(block, "measuredValue"):
            index = outer.get("index", "")
            basic = _child(outer, "measuredValue", "basicData")
            value = _value(basic) if basic is not None else None
            if value is None:
                continue
            spec = site.specs.get(index) if site else None
            seconds = (spec.period if spec else None) or period
            if seconds is None:
                result.problems.append(
                    Problem(
                        f"site {site_id}, index {index}",
                        "the site table gives this index no period and the source "
                        'configuration no "period_seconds"; value skipped',
                    )
                )
                continue
            span = datetime.timedelta(seconds=seconds)
            start, end = (at, at + span) if time_stamp == "start" else (at - span, at)
            kind, number = value
            count = Count(
                site_id=site_id,
                lane=spec.lane if spec else ALL_LANES,
                vehicle_class=spec.vehicle_class if spec else f"index {index}",
                start=start,
                end=end,
                flow=None,
                vehicles=None,
                speed=None,
            )
            if kind == FLOW:
                count.flow = number
                count.vehicles = None if number is None else number * seconds / 3600
            else:
                count.speed = number
            result.counts.append(count)
    result.counts = finish(result.counts, timezone)
    for site_id in sorted(result.unknown_sites):
        result.problems.append(
            Problem(
                f"site {site_id}",
                "is not in the measurement site table; its counts are kept by index "
                "(vehicle class and lane unknown) until the table describes it",
            )
        )
    return result
