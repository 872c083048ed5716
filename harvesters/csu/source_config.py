"""The JSON configuration of a ČSÚ source: one ČSÚ dataset and filter → one of our indicators.

Example (dataset 130141, population movement, "Střední stav obyvatel" for every kraj)::

    {"dataset": "130141r21", "indicator": "stredni-stav-obyvatel",
     "url": "https://www.czso.cz/documents/.../130141-21data2020.csv",
     "schema_url": "https://www.czso.cz/documents/.../130141-21schema2020.json",
     "filter": {"vuk": "DEM0004"}}

``dataset`` (ČSÚ's code, shown on the indicator page with the link) and ``indicator`` (the
name of our indicator) are required; ``url`` defaults to the source's URL; ``filter`` keeps
the rows whose columns hold exactly these values ("" keeps rows where the column is empty,
which is how ČSÚ writes a total over that breakdown); ``period_column`` names the column the
period comes from (default: ``rok``, else the end of the reference period) and
``period_kind`` whether it is a year or a month; ``include_total`` adds the Czech Republic's
row as its own category. The configuration comes from any editor of a source: every value is
checked and a wrong one is named with its fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ckanext.smartregion.harvesters.config_fields import (
    SourceConfigError,
    choice,
    http_url,
    json_object,
)

KEYS = (
    "url",
    "schema_url",
    "dataset",
    "indicator",
    "filter",
    "period_column",
    "period_kind",
    "include_total",
)
PERIOD_KINDS = ("year", "month")
DATASET = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,39}$")
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")
COLUMN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FILTERS = 12
MAX_VALUE = 200


@dataclass(frozen=True)
class SourceConfig:
    dataset: str
    indicator: str
    url: str | None = None
    schema_url: str | None = None
    filter: dict[str, str] = field(default_factory=dict)
    period_column: str | None = None
    period_kind: str = "year"
    include_total: bool = True


def parse(text: str | None) -> SourceConfig:
    raw = json_object(text, KEYS, '{"dataset": "130141r21", "indicator": "stredni-stav"}')
    dataset = raw.get("dataset")
    if not isinstance(dataset, str) or not DATASET.match(dataset):
        raise SourceConfigError(
            '"dataset" must be the ČSÚ dataset code as ČSÚ writes it, e.g. "130141r21" '
            f"(letters, digits, . _ -), not {dataset!r}"
        )
    indicator = raw.get("indicator")
    if not isinstance(indicator, str) or not NAME.match(indicator):
        raise SourceConfigError(
            '"indicator" must be the name (URL part) of one of our indicators, e.g. '
            f'"stredni-stav-obyvatel", not {indicator!r}'
        )
    filters = raw.get("filter", {})
    if not isinstance(filters, dict) or len(filters) > MAX_FILTERS:
        raise SourceConfigError(
            f'"filter" must map at most {MAX_FILTERS} column names to values, e.g. '
            '{"stapro_kod": "2406", "pohlavi_kod": ""}'
        )
    for column, value in filters.items():
        if not COLUMN.match(column):
            raise SourceConfigError(
                f'"filter": {column!r} is not a ČSÚ column name (lower case, digits, _), '
                'e.g. "stapro_kod"'
            )
        if not isinstance(value, str | int) or len(str(value)) > MAX_VALUE:
            raise SourceConfigError(
                f'"filter": the value of {column!r} must be a text (up to {MAX_VALUE} '
                'characters; "" for the total), e.g. "2406"'
            )
    period_column = raw.get("period_column")
    if period_column is not None and (
        not isinstance(period_column, str) or not COLUMN.match(period_column)
    ):
        raise SourceConfigError(
            f'"period_column" must be a column name such as "rok" or "casref_do", not '
            f"{period_column!r}"
        )
    include_total = raw.get("include_total", True)
    if not isinstance(include_total, bool):
        raise SourceConfigError('"include_total" must be true or false')
    return SourceConfig(
        dataset=dataset,
        indicator=indicator,
        url=http_url(raw.get("url"), "https://www.czso.cz/documents/.../data.csv"),
        schema_url=http_url(raw.get("schema_url"), "https://www.czso.cz/documents/.../schema.json"),
        filter={column: str(value).strip() for column, value in filters.items()},
        period_column=period_column,
        period_kind=choice(raw, "period_kind", PERIOD_KINDS, "year"),
        include_total=include_total,
    )
