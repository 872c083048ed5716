"""The public page of a collection object: its images and its citation line.

The citation follows ČSN ISO 690:2022 (the Czech edition of ISO 690) for an online
catalogue record: creator (if known), *title*, dating. Institution, inventory number.
Online. Available at: URL [viewed/cit. date]. In Czech: "… inv. č. X. Online. Dostupné z: URL.
[cit. 2026-11-30]."; in English: "… inv. no. X. Online. Available from: URL [viewed 2026-11-30]."
"""

from __future__ import annotations

import datetime
from typing import Any

IMAGE_FORMATS = {"JPEG", "JPG", "PNG", "GIF", "WEBP", "TIFF", "TIF", "SVG", "JP2"}
IMAGE_SUFFIXES = tuple(f".{fmt.lower()}" for fmt in IMAGE_FORMATS)


def is_image(resource: dict[str, Any]) -> bool:
    fmt = (resource.get("format") or "").upper().removeprefix("IMAGE/")
    url = (resource.get("url") or "").lower().split("?")[0]
    return fmt in IMAGE_FORMATS or url.endswith(IMAGE_SUFFIXES)


def images(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's image resources, each with the rights shown under it (its own, else
    the object's image rights)."""
    return [
        {**resource, "rights": resource.get("rights") or dataset.get("image_rights") or ""}
        for resource in dataset.get("resources") or []
        if is_image(resource)
    ]


def dating(dataset: dict[str, Any], language: str) -> str:
    """The dating as shown: its text, and the years when they say more."""
    text = dataset.get("dating_display") or ""
    earliest, latest = dataset.get("dating_earliest"), dataset.get("dating_latest")
    years = ""
    if earliest not in (None, "") or latest not in (None, ""):
        span = [str(y) for y in (earliest, latest) if y not in (None, "")]
        years = "–".join(dict.fromkeys(span))  # one year once
    if text and years and years not in text:
        return f"{text} ({years})"
    return text or years


def citation(
    dataset: dict[str, Any], url: str, language: str, today: datetime.date | None = None
) -> str:
    """The citation line in the user's language (cs or en), ČSN ISO 690 style."""
    today = today or datetime.date.today()
    creators = [c.get("name") for c in dataset.get("creators") or [] if c.get("name")]
    organization = dataset.get("organization") or {}
    institution = organization.get("title") if isinstance(organization, dict) else ""
    parts = []
    if creators:
        parts.append("; ".join(creators[:3]) + (" et al." if len(creators) > 3 else "") + ".")
    title = dataset.get("title") or ""
    when = dating(dataset, language)
    parts.append(f"{title}, {when}." if when else f"{title}.")
    number = dataset.get("inventory_number")
    label = "inv. č." if language == "cs" else "inv. no."
    holder = ", ".join(filter(None, [institution, f"{label} {number}" if number else ""]))
    if holder:
        parts.append(f"{holder}.")
    if language == "cs":
        parts.append(f"Online. Dostupné z: {url}. [cit. {today.isoformat()}].")
    else:
        parts.append(f"Online. Available from: {url} [viewed {today.isoformat()}].")
    return " ".join(parts)
