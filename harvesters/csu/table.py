"""A ČSÚ open-data CSV and its CSV-W schema, read as ČSÚ publishes them.

One statistical value per row (``idhod``, ``hodnota``, ``stapro_kod`` or ``vuk``), the
reference territory as a code list and an item of it (``vuzemi_cis``/``vuzemi_kod``, in older
files ``uzemi_cis``/``uzemi_kod``), the reference period (``rok``, ``casref_od``/``casref_do``
or ``obdobiod``/``obdobido``), other breakdowns the same way (``*_cis``/``*_kod``/``*_txt``),
an empty code meaning the total over that breakdown. Files are UTF-8 (older ones
Windows-1250), comma-separated. The schema (``…schema.json``, CSV on the Web) names and
describes the columns: its descriptions find the territory columns and explain the columns in
messages; a file whose header differs from its schema is refused.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

TERRITORY_PREFIXES = ("vuzemi", "uzemi")
PERIOD_COLUMNS = ("rok", "casref_do", "obdobido", "obdobi")


class TableError(ValueError):
    """The file or its schema cannot be read as ČSÚ publishes them; the message says why."""


@dataclass
class Table:
    header: list[str]
    rows: Iterator[list[str]]
    descriptions: dict[str, str] = field(default_factory=dict)  # column → the schema's words

    def territory_columns(self) -> tuple[str, str, str | None]:
        """The territory's (code list, item, text) columns."""
        for column, text in self.descriptions.items():  # the schema says which they are
            words = text.casefold()
            if column.endswith("_cis") and "území" in words and "číselník" in words:
                prefix = column[: -len("_cis")]
                if f"{prefix}_kod" in self.header:
                    text_column = f"{prefix}_txt"
                    return (
                        column,
                        f"{prefix}_kod",
                        text_column if text_column in self.header else None,
                    )
        for prefix in TERRITORY_PREFIXES:
            if f"{prefix}_cis" in self.header and f"{prefix}_kod" in self.header:
                text_column = f"{prefix}_txt"
                return (
                    f"{prefix}_cis",
                    f"{prefix}_kod",
                    text_column if text_column in self.header else None,
                )
        raise TableError(
            "The file has no territory columns (vuzemi_cis and vuzemi_kod); it is not a ČSÚ "
            "open-data table by territory"
        )

    def period_column(self, configured: str | None) -> str:
        if configured:
            if configured not in self.header:
                raise TableError(
                    f'"period_column": the file has no column {configured!r}; its columns are '
                    f"{self.explain_columns()}"
                )
            return configured
        for column in PERIOD_COLUMNS:
            if column in self.header:
                return column
        raise TableError(
            'The file has no period column (rok, casref_do, obdobido); name it in "period_column"'
            f" from {self.explain_columns()}"
        )

    def explain(self, column: str) -> str:
        meaning = self.descriptions.get(column)
        return f"{column} ({meaning})" if meaning else column

    def explain_columns(self) -> str:
        return ", ".join(self.explain(column) for column in self.header)


def _text(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1250")
        except UnicodeDecodeError as error:
            raise TableError(f"{what} is neither UTF-8 nor Windows-1250") from error


def read_schema(data: bytes) -> dict[str, str]:
    """Column name → description of a CSV-W schema (the table's or its ``tableSchema``)."""
    try:
        schema = json.loads(_text(data, "The schema"))
    except ValueError as error:
        raise TableError(f"The schema is not JSON: {error}") from error
    if isinstance(schema, dict) and isinstance(schema.get("tableSchema"), dict):
        schema = schema["tableSchema"]
    columns = schema.get("columns") if isinstance(schema, dict) else None
    if not isinstance(columns, list) or not all(
        isinstance(c, dict) and isinstance(c.get("name"), str) for c in columns
    ):
        raise TableError(
            "The schema has no list of columns with names (tableSchema.columns); is it the "
            "dataset's …schema.json?"
        )
    return {c["name"]: str(c.get("dc:description") or c.get("titles") or "") for c in columns}


def read(data: bytes, schema: dict[str, str] | None = None) -> Table:
    """The table of a ČSÚ CSV, its header checked against the schema when there is one. The
    rows are read as they are iterated (a 100,000-row KROK file is not held twice); its size is
    the fetcher's cap (ckanext.smartregion.harvest.max_response_bytes)."""
    text = _text(data, "The file")
    if not text.strip():
        raise TableError("The file is empty")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip() for cell in next(rows, [])]
    if "hodnota" not in header:
        raise TableError(
            f"The file has no column hodnota; its header is {', '.join(header)[:300]}: is it a "
            "ČSÚ open-data CSV?"
        )
    if schema:
        missing, extra = set(schema) - set(header), set(header) - set(schema)
        if missing or extra:
            raise TableError(
                "The file's header does not match its schema: "
                + "; ".join(
                    part
                    for part in (
                        f"missing {', '.join(sorted(missing))}" if missing else "",
                        f"not in the schema {', '.join(sorted(extra))}" if extra else "",
                    )
                    if part
                )
                + '. Give the schema of this file in "schema_url" (or none).'
            )
    return Table(header, rows, dict(schema or {}))
