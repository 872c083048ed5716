"""An indicator's values: one DataStore table per indicator, written all-or-nothing.

Columns: period (2024, 2024-03, 2024-Q1 or 2024-H1), value, dimension and category of an
optional breakdown (e.g. okres / Liberec; empty for the total), note, source, sample. An
upload (CSV, XLSX or JSON records) is checked row by row first; any bad row refuses the whole
upload with the row number and the reason, and the DataStore is written in one upsert call
(one transaction), keyed by period, dimension and category, so a re-upload corrects values
instead of duplicating them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.smartregion.indicators.progress import period_to_year
from ckanext.smartregion.sheet_limits import (
    SheetLimits,
    SheetTooBig,
    limited,
    open_xlsx,
    xlsx_rows,
)

VALUES_RESOURCE_TYPE = "smartregion_indicator_values"
FIELDS = [
    {"id": "period", "type": "text"},
    {"id": "value", "type": "numeric"},
    {"id": "dimension", "type": "text"},
    {"id": "category", "type": "text"},
    {"id": "note", "type": "text"},
    {"id": "source", "type": "text"},
    {"id": "sample", "type": "bool"},
]
PRIMARY_KEY = ["period", "dimension", "category"]
COLUMN_ALIASES = {
    "period": "period",
    "obdobi": "period",
    "období": "period",
    "rok": "period",
    "year": "period",
    "value": "value",
    "hodnota": "value",
    "dimension": "dimension",
    "dimenze": "dimension",
    "členění": "dimension",
    "cleneni": "dimension",
    "category": "category",
    "kategorie": "category",
    "note": "note",
    "poznámka": "note",
    "poznamka": "note",
    "source": "source",
    "zdroj": "source",
    "sample": "sample",
    "ukázka": "sample",
    "ukazka": "sample",
}
TRUE_WORDS = {"1", "true", "yes", "ano", "a", "y"}
FALSE_WORDS = {"", "0", "false", "no", "ne", "n"}


def _version_key() -> str:
    return f"{tk.config['ckan.site_id']}:smartregion:indicator-values-version"


def version() -> int:
    """A counter raised by every write of values (what cached renderings depend on)."""
    return int(connect_to_redis().get(_version_key()) or 0)


def _changed() -> None:
    connect_to_redis().incr(_version_key())


class ValuesError(tk.ValidationError):
    """An upload was refused; error_dict["rows"] lists "Row N: reason" messages."""


def _number(text: Any) -> float:
    if isinstance(text, int | float):
        return float(text)
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return float(cleaned)


def normalise_rows(
    rows: Iterable[dict[str, Any]], sample_default: bool, first_row: int = 2
) -> list[dict[str, Any]]:
    """Checks and converts uploaded rows; raises ValuesError naming every bad row.

    A column that is not one of the known ones is a breakdown: its name is the dimension and
    the cell the category (so a sheet with a column "okres" needs no dimension column)."""
    problems: list[str] = []
    records: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}
    for number, raw in enumerate(rows, start=first_row):
        row = {k.strip(): v for k, v in raw.items() if k is not None and str(k).strip()}
        if not any(str(v).strip() for v in row.values() if v is not None):
            continue  # blank line
        record: dict[str, Any] = {
            "dimension": "",
            "category": "",
            "note": "",
            "source": "",
            "sample": sample_default,
        }
        breakdowns = []
        for column, cell in row.items():
            name = COLUMN_ALIASES.get(column.lower())
            text = "" if cell is None else str(cell).strip()
            if name is None:
                if text:
                    breakdowns.append((column, text))
            elif name == "sample":
                if text.lower() not in TRUE_WORDS | FALSE_WORDS:
                    problems.append(f"Row {number}: sample must be ano/ne (yes/no), not {text!r}")
                record["sample"] = text.lower() in TRUE_WORDS if text else sample_default
            else:
                record[name] = cell if name == "value" else text
        if breakdowns:
            if len(breakdowns) > 1 or record["dimension"]:
                problems.append(
                    f"Row {number}: give one breakdown per row "
                    f"(found {', '.join(c for c, _ in breakdowns)})"
                )
            else:
                record["dimension"], record["category"] = breakdowns[0]
        period = str(record.get("period", "")).strip()
        if period.endswith(".0"):  # a year typed as a number in a spreadsheet
            period = period[:-2]
        record["period"] = period
        if not period:
            problems.append(
                f"Row {number}: the period is missing; write e.g. 2024, 2024-03, 2024-Q1"
            )
        elif period_to_year(period) is None:
            problems.append(
                f"Row {number}: period {period!r} is not a year (2024), month (2024-03), "
                "quarter (2024-Q1) or half-year (2024-H1)"
            )
        value = record.get("value")
        if value is None or str(value).strip() == "":
            problems.append(f"Row {number}: the value is missing")
        else:
            try:
                record["value"] = _number(value)
            except ValueError:
                problems.append(f"Row {number}: value {value!r} is not a number")
        if record["dimension"] and not record["category"]:
            problems.append(f"Row {number}: breakdown {record['dimension']!r} has no category")
        key = (record["period"], record["dimension"], record["category"])
        if key in seen:
            problems.append(f"Row {number}: the same period and breakdown as row {seen[key]}")
        seen[key] = number
        records.append(record)
    if problems:
        raise ValuesError({"rows": problems})
    if not records:
        raise ValuesError({"rows": ["The upload has no rows with values"]})
    return records


def read_csv(data: bytes, limits: SheetLimits | None = None) -> list[dict[str, Any]]:
    limits = limits or SheetLimits.from_config()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValuesError(
            {"upload": [f"The CSV is not UTF-8 (byte {error.start}); save it as CSV UTF-8"]}
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = limited(csv.reader(io.StringIO(text), delimiter=delimiter), limits)
    return _with_header(rows)


def read_xlsx(data: bytes, limits: SheetLimits | None = None) -> list[dict[str, Any]]:
    """The first sheet's rows, read within the limits (sheet_limits.py): a 4 MB sheet of
    200,000 rows took 300 MB when it was read whole."""
    limits = limits or SheetLimits.from_config()
    try:
        sheet = open_xlsx(data, limits).worksheets[0]
    except SheetTooBig as error:
        raise ValuesError({"upload": [str(error)]}) from error
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ValuesError(
            {"upload": [f"The file is not a readable XLSX workbook: {error}"]}
        ) from error
    return _with_header(xlsx_rows(sheet, limits))


def _with_header(rows: Iterator[Any]) -> list[dict[str, Any]]:
    """Rows as {heading: cell}, the first row giving the headings."""
    try:
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, [])]
        return [dict(zip(header, row, strict=False)) for row in rows]
    except SheetTooBig as error:
        raise ValuesError({"upload": [str(error)]}) from error


def read_upload(
    filename: str, data: bytes, limits: SheetLimits | None = None
) -> list[dict[str, Any]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data, limits)
    if filename.lower().endswith((".csv", ".txt")):
        return read_csv(data, limits)
    raise ValuesError({"upload": [f"{filename}: upload a .csv or .xlsx file"]})


def values_resource(indicator: dict[str, Any]) -> dict[str, Any] | None:
    return next(
        (
            r
            for r in indicator.get("resources", [])
            if r.get("resource_type") == VALUES_RESOURCE_TYPE
        ),
        None,
    )


def write(
    context: dict[str, Any], indicator: dict[str, Any], records: list[dict[str, Any]]
) -> dict[str, Any]:
    """Writes checked records into the indicator's table (created on first use); one call."""
    resource = values_resource(indicator)
    if resource is None:
        new_resource = {
            "package_id": indicator["id"],
            "name": "Hodnoty ukazatele",
            "description": "Časová řada hodnot ukazatele (období, hodnota, členění).",
            "format": "CSV",
            "resource_type": VALUES_RESOURCE_TYPE,
        }
        result = tk.get_action("datastore_create")(
            context,
            {
                "resource": new_resource,
                "fields": FIELDS,
                "primary_key": PRIMARY_KEY,
                "records": records,
                "force": True,
            },
        )
        _changed()
        return {"resource_id": result["resource_id"], "rows": len(records)}
    tk.get_action("datastore_upsert")(
        context,
        {"resource_id": resource["id"], "records": records, "method": "upsert", "force": True},
    )
    _changed()  # after the write: a reader that sees the new counter sees the new rows
    return {"resource_id": resource["id"], "rows": len(records)}


def read(indicator: dict[str, Any], context: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """All rows of the indicator's series, ordered by period (empty if it has none)."""
    resource = values_resource(indicator)
    if resource is None or not resource.get("datastore_active"):
        return []
    result = tk.get_action("datastore_search")(
        context or {"ignore_auth": True},
        {"resource_id": resource["id"], "limit": 32000, "sort": "period, dimension, category"},
    )
    return [{k: v for k, v in row.items() if k != "_id"} for row in result["records"]]


def read_many(
    indicators: list[dict[str, Any]], batch: int = 100
) -> dict[str, list[dict[str, Any]]]:
    """Rows of many indicators' series, by indicator id: one datastore_search_sql per batch of
    tables (UNION ALL) instead of one call per table; a batch the DataStore would truncate
    (ckan.datastore.search.rows_max) is split in two."""
    tables = {}
    for indicator in indicators:
        resource = values_resource(indicator)
        if resource and resource.get("datastore_active"):
            tables[resource["id"]] = indicator["id"]
    found: dict[str, list[dict[str, Any]]] = {indicator["id"]: [] for indicator in indicators}
    pending = [list(tables)[i : i + batch] for i in range(0, len(tables), batch)]
    columns = ", ".join(f'"{field["id"]}"' for field in FIELDS)
    while pending:
        chunk = pending.pop()
        sql = " UNION ALL ".join(
            f"SELECT '{rid}' AS resource_id, {columns} FROM \"{rid}\"" for rid in chunk
        )
        result = tk.get_action("datastore_search_sql")({"ignore_auth": True}, {"sql": sql})
        if result.get("records_truncated") and len(chunk) > 1:
            pending += [chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]]
            continue
        for row in result["records"]:
            found[tables[row.pop("resource_id")]].append(row)
    for rows in found.values():
        rows.sort(key=lambda r: (r["period"], r["dimension"], r["category"]))
    return found
