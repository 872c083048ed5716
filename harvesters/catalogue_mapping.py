"""Mapping rules the catalogue harvesters share (docs/harvesters.md tabulates them): licences
to the four-part terms of use, publishers to organisations, EU / ISO 8601 frequencies to the
schema's codes, themes, and keywords to valid CKAN tags."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import unquote

from ckan import model

from ckanext.smartregion.harvesters.catalogue_config import FREQUENCIES, THEMES, CatalogueConfig
from ckanext.smartregion.harvesters.catalogue_sync import RecordError

DU = "https://data.gov.cz/podmínky-užití/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
NOT_SPECIFIED_PERSONAL = DU + "není-specifikováno-zda-obsahuje-osobní-údaje/"

# What a licence states about each part; what it does not state (personal data, and the sui
# generis right under CC BY, which the Czech vocabulary can only express as CC0 or "not
# protected") comes from the source's `terms_of_use`, else the documented default below.
LICENCE_TERMS: dict[str, dict[str, str]] = {
    "cc-by-4.0": {"terms_author_work": CC_BY_4, "terms_database_work": CC_BY_4},
    "cc0-1.0": {
        "terms_author_work": DU + "neobsahuje-autorská-díla/",
        "terms_database_work": DU + "není-autorskoprávně-chráněnou-databází/",
        "terms_database_sui_generis": CC0,
    },
}
DEFAULT_TERMS = {
    "terms_database_sui_generis": DU + "není-chráněna-zvláštním-právem-pořizovatele-databáze/",
    "terms_personal_data": NOT_SPECIFIED_PERSONAL,
}
_LICENCE_ALIASES = {
    "cc-by-4.0": (
        "creativecommons.org/licenses/by/4.0",
        "cc-by",
        "cc-by-4.0",
        "cc-by-4",
        "cc by 4.0",
        "creative commons attribution 4.0",
        "creative commons attribution",
    ),
    "cc0-1.0": (
        "creativecommons.org/publicdomain/zero/1.0",
        "cc-zero",
        "cc0",
        "cc0-1.0",
        "cc0 1.0",
        "creative commons cczero",
        "odc-pddl",
    ),
}

# EU frequency codes outside the schema's list, to the nearest schema code.
EU_FREQUENCIES = {
    **{
        c: "CONT"
        for c in ["UPDATE_CONT", "1MIN", "5MIN", "10MIN", "15MIN", "30MIN", "HOURLY", "BIHOURLY"]
    },
    **{c: "CONT" for c in ["TRIHOURLY", "12HRS"]},
    "DAILY_2": "DAILY",
    **{c: "WEEKLY" for c in ["WEEKLY_2", "WEEKLY_3", "BIWEEKLY"]},
    **{c: "MONTHLY" for c in ["MONTHLY_2", "MONTHLY_3", "BIMONTHLY"]},
    "ANNUAL_3": "QUARTERLY",
    **{c: "IRREG" for c in ["BIENNIAL", "TRIENNIAL", "QUADRENNIAL", "QUINQUENNIAL", "DECENNIAL"]},
    **{c: "IRREG" for c in ["BIDECENNIAL", "TRIDECENNIAL", "AS_NEEDED", "OTHER"]},
    "NOT_PLANNED": "NEVER",
    "OP_DATPRO": "UNKNOWN",
}
# ISO 8601 repeating durations (DCAT-US accrualPeriodicity) to schema codes.
ISO_FREQUENCIES = {
    "R/PT1S": "CONT",
    "R/PT1M": "CONT",
    "R/PT1H": "CONT",
    "R/P1D": "DAILY",
    "R/P3.5D": "WEEKLY",
    "R/P1W": "WEEKLY",
    "R/P2W": "WEEKLY",
    "R/P0.5M": "MONTHLY",
    "R/P1M": "MONTHLY",
    "R/P2M": "MONTHLY",
    "R/P3M": "QUARTERLY",
    "R/P4M": "QUARTERLY",
    "R/P6M": "ANNUAL_2",
    "R/P1Y": "ANNUAL",
    "R/P2Y": "IRREG",
    "R/P3Y": "IRREG",
    "R/P4Y": "IRREG",
    "R/P10Y": "IRREG",
    "IRREGULAR": "IRREG",
}
TERMS_PARTS = (
    "terms_author_work",
    "terms_database_work",
    "terms_database_sui_generis",
    "terms_personal_data",
)
_TAG_BAD = re.compile(r"[^\w \-.]+", re.UNICODE)
ORG_CACHE_SECONDS = 60.0


def terms_of_use(licence: str | None, config: CatalogueConfig, author: str | None) -> dict:
    """The four-part terms of use from a licence (URL, id or title); RecordError when the
    licence is unknown and the source configures no terms_of_use."""
    key = licence_key(licence)
    if key is None and licence and not config.terms_of_use:
        raise RecordError(
            f"the licence {licence!r} has no unambiguous mapping to the four-part terms of use "
            "(podmínky užití); state them in the source configuration's terms_of_use"
        )
    terms = {**DEFAULT_TERMS, **LICENCE_TERMS.get(key or "", {}), **config.terms_of_use}
    if key is None and not licence:
        missing = [
            f for f in ("terms_author_work", "terms_database_work") if f not in config.terms_of_use
        ]
        if missing:
            raise RecordError(
                "no licence, so the terms of use (podmínky užití) are unknown "
                f"({', '.join(missing)}); state them in the source configuration's terms_of_use"
            )
    for part, author_part in (
        ("terms_author_work", "terms_author"),
        ("terms_database_work", "terms_database_author"),
    ):
        if terms.get(part) == CC_BY_4 and not terms.get(author_part):
            if not author:
                raise RecordError(
                    f"{part} is CC BY 4.0 but no author is known (publisher); state "
                    f"{author_part} in the source configuration's terms_of_use"
                )
            terms[author_part] = author
    return terms


def normalise_terms(resource: dict[str, Any]) -> None:
    """Terms-of-use IRIs as the schema spells them: percent-decoded, with their trailing slash,
    Creative Commons over https."""
    for part in TERMS_PARTS:
        value = resource.get(part)
        if not value:
            continue
        text = unquote(str(value).strip())
        text = re.sub(
            r"^http://(www\.)?creativecommons\.org/", "https://creativecommons.org/", text
        )
        resource[part] = text if text.endswith("/") else text + "/"


def licence_key(licence: str | None) -> str | None:
    text = (licence or "").strip().casefold().removesuffix("/")
    text = re.sub(r"^https?://(www\.)?", "", text)
    for key, aliases in _LICENCE_ALIASES.items():
        if text in aliases or any(text.startswith(a) for a in aliases if "/" in a):
            return key
    return None


def frequency(value: str | None, config: CatalogueConfig) -> str:
    """A schema frequency code from an EU frequency IRI/code or an ISO 8601 duration."""
    text = (value or "").strip()
    code = text.rstrip("/").rsplit("/", 1)[-1].upper() if "authority/frequency" in text else text
    if code.upper() in FREQUENCIES:
        return code.upper()
    if code.upper() in EU_FREQUENCIES:
        return EU_FREQUENCIES[code.upper()]
    return ISO_FREQUENCIES.get(text.upper(), config.default_frequency)


def themes(values: list[str], config: CatalogueConfig) -> list[str]:
    """Schema theme codes from EU codes/IRIs, or texts named in theme_mapping; else the
    source's default_themes."""
    found: list[str] = []
    for value in values:
        text = str(value).strip()
        code = text.rstrip("/").rsplit("/", 1)[-1].upper()
        if code in THEMES:
            found.append(code)
        elif text.casefold() in config.theme_mapping:
            found.append(config.theme_mapping[text.casefold()])
    return list(dict.fromkeys(found)) or list(config.default_themes)


def tags(words: list[str]) -> list[dict[str, str]]:
    """Valid CKAN tags (letters, digits, space, - _ .; 2 to 100 characters), each once."""
    clean = []
    for word in words:
        tag = " ".join(_TAG_BAD.sub(" ", str(word)).split())[:100].strip()
        if len(tag) >= 2:
            clean.append(tag)
    return [{"name": tag} for tag in dict.fromkeys(clean)]


def ico_from(publisher: str | None) -> str | None:
    """The IČO at the end of an RPP publisher IRI (…/orgán-veřejné-moci/00262978), if any."""
    match = re.search(r"(\d{6,8})/?$", publisher or "")
    return match.group(1).zfill(8) if match else None


_organisations: tuple[float, dict[str, list[str]], dict[str, str]] = (0.0, {}, {})


def owner_org(publisher_keys: list[str | None], config: CatalogueConfig, fallback: str | None):
    """The organisation of a publisher: the source's organization_mapping (by any of the
    publisher's IRI, IČO or name), else the only organisation with that IČO, else the harvest
    source's own."""
    by_ico, by_name = _organisation_index()
    keys = [k.strip() for k in publisher_keys if k and k.strip()]
    for key in keys:
        configured = config.organization_mapping.get(key.casefold())
        if configured:
            if configured not in by_name:
                raise RecordError(
                    f"the source configuration maps publisher {key!r} to organisation "
                    f"{configured!r}, which does not exist; create it or fix organization_mapping"
                )
            return by_name[configured]
    for key in keys:
        ico = ico_from(key) if not key.isdigit() else key.zfill(8)
        matches = by_ico.get(ico or "", [])
        if len(matches) == 1:
            return matches[0]
        if fallback in matches:
            return fallback
    if not fallback:
        raise RecordError(
            "no organisation for the publisher and the harvest source has none; set the "
            "source's organisation or organization_mapping"
        )
    return fallback


def _organisation_index() -> tuple[dict[str, list[str]], dict[str, str]]:
    """IČO → organisation ids and name → id of the active organisations, kept a minute."""
    global _organisations
    loaded, by_ico, by_name = _organisations
    if time.monotonic() - loaded < ORG_CACHE_SECONDS:
        return by_ico, by_name
    by_ico, by_name = {}, {}
    rows = model.Session.query(model.Group.id, model.Group.name, model.Group.extras).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active"
    )
    for group_id, name, extras in rows:
        by_name[name] = group_id
        ico = str((extras or {}).get("ico") or "").strip()
        if ico:
            by_ico.setdefault(ico.zfill(8), []).append(group_id)
    _organisations = (time.monotonic(), by_ico, by_name)
    return by_ico, by_name


def forget_organisations() -> None:
    """Drops the cached organisation index (tests create organisations between harvests)."""
    global _organisations
    _organisations = (0.0, {}, {})


def first(values: Any) -> str | None:
    if isinstance(values, list):
        return next((str(v) for v in values if v), None)
    return str(values) if values else None


def check_required(record: dict[str, Any], what: str) -> None:
    """A record error naming the required `dataset` fields the mapping could not fill."""
    missing = [f for f in ("title", "notes") if not (record.get(f) or "").strip()]
    if not record.get("themes"):
        missing.append("themes (EU data theme; or default_themes / theme_mapping in the config)")
    if missing:
        raise RecordError(f"{what} lacks required field(s): {', '.join(missing)}")


def with_terms(
    resource: dict[str, Any], licence: str | None, config: CatalogueConfig, author: str | None
) -> dict[str, Any]:
    """The resource with its four-part terms of use: its own when it states all four (e.g. a
    portal on the same schema), else from the licence (terms_of_use)."""
    normalise_terms(resource)
    if all(resource.get(part) for part in TERMS_PARTS):
        return resource
    return {**resource, **terms_of_use(licence, config, author)}


def temporal(value: str | None) -> dict[str, str]:
    """temporal_start/end from an ISO 8601 interval "2020-01-01/2020-12-31" (dates only)."""
    parts = [p.strip()[:10] for p in (value or "").split("/")]
    dates = [p if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p) else "" for p in parts]
    result = {}
    if dates and dates[0]:
        result["temporal_start"] = dates[0]
    if len(dates) > 1 and dates[1]:
        result["temporal_end"] = dates[1]
    return result


def source_organisation(source: Any) -> str | None:
    """The harvest source's organisation: its publisher, else the owner of its dataset."""
    if getattr(source, "publisher_id", None):
        return source.publisher_id
    return model.Session.query(model.Package.owner_org).filter_by(id=source.id).scalar()
