"""Data of the home page and the activity-area pages: per activity area the public counts of
datasets, indicators and projects and the indicators' progress, read from the search index
with facets (no record is loaded), and cached for a short while."""

from __future__ import annotations

import threading
import time
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartregion.indicators.progress import STATUSES
from ckanext.smartregion.plan import taxonomy

CACHE_SECONDS = 60
COUNTED_TYPES = ("dataset", "indicator", "project")
NEWEST = 6
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


def area_counts() -> dict[str, dict[str, Any]]:
    """Per activity-area code: public counts by record type and the indicators' status
    counts, from one facet search over the area × type and area × status pairs that
    search.py indexes."""

    def build() -> dict[str, dict[str, Any]]:
        plan = taxonomy.get()
        counts: dict[str, dict[str, Any]] = {
            code: {"types": dict.fromkeys(COUNTED_TYPES, 0), "status": {}}
            for code in plan.codes("activity_areas")
        }
        facets = _facets(
            "vocab_activity_area:[* TO *]",
            ["vocab_smartregion_area_type", "vocab_smartregion_area_status"],
        )
        for pair, number in facets.get("vocab_smartregion_area_type", {}).items():
            code, _, kind = pair.partition(":")
            if code in counts and kind in COUNTED_TYPES:
                counts[code]["types"][kind] = number
        statuses = facets.get("vocab_smartregion_area_status", {})
        for code, area in counts.items():
            area["status"] = {
                s: statuses[f"{code}:{s}"] for s in STATUSES if statuses.get(f"{code}:{s}")
            }
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
