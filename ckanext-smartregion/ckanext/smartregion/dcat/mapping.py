"""How each of the portal's four dataset types maps onto DCAT-AP-CZ's required values (themes,
frequency, RÚIAN, keywords, description, contact, terms of use); docs/dcat-ap-cz.md tabulates it.

Only values the record holds (or the action plan's taxonomy derives from them) are used; where
a type has no field for a required value the choice is fixed here and documented, never guessed
per record.
"""

from __future__ import annotations

import json
from typing import Any

from ckanext.smartregion.dcat.vocabularies import REGION_RUIAN
from ckanext.smartregion.plan import taxonomy

PUBLISHED_TYPES = ("dataset", "indicator", "project", "collection-object")

# Priority areas of the action plan -> EU data themes.
PRIORITY_AREA_THEMES = {
    "doprava": "TRAN",
    "ekonomicky-rozvoj-a-cestovni-ruch": "ECON",
    "zdravotnictvi": "HEAL",
    "zivotni-prostredi": "ENVI",
    "vzdelavani": "EDUC",
    "socialni-oblast": "SOCI",
    "verejna-sprava": "GOVE",
}

# Themes every record of a type carries: the plan's records are regional policy (REGI);
# collection objects are culture (EDUC: "Education, culture and sport").
TYPE_THEMES = {"indicator": ["REGI"], "project": ["REGI"], "collection-object": ["EDUC"]}

# A keyword naming what the record is, so every type has at least one Czech keyword.
TYPE_KEYWORDS = {
    "indicator": "ukazatel akčního plánu",
    "project": "projektová fiše",
    "collection-object": "sbírkový předmět",
}

TYPE_DESCRIPTIONS = {
    "indicator": "Ukazatel akčního plánu Chytřejší Liberecký kraj 2024–2026: {title}",
    "project": "Projektová fiše akčního plánu Chytřejší Liberecký kraj 2024–2026: {title}",
    "collection-object": "Sbírkový předmět: {title}",
    "dataset": "{title}",
}

TERMS_FIELDS = (
    "terms_author_work",
    "terms_database_work",
    "terms_database_sui_generis",
    "terms_personal_data",
)


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(item) for item in value if item]


def themes(pkg: dict[str, Any]) -> list[str]:
    """EU data-theme codes: the dataset's own, else from its priority areas, plus the type's."""
    codes = _as_list(pkg.get("themes"))
    if pkg.get("type") != "dataset":
        codes += [
            PRIORITY_AREA_THEMES[a]
            for a in _as_list(pkg.get("priority_areas"))
            if a in PRIORITY_AREA_THEMES
        ]
        codes += TYPE_THEMES.get(pkg.get("type", ""), [])
    return list(dict.fromkeys(codes))


def frequency(pkg: dict[str, Any]) -> str:
    """EU frequency code: the dataset's frequency or the indicator's periodicity (same codes);
    project fiches and collection objects have no schedule: UNKNOWN."""
    return pkg.get("frequency") or pkg.get("periodicity") or "UNKNOWN"


def ruian(pkg: dict[str, Any]) -> list[str]:
    """RÚIAN IRIs: the dataset's own; the plan's records and the region's museum collections
    cover the Liberec Region."""
    return _as_list(pkg.get("ruian")) or [REGION_RUIAN]


def keywords(pkg: dict[str, Any]) -> list[str]:
    """Czech keywords: the tags; for the plan's records also their priority areas' names, for
    collection objects their type, classification, materials and techniques; and a keyword
    naming the type."""
    words = [tag["name"] for tag in pkg.get("tags") or []]
    if pkg.get("type") in ("indicator", "project"):
        plan = taxonomy.get()
        for code in _as_list(pkg.get("priority_areas")):
            area = plan.get("priority_areas", code)
            if area:
                words.append(area["name"]["cs"])
    if pkg.get("type") == "collection-object":
        words += _as_list(pkg.get("object_type")) + _as_list(pkg.get("classification_terms"))
        words += _as_list(pkg.get("materials")) + _as_list(pkg.get("techniques"))
    if pkg.get("type") in TYPE_KEYWORDS:
        words.append(TYPE_KEYWORDS[pkg["type"]])
    return list(dict.fromkeys(w.strip() for w in words if w and w.strip()))


def description(pkg: dict[str, Any]) -> str:
    """The record's description; project fiches and collection objects may have none, then a
    sentence naming what the record is (its title and type, nothing more)."""
    notes = (pkg.get("notes") or "").strip()
    if notes:
        return notes
    template = TYPE_DESCRIPTIONS.get(pkg.get("type", ""), "{title}")
    return template.format(title=pkg.get("title") or pkg.get("name"))


def english(pkg: dict[str, Any], field: str) -> list[str]:
    """The record's English text of field (title_en, notes_en) as a list: empty without it."""
    text = (pkg.get(f"{field}_en") or "").strip()
    return [text] if text else []


def english_keywords(pkg: dict[str, Any]) -> list[str]:
    """The record's English keywords (keywords_en), each once: empty without them."""
    words = pkg.get("keywords_en")
    if isinstance(words, str):  # the stored JSON list, when not read through the schema
        words = json.loads(words) if words.startswith("[") else [words]
    return list(dict.fromkeys(w.strip() for w in _as_list(words) if w.strip()))


def contact(
    pkg: dict[str, Any], organization: dict[str, Any] | None
) -> tuple[str | None, str | None]:
    """Contact name and e-mail: the record's own, else its organisation's."""
    name, email = pkg.get("contact_name"), pkg.get("contact_email")
    if not (name or email) and organization:
        name, email = organization.get("title"), organization.get("email")
    return name or None, email or None


def terms_of_use(resource: dict[str, Any]) -> dict[str, str] | None:
    """The four-part terms of use of a distribution, or None when the resource does not state
    all four (only the `dataset` schema asks for them; a distribution without them is left out
    of the DCAT-AP-CZ record rather than published with guessed rights)."""
    if not all(resource.get(field) for field in TERMS_FIELDS):
        return None
    terms = {field: resource[field] for field in TERMS_FIELDS}
    for author_field in ("terms_author", "terms_database_author"):
        if resource.get(author_field):
            terms[author_field] = resource[author_field]
    return terms
