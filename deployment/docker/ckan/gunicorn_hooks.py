"""gunicorn settings of the CKAN image: the app is loaded before the port opens (--preload),
so a restarted replica takes no request it cannot answer; each forked worker then opens
database connections of its own instead of sharing the master's sockets."""

from __future__ import annotations

from typing import Any

preload_app = True


def post_fork(server: Any, worker: Any) -> None:
    from ckan import model

    model.Session.remove()
    model.meta.engine.dispose(close=False)
    try:
        from ckanext.datastore.backend import postgres as datastore
    except ImportError:
        return
    for engine in datastore._engines.values():
        engine.dispose(close=False)
