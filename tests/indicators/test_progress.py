"""The progress method (Open SDG / Statistics Canada) for every status, both directions."""

from __future__ import annotations

import pytest

from ckanext.smartregion.indicators.progress import measure, period_to_year


@pytest.mark.parametrize(
    ("period", "year"),
    [
        ("2024", 2024.0),
        ("2024-04", 2024.25),
        ("2024-Q2", 2024.25),
        ("2024-H2", 2024.5),
        ("2024-13", None),
        ("24", None),
    ],
)
def test_periods_become_fractional_years(period, year):
    assert period_to_year(period) == year


UP, DOWN = "higher_is_better", "lower_is_better"


@pytest.mark.parametrize(
    ("direction", "series", "target", "status"),
    [
        # baseline 100 in 2020, target 200 in 2030: required growth 7.18 %/year
        (UP, [("2020", 100), ("2024", 210)], (200, 2030), "target_achieved"),
        (UP, [("2020", 100), ("2024", 131)], (200, 2030), "substantial_progress"),  # R ≈ 0.97
        (UP, [("2020", 100), ("2024", 120)], (200, 2030), "moderate_progress"),  # R ≈ 0.65
        (UP, [("2020", 100), ("2024", 105)], (200, 2030), "limited_progress"),  # R ≈ 0.17
        (UP, [("2020", 100), ("2024", 90)], (200, 2030), "deterioration"),
        # lower is better: baseline 100, target 50 in 2030
        (DOWN, [("2020", 100), ("2024", 45)], (50, 2030), "target_achieved"),
        (DOWN, [("2020", 100), ("2024", 62)], (50, 2030), "substantial_progress"),
        (DOWN, [("2020", 100), ("2024", 80)], (50, 2030), "moderate_progress"),
        (DOWN, [("2020", 100), ("2024", 95)], (50, 2030), "limited_progress"),
        (DOWN, [("2020", 100), ("2024", 110)], (50, 2030), "deterioration"),
        # without a target: the observed growth rate against 1.5 % and 0.5 % a year
        (UP, [("2020", 100), ("2024", 110)], None, "substantial_progress"),
        (UP, [("2020", 100), ("2024", 103)], None, "moderate_progress"),
        (UP, [("2020", 100), ("2024", 101)], None, "limited_progress"),
        (DOWN, [("2020", 100), ("2024", 90)], None, "substantial_progress"),
        (DOWN, [("2020", 100), ("2024", 104)], None, "deterioration"),
        # not measurable: one point, a zero base
        (UP, [("2024", 10)], (20, 2030), "not_available"),
        (UP, [("2020", 0), ("2024", 10)], (20, 2030), "not_available"),
        (UP, [], (20, 2030), "not_available"),
    ],
)
def test_status_for_every_kind(direction, series, target, status):
    assert measure(series, direction, target=target).status == status


def test_the_indicator_baseline_wins_over_the_first_point():
    result = measure([("2022", 80), ("2024", 120)], UP, baseline=(100, 2020), target=(200, 2030))

    assert result.baseline_value == 100
    assert result.change_since_baseline == 20
    assert result.progress_to_target_pct == 20.0
    assert result.latest_period == "2024"
    assert result.status == "moderate_progress"


def test_monthly_series_use_the_latest_month():
    series = [(f"2023-{m:02d}", 100 + m) for m in range(1, 13)] + [("2024-01", 150)]
    result = measure(series, UP)
    assert result.latest_period == "2024-01" and result.latest_value == 150
