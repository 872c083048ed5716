"""A data file published at a URL (CSV, XLSX or JSON): fetched safely, recognised, read as rows.

Fetching goes through http.py (timeouts, retries, size cap, no private addresses unless
allow-listed). Rows are numbered as a person sees them in a spreadsheet: the header is row 1,
the first data row is row 2 (for JSON, the first record is row 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ckanext.smartregion import sheet_limits
from ckanext.smartregion.harvesters.http import Fetcher
from ckanext.smartregion.sheet_limits import SheetLimits, SheetTooBig

FORMATS = ("csv", "xlsx", "json")
JSON_RECORD_KEYS = ("records", "readings", "data", "items", "values")


class SheetError(ValueError):
    """The file cannot be read as a whole; the message says why and what to do."""


@dataclass(frozen=True)
class Sheet:
    url: str
    data: bytes
    format: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def fetch(url: str, declared_format: str = "auto", fetcher: Fetcher | None = None) -> Sheet:
    """The file at url; FetchError when it cannot be fetched, SheetError when its format is
    neither the declared one nor recognisable."""
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        data = fetcher.get(url)
    finally:
        if own:
            fetcher.close()
    return Sheet(url, data, detect_format(data, declared_format, url))


def detect_format(data: bytes, declared: str, url: str = "") -> str:
    """csv, xlsx or json: the declared format, checked against the content, or (auto) the
    format the content has."""
    if not data.strip():
        raise SheetError(f"{url or 'The file'} is empty")
    looks_xlsx = data[:4] == b"PK\x03\x04"
    looks_json = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")
    sniffed = "xlsx" if looks_xlsx else "json" if looks_json else "csv"
    if declared in (None, "", "auto"):
        return sniffed
    if declared not in FORMATS:
        raise SheetError(f"format must be one of auto, {', '.join(FORMATS)}, not {declared!r}")
    if (declared == "xlsx") != looks_xlsx or (declared == "json" and not looks_json):
        raise SheetError(
            f"{url or 'The file'} was declared as {declared.upper()} but looks like "
            f'{sniffed.upper()}; fix the file or set "format" to "{sniffed}" or "auto"'
        )
    return declared


def csv_rows(data: bytes) -> tuple[list[str], Iterator[list[str]]]:
    """The header and an iterator of the data rows of a UTF-8 CSV (comma, semicolon or tab
    separated). Decodes as it reads, so a 60 MB file is not held a second and third time as
    text (a million rows do not become a million dicts at once either)."""
    first_line = data[: data.find(b"\n") if b"\n" in data else len(data)]
    try:
        header_text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError(
            f"The CSV is not UTF-8 (byte {error.start}); save it as CSV UTF-8"
        ) from error
    delimiter = max((",", ";", "\t"), key=header_text.count)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except UnicodeDecodeError as error:  # the decoder reads ahead of the first line
        message = "The CSV is not UTF-8 (in its first rows); save it as CSV UTF-8"
        raise SheetError(message) from error
    if not any(header):
        raise SheetError("The CSV has no header row; the first row must name the columns")

    def rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except UnicodeDecodeError as error:
            raise SheetError(
                f"The CSV is not UTF-8 (after row {reader.line_num}); save it as CSV UTF-8"
            ) from error

    return header, rows()


def xlsx_rows(
    data: bytes, sheet_name: str | None = None, limits: SheetLimits | None = None
) -> tuple[list[str], Iterator[tuple]]:
    """The header and data rows of one sheet of an XLSX workbook (the first if unnamed),
    read within the limits (sheet_limits.py; by default the cell and unpacked-size limits)."""
    limits = limits or SheetLimits.from_config(rows=False)
    try:
        workbook = sheet_limits.open_xlsx(data, limits)
    except SheetTooBig as error:
        raise SheetError(str(error)) from error
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SheetError(f"The file is not a readable XLSX workbook: {error}") from error
    if sheet_name:
        if sheet_name not in workbook.sheetnames:
            raise SheetError(
                f'The workbook has no sheet "{sheet_name}"; its sheets are '
                f'{", ".join(workbook.sheetnames)}. Fix "sheet" in the source configuration.'
            )
        sheet = workbook[sheet_name]
    else:
        sheet = workbook.worksheets[0]
    rows = _sheet_errors(sheet_limits.xlsx_rows(sheet, limits))
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    if not any(header):
        raise SheetError("The sheet has no header row; the first row must name the columns")
    return header, rows


def _sheet_errors(rows: Iterator[Any]) -> Iterator[Any]:
    """rows, a limit reached while reading them raised as the SheetError callers expect."""
    try:
        yield from rows
    except SheetTooBig as error:
        raise SheetError(str(error)) from error


def json_records(data: bytes) -> list[dict[str, Any]]:
    """The records of a JSON file: a list of objects, or an object holding one under
    records, readings, data, items or values."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise SheetError(f"The file is not valid UTF-8 JSON: {error}") from error
    if isinstance(document, dict):
        key = next((k for k in JSON_RECORD_KEYS if isinstance(document.get(k), list)), None)
        if key is None:
            raise SheetError(
                "The JSON must be a list of records or an object with a list under one of "
                f"{', '.join(JSON_RECORD_KEYS)}"
            )
        document = document[key]
    if not isinstance(document, list):
        raise SheetError("The JSON must be a list of records")
    return document


def dict_rows(
    sheet: Sheet, sheet_name: str | None = None, limits: SheetLimits | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column: cell}) of any of the three formats, numbered as the user sees
    them (header = row 1 in CSV and XLSX; first record = row 1 in JSON). An XLSX is always
    read within limits (by default those of cells and unpacked size), a CSV only if given."""
    if sheet.format == "json":
        for number, record in enumerate(json_records(sheet.data), start=1):
            yield number, record if isinstance(record, dict) else {"": record}
        return
    if sheet.format == "xlsx":
        header, rows = xlsx_rows(sheet.data, sheet_name, limits)
    else:
        header, rows = csv_rows(sheet.data)
        if limits is not None:  # the header was row 1
            rows = _sheet_errors(sheet_limits.limited(rows, limits, first=2))
    for number, row in enumerate(rows, start=2):
        yield number, dict(zip(header, row, strict=False))
