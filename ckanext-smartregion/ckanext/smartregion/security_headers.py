"""Security headers on every response: a Content-Security-Policy whose only inline scripts are
the templates' own (a nonce per request), nosniff, the referrer policy, and framing refused
except for the embeddable indicator chart.

CKAN 2.12.0 sends none of these and has no nonce of its own; its templates and those of
ckanext-datatablesview and ckanext-textview write inline <script> elements, and a few write
inline event handlers (onclick, onchange), which no nonce can allow. ``InlineScript`` works
on each template's *source*, never on text from records: it gives every inline <script> the
request's nonce and removes the event-handler attributes (Chromium reports each one as a
violation as soon as it is parsed); assets/csp-compat.js does what the removed handlers and
core's javascript: links did.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Flask, Response, g, request
from jinja2.ext import Extension

EMBEDDABLE_ENDPOINTS = {"smartregion_indicator.embed"}
NONCE_GLOBAL = "smartregion_csp_nonce"
# A CSP source expression: a keyword in quotes, a scheme, a host (with wildcard and port).
SOURCE = re.compile(
    r"^('[a-z-]+'|\*|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*://)?[\w*.-]+(:\d+|:\*)?)$"
)
# <script ...> written in a template, without src (an asset), a nonce already, or a data type
# (application/json, application/ld+json: never executed, so the CSP does not apply; their
# readers, e.g. schema.org consumers, expect the element as written).
INLINE_SCRIPT_TAG = re.compile(
    r"<script(?=[\s>])(?![^>]*\b(?:src|nonce)\s*=)"
    r"(?![^>]*\btype\s*=\s*[\"']?application/(?:ld\+)?json)",
    re.IGNORECASE,
)
# An event-handler attribute written in a template (HTML's event names, not e.g. "only=").
EVENT_HANDLER = re.compile(
    r"\s+on(?:abort|blur|change|click|dblclick|error|focus|input|invalid|key(?:down|press|up)"
    r"|load|mouse(?:down|enter|leave|move|out|over|up)|reset|resize|scroll|select|submit"
    r"|unload|wheel)\s*=\s*(?:\"[^\"]*\"|'[^']*')",
    re.IGNORECASE,
)


def nonce() -> str:
    """The nonce of this request's inline scripts (made on first use)."""
    if "smartregion_csp_nonce" not in g:
        g.smartregion_csp_nonce = secrets.token_urlsafe(18)
    return g.smartregion_csp_nonce


class InlineScript(Extension):
    """Jinja: in a template's source, inline <script> elements get the request's nonce and
    event-handler attributes are removed (the policy would refuse them anyway)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        source = EVENT_HANDLER.sub("", source)
        return INLINE_SCRIPT_TAG.sub(f'<script nonce="{{{{ {NONCE_GLOBAL}() }}}}"', source)


def _sources(key: str) -> str:
    sources = tk.aslist(tk.config.get(key))
    bad = [s for s in sources if not SOURCE.match(s)]
    if bad or not sources:
        raise ValueError(
            f"{key}: not CSP source expressions: {' '.join(bad) or '(empty)'}; "
            "give sources separated by spaces, e.g. 'self' https://www.example.org"
        )
    return " ".join(sources)


def _policy(img_src: str, connect_src: str) -> str:
    """The policy without frame-ancestors and the nonce, which depend on the request."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'nonce-{nonce}'",
            # CKAN's templates and htmx write style attributes and elements, Chart.js and
            # Leaflet set styles from script: styles stay open, scripts do not.
            "style-src 'self' 'unsafe-inline'",
            f"img-src {img_src}",
            "font-src 'self' data:",
            f"connect-src {connect_src}",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def _framing(endpoint: str | None, embed_ancestors: str) -> tuple[str, str | None]:
    """(frame-ancestors, X-Frame-Options) for a page: the embeddable chart where configured,
    resource views inside the portal's own resource pages, nothing else anywhere."""
    if endpoint in EMBEDDABLE_ENDPOINTS:
        return embed_ancestors, None  # X-Frame-Options cannot name a list of sites
    blueprint, _, view = (endpoint or "").rpartition(".")
    if view == "view" and blueprint.endswith("resource"):
        return "'self'", "SAMEORIGIN"
    return "'none'", "DENY"


def install(app: Flask) -> Flask:
    """Adds the headers to every response of the app and the nonce to its templates."""
    policy = _policy(
        _sources("ckanext.smartregion.csp.img_src"),
        _sources("ckanext.smartregion.csp.connect_src"),
    )
    embed_ancestors = _sources("ckanext.smartregion.embed.frame_ancestors")
    app.jinja_env.add_extension(InlineScript)
    app.jinja_env.globals[NONCE_GLOBAL] = nonce

    def add_headers(response: Response) -> Response:
        ancestors, frame_options = _framing(request.endpoint, embed_ancestors)
        headers: dict[str, Any] = {
            "Content-Security-Policy": policy.format(nonce=nonce())
            + f"; frame-ancestors {ancestors}",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }
        if frame_options:
            headers["X-Frame-Options"] = frame_options
        response.headers.update(headers)
        return response

    app.after_request(add_headers)
    return app
