"""smartregion_indicator_values: indicators with their values, filtered, as JSON."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion import solr_query
from ckanext.smartregion.indicators import summary, values
from ckanext.smartregion.indicators.progress import period_to_year

METADATA = (
    "name",
    "title",
    "indicator_code",
    "unit",
    "direction",
    "specific_objectives",
    "strategic_goals",
    "activity_area",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "periodicity",
    "is_sample_data",
)


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        return [code.strip() for code in value.split(",") if code.strip()]
    return [str(code) for code in value or []]


def _bound(data_dict: dict[str, Any], key: str) -> float | None:
    if data_dict.get(key) in (None, ""):
        return None
    year = period_to_year(str(data_dict[key]))
    if year is None:
        raise tk.ValidationError(
            {key: [f"{data_dict[key]!r} is not a period such as 2024, 2024-03 or 2024-Q1"]}
        )
    return year


def indicator_values(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    filters = ["dataset_type:indicator"]
    codes = _codes(data_dict.get("codes"))
    if codes:
        filters.append(solr_query.any_of("indicator_code", codes))
    if data_dict.get("objective"):
        filters.append(solr_query.equals("vocab_specific_objectives", data_dict["objective"]))
    if data_dict.get("area"):
        filters.append(solr_query.equals("vocab_activity_area", data_dict["area"]))
    first, last = _bound(data_dict, "period_from"), _bound(data_dict, "period_to")
    found = tk.get_action("package_search")(
        {"user": context.get("user")},
        {
            "fq": " AND ".join(filters),
            "rows": 1000,
            "sort": "indicator_code asc",
            "include_private": True,
        },
    )
    all_rows = values.read_many(found["results"])  # one DataStore call per 100 indicators
    results = []
    for indicator in found["results"]:
        rows = all_rows[indicator["id"]]
        state = summary.summarize(indicator, rows).as_dict()
        selected = [
            row
            for row in rows
            if (first is None or period_to_year(row["period"]) >= first)
            and (last is None or period_to_year(row["period"]) <= last)
            and ("dimension" not in data_dict or row["dimension"] == data_dict["dimension"])
            and ("category" not in data_dict or row["category"] == data_dict["category"])
        ]
        results.append(
            {**{key: indicator.get(key) for key in METADATA}, "progress": state, "values": selected}
        )
    return {"count": len(results), "indicators": results}
