"""From a ČSÚ table to an indicator's benchmark rows: filter, one row per kraj and period.

The rows the filter keeps become the breakdown ``kraj`` of the indicator's series: category =
the kraj's name from ČSÚ code list 100, the note keeping its codes (ČSÚ, RÚIAN VÚSC, NUTS 3),
the source naming the ČSÚ dataset and its address. The Czech Republic's row (code list 97,
item 19) becomes the category "Česká republika". Rows of other territories (districts,
municipalities) are counted and left; a kraj code the code list lacks and a row without a
value are flagged and left. Fatal (nothing is written): an unreadable value or period, no row
for any kraj, and two kept rows for the same kraj and period (the filter is not specific
enough: the message names the columns that tell them apart).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ckanext.smartregion.harvesters.csu import codelist
from ckanext.smartregion.harvesters.csu.source_config import SourceConfig
from ckanext.smartregion.harvesters.csu.table import Table, TableError

DIMENSION = "kraj"
MISSING = {"", "na", "x", "i.d.", "-", "…", "..."}  # ČSÚ and R exports of "no value"
MAX_LISTED = 10


@dataclass
class Outcome:
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # fatal: nothing is written
    flagged: list[str] = field(default_factory=list)  # rows left out, reported
    read: int = 0
    kept: int = 0
    other_territories: Counter = field(default_factory=Counter)

    def summary(self, dataset: str) -> str:
        regions = {r["category"] for r in self.records}
        periods = sorted({r["period"] for r in self.records})
        span = f"{periods[0]}–{periods[-1]}" if len(periods) > 1 else "".join(periods)
        others = ", ".join(
            f"{n} of code list {cis}" for cis, n in sorted(self.other_territories.items())
        )
        return (
            f"ČSÚ {dataset}: {self.read} rows read, {self.kept} kept by the filter, "
            f"{len(self.records)} values for {len(regions)} territories ({span})"
            + (f"; other territories left: {others}" if others else "")
            + (f"; {len(self.flagged)} rows flagged" if self.flagged else "")
        )


def _period(text: str, kind: str) -> str | None:
    text = text.strip()
    match = re.match(r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$", text)
    if not match:
        return None
    year, month = match.group(1), match.group(2)
    if kind == "month":
        return f"{year}-{month}" if month else None
    return year


def _number(text: str) -> float:
    return float(text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))


def benchmark_rows(table: Table, config: SourceConfig, url: str) -> Outcome:
    """The indicator's kraj rows of the table, with what was left out and why."""
    outcome = Outcome()
    header = table.header
    for column in config.filter:
        if column not in header:
            raise TableError(
                f'"filter": the file has no column {column!r}; its columns are '
                f"{table.explain_columns()}"
            )
    cis, kod, _txt = table.territory_columns()
    period_column = table.period_column(config.period_column)
    index = {column: i for i, column in enumerate(header)}
    kraje = codelist.kraje()
    seen: dict[tuple[str, str], tuple[int, list[str]]] = {}
    source = f"ČSÚ {config.dataset} {url}"
    for number, cells in enumerate(table.rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        outcome.read += 1
        cells = cells + [""] * (len(header) - len(cells))
        if any(cells[index[c]].strip() != v for c, v in config.filter.items()):
            continue
        outcome.kept += 1
        territory_list, code = cells[index[cis]].strip(), cells[index[kod]].strip()
        if territory_list == codelist.KRAJ_LIST:
            region = kraje.get(code)
            if region is None:
                outcome.flagged.append(
                    f"Row {number}: {kod} {code!r} is not a kraj of ČSÚ code list 100; left out"
                )
                continue
            category = region.name
            note = f"ČSÚ {region.code} · VÚSC {region.ruian} · {region.nuts}"
        elif (
            territory_list == codelist.STATE_LIST
            and code == codelist.STATE_CODE
            and config.include_total
        ):
            category, note = codelist.STATE_NAME, f"ČSÚ {codelist.STATE_LIST}/{codelist.STATE_CODE}"
        else:
            outcome.other_territories[territory_list or "?"] += 1
            continue
        raw_value = cells[index["hodnota"]]
        if raw_value.strip().casefold() in MISSING:
            outcome.flagged.append(
                f"Row {number}: {category} has no value ({raw_value!r}); left out"
            )
            continue
        try:
            value = _number(raw_value)
        except ValueError:
            outcome.problems.append(f"Row {number}: hodnota {raw_value!r} is not a number")
            continue
        period = _period(cells[index[period_column]], config.period_kind)
        if period is None:
            outcome.problems.append(
                f"Row {number}: {table.explain(period_column)} {cells[index[period_column]]!r} "
                f'gives no {config.period_kind}; set "period_column" or "period_kind"'
            )
            continue
        key = (period, category)
        if key in seen:
            first, other = seen[key]
            differing = [
                c
                for c in header
                if c not in config.filter
                and c not in ("idhod", "hodnota")
                and cells[index[c]] != other[index[c]]
            ]
            columns = ", ".join(table.explain(c) for c in differing) or "the other columns"
            outcome.problems.append(
                f"Rows {first} and {number} both give {category} in {period}: the filter keeps "
                f'more than one value per kraj and period; add one of {columns} to "filter"'
            )
            continue
        seen[key] = (number, cells)
        outcome.records.append(
            {
                "period": period,
                "value": value,
                "dimension": DIMENSION,
                "category": category,
                "note": note,
                "source": source,
                "sample": False,  # ČSÚ's published values, not sample data
            }
        )
    if not outcome.problems and not any(
        r["category"] != codelist.STATE_NAME for r in outcome.records
    ):
        filters = ", ".join(f"{c}={v!r}" for c, v in config.filter.items()) or "no filter"
        outcome.problems.append(
            f"No row for a kraj ({cis} {codelist.KRAJ_LIST}) is left with {filters} "
            f"({outcome.read} rows read, {outcome.kept} kept by the filter); check the filter "
            "and that the dataset has data by kraj"
        )
    del outcome.problems[MAX_LISTED * 5 :]
    return outcome
