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

from dataclasses import dataclass, field

from ckanext.smartregion.harvesters.config_fields import (
    SourceConfigError,
    choice,
    column_mapping,
    http_url,
    json_object,
)

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


@dataclass(frozen=True)
class SourceConfig:
    url: str | None = None
    format: str = "auto"
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # sheet heading → target


def parse(text: str | None) -> SourceConfig:
    raw = json_object(text, KEYS)
    url = http_url(raw.get("url"), "https://kraj.cz/hodnoty.csv")
    declared = choice(raw, "format", FORMATS, "auto")
    sheet = raw.get("sheet")
    if sheet is not None and (not isinstance(sheet, str) or not sheet.strip()):
        raise SourceConfigError('"sheet" must be the name of the XLSX sheet, e.g. "Hodnoty"')
    return SourceConfig(
        url=url,
        format=declared,
        sheet=sheet.strip() if sheet else None,
        columns=column_mapping(
            raw.get("columns", {}), TARGETS, '{"code": "Kód ukazatele"}', where="sheet"
        ),
    )
