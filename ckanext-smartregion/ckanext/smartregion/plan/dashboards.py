"""Dashboards of the action plan: per strategic goal, activity area and specific objective,
the indicators with their progress and the projects, as the current user may see them."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion import solr_query
from ckanext.smartregion.plan import taxonomy

# URL word -> (taxonomy section, Solr facet field)
LEVELS = {
    "strategicky-cil": ("strategic_goals", "vocab_strategic_goals"),
    "oblast-aktivit": ("activity_areas", "vocab_activity_area"),
    "specificky-cil": ("specific_objectives", "vocab_specific_objectives"),
}


def _search(fq: str, user: str | None, **extra: Any) -> dict[str, Any]:
    return tk.get_action("package_search")(
        {"user": user}, {"fq": fq, "rows": 1000, "include_private": True, **extra}
    )


def dashboard(level: str, code: str, user: str | None) -> dict[str, Any]:
    """The dashboard's data; raises ObjectNotFound for an unknown level or code."""
    if level not in LEVELS:
        raise tk.ObjectNotFound(level)
    section, field = LEVELS[level]
    plan = taxonomy.get()
    item = plan.get(section, code)
    if item is None:
        raise tk.ObjectNotFound(code)
    in_item = solr_query.equals(field, code)
    indicators = _search(
        f"dataset_type:indicator AND {in_item}",
        user,
        sort="indicator_code asc",
        **{"facet.field": '["progress_status"]'},
    )
    projects = _search(f"dataset_type:project AND {in_item}", user, sort="title_string asc")
    datasets = _search(f"dataset_type:dataset AND {in_item}", user, sort="title_string asc")
    status_counts = {
        i["name"]: i["count"]
        for i in indicators["search_facets"].get("progress_status", {}).get("items", [])
    }
    return {
        "level": level,
        "section": section,
        "item": item,
        "related": _related(section, item),
        "indicators": indicators["results"],
        "status_counts": status_counts,
        "projects": projects["results"],
        "datasets": datasets["results"],
    }


def _related(section: str, item: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Links up and down the plan's structure from this item."""
    plan = taxonomy.get()
    if section == "strategic_goals":
        return {
            "specific_objectives": [
                o for o in plan.items("specific_objectives") if o["goal"] == item["code"]
            ]
        }
    if section == "activity_areas":
        return {
            "specific_objectives": [
                plan.get("specific_objectives", c) for c in item.get("objectives", [])
            ]
        }
    return {
        "strategic_goals": [plan.get("strategic_goals", item["goal"])],
        "activity_areas": [
            plan.get("activity_areas", c) for c in plan.activity_areas_of(item["code"])
        ],
    }
