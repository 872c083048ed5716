"""Checks shared by the JSON source configurations of the harvesters (the file harvesters
indicator_sheet and metering; json_object for all): each raises SourceConfigError with a
message naming the key and the fix."""

from __future__ import annotations

import json
import zoneinfo
from typing import Any
from urllib.parse import urlsplit


class SourceConfigError(ValueError):
    """The source configuration is wrong; the message names the key and the fix."""


def json_object(
    text: str | None, keys: tuple[str, ...], example: str = '{"format": "csv"}'
) -> dict[str, Any]:
    """The configuration as a JSON object with only known top-level keys ("" means {});
    ``example`` is a valid configuration the message shows."""
    try:
        raw: Any = json.loads(text or "{}")
    except ValueError as error:
        raise SourceConfigError(f"The configuration is not valid JSON: {error}") from error
    if not isinstance(raw, dict):
        raise SourceConfigError(f"The configuration must be a JSON object, e.g. {example}")
    unknown = sorted(set(raw) - set(keys))
    if unknown:
        raise SourceConfigError(
            f"Unknown key(s) {', '.join(unknown)}; known keys: {', '.join(keys)}"
        )
    return raw


def http_url(value: Any, example: str) -> str | None:
    """An optional http(s) address (None: the harvest source's own URL)."""
    if value is not None and (
        not isinstance(value, str)
        or urlsplit(value).scheme not in ("http", "https")
        or not urlsplit(value).netloc
    ):
        raise SourceConfigError(
            f'"url" must be an http(s) address such as "{example}", not {value!r}'
        )
    return value


def choice(raw: dict, key: str, choices: tuple[str, ...], default: str) -> str:
    value = raw.get(key, default)
    if value not in choices:
        raise SourceConfigError(f'"{key}" must be one of {", ".join(choices)}, not {value!r}')
    return value


def column_mapping(
    value: Any, targets: tuple[str, ...], example: str, where: str = "file"
) -> dict[str, str]:
    """ "columns" (field → the file's heading) turned round: casefolded heading → field."""
    if not isinstance(value, dict) or not all(
        isinstance(v, str) and v.strip() for v in value.values()
    ):
        raise SourceConfigError(
            f'"columns" must map a field to the {where}\'s heading, e.g. {example}'
        )
    wrong = sorted(set(value) - set(targets))
    if wrong:
        raise SourceConfigError(
            f'Unknown field(s) in "columns": {", ".join(wrong)}; known: {", ".join(targets)}'
        )
    return {heading.strip().casefold(): target for target, heading in value.items()}


def time_zone(raw: dict, default: str = "Europe/Prague") -> str:
    """ "timezone": an IANA time zone name."""
    value = raw.get("timezone", default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise SourceConfigError(
            f'"timezone" must be an IANA time zone such as "Europe/Prague", not {value!r}'
        ) from error
    return value
