"""The first rows of a CSV or XLSX file and a summary of a GeoJSON file, for previews that
render as plain, accessible HTML tables (no DataStore table needed).

CSV: the encoding is UTF-8 (with or without BOM) or, failing that, Windows-1250, the two
found in Czech data; the delimiter is sniffed among , ; tab and |. XLSX: the first sheet,
read with openpyxl in read-only mode."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
TABLE_FORMATS = frozenset({"csv", "text/csv", "xlsx", "tsv"})
XLSX_MAGIC = b"PK\x03\x04"


class PreviewError(Exception):
    """The file cannot be previewed; the message says why (shown to the visitor)."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    truncated: bool
    encoding: str = ""
    delimiter: str = ""
    sheets: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """The text of data and the encoding it was read with (utf-8-sig, utf-8 or cp1250)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        # A sample cut inside a multi-byte character is still UTF-8.
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return data[: error.start].decode("utf-8"), "utf-8"
    return data.decode("cp1250", errors="replace"), "cp1250"


def _delimiter(text: str, format_: str) -> str:
    if format_ == "tsv":
        return "\t"
    sample = "\n".join(text[:SNIFF_BYTES].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(DELIMITERS, key=first.count) if first else ","


def read_csv(data: bytes, max_rows: int, format_: str = "csv", complete: bool = True) -> Table:
    """complete=False: data is the head of a longer file; its last, cut line is dropped."""
    if not complete:
        data = data[: data.rfind(b"\n") + 1] or data
    text, encoding = decode(data)
    if not text.strip():
        raise PreviewError("The file is empty.")
    delimiter = _delimiter(text, format_)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        rows: list[list[str]] = []
        for row in reader:
            if len(rows) == max_rows:
                return Table(header, rows, True, encoding, delimiter)
            rows.append(row)
    except csv.Error as error:
        raise PreviewError(
            f"The CSV file cannot be read at line {reader.line_num}: {error}"
        ) from error
    return Table(header, rows, not complete, encoding, delimiter)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes, max_rows: int) -> Table:
    from openpyxl import load_workbook

    if not data.startswith(XLSX_MAGIC):
        raise PreviewError("The file is not an XLSX workbook (only .xlsx can be previewed).")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise PreviewError(f"The XLSX workbook cannot be read: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [_cell(v) for v in next(values, ())]
        rows: list[list[str]] = []
        truncated = False
        for row in values:
            if len(rows) == max_rows:
                truncated = True
                break
            rows.append([_cell(v) for v in row])
        return Table(header, rows, truncated, sheets=workbook.sheetnames)
    finally:
        workbook.close()


def read_table(data: bytes, format_: str, max_rows: int, complete: bool = True) -> Table:
    format_ = (format_ or "").lower()
    if format_ == "xlsx" or data.startswith(XLSX_MAGIC):
        if not complete:
            raise PreviewError("The workbook is over the preview's size limit.")
        return read_xlsx(data, max_rows)
    return read_csv(data, max_rows, format_, complete)


@dataclass
class GeoSummary:
    feature_count: int
    geometry_types: dict[str, int]
    columns: list[str]
    rows: list[list[str]]
    truncated: bool


def summarize_geojson(data: bytes, max_rows: int) -> GeoSummary:
    """The features of a GeoJSON document: count, geometry types and a properties table."""
    try:
        document = json.loads(decode(data)[0])
    except ValueError as error:
        raise PreviewError(f"The file is not valid JSON: {error}") from error
    if not isinstance(document, dict):
        raise PreviewError("The file is not a GeoJSON object.")
    if document.get("type") == "FeatureCollection":
        features = document.get("features") or []
    elif document.get("type") == "Feature":
        features = [document]
    else:
        features = [{"type": "Feature", "geometry": document, "properties": {}}]
    kinds: dict[str, int] = {}
    columns: list[str] = []
    for feature in features:
        kind = ((feature or {}).get("geometry") or {}).get("type") or "—"
        kinds[kind] = kinds.get(kind, 0) + 1
        for key in (feature or {}).get("properties") or {}:
            if key not in columns:
                columns.append(key)
    rows = []
    for feature in features[:max_rows]:
        properties = (feature or {}).get("properties") or {}
        rows.append([_property(properties.get(c)) for c in columns])
    return GeoSummary(len(features), kinds, columns, rows, len(features) > max_rows)


def _property(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return _cell(value)
