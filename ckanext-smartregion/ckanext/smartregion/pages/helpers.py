"""Template helpers of the content pages."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

LABELS = {
    "kind": {
        "about": ("O portálu a konceptu", "About"),
        "plan": ("Akční plán", "Action plan"),
        "area": ("Oblast aktivit", "Activity area"),
        "news": ("Aktuality", "News"),
    },
    "state": {
        "draft": ("Koncept", "Draft"),
        "pending": ("Čeká na schválení", "Pending review"),
        "published": ("Zveřejněno", "Published"),
    },
    "action": {
        "create": ("Vytvořeno", "Created"),
        "update": ("Upraveno", "Edited"),
        "submit": ("Odesláno ke schválení", "Submitted for review"),
        "publish": ("Zveřejněno", "Published"),
        "return": ("Vráceno k úpravě", "Returned"),
    },
}


def _english() -> bool:
    return tk.h.lang() == "en"


def smartregion_pages_label(group: str, value: str) -> str:
    """A page kind, state or history action in the user's language."""
    pair = LABELS.get(group, {}).get(value)
    return pair[1 if _english() else 0] if pair else value


def smartregion_pages_text(page: dict[str, Any], field: str) -> str:
    """A page's title or body in the user's language; Czech when there is no English."""
    if _english() and page.get(f"{field}_en"):
        return page[f"{field}_en"]
    return page.get(f"{field}_cs") or ""


def smartregion_pages_published(
    kind: str | None = None, area_code: str | None = None, limit: int = 5
) -> list[dict[str, Any]]:
    """Published pages (their published text) for lists on other pages."""
    data: dict[str, Any] = {"limit": limit, "published_only": True}
    if kind:
        data["kind"] = kind
    if area_code:
        data["area_code"] = area_code
    return tk.get_action("smartregion_page_list")({"user": None}, data)


HELPERS = {
    "smartregion_pages_label": smartregion_pages_label,
    "smartregion_pages_text": smartregion_pages_text,
    "smartregion_pages_published": smartregion_pages_published,
}
