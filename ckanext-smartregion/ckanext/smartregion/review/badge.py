"""The header's count of new dashboard activities, kept per user for a minute: CKAN's
helper reads the user's whole dashboard stream on every page view."""

from __future__ import annotations

from collections.abc import Callable

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

CACHE_SECONDS = 60


def _key(user_id: str) -> str:
    return f"{tk.config['ckan.site_id']}:smartregion:new-activities:{user_id}"


def cached_count(user_id: str, count: Callable[[], int | None]) -> int | None:
    """The user's remembered count, else count() remembered for CACHE_SECONDS."""
    cache = connect_to_redis()
    value = cache.get(_key(user_id))
    if value is not None:
        return int(value)
    result = count()
    if result is not None:
        cache.set(_key(user_id), result, ex=CACHE_SECONDS)
    return result


def forget(user_id: str) -> None:
    """Drops the remembered count (the user has seen the dashboard)."""
    connect_to_redis().delete(_key(user_id))
