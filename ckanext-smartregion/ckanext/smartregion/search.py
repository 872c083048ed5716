"""What the portal puts in the search index and which facets it offers.

CKAN's Solr schema (used unchanged) has multi-valued string fields only as ``vocab_*``, so
list-valued fields are indexed there; JSON-valued fields (repeating subfields) stay searchable
as text through their ``extras_*`` copy and are dropped from the single-valued catch-all.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion import language as i18n
from ckanext.smartregion.language import N_
from ckanext.smartregion.plan import taxonomy

# dataset field -> taxonomy section whose names label its facet items (None: the value itself)
LIST_FACETS: dict[str, str | None] = {
    "strategic_goals": "strategic_goals",
    "priority_areas": "priority_areas",
    "specific_objectives": "specific_objectives",
    "materials": None,
    "classification_terms": None,
}
SINGLE_FACETS: dict[str, str | None] = {
    "activity_area": "activity_areas",
    "object_type": None,
    "ces_subcollection": None,
}
JSON_FIELDS = (
    "creators",
    "dimensions",
    "activities",
    "example_projects",
    "partners",
    "techniques",
    "focus",
    "indicators",
    "eurovoc_concepts",
    "ruian",
    "themes",
)

# facet field -> its title (English; Czech in i18n/)
FACET_TITLES: dict[str, str] = {
    "dataset_type": N_("Record type"),
    "vocab_strategic_goals": N_("Strategic goal"),
    "vocab_priority_areas": N_("Priority area"),
    "vocab_specific_objectives": N_("Specific objective"),
    "vocab_activity_area": N_("Activity area"),
    "organization": N_("Organisation"),
    "vocab_ces_subcollection": N_("Sub-collection (CES)"),
    "vocab_object_type": N_("Object type"),
    "vocab_materials": N_("Material"),
    "vocab_century": N_("Century"),
    "progress_status": N_("Progress status"),
    "res_format": N_("Format"),
    "license_id": N_("Licence"),
    "tags": N_("Keywords"),
}


def type_label(dataset_type: str) -> str | None:
    """A record type's name in the user's language (None for a type of no portal schema)."""
    labels = {
        # "Dataset" alone is "Záznam" on CKAN's pages; the record type is "Datová sada"
        "dataset": i18n.pgettext("record type", "Dataset"),
        "indicator": i18n.pgettext("record type", "Indicator"),
        "project": i18n.pgettext("record type", "Project fiche"),
        "collection-object": i18n.pgettext("record type", "Collection object"),
    }
    return labels.get(dataset_type)


def _parse_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, str) and value.startswith("["):
        try:
            return [str(item) for item in json.loads(value)]
        except ValueError:
            return []
    return [value] if isinstance(value, str) and value else []


def centuries(earliest: Any, latest: Any) -> list[str]:
    """Centuries a dating spans, as numbers ("19" = 1801–1900, "-5" = 5th century BCE)."""
    try:
        start = int(earliest if earliest not in (None, "") else latest)
        end = int(latest if latest not in (None, "") else earliest)
    except (TypeError, ValueError):
        return []
    if end < start or end - start > 3000:  # long spans make no useful facet
        return []

    def century(year: int) -> int:
        return (year - 1) // 100 + 1 if year > 0 else -((-year) // 100 + 1)

    return [str(c) for c in range(century(start), century(end) + 1) if c != 0]


class _Folding(dict[int, str]):
    """Character → the character without diacritics, computed once per character (NFKD
    decomposes character by character, and the combining marks, the only characters it
    reorders, are dropped, so folding each character folds the text: half the time of
    folding the whole text at every index)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        folded = self[code] = "".join(c for c in decomposed if not unicodedata.combining(c))
        return folded


_FOLDING = _Folding()


def fold(text: str) -> str:
    """Text without diacritics ("Sklářské" → "Sklarske")."""
    return text if text.isascii() else text.translate(_FOLDING)


def _folded_text(pkg_dict: dict[str, Any]) -> str:
    """CKAN's text analysis stems (English Snowball) before it folds diacritics, so a word
    typed without diacritics can stem differently from the indexed one ("sklarske" →
    "sklarsk", but "sklářské" → "sklarske"). Indexing a folded copy makes both match."""
    parts = [pkg_dict.get("title"), pkg_dict.get("notes"), *pkg_dict.get("tags", [])]
    parts += [value for key, value in pkg_dict.items() if key.startswith("extras_")]
    return fold(" ".join(part for part in parts if isinstance(part, str)))


def index_dataset(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """before_dataset_index: list and taxonomy fields into vocab_* facets, and a copy of the
    text without diacritics."""
    pkg_dict["extras_smartregion_folded"] = _folded_text(pkg_dict)
    for field in LIST_FACETS:
        if field in pkg_dict:
            values = _parse_list(pkg_dict.pop(field))
            if values:
                pkg_dict[f"vocab_{field}"] = values
    for field in SINGLE_FACETS:
        if pkg_dict.get(field):
            pkg_dict[f"vocab_{field}"] = [str(pkg_dict[field])]
    for field in JSON_FIELDS:
        pkg_dict.pop(field, None)
    if pkg_dict.get("type") == "indicator":
        _index_progress(pkg_dict)
    _index_area_pairs(pkg_dict)
    if pkg_dict.get("type") == "collection-object":
        spanned = centuries(pkg_dict.get("dating_earliest"), pkg_dict.get("dating_latest"))
        if spanned:
            pkg_dict["vocab_century"] = spanned
    return pkg_dict


def _index_area_pairs(pkg_dict: dict[str, Any]) -> None:
    """Activity area × record type and × indicator status as facet values ("5:indicator",
    "5:deterioration"), so the home page counts everything with one facet search."""
    area = pkg_dict.get("activity_area")
    if not area:
        return
    pkg_dict["vocab_smartregion_area_type"] = [f"{area}:{pkg_dict.get('type')}"]
    if pkg_dict.get("progress_status"):
        pkg_dict["vocab_smartregion_area_status"] = [f"{area}:{pkg_dict['progress_status']}"]


def _index_progress(pkg_dict: dict[str, Any]) -> None:
    """An indicator's progress, computed from its DataStore series at every (re)index, goes
    into the index for the status facet and into the search results' copy of the record."""
    from ckanext.smartregion.indicators.summary import summarize

    validated = json.loads(pkg_dict["validated_data_dict"])
    state = validated.get("progress") or summarize(validated).as_dict()
    pkg_dict["progress_status"] = state["status"]
    if state["latest_period"]:
        pkg_dict["latest_period"] = state["latest_period"]
    validated["progress"] = state
    pkg_dict["validated_data_dict"] = json.dumps(validated)


def facets(facets_dict: dict[str, Any], package_type: str | None) -> dict[str, Any]:
    """dataset_facets: the portal's facets, titled in the user's language."""
    names = [
        "dataset_type",
        "vocab_strategic_goals",
        "vocab_priority_areas",
        "vocab_specific_objectives",
        "vocab_activity_area",
        "organization",
    ]
    if package_type in (None, "indicator"):
        names.append("progress_status")
    if package_type in (None, "collection-object"):
        names += [
            "vocab_ces_subcollection",
            "vocab_object_type",
            "vocab_materials",
            "vocab_century",
        ]
    names += ["res_format", "license_id", "tags"]
    return {name: tk._(FACET_TITLES[name]) for name in names}


def _item_label(field: str, value: str, language: str) -> str | None:
    plain = field.removeprefix("vocab_")
    section = LIST_FACETS.get(plain) or SINGLE_FACETS.get(plain)
    if section:
        item = taxonomy.get().get(section, value)
        if item:
            code = (
                f"{value} "
                if section in ("specific_objectives", "strategic_goals", "activity_areas")
                else ""
            )
            return f"{code}{item['name'][language]}"
    if field == "progress_status":
        from ckanext.smartregion.indicators.progress import STATUS_LABELS

        label = STATUS_LABELS.get(value)
        return tk._(label) if label else None
    if field == "dataset_type":
        return type_label(value)
    if field == "vocab_century":
        number = int(value)
        if number < 0:
            return tk._("{number}. century BCE").format(number=-number)
        return tk._("{number}. century").format(number=number)
    return None


def label_facet_items(search_results: dict[str, Any]) -> dict[str, Any]:
    """after_dataset_search: facet items carry taxonomy names instead of bare codes."""
    language = i18n.user_language()  # taxonomy names
    for field, facet in search_results.get("search_facets", {}).items():
        for item in facet.get("items", []):
            label = _item_label(field, item["name"], language)
            if label:
                item["display_name"] = label
    return search_results
