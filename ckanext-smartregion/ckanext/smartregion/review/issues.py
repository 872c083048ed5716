"""A dataset's `quality_issues`: what a harvest found wrong in the source's record (field,
problem, how to fix it, which harvest job), kept on the dataset as a JSON list.

Only a harvest writes the list (its context carries HARVEST_ISSUES); any other update keeps
the stored list, less the issues the update fixed (docs/harvest-quality.md). A field the list
flags may be empty even where the schema requires it; an issue with ``blocks_catalogue``
keeps the dataset out of the NKOD catalogue (/lkod/katalog) until it is fixed.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartregion import clock
from ckanext.smartregion.language import N_

FIELD = "quality_issues"
HARVEST_ISSUES = "smartregion_harvest_issues"  # context key: this write comes from a harvest
TERMS_PARTS = (
    "terms_author_work",
    "terms_database_work",
    "terms_database_sui_generis",
    "terms_personal_data",
)
TERMS = "terms_of_use"  # the issue's field when distributions lack their terms of use
# the field an issue names -> what its records lack (English; Czech in i18n/)
PROBLEMS = {
    "title": N_("without a title"),
    "notes": N_("without a description"),
    TERMS: N_("without terms of use"),
    "tag_string": N_("without keywords"),
    "themes": N_("without an EU data theme (given OP_DATPRO)"),
    "contact_email": N_("without a contact e-mail"),
    "resources": N_("with a distribution left out (no URL)"),
    "inventory_number": N_("with a missing or repeated inventory number"),
}
_FIX_URL = N_("ask the publisher for the distribution's URL")
_FIX_TERMS = N_(
    "state the terms of use of each distribution (or ask the publisher for CC BY 4.0 or CC0), "
    "or set terms_of_use in the source configuration"
)
# An issue's `code` -> (its problem, how to fix it): English msgids with %(name)s parameters
# (the issue's `params`). An issue stores its code, params and the English texts (for API
# clients and the log); pages show the texts in the user's language (shown()). Issues stored
# before the codes, or with an unknown code, are shown as stored.
MESSAGES: dict[str, tuple[str, str]] = {
    "resource_without_url": (
        N_("resource %(number)s has no URL; it was left out"),
        N_("ask the publisher for the resource's URL"),
    ),
    "distribution_without_url": (
        N_(
            "distribution %(number)s has neither dcat:downloadURL nor dcat:accessURL; it was "
            "left out"
        ),
        _FIX_URL,
    ),
    "hub_distribution_without_url": (
        N_(
            "distribution %(number)s (%(name)s) has neither downloadURL nor accessURL; it was "
            "left out"
        ),
        _FIX_URL,
    ),
    "distribution_without_terms": (
        N_("distribution %(number)s (%(url)s) lacks its terms of use (pu:specifikace: %(parts)s)"),
        N_(
            "state the distribution's terms of use (DCAT-AP-CZ requires them), or set "
            "terms_of_use in the source configuration"
        ),
    ),
    "licence_unmapped": (
        N_(
            "the licence '%(licence)s' has no mapping to the four-part terms of use (podmínky "
            "užití)"
        ),
        _FIX_TERMS,
    ),
    "licence_missing": (
        N_("no licence, so the terms of use (podmínky užití) are unknown"),
        _FIX_TERMS,
    ),
    "theme_missing": (
        N_(
            "no EU data theme, and none of its themes or keywords maps to one "
            "(docs/harvest-themes.md), so it has the theme OP_DATPRO (provisional data)"
        ),
        N_(
            "choose its EU data themes, or map the source's theme in the source "
            "configuration's theme_mapping"
        ),
    ),
    "title_missing": (
        N_("no title; the identifier stands in"),
        N_("give the dataset a title"),
    ),
    "description_missing": (
        N_("no description"),
        N_("write a description of the dataset (DCAT-AP-CZ requires one)"),
    ),
    "keyword_missing": (
        N_("no keyword"),
        N_("give at least one keyword in Czech (DCAT-AP-CZ requires keywords)"),
    ),
    "contact_substituted": (
        N_("no contact e-mail (or a placeholder); the source organisation's e-mail stands in"),
        N_("give the dataset's own contact point"),
    ),
    "contact_missing": (
        N_("no contact e-mail, and the source organisation has none either"),
        N_("give the dataset's contact point, or the organisation's e-mail"),
    ),
    "inventory_number_none": (
        N_(
            "the inventory number '%(stated)s' says there is none; the record's identifier "
            "'%(number)s' stands in"
        ),
        N_("give the object its inventory number in the museum's collection system"),
    ),
    "inventory_number_missing": (
        N_(
            "no inventory number (lido:repositorySet/lido:workID); the record's identifier "
            "'%(number)s' stands in"
        ),
        N_("give the object its inventory number in the museum's collection system"),
    ),
    "object_title_missing": (
        N_("no title (lido:titleSet/lido:appellationValue); '%(number)s' stands in"),
        N_("give the object its title in the museum's collection system"),
    ),
    "duplicate": (
        N_("%(field)s '%(value)s' is also used by the record %(record)s"),
        N_("check the %(field)s of both records at the source"),
    ),
}


def texts(code: str, params: dict[str, Any] | None = None) -> tuple[str, str]:
    """The English problem and fix of an issue code (stored beside the code)."""
    problem, fix = MESSAGES[code]
    return problem % (params or {}), fix % (params or {})


def shown(issue: dict[str, Any]) -> dict[str, Any]:
    """The issue with its problem and fix in the user's language; an issue without a known
    code (stored before the codes) as stored."""
    code, params = issue.get("code"), issue.get("params") or {}
    if code not in MESSAGES or not isinstance(params, dict):
        return issue
    problem, fix = MESSAGES[code]
    try:
        return {**issue, "problem": tk._(problem) % params, "fix": tk._(fix) % params}
    except (KeyError, TypeError, ValueError):  # parameters that do not fit: as stored
        return issue


def parse(value: Any) -> list[dict[str, Any]]:
    """The issues of a stored or submitted value (a list or its JSON text); [] when none."""
    if value in (None, "", tk.missing):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if not isinstance(value, list):
        return []
    return [dict(item) for item in value if isinstance(item, dict) and item.get("field")]


def flagged_fields(issues: list[dict[str, Any]]) -> set[str]:
    return {str(issue["field"]) for issue in issues}


def blocks_catalogue(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [issue for issue in issues if issue.get("blocks_catalogue")]


def effective(data: dict, context: dict) -> list[dict[str, Any]]:
    """The issues a validation works with: a harvest's own, else the stored dataset's."""
    if context.get(HARVEST_ISSUES):
        return parse(data.get((FIELD,)))
    package = context.get("package")
    if package is None:
        return []
    return parse((package.extras or {}).get(FIELD))


def _value(data: dict, key: tuple) -> Any:
    value = data.get(key)
    return None if value in (None, "", [], tk.missing) else value


def _resource_numbers(data: dict) -> set[int]:
    return {k[1] for k in data if isinstance(k, tuple) and len(k) == 3 and k[0] == "resources"}


def is_fixed(issue: dict[str, Any], data: dict) -> bool:
    """Whether the record being saved now has what the issue said was missing."""
    field = issue["field"]
    if issue.get("kind") != "missing":
        return False
    if field == "tag_string":
        return any(
            len(k) == 3 and k[0] == "tags" and k[2] == "name" and data[k]
            for k in data
            if isinstance(k, tuple)
        )
    if field == "themes":
        themes = _value(data, ("themes",))
        codes = json.loads(themes) if isinstance(themes, str) and themes.startswith("[") else themes
        if isinstance(codes, str):
            codes = [codes]
        return bool(codes) and any(code != "OP_DATPRO" for code in codes)
    if field == TERMS:
        numbers = _resource_numbers(data)
        return bool(numbers) and all(
            _value(data, ("resources", n, part)) for n in numbers for part in TERMS_PARTS
        )
    return _value(data, (field,)) is not None


def validate(key: tuple, data: dict, errors: dict, context: dict) -> None:
    """The `quality_issues` validator: a harvest's list, else the stored one; less what the
    record being saved fixed. An empty list removes the field."""
    issues = [issue for issue in effective(data, context) if not is_fixed(issue, data)]
    if not issues:
        data.pop(key, None)
        raise tk.StopOnError
    data[key] = json.dumps(issues, ensure_ascii=False, sort_keys=True)


def required_unless_flagged(field_name: str):
    """scheming_required, except when the dataset's quality_issues flag the field (a
    harvested record imported without it; the issue tells the steward how to fix it)."""

    def validator(key: tuple, data: dict, errors: dict, context: dict) -> None:
        if _value(data, key) is not None:
            return
        flagged = flagged_fields(effective(data, context))
        if field_name in flagged or (len(key) == 3 and TERMS in flagged):
            data.pop(key, None)
            raise tk.StopOnError
        errors[key].append(tk._("Missing value"))
        raise tk.StopOnError

    return validator


ALSO_FLAG = "smartregion_flag_also"  # context key: [(dataset name, issue)] to add after a write


def flag_duplicate(data: dict, context: dict, field_name: str, value: str, other: str) -> None:
    """A harvested record repeating another record's `value` of a field that should be
    unique (e.g. an inventory number in one institution): imported, and both records flagged;
    the other one once this write is done (flag_others)."""
    stored = _extras_value_key(data)
    own = parse(data.get(stored) if stored else data.get((FIELD,)))
    own.append(duplicate_issue(field_name, value, other, context))
    text = json.dumps(own, ensure_ascii=False, sort_keys=True)
    if stored:
        data[stored] = text
    else:  # the field's own validators have run: store it as they would have
        data[(FIELD,)] = text
        tk.get_converter("convert_to_extras")((FIELD,), data, {}, context)
    name = data.get(("name",))
    if isinstance(context.get(ALSO_FLAG), list):
        context[ALSO_FLAG].append((other, duplicate_issue(field_name, value, str(name), context)))


def _extras_value_key(data: dict) -> tuple | None:
    """The flattened key of the `quality_issues` extra's value, once scheming converted it."""
    for key in data:
        if len(key) == 3 and key[0] == "extras" and key[2] == "key" and data[key] == FIELD:
            return ("extras", key[1], "value")
    return None


def duplicate_issue(field_name: str, value: str, record: str, context: dict) -> dict:
    """The issue of a record whose `value` of a unique field another `record` uses."""
    params = {"field": field_name, "value": value, "record": record}
    problem, fix = texts("duplicate", params)
    return {
        "field": field_name,
        "kind": "duplicate",
        "code": "duplicate",
        "params": params,
        "problem": problem,
        "fix": fix,
        "harvest_job": context.get("smartregion_harvest_job"),
        "blocks_catalogue": False,
    }


def flag_others(entries: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Adds each issue to the named dataset's stored list (once); the ids of those changed,
    for the caller to reindex."""
    changed: list[str] = []
    for name, issue in entries:
        package = model.Package.get(name)
        if package is None:
            continue
        stored = parse((package.extras or {}).get(FIELD))
        if any(i["field"] == issue["field"] and i["problem"] == issue["problem"] for i in stored):
            continue
        package.extras = {
            **(package.extras or {}),
            FIELD: json.dumps([*stored, issue], ensure_ascii=False, sort_keys=True),
        }
        # a new time, so package_show reads the change rather than the indexed copy
        package.metadata_modified = clock.now()
        changed.append(package.id)
    entries.clear()
    return changed
