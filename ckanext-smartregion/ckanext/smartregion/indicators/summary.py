"""An indicator's current state: latest value, change since baseline, progress status."""

from __future__ import annotations

from typing import Any

from ckanext.smartregion.indicators import progress, values


def _pair(indicator: dict[str, Any], value_field: str, year_field: str) -> tuple[float, int] | None:
    value, year = indicator.get(value_field), indicator.get(year_field)
    if value in (None, "") or year in (None, ""):
        return None
    return float(value), int(year)


def summarize(
    indicator: dict[str, Any], rows: list[dict[str, Any]] | None = None
) -> progress.Progress:
    """Progress of the indicator's total series (rows without a breakdown)."""
    rows = values.read(indicator) if rows is None else rows
    total = [(row["period"], float(row["value"])) for row in rows if not row.get("dimension")]
    return progress.measure(
        total,
        indicator.get("direction") or "higher_is_better",
        baseline=_pair(indicator, "baseline_value", "baseline_year"),
        target=_pair(indicator, "target_value", "target_year"),
    )
