"""The JSON configuration of an OAI-PMH/LIDO harvest source, validated with clear messages.

Example::

    {"base_url": "https://sbirky.example.cz/oai", "metadata_prefix": "lido",
     "sets": ["sklo"], "institutions": {"CZ-ID-00083232": "severoceske-muzeum-v-liberci"},
     "create_institutions": true, "languages": ["cs", "en"],
     "limits": {"max_records": 200000, "withdraw_threshold": 0.5}}

``create_institutions``: true needs a sysadmin to save the source; left out, a source saved
by a sysadmin creates organisations and any other source does not (source_owner.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ckanext.smartregion.harvesters.config_fields import SourceConfigError, json_object

SOURCE_TYPE = "oaipmh_lido"  # the harvester's name, a harvest source's source_type

DEFAULTS: dict[str, Any] = {
    "base_url": None,
    "metadata_prefix": "lido",
    "sets": [],
    "institutions": {},
    "create_institutions": None,  # None: if the source's owner is a sysadmin
    "languages": ["cs", "en"],
    "incremental": True,
    "source_system": None,
    "limits": {},
}
LIMITS = {"max_records": int, "max_pages": int, "withdraw_threshold": float}
DEFAULT_WITHDRAW_THRESHOLD = 0.5


@dataclass(frozen=True)
class SourceConfig:
    base_url: str | None
    metadata_prefix: str
    sets: tuple[str, ...]
    institutions: dict[str, str]
    create_institutions: bool | None  # None: only for a sysadmin's source
    languages: tuple[str, ...]
    incremental: bool
    source_system: str | None
    max_records: int | None
    max_pages: int | None
    withdraw_threshold: float = DEFAULT_WITHDRAW_THRESHOLD
    extra: dict[str, Any] = field(default_factory=dict)


def _check_url(url: Any) -> str:
    if (
        not isinstance(url, str)
        or urlsplit(url).scheme not in ("http", "https")
        or not urlsplit(url).netloc
    ):
        raise SourceConfigError(
            f'"base_url" must be an http(s) address such as "https://muzeum.cz/oai", not {url!r}'
        )
    return url


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourceConfigError(
            f'"{key}" must be a list of non-empty texts, e.g. ["sklo", "obrazy"]'
        )
    return tuple(v.strip() for v in value)


def _limits(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SourceConfigError('"limits" must be an object, e.g. {"max_records": 100000}')
    unknown = sorted(set(value) - set(LIMITS))
    if unknown:
        raise SourceConfigError(
            f"Unknown limit(s) {', '.join(unknown)}; known: {', '.join(LIMITS)}"
        )
    limits: dict[str, Any] = {}
    for key, kind in LIMITS.items():
        if key not in value:
            continue
        number = value[key]
        if kind is int and not (
            isinstance(number, int) and not isinstance(number, bool) and number > 0
        ):
            raise SourceConfigError(
                f'"limits.{key}" must be a whole number above 0, not {number!r}'
            )
        if kind is float and not (
            isinstance(number, int | float) and not isinstance(number, bool) and 0 <= number <= 1
        ):
            raise SourceConfigError(
                f'"limits.{key}" must be a fraction from 0 to 1 (e.g. 0.5: withdraw records '
                "missing "
                f"from the source only if it still returns at least half of them), not {number!r}"
            )
        limits[key] = kind(number)
    return limits


def parse(text: str | None) -> SourceConfig:
    """The validated configuration; SourceConfigError names the first problem."""
    raw = json_object(text, tuple(DEFAULTS), '{"sets": ["sklo"]}')
    values = {**DEFAULTS, **raw}
    prefix = values["metadata_prefix"]
    if not isinstance(prefix, str) or not prefix.strip():
        raise SourceConfigError('"metadata_prefix" must be the OAI-PMH metadataPrefix, e.g. "lido"')
    institutions = values["institutions"]
    if not isinstance(institutions, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in institutions.items()
    ):
        raise SourceConfigError(
            '"institutions" must map a legal body ID or name to an organisation name, e.g. '
            '{"Severočeské muzeum v Liberci": "severoceske-muzeum-v-liberci"}'
        )
    for key in ("create_institutions", "incremental"):
        if not isinstance(values[key], bool) and not (
            key == "create_institutions" and values[key] is None
        ):
            raise SourceConfigError(f'"{key}" must be true or false, not {values[key]!r}')
    system = values["source_system"]
    if system is not None and not isinstance(system, str):
        raise SourceConfigError('"source_system" must be a text naming the source system')
    limits = _limits(values["limits"])
    return SourceConfig(
        base_url=_check_url(values["base_url"]) if values["base_url"] is not None else None,
        metadata_prefix=prefix.strip(),
        sets=_string_list("sets", values["sets"]),
        institutions={k.strip().casefold(): v for k, v in institutions.items()},
        create_institutions=values["create_institutions"],
        languages=_string_list("languages", values["languages"]) or ("cs", "en"),
        incremental=values["incremental"],
        source_system=system,
        max_records=limits.get("max_records"),
        max_pages=limits.get("max_pages"),
        withdraw_threshold=limits.get("withdraw_threshold", DEFAULT_WITHDRAW_THRESHOLD),
    )
