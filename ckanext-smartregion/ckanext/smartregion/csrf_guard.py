"""CSRF protection that CKAN's per-request exemption cannot switch off for later requests.

CKAN 2.12.0 (ckan/config/middleware/flask_app.py, ``ckan_before_request``) calls
``csrf.exempt(view)`` for every request whose user Flask-Login loaded from the API token
header or found anonymous (``g.login_via_auth_header``). Flask-WTF 1.x keeps exemptions in
``CSRFProtect._exempt_views``, a set shared by the whole process, so after one anonymous or
token POST to a view, cookie-session POSTs to that view are no longer checked.

The guard decides from the request itself: every state-changing request of a cookie session
(a logged-in browser) must carry a valid token unless its view was exempt before any request
was served. Anonymous and API-token requests keep CKAN's exemption, for that request only.
Removing CKAN's additions from the set after each request was rejected: under a threaded
server a cookie request could pass in the window between another request's exemption and its
removal; this check has no such window and does not depend on what the shared set holds.
"""

from __future__ import annotations

from typing import Any

import flask
from flask_login import current_user

# The views exempt when the first application of the process was made (before any request):
# what the code declared, not what requests added since.
_declared: frozenset[str] | None = None


def install(app: flask.Flask) -> None:
    """Adds the check to the Flask application (after Flask-WTF's CSRFProtect is set up)."""
    global _declared
    csrf = app.extensions["csrf"]
    if _declared is None:
        _declared = frozenset(csrf._exempt_views)  # Flask-WTF 1.x keeps them here
    declared_views = _declared

    def smartregion_csrf_guard() -> Any:
        if not app.config.get("WTF_CSRF_ENABLED") or not app.config.get(
            "WTF_CSRF_CHECK_DEFAULT", True
        ):
            return None
        if request_needs_token(app, declared_views, csrf):
            csrf.protect()  # a missing or wrong token: CSRFError, answered 400
        return None

    app.before_request(smartregion_csrf_guard)


def request_needs_token(app: flask.Flask, declared_views: frozenset[str], csrf: Any) -> bool:
    """Whether this request must carry a valid CSRF token that was not checked yet."""
    request = flask.request
    if request.method not in app.config["WTF_CSRF_METHODS"] or flask.g.get("csrf_valid"):
        return False
    # loading the user is what makes CKAN's loaders set the flag for this request
    current_user.is_authenticated  # noqa: B018
    if flask.g.get("login_via_auth_header"):
        return False  # anonymous or API token: CKAN's exemption, for this request
    view = app.view_functions.get(request.endpoint or "")
    if view is None:
        return False
    if f"{view.__module__}.{view.__name__}" in declared_views:
        return False
    return app.blueprints.get(request.blueprint or "") not in csrf._exempt_blueprints
