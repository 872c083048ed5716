"""The JSON configuration of a metering-series source, validated with clear messages.

Example::

    {"url": "https://ems.kraj-lbc.cz/export/odecty.csv", "format": "csv",
     "group_by": "building", "timezone": "Europe/Prague", "corrections": "report",
     "columns": {"meter_id": "Měřidlo", "timestamp": "Čas"},
     "dataset": {"name": "mereni-spotreby-budov-kraje", "title": "Měření spotřeby energií a vody",
                 "notes": "Čtvrthodinové odečty z energetického managementu kraje.",
                 "is_sample_data": false},
     "limits": {"max_bad_share": 0.2, "batch_size": 10000}}

The readings go into one DataStore table per building (or per meter group) of one dataset per
source. Which private hosts may be fetched is the portal administrator's setting
(ckanext.smartregion.harvest.allowed_hosts), never a source's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ckanext.smartregion.harvesters.config_fields import (
    SourceConfigError,
    choice,
    column_mapping,
    http_url,
    json_object,
    time_zone,
)
from ckanext.smartregion.terms_of_use import OPEN_TERMS

KEYS = ("url", "format", "group_by", "timezone", "corrections", "columns", "dataset", "limits")
FORMATS = ("auto", "csv", "json")
GROUP_BY = ("building", "meter_group")
CORRECTIONS = ("report", "apply")
TARGETS = ("meter_id", "building", "meter_group", "medium", "timestamp", "value", "unit")
DATASET_KEYS = (
    "name",
    "title",
    "notes",
    "is_sample_data",
    "frequency",
    "themes",
    "activity_area",
    "terms",
    "contact_name",
    "contact_email",
)
DEFAULT_MAX_BAD_SHARE = 0.2
DEFAULT_BATCH_SIZE = 10_000
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


@dataclass(frozen=True)
class SourceConfig:
    url: str | None = None
    format: str = "auto"
    group_by: str = "building"
    timezone: str = "Europe/Prague"
    corrections: str = "report"
    columns: dict[str, str] = field(default_factory=dict)  # heading (casefolded) → target
    dataset: dict[str, Any] = field(default_factory=dict)
    max_bad_share: float = DEFAULT_MAX_BAD_SHARE
    batch_size: int = DEFAULT_BATCH_SIZE

    @property
    def terms(self) -> dict[str, str]:
        return {**OPEN_TERMS, **self.dataset.get("terms", {})}


def _dataset(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SourceConfigError('"dataset" must be an object, e.g. {"title": "Měření spotřeby"}')
    unknown = sorted(set(value) - set(DATASET_KEYS))
    if unknown:
        raise SourceConfigError(
            f'Unknown key(s) in "dataset": {", ".join(unknown)}; known: {", ".join(DATASET_KEYS)}'
        )
    name = value.get("name")
    if name is not None and (not isinstance(name, str) or not NAME.match(name)):
        raise SourceConfigError(
            '"dataset.name" must be 2–100 lowercase letters, digits, - or _ '
            f'(e.g. "mereni-spotreby-budov"), not {name!r}'
        )
    for key in ("title", "notes", "frequency", "activity_area", "contact_name", "contact_email"):
        if key in value and (not isinstance(value[key], str) or not value[key].strip()):
            raise SourceConfigError(f'"dataset.{key}" must be a non-empty text')
    if "is_sample_data" in value and not isinstance(value["is_sample_data"], bool):
        raise SourceConfigError('"dataset.is_sample_data" must be true or false')
    themes = value.get("themes", ["ENER"])
    if not isinstance(themes, list) or not themes or not all(isinstance(t, str) for t in themes):
        raise SourceConfigError('"dataset.themes" must be a list of EU data themes, e.g. ["ENER"]')
    terms = value.get("terms", {})
    if not isinstance(terms, dict) or sorted(set(terms) - set(OPEN_TERMS)):
        raise SourceConfigError(
            f'"dataset.terms" may set only {", ".join(OPEN_TERMS)} (the DCAT-AP-CZ terms of use)'
        )
    return value


def _limits(value: Any) -> tuple[float, int]:
    if not isinstance(value, dict) or sorted(set(value) - {"max_bad_share", "batch_size"}):
        raise SourceConfigError(
            '"limits" must be an object with max_bad_share and/or batch_size, e.g. '
            '{"max_bad_share": 0.2, "batch_size": 10000}'
        )
    share = value.get("max_bad_share", DEFAULT_MAX_BAD_SHARE)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise SourceConfigError(
            '"limits.max_bad_share" must be a fraction from 0 to 1 (e.g. 0.2: a file with more '
            f"than a fifth of bad rows is refused whole), not {share!r}"
        )
    batch = value.get("batch_size", DEFAULT_BATCH_SIZE)
    if isinstance(batch, bool) or not isinstance(batch, int) or not 100 <= batch <= 100_000:
        raise SourceConfigError(
            f'"limits.batch_size" must be a whole number from 100 to 100000, not {batch!r}'
        )
    return float(share), batch


def parse(text: str | None) -> SourceConfig:
    raw = json_object(text, KEYS)
    url = http_url(raw.get("url"), "https://ems.cz/odecty.csv")
    timezone = time_zone(raw)
    columns = column_mapping(raw.get("columns", {}), TARGETS, '{"meter_id": "Měřidlo"}')
    share, batch = _limits(raw.get("limits", {}))
    return SourceConfig(
        url=url,
        format=choice(raw, "format", FORMATS, "auto"),
        group_by=choice(raw, "group_by", GROUP_BY, "building"),
        timezone=timezone,
        corrections=choice(raw, "corrections", CORRECTIONS, "report"),
        columns=columns,
        dataset=_dataset(raw.get("dataset", {})),
        max_bad_share=share,
        batch_size=batch,
    )
