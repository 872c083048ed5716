"""Progress of an indicator toward its target, by the method Open SDG uses (Statistics
Canada's): compound annual growth rates compared with the rate the target requires.

With a target:  R = d·CAGR_observed / |CAGR_required|;  R ≥ 0.95 substantial progress (on
track), 0.60 ≤ R < 0.95 moderate, 0 ≤ R < 0.60 limited, R < 0 deterioration; the target
reached (in the desired direction) is `target_achieved`.
Without a target: d·CAGR_observed ≥ 1.5 % substantial, ≥ 0.5 % moderate, ≥ 0 limited, < 0
deterioration. d is +1 when higher is better, −1 when lower is better. Growth rates need
positive values and elapsed time; otherwise the status is `not_available`.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

from ckanext.smartregion.language import N_

STATUSES = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "not_available",
)
# status -> its label (English; Czech in i18n/, translated with tk._ when shown)
STATUS_LABELS = {
    "target_achieved": N_("Target achieved"),
    "substantial_progress": N_("Substantial progress"),
    "moderate_progress": N_("Moderate progress"),
    "limited_progress": N_("Limited progress"),
    "deterioration": N_("Deterioration"),
    "not_available": N_("Not available"),
}
RATIO_THRESHOLDS = (
    (0.95, "substantial_progress"),
    (0.60, "moderate_progress"),
    (0.0, "limited_progress"),
)
GROWTH_THRESHOLDS = (
    (0.015, "substantial_progress"),
    (0.005, "moderate_progress"),
    (0.0, "limited_progress"),
)

_PERIOD = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
)


def period_to_year(period: str) -> float | None:
    """The start of a period in fractional years: 2024 → 2024.0, 2024-04 → 2024.25,
    2024-Q2 → 2024.25, 2024-H2 → 2024.5; None if the period is not in one of these forms."""
    match = _PERIOD.match(str(period).strip())
    if not match:
        return None
    year = int(match["year"])
    if match["month"]:
        return year + (int(match["month"]) - 1) / 12
    if match["quarter"]:
        return year + (int(match["quarter"]) - 1) / 4
    if match["half"]:
        return year + (int(match["half"]) - 1) / 2
    return float(year)


@dataclass(frozen=True)
class Progress:
    status: str
    latest_value: float | None = None
    latest_period: str | None = None
    baseline_value: float | None = None
    baseline_year: float | None = None
    change_since_baseline: float | None = None
    progress_to_target_pct: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cagr(start: float, end: float, years: float) -> float | None:
    if start <= 0 or end <= 0 or years <= 0:
        return None
    return (end / start) ** (1 / years) - 1


def _classify(value: float, thresholds: tuple[tuple[float, str], ...]) -> str:
    for limit, status in thresholds:
        if value >= limit:
            return status
    return "deterioration"


def measure(
    series: list[tuple[str, float]],
    direction: str,
    baseline: tuple[float, int] | None = None,
    target: tuple[float, int] | None = None,
) -> Progress:
    """Progress of a total series [(period, value), ...] (any order). The baseline is the
    indicator's own (value, year) when given, else the series' first point."""
    points = sorted(
        (
            (period_to_year(p), p, float(v))
            for p, v in series
            if period_to_year(p) is not None and v is not None
        ),
    )
    if not points:
        return Progress(status="not_available")
    latest_year, latest_period, latest_value = points[-1]
    base_value, base_year = (
        (float(baseline[0]), float(baseline[1])) if baseline else (points[0][2], points[0][0])
    )
    d = -1 if direction == "lower_is_better" else 1
    change = latest_value - base_value
    progress_pct = None
    if target is not None and target[0] != base_value:
        progress_pct = round((latest_value - base_value) / (target[0] - base_value) * 100, 1)
    common = {
        "latest_value": latest_value,
        "latest_period": latest_period,
        "baseline_value": base_value,
        "baseline_year": base_year,
        "change_since_baseline": change,
        "progress_to_target_pct": progress_pct,
    }
    if (
        target is not None
        and d * (latest_value - float(target[0])) >= 0
        and latest_year > base_year
    ):
        return Progress(status="target_achieved", **common)
    observed = _cagr(base_value, latest_value, latest_year - base_year)
    if observed is None:
        return Progress(status="not_available", **common)
    if target is None:
        return Progress(status=_classify(d * observed, GROWTH_THRESHOLDS), **common)
    required = _cagr(base_value, float(target[0]), float(target[1]) - base_year)
    if required is None or math.isclose(required, 0.0, abs_tol=1e-12):
        return Progress(status="not_available", **common)
    return Progress(status=_classify(d * observed / abs(required), RATIO_THRESHOLDS), **common)
