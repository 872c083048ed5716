"""The portal's clock: the current time in UTC without a time zone, as CKAN stores times."""

from __future__ import annotations

import datetime


def now() -> datetime.datetime:
    """datetime.utcnow() without its deprecation: naive UTC, comparable with CKAN's columns."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
