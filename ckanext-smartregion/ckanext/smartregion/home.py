"""Data of the home page and the activity-area pages: per activity area the public counts of
datasets, indicators and projects and the indicators' progress, read from the search index
with facets (no record is loaded), and cached for a short while."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartregion import taxonomy
from ckanext.smartregion.indicators.progress import STATUSES

CACHE_SECONDS = 60
COUNTED_TYPES = ("dataset", "indicator", "project")
NEWEST = 6
PAGE = 1000
_cache: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _cached(key: str, build):
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if hit and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = build()
    with _lock:
        _cache[key] = (now, value)
    return value


def _facets(fq: str, fields: list[str]) -> dict[str, dict[str, int]]:
    """Public counts by facet value; rows=0, so only the index is read."""
    found = tk.get_action("package_search")(
        {"user": None},
        {
            "fq": fq,
            "rows": 0,
            "facet.field": fields,
            "facet.limit": -1,
            "include_private": False,
        },
    )
    return {
        field: {item["name"]: item["count"] for item in facet.get("items", [])}
        for field, facet in found["search_facets"].items()
    }


def _indicator_rows() -> list[dict[str, Any]]:
    """Area and status of every public indicator, read from the index only (fl), a page of
    1,000 at a time (the plan has at most a few hundred indicators)."""
    rows: list[dict[str, Any]] = []
    while True:
        found = tk.get_action("package_search")(
            {"user": None},
            {
                "fq": "dataset_type:indicator",
                "fl": ["vocab_activity_area", "progress_status"],
                "rows": PAGE,
                "start": len(rows),
                "include_private": False,
            },
        )
        rows += found["results"]
        if not found["results"] or len(rows) >= found["count"]:
            return rows


def area_counts() -> dict[str, dict[str, Any]]:
    """Per activity-area code: public counts by record type and the indicators' status
    counts. Three searches: datasets and projects counted by facet, indicators read with
    their area and status only (Solr facets do not cross type × area × status through
    package_search)."""

    def build() -> dict[str, dict[str, Any]]:
        plan = taxonomy.get()
        counts: dict[str, dict[str, Any]] = {
            code: {"types": dict.fromkeys(COUNTED_TYPES, 0), "status": {}}
            for code in plan.codes("activity_areas")
        }
        for kind in ("dataset", "project"):
            per_area = _facets(f"dataset_type:{kind}", ["vocab_activity_area"])
            for code, number in per_area.get("vocab_activity_area", {}).items():
                if code in counts:
                    counts[code]["types"][kind] = number
        tallies: dict[str, Counter] = {code: Counter() for code in counts}
        for row in _indicator_rows():
            areas = row.get("vocab_activity_area") or []
            for code in [areas] if isinstance(areas, str) else areas:
                if code in counts:
                    counts[code]["types"]["indicator"] += 1
                    tallies[code][row.get("progress_status") or "not_available"] += 1
        for code, tally in tallies.items():
            counts[code]["status"] = {s: tally[s] for s in STATUSES if tally[s]}
        return counts

    return _cached("area_counts", build)


def newest(limit: int = NEWEST) -> list[dict[str, Any]]:
    """The newest public records of any type."""

    def build() -> list[dict[str, Any]]:
        found = tk.get_action("package_search")(
            {"user": None},
            {"q": "*:*", "rows": limit, "sort": "metadata_created desc", "include_private": False},
        )
        return [
            {
                "name": record["name"],
                "title": record["title"],
                "type": record["type"],
                "metadata_created": record["metadata_created"],
                "organization": (record.get("organization") or {}).get("title"),
                "is_sample_data": record.get("is_sample_data"),
            }
            for record in found["results"]
        ]

    return _cached("newest", build)


def news(limit: int = 3) -> list[dict[str, Any]]:
    """Published news of the content pages, if that plugin is on."""
    if not p.plugin_loaded("smartregion_pages"):
        return []
    return tk.h.smartregion_pages_published(kind="news", limit=limit)


def area_text(code: str) -> dict[str, Any] | None:
    """The published content page of an activity area, if any."""
    if not p.plugin_loaded("smartregion_pages"):
        return None
    found = tk.h.smartregion_pages_published(kind="area", area_code=code, limit=1)
    return found[0] if found else None


def home() -> dict[str, Any]:
    """Everything the home page shows."""
    plan = taxonomy.get()
    counts = area_counts()
    goals = [
        {
            **goal,
            "objectives": [
                o for o in plan.items("specific_objectives") if o["goal"] == goal["code"]
            ],
        }
        for goal in plan.items("strategic_goals")
    ]
    areas = [{**area, **counts[area["code"]]} for area in plan.items("activity_areas")]
    return {"goals": goals, "areas": areas, "newest": newest(), "news": news()}
