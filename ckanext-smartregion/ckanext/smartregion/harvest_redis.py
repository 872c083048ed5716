"""Keeps ckanext-harvest's queue consumers alive on redis-py 8.

ckanext-harvest 1.6.3 consumes with BLPOP and no timeout, on a client built from
ckan.redis.url; redis-py 8.0.1 (which CKAN 2.12 pins) gives every client a 5 s socket
timeout, so an idle gather or fetch consumer dies after 5 s with "TimeoutError: Timeout
reading from socket". Until ckanext-harvest passes a timeout of its own, its connection factory
is replaced by one that builds the same client without a socket timeout.
"""

from __future__ import annotations

from typing import Any

import redis
from ckan.plugins import toolkit as tk


def _connection() -> redis.Redis:
    config = tk.config
    options: dict[str, Any] = {
        "decode_responses": True,
        "encoding": "utf-8",
        "socket_timeout": None,
    }
    if not config.get("ckan.harvest.mq.hostname") and config.get("ckan.redis.url"):
        return redis.Redis.from_url(config["ckan.redis.url"], **options)
    return redis.Redis(
        host=config.get("ckan.harvest.mq.hostname") or "localhost",
        port=int(config.get("ckan.harvest.mq.port") or 6379),
        password=config.get("ckan.harvest.mq.password"),
        db=int(config.get("ckan.harvest.mq.redis_db") or 0),
        **options,
    )


def install() -> None:
    from ckanext.harvest import queue

    queue.get_connection_redis = _connection
