"""What every benchmark does first: CKAN loaded from an ini (plugins, configuration,
database) inside a request context, as actions and helpers need outside a web request, and the
site user's name to run actions as. Scripts put the repository on sys.path to import this."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def load_app(ini: str | Path) -> Any:
    """The Flask app of CKAN configured by `ini` (test_client, test_request_context)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(str(ini)))._wsgi_app


@contextlib.contextmanager
def ckan_request_context(ini: str | Path) -> Iterator[Any]:
    """CKAN loaded from `ini`, inside a test request context; yields the Flask app."""
    flask_app = load_app(ini)
    with flask_app.test_request_context():
        yield flask_app


def site_user() -> str:
    import ckan.plugins.toolkit as tk

    name: str = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return name
