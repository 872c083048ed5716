"""The developer documentation the portal serves: docs/api.md (Czech) or docs/api.en.md
(English), by the page's language, at /api-dokumentace and the OpenAPI description of the
portal's own actions (docs/openapi.yaml) as JSON."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import markdown
import yaml
from flask import Blueprint, jsonify, render_template_string

from ckanext.smartregion import language

# The repository's docs/, linked into the package (ckanext/smartregion/docs is a symlink) so that
# the wheel carries a copy of it: an installed wheel has no repository beside it.
DOCS = Path(__file__).parent / "docs"
GUIDE = DOCS / "api.md"  # Czech, the original; its translations are api.<language>.md
OPENAPI = DOCS / "openapi.yaml"

smartregion_apidocs = Blueprint("smartregion_apidocs", __name__, url_prefix="/api-dokumentace")

# The portal's own page layout; the guide's HTML comes from our Markdown file, not from users.
PAGE = """{% extends "page.html" %}
{% block subtitle %}{{ title }}{% endblock %}
{% block breadcrumb_content %}
  <li class="active"><a href="{{ request.path }}">{{ title }}</a></li>
{% endblock %}
{% block secondary %}{% endblock %}
{% block primary %}
<article class="module smartregion-apidocs" lang="{{ lang }}">
  <div class="module-content">{{ body | safe }}</div>
</article>
{% endblock %}"""


def guide_file(lang: str) -> Path:
    """The guide in the language (api.en.md), else the Czech original."""
    translated = GUIDE.with_suffix(f".{lang}.md")
    return translated if translated.is_file() else GUIDE


@functools.cache
def _guide_html(path: Path, mtime: float) -> tuple[str, str]:
    """(title, HTML) of a guide; cached per file and its modification time."""
    text = path.read_text(encoding="utf-8")
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "API")
    body = markdown.markdown(
        text, extensions=["fenced_code", "tables", "toc"], output_format="html"
    )
    return title, body


def openapi_description() -> dict[str, Any]:
    """docs/openapi.yaml with this portal's Action API address as its server."""
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    spec["servers"] = [
        {
            "url": tk.config["ckan.site_url"].rstrip("/") + "/api/3/action",
            "description": tk.config.get("ckan.site_title") or "CKAN",
        }
    ]
    return spec


@smartregion_apidocs.route("")
@smartregion_apidocs.route("/")
def guide():
    """How to find, filter and download each record type: Action API, DataStore, DCAT."""
    lang = language.user_language()
    path = guide_file(lang)
    title, body = _guide_html(path, path.stat().st_mtime)
    return render_template_string(
        PAGE, title=title, body=body, lang=lang if path != GUIDE else "cs"
    )


@smartregion_apidocs.route("/openapi.json")
def openapi():
    response = jsonify(openapi_description())
    response.headers["Access-Control-Allow-Origin"] = "*"  # for Swagger UI and other viewers
    return response
