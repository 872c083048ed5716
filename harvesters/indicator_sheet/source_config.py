"""The JSON configuration of an indicator-sheet source, validated with clear messages.

Example::

    {"url": "https://kraj-lbc.cz/ukazatele/hodnoty.xlsx", "format": "xlsx", "sheet": "Hodnoty",
     "columns": {"code": "Kód ukazatele", "period": "Rok", "value": "Hodnota"}}

Every key is optional: the URL defaults to the source's URL, the format is recognised from
the content, and columns are found by their usual Czech or English names (kód/code,
období/period, hodnota/value, členění/dimension, kategorie/category, poznámka/note,
zdroj/source, ukázka/sample); "columns" names the sheet's own headings where they differ.
Which private hosts may be fetched is the portal administrator's setting
(ckanext.smartregion.harvest.allowed_hosts), never a source's: a source editor cannot open
the internal network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

FORMATS = ("auto", "csv", "xlsx")
TARGETS = ("code", "period", "value", "dimension", "category", "note", "source", "sample")
KEYS = ("url", "format", "sheet", "columns")
CODE_ALIASES = (
    "kód",
    "kod",
    "code",
    "kód ukazatele",
    "kod ukazatele",
    "indicator",
    "indicator_code",
    "indicator code",
    "ukazatel",
)


class SourceConfigError(ValueError):
    """The source configuration is wrong; the message names the key and the fix."""


@dataclass(frozen=True)
class SourceConfig:
    url: str | None = None
    format: str = "auto"
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # sheet heading → target


def parse(text: str | None) -> SourceConfig:
    try:
        raw: Any = json.loads(text or "{}")
    except ValueError as error:
        raise SourceConfigError(f"The configuration is not valid JSON: {error}") from error
    if not isinstance(raw, dict):
        raise SourceConfigError('The configuration must be a JSON object, e.g. {"format": "csv"}')
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise SourceConfigError(
            f"Unknown key(s) {', '.join(unknown)}; known keys: {', '.join(KEYS)}"
        )
    url = raw.get("url")
    if url is not None and (
        not isinstance(url, str)
        or urlsplit(url).scheme not in ("http", "https")
        or not urlsplit(url).netloc
    ):
        raise SourceConfigError(
            f'"url" must be an http(s) address such as "https://kraj.cz/hodnoty.csv", not {url!r}'
        )
    declared = raw.get("format", "auto")
    if declared not in FORMATS:
        raise SourceConfigError(f'"format" must be one of {", ".join(FORMATS)}, not {declared!r}')
    sheet = raw.get("sheet")
    if sheet is not None and (not isinstance(sheet, str) or not sheet.strip()):
        raise SourceConfigError('"sheet" must be the name of the XLSX sheet, e.g. "Hodnoty"')
    columns = raw.get("columns", {})
    if not isinstance(columns, dict) or not all(
        isinstance(v, str) and v.strip() for v in columns.values()
    ):
        raise SourceConfigError(
            '"columns" must map a field to the sheet\'s heading, e.g. {"code": "Kód ukazatele"}'
        )
    wrong = sorted(set(columns) - set(TARGETS))
    if wrong:
        raise SourceConfigError(
            f'Unknown field(s) in "columns": {", ".join(wrong)}; known: {", ".join(TARGETS)}'
        )
    return SourceConfig(
        url=url,
        format=declared,
        sheet=sheet.strip() if sheet else None,
        columns={heading.strip().casefold(): target for target, heading in columns.items()},
    )
