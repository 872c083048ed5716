"""Template helpers that put CKAN's and scheming's labels into the user's language: scheming
labels ({cs: …, en: …}) by the language code, not CKAN's locale name (cs_CZ), and the portal's
dataset types named in whole translated phrases ("Přidat ukazatel", not "Přidat Indicator")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from flask_babel import pgettext as _pgettext


def N_(message: str) -> str:  # Babel's marker: translated by tk._ when shown
    return message


def pgettext(context: str, message: str) -> str:
    """A message whose Czech depends on its use ("Dataset" the record type is "Datová sada",
    elsewhere "Záznam"); CKAN's toolkit has no pgettext, flask-babel's reads the same merged
    catalogues as tk._."""
    return _pgettext(context, message)


def user_language() -> str:
    """The user's language as record fields name it (title / title_en, taxonomy names):
    "en" on English pages, else "cs"; the only place that compares the locale."""
    try:
        return "en" if tk.h.lang() == "en" else "cs"
    except (RuntimeError, TypeError, AttributeError):  # outside a request
        return "cs"


# purpose of CKAN's humanize_entity_type -> phrase, per dataset type of the portal
TYPE_PHRASES: dict[str, dict[str, str]] = {
    "indicator": {
        "add link": N_("Add indicator"),
        "breadcrumb": N_("Indicators"),
        "content tab": N_("Indicators"),
        "create label": N_("Create indicator"),
        "create title": N_("Create indicator"),
        "edit label": N_("Edit indicator"),
        "facet label": N_("Indicators"),
        "form label": N_("Indicator form"),
        "main nav": N_("Indicators"),
        "page title": N_("Indicators"),
        "save label": N_("Save indicator"),
        "search placeholder": N_("Search indicators..."),
        "update label": N_("Update indicator"),
        "view label": N_("View indicators"),
    },
    "project": {
        "add link": N_("Add project fiche"),
        "breadcrumb": N_("Project fiches"),
        "content tab": N_("Project fiches"),
        "create label": N_("Create project fiche"),
        "create title": N_("Create project fiche"),
        "edit label": N_("Edit project fiche"),
        "facet label": N_("Project fiches"),
        "form label": N_("Project fiche form"),
        "main nav": N_("Project fiches"),
        "page title": N_("Project fiches"),
        "save label": N_("Save project fiche"),
        "search placeholder": N_("Search project fiches..."),
        "update label": N_("Update project fiche"),
        "view label": N_("View project fiches"),
    },
    "collection-object": {
        "add link": N_("Add collection object"),
        "breadcrumb": N_("Collection objects"),
        "content tab": N_("Collection objects"),
        "create label": N_("Create collection object"),
        "create title": N_("Create collection object"),
        "edit label": N_("Edit collection object"),
        "facet label": N_("Collection objects"),
        "form label": N_("Collection object form"),
        "main nav": N_("Collection objects"),
        "page title": N_("Collection objects"),
        "save label": N_("Save collection object"),
        "search placeholder": N_("Search collection objects..."),
        "update label": N_("Update collection object"),
        "view label": N_("View collection objects"),
    },
}


def _language() -> str | None:
    try:
        return tk.h.lang()
    except (RuntimeError, TypeError, AttributeError):  # outside a request
        return None


@tk.chained_helper
def scheming_language_text(
    next_helper: Callable[..., str], text: Any, prefer_lang: str | None = None
) -> str:
    """Scheming's label lookup asked with the language code (cs) for CKAN's locale (cs_CZ)."""
    if prefer_lang is None and isinstance(text, dict):
        locale = _language()
        if locale and locale not in text:
            prefer_lang = locale.split("_")[0]
    return next_helper(text, prefer_lang)


@tk.chained_helper
def humanize_entity_type(
    next_helper: Callable[..., str | None], entity_type: str, object_type: str, purpose: str
) -> str | None:
    """The portal's dataset types in translated phrases; other types and purposes as CKAN."""
    phrase = TYPE_PHRASES.get(object_type, {}).get(purpose) if entity_type == "package" else None
    return tk._(phrase) if phrase else next_helper(entity_type, object_type, purpose)


# record fields that have an English twin (<field>_en), and the schemas that have them
BILINGUAL_FIELDS = ("title", "notes")
BILINGUAL_TYPES = ("dataset", "indicator", "project", "collection-object")


def _english_value(data_dict: Any, field: str) -> str | None:
    if field in BILINGUAL_FIELDS and isinstance(data_dict, dict) and _language() == "en":
        return data_dict.get(f"{field}_en") or None
    return None


@tk.chained_helper
def get_translated(next_helper: Callable[..., Any], data_dict: dict[str, Any], field: str) -> Any:
    """A record's title or description in English on English pages when it has one."""
    return _english_value(data_dict, field) or next_helper(data_dict, field)


@tk.chained_helper
def dataset_display_name(next_helper: Callable[..., str], package: Any) -> str:
    """The record's English title on English pages when it has one (core's helper calls
    get_translated directly, not through the chain)."""
    return _english_value(package, "title") or next_helper(package)


def smartregion_czech_fallback(data_dict: dict[str, Any], field: str) -> bool:
    """True when an English page shows a record's Czech title or description because the
    record (of a type whose schema has the English twin) has no English one."""
    return (
        _language() == "en"
        and data_dict.get("type") in BILINGUAL_TYPES
        and field in BILINGUAL_FIELDS
        and not data_dict.get(f"{field}_en")
        and bool(data_dict.get(field))
    )


def smartregion_keywords(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's keywords as links to the search: on English pages its English keywords
    (keywords_en, searched as words) when it has them, else its Czech tags."""
    english = pkg.get("keywords_en") if _language() == "en" else None
    if english and isinstance(english, list):
        return [{"display_name": word, "search": {"q": word}} for word in english]
    return [
        {"display_name": tag.get("display_name") or tag["name"], "search": {"tags": tag["name"]}}
        for tag in pkg.get("tags") or []
    ]
