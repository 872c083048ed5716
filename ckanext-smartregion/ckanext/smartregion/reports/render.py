"""The reports as HTML (page and print), PDF (WeasyPrint) and JSON."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.language import user_language

# both languages at once: the published report dataset takes title and title_en from here
TITLES = {
    "annual": {
        "cs": "Výroční zpráva o plnění akčního plánu",
        "en": "Annual report on the action plan",
    },
    "monitoring": {
        "cs": "Monitorovací zpráva o plnění akčního plánu",
        "en": "Monitoring report on the action plan",
    },
}


def title(report: dict[str, Any], language: str | None = None) -> str:
    """The report's title in language (cs, en), by default the user's."""
    return f"{TITLES[report['kind']][language or user_language()]} {report['year']}"


def html(report: dict[str, Any], changes: list[dict[str, Any]], standalone: bool) -> str:
    """standalone: a whole print document (for the PDF); else the body inside the portal page."""
    return tk.render(
        "smartregion/report/report.html",
        {
            "report": report,
            "changes": changes,
            "standalone": standalone,
            "report_title": title(report),
        },
    )


def pdf(report: dict[str, Any], changes: list[dict[str, Any]]) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=html(report, changes, standalone=True), base_url=tk.config["ckan.site_url"]
    ).write_pdf()


def as_json(report: dict[str, Any], changes: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {**report, "changes_since_previous": changes}, ensure_ascii=False, indent=1
    ).encode("utf-8")
