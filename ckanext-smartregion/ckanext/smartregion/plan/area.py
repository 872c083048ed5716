"""The action plan's pages for the public: /akcni-plan (goals, objectives and activity areas)
and one page per activity area (/akcni-plan/oblast-aktivit/<code>): its text, focus,
objectives, indicators with their progress, projects and newest datasets, with links to the
search filtered by the area. The other levels' dashboards are in views.py."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.smartregion import solr_query
from ckanext.smartregion.plan import home, taxonomy

smartregion_area = Blueprint("smartregion_area", __name__, url_prefix="/akcni-plan")
DATASETS_SHOWN = 10


def _user() -> str | None:
    return tk.current_user.name if tk.current_user.is_authenticated else None


def _search(fq: str, **extra: Any) -> dict[str, Any]:
    return tk.get_action("package_search")(
        {"user": _user()}, {"fq": fq, "include_private": True, **extra}
    )


@smartregion_area.route("", strict_slashes=False)
def plan():
    """The plan's structure with the public counts per activity area."""
    data = home.home()
    return tk.render("smartregion/area/plan.html", {"goals": data["goals"], "areas": data["areas"]})


@smartregion_area.route("/oblast-aktivit/<code>")
def read(code: str):
    """An activity area's page (what the user may see: private records only for members)."""
    plan_ = taxonomy.get()
    area = plan_.get("activity_areas", code)
    if area is None:
        message = tk._("Not part of the action plan: {0}/{1}").format("oblast-aktivit", code)
        return tk.abort(404, message)
    in_area = solr_query.equals("vocab_activity_area", code)
    indicators = _search(
        f"dataset_type:indicator AND {in_area}",
        rows=1000,
        sort="indicator_code asc",
        **{"facet.field": ["progress_status"]},
    )
    projects = _search(f"dataset_type:project AND {in_area}", rows=100, sort="title_string asc")
    datasets = _search(
        f"dataset_type:dataset AND {in_area}", rows=DATASETS_SHOWN, sort="metadata_modified desc"
    )
    status = {
        item["name"]: item["count"]
        for item in indicators["search_facets"].get("progress_status", {}).get("items", [])
    }
    return tk.render(
        "smartregion/area/read.html",
        {
            "area": area,
            "item": area,
            "text": home.area_text(code),
            "objectives": [plan_.get("specific_objectives", c) for c in area["objectives"]],
            "priority_area": plan_.get("priority_areas", area.get("priority_area") or ""),
            "horizontal_project": plan_.get(
                "horizontal_projects", area.get("horizontal_project") or ""
            ),
            "indicators": indicators["results"],
            "status_counts": status,
            "projects": projects["results"],
            "datasets": datasets["results"],
            "dataset_count": datasets["count"],
        },
    )
