"""The JSON configuration of a catalogue harvest source (DCAT-AP-CZ, ArcGIS Hub, CKAN),
validated with messages naming the key and the fix.

Keys every catalogue source takes (all optional)::

    {"organization_mapping": {"00262978": "mesto-liberec", "Město Liberec": "mesto-liberec"},
     "withdraw_threshold": 0.5, "max_datasets": 20000,
     "default_themes": ["REGI"], "theme_mapping": {"doprava": "TRAN"},
     "default_frequency": "UNKNOWN", "ruian": ["https://linked.cuzk.cz/resource/ruian/vusc/78"],
     "terms_of_use": {"terms_personal_data": "https://data.gov.cz/podmínky-užití/neobsahuje-osobní-údaje/"}}

A harvester adds its own keys with a checker each (`extra_keys`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ckanext.smartregion.harvesters.config_fields import SourceConfigError, json_object

THEMES = [
    "AGRI",
    "ECON",
    "EDUC",
    "ENER",
    "ENVI",
    "GOVE",
    "HEAL",
    "INTR",
    "JUST",
    "REGI",
    "SOCI",
    "TECH",
    "TRAN",
    "OP_DATPRO",
]  # schemas/dataset.yaml `themes`: the EU data-theme authority table
FREQUENCIES = [
    "CONT",
    "DAILY",
    "WEEKLY",
    "MONTHLY",
    "QUARTERLY",
    "ANNUAL_2",
    "ANNUAL",
    "IRREG",
    "NEVER",
    "UNKNOWN",
]  # schemas/dataset.yaml `frequency`
TERMS_FIELDS = (
    "terms_author_work",
    "terms_author",
    "terms_database_work",
    "terms_database_author",
    "terms_database_sui_generis",
    "terms_personal_data",
)
DEFAULT_WITHDRAW_THRESHOLD = 0.5
RUIAN_PREFIX = "https://linked.cuzk.cz/resource/ruian/"


@dataclass(frozen=True)
class CatalogueConfig:
    organization_mapping: dict[str, str] = field(default_factory=dict)
    withdraw_threshold: float = DEFAULT_WITHDRAW_THRESHOLD
    max_datasets: int | None = None
    default_themes: tuple[str, ...] = ()
    theme_mapping: dict[str, str] = field(default_factory=dict)
    default_frequency: str = "UNKNOWN"
    ruian: tuple[str, ...] = ()
    terms_of_use: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def _mapping(key: str, value: Any, example: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
        for k, v in value.items()
    ):
        raise SourceConfigError(f'"{key}" must map texts to texts, e.g. {example}')
    return {k.strip().casefold(): v.strip() for k, v in value.items()}


def _themes(key: str, values: Any) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or any(v not in THEMES for v in values):
        raise SourceConfigError(
            f'"{key}" must list EU data-theme codes of the dataset schema ({", ".join(THEMES)}), '
            f"not {values!r}"
        )
    return tuple(values)


def parse(text: str | None, extra_keys: dict[str, Callable[[Any], Any]] | None = None):
    """The validated configuration; SourceConfigError names the first problem."""
    extra_keys = extra_keys or {}
    known = [f.name for f in CatalogueConfig.__dataclass_fields__.values() if f.name != "extra"]
    raw = json_object(text, (*known, *extra_keys), '{"max_datasets": 5000}')
    values: dict[str, Any] = {}
    if "organization_mapping" in raw:
        values["organization_mapping"] = _mapping(
            "organization_mapping", raw["organization_mapping"], '{"00262978": "mesto-liberec"}'
        )
    if "withdraw_threshold" in raw:
        number = raw["withdraw_threshold"]
        if isinstance(number, bool) or not isinstance(number, int | float) or not 0 <= number <= 1:
            raise SourceConfigError(
                '"withdraw_threshold" must be a fraction from 0 to 1 (0.5: withdraw datasets '
                "missing from the source only if it still lists at least half of those harvested "
                f"before), not {number!r}"
            )
        values["withdraw_threshold"] = float(number)
    if "max_datasets" in raw:
        number = raw["max_datasets"]
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise SourceConfigError(
                f'"max_datasets" must be a whole number above 0, not {number!r}'
            )
        values["max_datasets"] = number
    if "default_themes" in raw:
        values["default_themes"] = _themes("default_themes", raw["default_themes"])
    if "theme_mapping" in raw:
        mapping = _mapping("theme_mapping", raw["theme_mapping"], '{"doprava": "TRAN"}')
        _themes("theme_mapping values", list(mapping.values()))
        values["theme_mapping"] = mapping
    if "default_frequency" in raw:
        if raw["default_frequency"] not in FREQUENCIES:
            raise SourceConfigError(
                f'"default_frequency" must be one of {", ".join(FREQUENCIES)}, '
                f"not {raw['default_frequency']!r}"
            )
        values["default_frequency"] = raw["default_frequency"]
    if "ruian" in raw:
        ruian = raw["ruian"]
        if not isinstance(ruian, list) or not all(
            isinstance(v, str) and v.startswith(RUIAN_PREFIX) for v in ruian
        ):
            raise SourceConfigError(
                f'"ruian" must list RÚIAN IRIs starting {RUIAN_PREFIX}, e.g. '
                f'["{RUIAN_PREFIX}vusc/78"]'
            )
        values["ruian"] = tuple(ruian)
    if "terms_of_use" in raw:
        terms = raw["terms_of_use"]
        if not isinstance(terms, dict) or set(terms) - set(TERMS_FIELDS):
            raise SourceConfigError(
                f'"terms_of_use" must be an object with some of {", ".join(TERMS_FIELDS)}'
            )
        values["terms_of_use"] = {k: str(v) for k, v in terms.items()}
    extra = {key: check(raw[key]) for key, check in extra_keys.items() if key in raw}
    return CatalogueConfig(**values, extra=extra)
