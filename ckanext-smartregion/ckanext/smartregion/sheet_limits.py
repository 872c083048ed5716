"""Reading uploaded and harvested sheets within limits, so that a small file cannot take the
server's memory: an XLSX (a zip) is refused before it is opened when its parts unpack to more
than the limit (a zip bomb), is read row by row (openpyxl read-only) ignoring the size its
sheet claims (a forged dimension XFD1048576 made every row 16,384 cells), and reading stops
at the row and cell limits with an error that names the limit and the fix."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

MB = 1024 * 1024


class SheetTooBig(ValueError):
    """The sheet exceeds a limit; the message names it and what to do."""


@dataclass(frozen=True)
class SheetLimits:
    max_rows: int | None  # None: as many as the cell limit allows (e.g. a metering table)
    max_cells: int
    max_uncompressed_bytes: int

    @classmethod
    def from_config(cls, rows: bool = True) -> SheetLimits:
        """The configured limits; rows=False leaves the number of rows to the cell limit."""
        return cls(
            max_rows=tk.config["ckanext.smartregion.sheet.max_rows"] if rows else None,
            max_cells=tk.config["ckanext.smartregion.sheet.max_cells"],
            max_uncompressed_bytes=tk.config["ckanext.smartregion.sheet.max_uncompressed_mb"] * MB,
        )


def check_xlsx_archive(data: bytes, limits: SheetLimits) -> None:
    """Refuses an XLSX whose parts unpack to more than the limit, from the sizes its zip
    directory declares (Python's zipfile never unpacks more than the declared size of a part,
    so a lying directory cannot get past this). A file that is no zip is left to openpyxl."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return
    if unpacked > limits.max_uncompressed_bytes:
        raise SheetTooBig(
            tk._(
                "The workbook unpacks to {0:,} MB, more than the {1:,} MB allowed "
                "(ckanext.smartregion.sheet.max_uncompressed_mb); remove other sheets, "
                "formatting and images, or save the values as CSV"
            ).format(unpacked // MB, limits.max_uncompressed_bytes // MB)
        )


def open_xlsx(data: bytes, limits: SheetLimits) -> Any:
    """The workbook, read-only; SheetTooBig for a zip bomb, the reader's own error for a
    file that is not a workbook."""
    from openpyxl import load_workbook

    check_xlsx_archive(data, limits)
    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def xlsx_rows(sheet: Any, limits: SheetLimits) -> Iterator[tuple]:
    """The rows of a read-only worksheet (the header first), each as long as its cells, not
    as wide as the sheet claims to be; SheetTooBig past the row or cell limit."""
    sheet.reset_dimensions()
    return limited(sheet.iter_rows(values_only=True), limits)


def limited(rows: Iterable[Any], limits: SheetLimits, first: int = 1) -> Iterator[Any]:
    """rows, the first being row number first (1: the header), stopping with SheetTooBig
    past the row or cell limit."""
    cells = 0
    for number, row in enumerate(rows, start=first):
        if limits.max_rows is not None and number > limits.max_rows:
            raise SheetTooBig(
                tk._(
                    "The sheet has more than {0:,} rows, the most one upload may have "
                    "(ckanext.smartregion.sheet.max_rows); split it into several files"
                ).format(limits.max_rows)
            )
        cells += len(row)
        if cells > limits.max_cells:
            raise SheetTooBig(
                tk._(
                    "The sheet has more than {0:,} cells by row {1:,}, the most one upload may "
                    "have (ckanext.smartregion.sheet.max_cells); delete empty formatted rows "
                    "and columns, or split it into several files"
                ).format(limits.max_cells, number)
            )
        yield row
