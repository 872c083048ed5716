"""Template helpers of the content pages."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.language import N_, user_language

# page kinds, states and history actions; their Czech is in i18n/
LABELS = {
    "kind": {
        "about": N_("About the portal and the concept"),
        "plan": N_("Action plan"),
        "area": N_("Activity area"),
        "news": N_("News"),
    },
    "state": {
        "draft": N_("Draft"),
        "pending": N_("Pending review"),
        "published": N_("Published"),
    },
    "action": {
        "create": N_("Created"),
        "update": N_("Edited"),
        "submit": N_("Submitted for review"),
        "publish": N_("Published"),
        "return": N_("Returned for changes"),
    },
}


def _english() -> bool:
    return user_language() == "en"


def smartregion_pages_label(group: str, value: str) -> str:
    """A page kind, state or history action in the user's language."""
    label = LABELS.get(group, {}).get(value)
    return tk._(label) if label else value


def smartregion_pages_fallback(page: dict[str, Any], field: str) -> bool:
    """True when an English reader is shown the Czech text (the page has no English one)."""
    return _english() and not page.get(f"{field}_en") and bool(page.get(f"{field}_cs"))


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
