"""What the indicator page, its embeddable chart and its downloads show."""

from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion import language as i18n
from ckanext.smartregion.indicators import benchmark, summary, values
from ckanext.smartregion.indicators.progress import STATUS_LABELS

DOWNLOAD_COLUMNS = [
    "indicator_code",
    "period",
    "value",
    "unit",
    "dimension",
    "category",
    "note",
    "source",
    "sample",
]


def format_number(value: Any, language: str) -> str:
    """12500.5 → "12 500,5" (Czech) or "12,500.5" (English); cheaper than Babel per cell,
    which mattered for pages with hundreds of values."""
    if value is None:
        return ""
    text = f"{float(value):,.6f}".rstrip("0").rstrip(".")
    if language == "cs":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def _table(rows: list[dict[str, Any]], language: str) -> list[tuple[str, str, str, bool, str]]:
    total = i18n.pgettext("indicator values without a breakdown", "total")
    return [
        (
            r["period"],
            f"{r['dimension']}: {r['category']}" if r.get("dimension") else total,
            format_number(r["value"], language),
            bool(r.get("sample")),
            r.get("note") or "",
        )
        for r in rows
    ]


def panel(indicator: dict[str, Any]) -> dict[str, Any]:
    """Everything the page needs: rows, progress, breakdowns and the chart's data."""
    rows = values.read(indicator)
    state = summary.summarize(indicator, rows)
    language = i18n.user_language()  # number formatting
    breakdowns = sorted({(r["dimension"], r["category"]) for r in rows if r.get("dimension")})
    labels = {
        "total": i18n.pgettext("indicator chart", "Total"),
        "baseline": tk._("Baseline"),
        "target": tk._("Target"),
    }
    chart = {
        "unit": indicator.get("unit") or "",
        "rows": [{k: r[k] for k in ("period", "value", "dimension", "category")} for r in rows],
        "breakdowns": [{"dimension": d, "category": c} for d, c in breakdowns],
        "labels": labels,
        "baseline": _marker(indicator, "baseline", labels["baseline"]),
        "target": _marker(indicator, "target", labels["target"]),
    }
    return {
        "rows": rows,
        "table": _table(rows, language),
        "latest": format_number(state.latest_value, language),
        "progress": state.as_dict(),
        "status_label": tk._(STATUS_LABELS[state.status]),
        "breakdowns": breakdowns,
        # rendered with |tojson, which escapes <, >, & and ' for the <script> element
        "chart": chart,
        "code": indicator.get("indicator_code"),
        "benchmark": benchmark.ranking(indicator, rows),  # the other regions (ČSÚ)
    }


def _marker(indicator: dict[str, Any], kind: str, label: str) -> dict[str, Any] | None:
    value, year = indicator.get(f"{kind}_value"), indicator.get(f"{kind}_year")
    if value in (None, "") or year in (None, ""):
        return None
    return {"period": str(year), "value": float(value), "label": f"{label} {year}"}


def download_rows(
    indicator: dict[str, Any], rows: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    rows = values.read(indicator) if rows is None else rows
    return [
        {"indicator_code": indicator.get("indicator_code"), "unit": indicator.get("unit"), **row}
        for row in rows
    ]


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DOWNLOAD_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8


def as_xlsx(rows: list[dict[str, Any]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "values")
    sheet.append(DOWNLOAD_COLUMNS)
    for row in rows:
        sheet.append(
            [
                float(row[c]) if c == "value" and row[c] is not None else row.get(c)
                for c in DOWNLOAD_COLUMNS
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
