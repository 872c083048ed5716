"""Loads the demo content (demo_content.yaml and the plan's activity areas), idempotently."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from importlib import resources
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import yaml
from ckan.lib.search import rebuild

from ckanext.smartregion.indicators import values
from ckanext.smartregion.organizations import coordinator_organization, site_context
from ckanext.smartregion.plan import taxonomy
from ckanext.smartregion.terms_of_use import OPEN_TERMS

PLAN_PERIOD = (2024, 2026)


def _content() -> dict[str, Any]:
    text = (resources.files("ckanext.smartregion") / "demo_content.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _save(dataset: dict[str, Any], outcome: Counter) -> dict[str, Any]:
    """Creates the dataset or replaces it by name, so re-runs leave one copy."""
    try:
        existing = tk.get_action("package_show")(site_context(), {"id": dataset["name"]})
    except tk.ObjectNotFound:
        outcome["created"] += 1
        return tk.get_action("package_create")(site_context(), dataset)
    outcome["updated"] += 1
    keep = {"id": existing["id"], "resources": existing.get("resources", [])}
    return tk.get_action("package_update")(site_context(), {**dataset, **keep})


def activity_area_projects() -> list[dict[str, Any]]:
    """The plan's activity areas as project fiches: name, area, objectives and focus (table
    02), the plan's period; every other fiche field stays empty, as the plan leaves it here."""
    plan = taxonomy.get()
    return [
        {
            "type": "project",
            "name": f"oblast-aktivit-{area['code']}-{area['slug']}",
            "title": area["name"]["cs"],
            "owner_org": coordinator_organization(),
            "activity_area": area["code"],
            "specific_objectives": area["objectives"],
            "priority_areas": [area["priority_area"]] if area.get("priority_area") else [],
            "focus": [item["cs"] for item in area["focus"]],
            "period_start": PLAN_PERIOD[0],
            "period_end": PLAN_PERIOD[1],
            "is_sample_data": False,
        }
        for area in plan.items("activity_areas")
    ]


def _indicator(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "indicator",
        "name": f"ukazatel-{item['code'].replace('.', '-')}",
        "title": f"{item['title']} (ukázka)",
        "indicator_code": item["code"],
        "notes": f"Ukázkový ukazatel odvozený ze znění specifického cíle {item['objective']}; "
        "akční plán ukazatele nestanoví a hodnoty nejsou skutečné.",
        "unit": item["unit"],
        "direction": item["direction"],
        "specific_objectives": [item["objective"]],
        "owner_org": item["org"],
        "periodicity": "ANNUAL",
        "baseline_value": item["baseline"][0],
        "baseline_year": item["baseline"][1],
        "target_value": item["target"][0],
        "target_year": item["target"][1],
        "is_sample_data": True,
        "license_id": "cc-by",
    }


# Share of the way from baseline to target each sample indicator has come by 2025; varied so
# that the demo shows every kind of progress status. Not real: the values are samples.
SAMPLE_PACES = (1.2, 0.9, 0.55, 0.2, -0.3)
DISTRICTS = ("Liberec", "Jablonec nad Nisou", "Česká Lípa", "Semily")  # the region's four okresy


def sample_series(item: dict[str, Any], index: int) -> list[dict[str, Any]]:
    """A sample yearly series for a demo indicator: from its baseline toward its target at a
    pace that differs per indicator, the latest year also broken down by district."""
    (base, base_year), (target, target_year) = item["baseline"], item["target"]
    pace = SAMPLE_PACES[index % len(SAMPLE_PACES)]
    rows = []
    for year in range(base_year - 2, 2026):
        share = max(year - base_year, 0) / (target_year - base_year) * pace
        drift = (base_year - year) * 0.01 * base if year < base_year else 0
        value = round(base + (target - base) * share + drift, 1)
        rows.append(
            {"period": str(year), "value": value, "sample": True, "note": "ukázková hodnota"}
        )
    latest = rows[-1]["value"]
    weights = (0.45, 0.2, 0.2, 0.15)
    if index % 3 == 0:
        rows += [
            {"period": "2025", "okres": district, "value": round(latest * w, 1), "sample": True}
            for district, w in zip(DISTRICTS, weights, strict=True)
        ]
    return rows


def _collection_object(item: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in item.items() if k != "org"}
    return {
        "type": "collection-object",
        "owner_org": item["org"],
        "is_sample_data": True,
        "license_id": "cc-zero",
        **fields,
    }


def _dataset(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "dataset",
        "name": item["name"],
        "title": item["title"],
        "notes": item["notes"],
        "owner_org": item["org"],
        "tags": [{"name": tag} for tag in item["tags"]],
        "themes": item["themes"],
        "frequency": item["frequency"],
        "specific_objectives": item["objectives"],
        "is_sample_data": True,
        "license_id": "cc-by",
    }


def _ensure_table(dataset: dict[str, Any], records: dict[str, Any]) -> None:
    """One DataStore table per sample dataset, its rows replaced on re-run."""
    table = {"force": True, "fields": records["fields"], "records": records["rows"]}
    resources_ = dataset.get("resources", [])
    if resources_:
        resource_id = resources_[0]["id"]
        with contextlib.suppress(tk.ObjectNotFound):
            tk.get_action("datastore_delete")(
                site_context(), {"resource_id": resource_id, "force": True}
            )
        tk.get_action("datastore_create")(site_context(), {"resource_id": resource_id, **table})
    else:
        resource = {
            "package_id": dataset["id"],
            "name": "Data (ukázka)",
            "format": "CSV",
            **OPEN_TERMS,
        }
        tk.get_action("datastore_create")(site_context(), {"resource": resource, **table})


def load(progress: Callable[[str], Any] = lambda _: None) -> Counter:
    """Loads everything; returns counts of created and updated datasets."""
    outcome: Counter = Counter()
    content = _content()
    projects = activity_area_projects()
    for project in projects:
        _save(project, outcome)
    progress(f"  {len(projects)} activity areas as project fiches")
    for index, item in enumerate(content["indicators"]):
        indicator = _save(_indicator(item), outcome)
        records = values.normalise_rows(
            sample_series(item, index), sample_default=True, first_row=1
        )
        values.write(
            site_context(),
            tk.get_action("package_show")(site_context(), {"id": indicator["id"]}),
            records,
        )
        rebuild(indicator["id"])
    progress(f"  {len(content['indicators'])} sample indicators with sample value series")
    for item in content["collection_objects"]:
        _save(_collection_object(item), outcome)
    progress(f"  {len(content['collection_objects'])} sample collection objects")
    for item in content["datasets"]:
        saved = _save(_dataset(item), outcome)
        _ensure_table(saved, item["records"])
    progress(f"  {len(content['datasets'])} sample datasets with DataStore tables")
    if p.plugin_loaded("smartregion_review"):
        from ckanext.smartregion.review import demo as review_demo

        review_demo.load(outcome, progress)
    if p.plugin_loaded("smartregion_pages"):
        for page in content["pages"]:
            _save_page(page, outcome)
        progress(f"  {len(content['pages'])} published content pages")
    return outcome


def _save_page(page: dict[str, Any], outcome: Counter) -> None:
    """Creates or updates a content page and publishes it (the site user is a coordinator);
    an unchanged page is left as it is, so re-runs add no revisions."""
    try:
        current = tk.get_action("smartregion_page_show")(site_context(), {"id": page["slug"]})
    except tk.ObjectNotFound:
        tk.get_action("smartregion_page_create")(site_context(), page)
        outcome["created"] += 1
    else:
        if current["state"] == "published" and all(current[k] == v for k, v in page.items()):
            return
        tk.get_action("smartregion_page_update")(site_context(), {**page, "id": current["id"]})
        outcome["updated"] += 1
    tk.get_action("smartregion_page_publish")(site_context(), {"id": page["slug"]})
