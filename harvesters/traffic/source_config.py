"""The JSON configuration of a traffic-data source, validated with messages naming the key.

DATEX II (the measured data at the source's URL or "url", the site table at "sites_url")::

    {"format": "datex2", "sites_url": "https://example.org/measurement_site_table.xml",
     "time_stamp": "start", "period_seconds": 60, "timezone": "Europe/Prague",
     "dataset": {"name": "doprava-scitani", "title": "Sčítání dopravy", "is_sample_data": false}}

Counter CSV (layout in counter_csv.py), e.g. the Berlin detector export::

    {"format": "csv", "period_minutes": 60, "timezone": "Europe/Berlin",
     "columns": {"site_id": "detid_15", "date": "tag", "hour": "stunde"},
     "date_format": "%d.%m.%Y",
     "classes": {"anyVehicle": {"vehicles": "q_kfz_det_hr", "speed": "v_kfz_det_hr"},
                 "car": {"vehicles": "q_pkw_det_hr", "speed": "v_pkw_det_hr"},
                 "lorry": {"vehicles": "q_lkw_det_hr", "speed": "v_lkw_det_hr"}}}

The configuration is untrusted input: unknown keys, wrong types and out-of-range numbers are
refused. Which private hosts may be fetched is the administrator's setting, never a source's.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from ckanext.smartregion.harvesters import config_fields as fields
from ckanext.smartregion.harvesters.config_fields import SourceConfigError
from ckanext.smartregion.harvesters.metering.source_config import _dataset, _limits
from ckanext.smartregion.harvesters.traffic import indicator_feed
from ckanext.smartregion.harvesters.traffic.counter_csv import FIELDS
from ckanext.smartregion.terms_of_use import OPEN_TERMS

__all__ = ["SourceConfig", "SourceConfigError", "parse"]

KEYS = (
    "url",
    "format",
    "sites_url",
    "time_stamp",
    "period_seconds",
    "period_minutes",
    "timezone",
    "columns",
    "classes",
    "date_format",
    "dataset",
    "limits",
    "indicators",
)
FORMATS = ("datex2", "csv")
TIME_STAMPS = ("start", "end")
CLASS_NAME = re.compile(r"^[A-Za-z0-9_.<>=,-]{1,60}$")
EXAMPLE = '{"format": "datex2", "sites_url": "https://example.org/sites.xml"}'


@dataclass(frozen=True)
class SourceConfig:
    url: str | None = None
    format: str = "datex2"
    sites_url: str | None = None
    time_stamp: str = "start"
    period_seconds: int | None = None
    period_minutes: int = 15
    timezone: str = "Europe/Prague"
    columns: dict[str, str] = field(default_factory=dict)  # heading (casefolded) -> field
    classes: dict[str, dict[str, str]] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"
    dataset: dict[str, Any] = field(default_factory=dict)
    max_bad_share: float = 0.2
    batch_size: int = 10_000
    indicators: tuple[indicator_feed.Feed, ...] = ()

    @property
    def terms(self) -> dict[str, str]:
        return {**OPEN_TERMS, **self.dataset.get("terms", {})}


def _whole(raw: dict, key: str, low: int, high: int, default: int | None) -> int | None:
    value = raw.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SourceConfigError(
            f'"{key}" must be a whole number from {low} to {high}, not {value!r}'
        )
    return value


def _classes(value: Any) -> dict[str, dict[str, str]]:
    example = '{"anyVehicle": {"vehicles": "q_kfz_det_hr", "speed": "v_kfz_det_hr"}}'
    if not isinstance(value, dict) or len(value) > 20:
        raise SourceConfigError(
            f'"classes" must be an object of at most 20 classes, e.g. {example}'
        )
    for name, columns in value.items():
        if not CLASS_NAME.match(name):
            raise SourceConfigError(
                f'"classes": {name!r} is not a class name (letters, digits, _ . - up to 60)'
            )
        if (
            not isinstance(columns, dict)
            or not isinstance(columns.get("vehicles"), str)
            or not columns["vehicles"].strip()
            or sorted(set(columns) - {"vehicles", "speed"})
            or not all(isinstance(v, str) and v.strip() for v in columns.values())
        ):
            raise SourceConfigError(
                f'"classes.{name}" must name the file\'s vehicles column and optionally its '
                f'speed column, e.g. {{"vehicles": "q_kfz_det_hr", "speed": "v_kfz_det_hr"}}'
            )
    return value


def _date_format(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 40 or "%" not in value:
        raise SourceConfigError(
            f'"date_format" must be a strftime pattern like "%d.%m.%Y", not {value!r}'
        )
    try:
        datetime.date(2024, 1, 31).strftime(value)
    except ValueError as error:
        raise SourceConfigError(f'"date_format" {value!r} is not a valid pattern') from error
    return value


def parse(text: str | None) -> SourceConfig:
    raw = fields.json_object(text, KEYS, EXAMPLE)
    timezone = fields.time_zone(raw)
    sites_url = raw.get("sites_url")
    if sites_url is not None:
        try:
            fields.http_url(sites_url, "https://example.org/measurement_site_table.xml")
        except SourceConfigError as error:
            raise SourceConfigError(str(error).replace('"url"', '"sites_url"', 1)) from error
    source_format = fields.choice(raw, "format", FORMATS, "datex2")
    if source_format == "datex2" and sites_url is None:
        raise SourceConfigError(
            '"sites_url" is required for "format": "datex2": the address of the '
            "MeasurementSiteTablePublication that describes the sites"
        )
    share, batch = _limits(raw.get("limits", {}))
    return SourceConfig(
        url=fields.http_url(raw.get("url"), "https://example.org/measured_data.xml"),
        format=source_format,
        sites_url=sites_url,
        time_stamp=fields.choice(raw, "time_stamp", TIME_STAMPS, "start"),
        period_seconds=_whole(raw, "period_seconds", 1, 86_400, None),
        period_minutes=_whole(raw, "period_minutes", 1, 1440, 15) or 15,
        timezone=timezone,
        columns=fields.column_mapping(raw.get("columns", {}), FIELDS, '{"site_id": "detid_15"}'),
        classes=_classes(raw.get("classes", {})),
        date_format=_date_format(raw.get("date_format", "%Y-%m-%d")),
        dataset=_dataset(raw.get("dataset", {})),
        max_bad_share=share,
        batch_size=batch,
        indicators=indicator_feed.parse(raw.get("indicators", [])),
    )
