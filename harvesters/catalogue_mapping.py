"""Mapping rules the catalogue harvesters share (docs/harvesters.md tabulates them): licences
to the four-part terms of use, publishers to organisations, EU / ISO 8601 frequencies to the
schema's codes, themes, and keywords to valid CKAN tags."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from ckan import model

from ckanext.smartregion.harvesters.catalogue_config import FREQUENCIES, THEMES, CatalogueConfig
from ckanext.smartregion.harvesters.import_stage import RecordError
from ckanext.smartregion.harvesters.record_issues import (
    PROVISIONAL_THEME,
    RecordIssues,
    clean_text,
    fold,
    present,
    themes_from_words,
)
from ckanext.smartregion.review.issues import TERMS

DU = "https://data.gov.cz/podmínky-užití/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_3 = "https://creativecommons.org/licenses/by/3.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
ODBL = "https://opendatacommons.org/licenses/odbl/1-0/"
NOT_SPECIFIED_PERSONAL = DU + "není-specifikováno-zda-obsahuje-osobní-údaje/"
NO_WORK = DU + "neobsahuje-autorská-díla/"
NO_DATABASE_WORK = DU + "není-autorskoprávně-chráněnou-databází/"

# What a licence states about each part; what it does not state (personal data, and the sui
# generis right under CC BY, which the Czech vocabulary can only express as CC0 or "not
# protected") comes from the source's `terms_of_use`, else the documented default below.
LICENCE_TERMS: dict[str, dict[str, str]] = {
    "cc-by-4.0": {"terms_author_work": CC_BY_4, "terms_database_work": CC_BY_4},
    "cc-by-3.0": {"terms_author_work": CC_BY_3, "terms_database_work": CC_BY_3},
    "cc0-1.0": {
        "terms_author_work": NO_WORK,
        "terms_database_work": NO_DATABASE_WORK,
        "terms_database_sui_generis": CC0,
    },
    "odbl-1.0": {
        "terms_author_work": NO_WORK,
        "terms_database_work": ODBL,
        "terms_database_sui_generis": ODBL,
    },
}
DEFAULT_TERMS = {
    "terms_database_sui_generis": DU + "není-chráněna-zvláštním-právem-pořizovatele-databáze/",
    "terms_personal_data": NOT_SPECIFIED_PERSONAL,
}
# Licences as publishers write them (folded: lower case, no diacritics, "-"/"_" as spaces),
# after URL scheme and "www." are dropped; an entry ending in "/" is a URL prefix.
_LICENCE_ALIASES = {
    "cc-by-4.0": (
        "creativecommons.org/licenses/by/4.0/",
        "cc by",
        "cc by 4.0",
        "cc by 4",
        "cc by 4.0 international",
        "creative commons attribution",
        "creative commons attribution 4.0",
        "creative commons attribution 4.0 international",
        "creative commons uvedte autora 4.0",
        "creative commons uvedte autora 4.0 mezinarodni",
        "uvedte autora 4.0",
    ),
    "cc-by-3.0": (
        "creativecommons.org/licenses/by/3.0/",
        "cc by 3.0",
        "cc by 3.0 cz",
        "creative commons attribution 3.0",
        "creative commons attribution 3.0 unported",
        "creative commons uvedte autora 3.0",
        "creative commons uvedte autora 3.0 cesko",
    ),
    "cc0-1.0": (
        "creativecommons.org/publicdomain/zero/1.0/",
        "cc zero",
        "cc0",
        "cc0 1.0",
        "cc0 1.0 universal",
        "creative commons cczero",
        "creative commons zero",
        "creative commons zero v1.0 universal",
        "public domain",
        "odc pddl",
        "opendatacommons.org/licenses/pddl/",
    ),
    "odbl-1.0": (
        "opendatacommons.org/licenses/odbl/",
        "odbl",
        "odc odbl",
        "odbl 1.0",
        "open database license",
        "open database license (odbl)",
        "open data commons open database license (odbl)",
    ),
}
_NOT_COVERED = re.compile(r"\b(sa|nc|nd)\b|share ?alike|non ?commercial|no ?deriv")
_DU_PARTS = {
    "neobsahuje-autorska-dila": ("terms_author_work", NO_WORK),
    "neni-autorskopravne-chranenou-databazi": ("terms_database_work", NO_DATABASE_WORK),
    "neni-chranena-zvlastnim-pravem-poriz": (
        "terms_database_sui_generis",
        DU + "není-chráněna-zvláštním-právem-pořizovatele-databáze/",
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


def terms_of_use(
    licence: str | None, config: CatalogueConfig, author: str | None, issues: RecordIssues
) -> dict:
    """The four-part terms of use from a licence (URL, name or HTML, as publishers write it).
    What neither the licence nor the source's `terms_of_use` states is left out and flagged:
    the dataset is imported, and kept out of the NKOD catalogue until someone states it."""
    text = clean_text(licence)
    key = licence_key(text)
    terms = {**DEFAULT_TERMS, **LICENCE_TERMS.get(key or "", {}), **_du_terms(text)}
    terms.update(config.terms_of_use)
    for part, author_part in (
        ("terms_author_work", "terms_author"),
        ("terms_database_work", "terms_database_author"),
    ):
        licensed = "creativecommons.org/licenses/by/" in str(terms.get(part))
        if licensed and not terms.get(author_part):
            if author:
                terms[author_part] = author
            else:
                terms.pop(part)
    if all(terms.get(part) for part in TERMS_PARTS):
        return terms
    issues.add(
        TERMS,
        "licence_unmapped" if text else "licence_missing",
        {"licence": text} if text else None,
        blocks_catalogue=True,
    )
    return terms


def _du_terms(text: str | None) -> dict[str, str]:
    """A data.gov.cz terms-of-use IRI given as the licence: the part it states."""
    folded = fold(unquote(text or ""))
    if "data.gov.cz/podminky-uziti/" not in folded:
        return {}
    return {part: value for slug, (part, value) in _DU_PARTS.items() if slug in folded}


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
    """The licence's key in LICENCE_TERMS, from a URL, a name or HTML around either."""
    text = clean_text(licence)
    if text is None:
        return None
    text = fold(unquote(text)).strip().rstrip("/. ")
    text = re.sub(r"^https?://(www\.)?", "", text)
    words = " ".join(re.sub(r"[-_]", " ", text).split())
    if _NOT_COVERED.search(words):
        return None
    for key, aliases in _LICENCE_ALIASES.items():
        for alias in aliases:
            if alias.endswith("/"):
                if (text + "/").startswith(alias) or text + "/" == alias:
                    return key
            elif words == alias:
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


def themes(
    values: list[str], config: CatalogueConfig, issues: RecordIssues, words: Sequence[str] = ()
) -> list[str]:
    """EU data-theme codes from EU codes/IRIs (every concept of the authority table,
    OP_DATPRO included), texts named in theme_mapping, else the words of `values` and `words`
    (keywords, groups) by the table of record_issues.THEME_WORDS, else the source's
    default_themes; with none of them OP_DATPRO and an issue."""
    found: list[str] = []
    for value in values:
        text = present(value)
        if text is None:
            continue
        code = text.rstrip("/").rsplit("/", 1)[-1].upper()
        if code in THEMES:
            found.append(code)
        elif text.casefold() in config.theme_mapping:
            found.append(config.theme_mapping[text.casefold()])
    if not found:
        found = themes_from_words([str(v) for v in [*values, *words] if present(v)])[:3]
    found = list(dict.fromkeys(found)) or list(config.default_themes)
    if found:
        return found
    issues.add("themes", "theme_missing")
    return [PROVISIONAL_THEME]


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


_organizations: tuple[float, dict[str, list[str]], dict[str, str]] = (0.0, {}, {})


def owner_org(publisher_keys: list[str | None], config: CatalogueConfig, fallback: str | None):
    """The organisation of a publisher: the source's organization_mapping (by any of the
    publisher's IRI, IČO or name), else the only organisation with that IČO, else the harvest
    source's own."""
    by_ico, by_name = _organization_index()
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


def _organization_index() -> tuple[dict[str, list[str]], dict[str, str]]:
    """IČO → organisation ids and name → id of the active organisations, kept a minute."""
    global _organizations
    loaded, by_ico, by_name = _organizations
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
    _organizations = (time.monotonic(), by_ico, by_name)
    return by_ico, by_name


def forget_organizations() -> None:
    """Drops the cached organisation index (tests create organisations between harvests)."""
    global _organizations
    _organizations = (0.0, {}, {})


def first(values: Any) -> str | None:
    if isinstance(values, list):
        return next((str(v) for v in values if v), None)
    return str(values) if values else None


def check_required(
    record: dict[str, Any], what: str, issues: RecordIssues, identifier: str | None = None
) -> None:
    """A record error only for a record that cannot be identified (no identifier and no
    title); every other required field the mapping could not fill is an issue."""
    title = (record.get("title") or "").strip()
    if not title:
        if not present(identifier):
            raise RecordError(f"{what} has neither an identifier nor a title")
        record["title"] = identifier
        issues.add("title", "title_missing", kind="substituted")
        issues.items[-1]["value"] = identifier
    if not (record.get("notes") or "").strip():
        record.pop("notes", None)
        issues.add("notes", "description_missing", blocks_catalogue=True)
    if not record.get("tags"):
        record.pop("tags", None)
        issues.add("tag_string", "keyword_missing", blocks_catalogue=True)


def contact(name: Any, email: Any, source: Any, issues: RecordIssues) -> dict[str, str]:
    """The record's contact point; a missing or placeholder one is the harvest source's
    organisation's (its title and e-mail), with an issue."""
    name_text, email_text = present(name), present(email)
    email_text = email_text.removeprefix("mailto:").strip() if email_text else None
    if email_text and "@" not in email_text:
        email_text = None
    result = {"contact_name": name_text or "", "contact_email": email_text or ""}
    if email_text:
        return {k: v for k, v in result.items() if v}
    organization = _source_organization_contact(source)
    if organization.get("email"):
        result["contact_email"] = organization["email"]
        result["contact_name"] = name_text or organization.get("title") or ""
        issues.add("contact_email", "contact_substituted", kind="substituted")
        issues.items[-1]["value"] = organization["email"]
    else:
        issues.add("contact_email", "contact_missing")
    return {k: v for k, v in result.items() if v}


def _source_organization_contact(source: Any) -> dict[str, str]:
    org_id = source_organization(source) if source is not None else None
    group = model.Group.get(org_id) if org_id else None
    if group is None:
        return {}
    return {"title": group.title or "", "email": str((group.extras or {}).get("email") or "")}


def with_terms(
    resource: dict[str, Any],
    licence: str | None,
    config: CatalogueConfig,
    author: str | None,
    issues: RecordIssues,
) -> dict[str, Any]:
    """The resource with its four-part terms of use: its own when it states all four (e.g. a
    portal on the same schema), else from the licence (terms_of_use)."""
    normalise_terms(resource)
    if all(resource.get(part) for part in TERMS_PARTS):
        return resource
    return {**resource, **terms_of_use(licence, config, author, issues)}


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


def source_organization(source: Any) -> str | None:
    """The harvest source's organisation: its publisher, else the owner of its dataset."""
    if getattr(source, "publisher_id", None):
        return source.publisher_id
    return model.Session.query(model.Package.owner_org).filter_by(id=source.id).scalar()
