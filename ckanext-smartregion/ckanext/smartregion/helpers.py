"""Template helpers and scheming choices helpers; the choices come from the taxonomy. The
blanket registers the names of __all__: these and language.py's (core helpers chained for
the English pages)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from dominate import tags
from markupsafe import Markup

from ckanext.smartregion import language
from ckanext.smartregion.language import (
    dataset_display_name,
    get_translated,
    humanize_entity_type,
    scheming_language_text,
    smartregion_czech_fallback,
    smartregion_keywords,
)
from ckanext.smartregion.plan import taxonomy

__all__ = [
    "dataset_display_name",
    "get_translated",
    "humanize_entity_type",
    "scheming_language_text",
    "smartregion_activity_area_choices",
    "smartregion_collection_object",
    "smartregion_czech_fallback",
    "smartregion_home",
    "smartregion_indicator_panel",
    "smartregion_is_sample",
    "smartregion_keywords",
    "smartregion_lang",
    "smartregion_pager",
    "smartregion_priority_area_choices",
    "smartregion_report_chart",
    "smartregion_specific_objective_choices",
    "smartregion_status_label",
    "smartregion_strategic_goal_choices",
    "smartregion_taxonomy",
    "smartregion_taxonomy_label",
    "smartregion_type_label",
]


def _label(text: dict[str, str], prefix: str = "") -> dict[str, str]:
    # CKAN names its Czech locale cs_CZ; scheming looks labels up by the request's locale.
    labels = {lang: f"{prefix}{text[lang]}" for lang in taxonomy.LANGUAGES}
    labels["cs_CZ"] = labels["cs"]
    return labels


def _choices(section: str, with_code: bool) -> list[dict[str, Any]]:
    return [
        {
            "value": item["code"],
            "label": _label(item["name"], f"{item['code']} " if with_code else ""),
        }
        for item in taxonomy.get().items(section)
    ]


def smartregion_strategic_goal_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    return _choices("strategic_goals", with_code=True)


def smartregion_specific_objective_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    return _choices("specific_objectives", with_code=True)


def smartregion_priority_area_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    return _choices("priority_areas", with_code=False)


def smartregion_activity_area_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    return _choices("activity_areas", with_code=True)


def smartregion_taxonomy_label(section: str, code: str) -> str:
    """The name of a taxonomy item in the user's language, or the code if unknown."""
    item = taxonomy.get().get(section, code)
    if not item:
        return code
    return item["name"][smartregion_lang()]


def smartregion_taxonomy() -> taxonomy.Taxonomy:
    return taxonomy.get()


def smartregion_is_sample(dataset: dict[str, Any]) -> bool:
    """Whether a dataset carries sample (not real) data and must be labelled as such."""
    return tk.asbool(dataset.get("is_sample_data"))


def smartregion_indicator_panel(indicator: dict[str, Any]) -> dict[str, Any]:
    """Values, progress and chart data of an indicator page."""
    from ckanext.smartregion.indicators import page

    return page.panel(indicator)


def smartregion_status_label(status: str) -> str:
    """A progress status in the user's language."""
    from ckanext.smartregion.indicators.progress import STATUS_LABELS

    label = STATUS_LABELS.get(status)
    return tk._(label) if label else status


def smartregion_report_chart(entry: dict[str, Any]) -> str:
    """An indicator's series as inline SVG for a report (no JavaScript in the PDF)."""
    from ckanext.smartregion.reports.chart_svg import line_chart

    target = None
    if entry.get("target_value") not in (None, "") and entry.get("target_year"):
        target = (str(entry["target_year"]), float(entry["target_value"]))
    return line_chart([(p, v) for p, v in entry["series"]], target, entry["title"])


def smartregion_home() -> dict[str, Any]:
    """The home page's goals, activity areas with counts, newest records and news."""
    from ckanext.smartregion.plan import home

    return home.home()


def smartregion_lang() -> str:
    """The user's language as the taxonomy names it: cs or en."""
    return language.user_language()


def smartregion_type_label(dataset_type: str) -> str:
    """A record type (dataset, indicator, project, collection-object) in the user's language."""
    from ckanext.smartregion.search import type_label

    return type_label(dataset_type) or dataset_type


def smartregion_collection_object(dataset: dict[str, Any]) -> dict[str, Any]:
    """A collection object's page: its images (with rights), dating and citation line."""
    from ckanext.smartregion.harvesters.oaipmh_lido import citation

    lang = smartregion_lang()
    # the stable address: without the language prefix of the page it is cited from
    url = tk.url_for(
        f"{dataset['type']}.read", id=dataset["name"], _external=True, locale="default"
    )
    return {
        "images": citation.images(dataset),
        "dating": citation.dating(dataset, lang),
        "citation": citation.citation(dataset, url, lang),
        "oai_records": _oai_records(dataset),
    }


def _oai_records(dataset: dict[str, Any]) -> dict[str, str]:
    """The object's record at the OAI-PMH provider per format (LIDO, EDM, Dublin Core);
    none while it is not public (the provider serves only public objects)."""
    from ckanext.smartregion.oai import protocol

    if dataset.get("private") or dataset.get("state") != "active":
        return {}
    identifier = protocol.identifier(dataset["id"])
    return {
        label: tk.url_for(
            "smartregion_oai.provider",
            verb="GetRecord",
            metadataPrefix=prefix,
            identifier=identifier,
        )
        for label, prefix in (("LIDO", "lido"), ("EDM", "edm"), ("Dublin Core", "oai_dc"))
    }


def smartregion_pager(page: Any, **kwargs: Any) -> Markup:
    """CKAN's pager of search and list pages with named chevrons: CKAN 2.12's are bare icons,
    links without an accessible name (axe link-name, serious). The icon is hidden from
    assistive technology and a visually hidden text names the link."""
    return page.pager(
        symbol_previous=_chevron("left", tk._("Previous page")),
        symbol_next=_chevron("right", tk._("Next page")),
        **kwargs,
    )


def _chevron(direction: str, name: str) -> tags.span:
    """Built with dominate, as CKAN's pager builds its links (a string would be escaped)."""
    return tags.span(
        tags.i(cls=f"fa-solid fa-chevron-{direction}", aria_hidden="true"),
        tags.span(name, cls="visually-hidden"),
    )
