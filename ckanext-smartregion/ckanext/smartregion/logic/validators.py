"""Validators of the portal's dataset types; every message names the field and the fix."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.scheming.validation import scheming_validator

from ckanext.smartregion.logic.batch_lookups import BATCH_LOOKUPS
from ckanext.smartregion.organizations import coordinator_organization
from ckanext.smartregion.plan import taxonomy
from ckanext.smartregion.reports import names as report_names
from ckanext.smartregion.review import issues as quality_issues

Invalid = tk.Invalid
_ = tk._

PLAN_YEARS = (1990, 2100)
EARLIEST_HISTORICAL_YEAR = -4_600_000_000  # the age of the Earth: nothing is dated earlier
INDICATOR_CODE = re.compile(r"^(?P<objective>\d\.\d)-(?P<number>\d{2})$")


def _as_list(value: Any) -> list[str]:
    """Accepts a list, a JSON list or a comma-separated string (as forms and APIs send)."""
    if value in (None, "", tk.missing):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError as error:
                raise Invalid(_("Not a valid JSON list: {0}").format(error)) from error
        else:
            value = text.split(",")
    return [str(item).strip() for item in value if str(item).strip()]


def _taxonomy_codes(section: str, what: str):
    def validator(value: Any, context: dict) -> Any:
        codes = _as_list(value)
        known = taxonomy.get().codes(section)
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise Invalid(
                _("Unknown {what} {codes}; use one of: {known}").format(
                    what=what, codes=", ".join(unknown), known=", ".join(known)
                )
            )
        return json.dumps(sorted(set(codes), key=known.index))

    return validator


def smartregion_specific_objectives(value: Any, context: dict) -> Any:
    return _taxonomy_codes("specific_objectives", _("specific objective code(s)"))(value, context)


def smartregion_strategic_goals(value: Any, context: dict) -> Any:
    return _taxonomy_codes("strategic_goals", _("strategic goal(s)"))(value, context)


def smartregion_priority_areas(value: Any, context: dict) -> Any:
    return _taxonomy_codes("priority_areas", _("priority area(s)"))(value, context)


def smartregion_activity_area(value: Any, context: dict) -> Any:
    if value in (None, "", tk.missing):
        return value
    known = taxonomy.get().codes("activity_areas")
    if str(value) not in known:
        raise Invalid(
            _("Unknown activity area {0}; use one of: {1}").format(value, ", ".join(known))
        )
    return str(value)


def smartregion_derive_plan_links(key, data, errors, context) -> None:
    """Schema-level before-validator: the strategic goals and priority areas follow from the
    specific objectives (the plan's tables 01 and 02), so they are computed, never typed; the
    activity area is filled in when the objectives point to exactly one."""
    try:
        objectives = _as_list(data.get(("specific_objectives",)))
    except Invalid:
        return  # the field's own validator reports it
    plan = taxonomy.get()
    known = [code for code in objectives if plan.get("specific_objectives", code)]
    if known:  # without objectives, goals and priority areas may be given directly
        data[("strategic_goals",)] = sorted({plan.goal_of(code) for code in known})
        data[("priority_areas",)] = sorted(
            {a for code in known for a in plan.priority_areas_of(code)}
        )
    if data.get(("activity_area",)) in (None, "", tk.missing) and ("activity_area",) in data:
        areas = {area for code in known for area in plan.activity_areas_of(code)}
        if len(areas) == 1:
            data[("activity_area",)] = areas.pop()


def _year(value: Any, low: int, high: int, what: str) -> Any:
    if value in (None, "", tk.missing):
        return value
    try:
        year = int(str(value).strip())
    except ValueError as error:
        raise Invalid(
            _("{0} must be a whole year such as 2024, not {1!r}").format(what, value)
        ) from error
    if not low <= year <= high:
        raise Invalid(
            _("{0} {1} is impossible; give a year from {2} to {3}").format(what, year, low, high)
        )
    return year


def smartregion_plan_year(value: Any, context: dict) -> Any:
    return _year(value, *PLAN_YEARS, _("Year"))


def smartregion_historical_year(value: Any, context: dict) -> Any:
    this_year = datetime.date.today().year
    return _year(value, EARLIEST_HISTORICAL_YEAR, this_year, _("Year"))


def smartregion_decimal(value: Any, context: dict) -> Any:
    if value in (None, "", tk.missing):
        return value
    try:
        number = float(str(value).replace(",", ".").replace(" ", ""))
    except ValueError as error:
        raise Invalid(_("Must be a number such as 12.5, not {0!r}").format(value)) from error
    return str(int(number)) if number.is_integer() else repr(number)


def _check_iri(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value.strip():
        raise Invalid(
            _(
                "{0!r} is not a valid IRI; write a full http(s) address such as https://example.org/x"
            ).format(value)
        )
    return value.strip()


def smartregion_iri(value: Any, context: dict) -> Any:
    if value in (None, "", tk.missing):
        return value
    return _check_iri(str(value))


def _iri_values(value: Any) -> list[str]:
    values = value if isinstance(value, list) else _as_list(value)
    return [_check_iri(str(item)) for item in values if str(item).strip()]


def smartregion_iri_list(value: Any, context: dict) -> Any:
    """A list of IRIs, stored as a JSON list."""
    if value in (None, "", tk.missing):
        return value
    return json.dumps(_iri_values(value))


KEYWORD_LENGTH = 100  # CKAN's limit for a tag


def smartregion_keyword_list(value: Any, context: dict) -> Any:
    """Keywords entered like tags (comma separated, or a list, or a JSON list), each once,
    stored as a JSON list."""
    if value in (None, "", tk.missing):
        return value
    words = list(dict.fromkeys(" ".join(word.split()) for word in _as_list(value)))
    for word in words:
        if len(word) > KEYWORD_LENGTH:
            raise Invalid(
                _('The keyword "{0}…" is longer than {1} characters; shorten it.').format(
                    word[:30], KEYWORD_LENGTH
                )
            )
    return json.dumps(words, ensure_ascii=False) if words else ""


@scheming_validator
def smartregion_iri_with_prefix(field: dict, schema: dict):
    """A list of IRIs that must each start with the field's `iri_prefix` (RÚIAN, EuroVoc)."""
    prefix = field["iri_prefix"]

    def validator(value: Any, context: dict) -> Any:
        if value in (None, "", tk.missing):
            return value
        values = _iri_values(value)
        wrong = [item for item in values if not item.startswith(prefix)]
        if wrong:
            raise Invalid(_("{0} must start with {1}").format(", ".join(wrong), prefix))
        return json.dumps(values)

    return validator


@scheming_validator
def smartregion_author_if_licensed(field: dict, schema: dict):
    """The author's name is required when the sibling terms-of-use field names a licence
    (CC BY needs attribution), as DCAT-AP-CZ's terms of use expect."""
    licence_field = field["licence_field"]

    def validator(key, data, errors, context) -> None:
        licence = data.get((*key[:-1], licence_field))
        if (
            isinstance(licence, str)
            and "creativecommons.org/licenses/by/" in licence
            and data.get(key) in (None, "", tk.missing)
        ):
            errors[key].append(
                _("Name the author: the licence {0} requires attribution").format(licence)
            )

    return validator


def _add_error(errors: dict, field_name: str, message: str) -> None:
    errors.setdefault((field_name,), []).append(message)


def _value(data: dict, field_name: str) -> Any:
    value = data.get((field_name,))
    return None if value in (None, "", tk.missing) else value


def _codes(data: dict, field_name: str) -> list[str]:
    """A list field's codes, whether already stored as JSON or still as sent (when its own
    validator refused it)."""
    try:
        return _as_list(_value(data, field_name))
    except Invalid:
        return []


def _taken_by(
    dataset_type: str, extra: str, value: str, data: dict, context: dict, same_org: bool
) -> str | None:
    """Name of another live dataset of the type whose extra equals value, if any. Reads the
    database rather than Solr so that it holds inside batch imports with deferred commits."""
    query = model.Session.query(model.Package.name).filter(
        model.Package.type == dataset_type,
        model.Package.state != "deleted",
        model.Package.extras[extra].astext == value,
    )
    own_id = _value(data, "id") or getattr(context.get("package"), "id", None)
    if own_id:
        query = query.filter(model.Package.id != own_id)
    if same_org:
        query = query.filter(model.Package.owner_org == _value(data, "owner_org"))
    row = query.first()
    return row[0] if row else None


def _readable(name: str, context: dict) -> bool:
    """Whether the user validating may read the dataset, so that an error may name it: a
    private record of another organisation must not be revealed by a uniqueness message."""
    user = context.get("user")
    if not user:
        return bool(context.get("ignore_auth"))  # a command line or job without a user
    try:
        tk.check_access("package_show", {"user": user}, {"id": name})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def smartregion_indicator_checks(key, data, errors, context) -> None:
    """Schema-level after-validator of the indicator type."""
    code = _value(data, "indicator_code")
    objectives = _codes(data, "specific_objectives")
    if code:
        match = INDICATOR_CODE.match(str(code))
        if not match:
            _add_error(
                errors, "indicator_code", _("Write the code as objective-number, e.g. 2.1-01")
            )
        elif objectives and match["objective"] not in objectives:
            _add_error(
                errors,
                "indicator_code",
                _(
                    "Code {0} starts with objective {1}, which is not among the indicator's objectives ({2})"  # noqa: E501 (one msgid)
                ).format(code, match["objective"], ", ".join(objectives)),
            )
        elif other := _taken_by(
            "indicator", "indicator_code", str(code), data, context, same_org=False
        ):
            message = (
                _("Code {0} is already used by indicator {1}; choose another").format(code, other)
                if _readable(other, context)
                else _("Code {0} is already taken; choose another code").format(code)
            )
            _add_error(errors, "indicator_code", message)
    _check_baseline_and_target(data, errors)
    _check_activity_area(data, errors, objectives)


def _check_baseline_and_target(data: dict, errors: dict) -> None:
    if _value(data, "target_value") is not None and _value(data, "baseline_value") is None:
        _add_error(
            errors,
            "baseline_value",
            _("A target needs a baseline: give the baseline value and year"),
        )
    if _value(data, "baseline_value") is not None and _value(data, "baseline_year") is None:
        _add_error(errors, "baseline_year", _("Give the year of the baseline value"))
    if _value(data, "target_value") is not None and _value(data, "target_year") is None:
        _add_error(errors, "target_year", _("Give the year by which the target should be reached"))
    baseline_year, target_year = _value(data, "baseline_year"), _value(data, "target_year")
    if (
        baseline_year is not None
        and target_year is not None
        and int(target_year) < int(baseline_year)
    ):
        _add_error(
            errors,
            "target_year",
            _("The target year {0} is before the baseline year {1}").format(
                target_year, baseline_year
            ),
        )


def _check_activity_area(data: dict, errors: dict, objectives: list[str]) -> None:
    area_code = _value(data, "activity_area")
    area = taxonomy.get().get("activity_areas", str(area_code)) if area_code else None
    if (
        area
        and objectives
        and area.get("objectives")
        and not set(objectives) & set(area["objectives"])
    ):
        _add_error(
            errors,
            "activity_area",
            _("Activity area {0} serves objectives {1}, none of which is chosen ({2})").format(
                area_code, ", ".join(area["objectives"]), ", ".join(objectives)
            ),
        )


def smartregion_collection_object_checks(key, data, errors, context) -> None:
    """Schema-level after-validator of the collection-object type."""
    earliest, latest = _value(data, "dating_earliest"), _value(data, "dating_latest")
    if earliest is not None and latest is not None and int(latest) < int(earliest):
        _add_error(
            errors,
            "dating_latest",
            _("The latest year {0} is before the earliest year {1}").format(latest, earliest),
        )
    number, owner_org = _value(data, "inventory_number"), _value(data, "owner_org")
    lookups = context.get(BATCH_LOOKUPS)
    if lookups is not None and number and not lookups.number_used(owner_org, number):
        return
    if number and owner_org:
        other = _taken_by(
            "collection-object", "inventory_number", str(number), data, context, same_org=True
        )
        if other and context.get(quality_issues.HARVEST_ISSUES):
            # harvested museum data: the register keeps one record per object, so a repeated
            # number is imported and flagged on both records (docs/harvest-quality.md)
            quality_issues.flag_duplicate(data, context, "inventory_number", str(number), other)
        elif other:
            message = (
                _(
                    "Inventory number {0} is already used in this institution by {1}; check the number"  # noqa: E501 (one msgid)
                ).format(number, other)
                if _readable(other, context)
                else _(
                    "Inventory number {0} is already used in this institution; check the number"
                ).format(number)
            )
            _add_error(errors, "inventory_number", message)


def _refuse_report_name(key, data, context) -> None:
    """The names of the published reports (reports/names.py) belong to the coordinator's
    organisation: anyone else's dataset under such a name would squat next year's report."""
    name = data.get(key)
    if not report_names.is_report_name(name):
        return
    owner = data.get(("owner_org",))
    if owner in (None, "", tk.missing) and context.get("package") is not None:
        owner = context["package"].owner_org
    group = model.Group.get(owner) if owner else None
    coordinator = model.Group.get(coordinator_organization())
    if group is None or coordinator is None or group.id != coordinator.id:
        raise Invalid(
            _(
                "{0} is kept for the report the plan's coordinator publishes; choose another name"
            ).format(name)
        )


def smartregion_package_name_validator(key, data, errors, context) -> Any:
    """CKAN's package_name_validator; a bulk import's batch look-up (logic/batch_lookups.py)
    answers for a name it knows is free. Report names are the coordinator's."""
    _refuse_report_name(key, data, context)
    lookups = context.get(BATCH_LOOKUPS)
    if lookups is not None and not lookups.name_taken(data.get(key)):
        return None
    return tk.get_validator("package_name_validator")(key, data, errors, context)


def smartregion_owner_org_validator(key, data, errors, context) -> Any:
    """CKAN's owner_org_validator, once per organisation and user in a bulk import's batch."""
    lookups = context.get(BATCH_LOOKUPS)
    if lookups is not None:
        return lookups.owner_org(key, data, errors, context)
    return tk.get_validator("owner_org_validator")(key, data, errors, context)


def smartregion_project_checks(key, data, errors, context) -> None:
    """Schema-level after-validator of the project fiche type."""
    start, end = _value(data, "period_start"), _value(data, "period_end")
    if start is not None and end is not None and int(end) < int(start):
        _add_error(
            errors,
            "period_end",
            _("The period ends ({0}) before it starts ({1})").format(end, start),
        )
    _check_activity_area(data, errors, _codes(data, "specific_objectives"))


def smartregion_dataset_checks(key, data, errors, context) -> None:
    """Schema-level after-validator of the general dataset type (DCAT-AP-CZ requirements)."""
    has_keyword = any(
        k[0] == "tags" and k[-1] == "name" and data[k]
        for k in data
        if isinstance(k, tuple) and len(k) == 3
    )
    if not has_keyword and "tag_string" not in quality_issues.flagged_fields(
        quality_issues.effective(data, context)
    ):
        _add_error(
            errors, "tag_string", _("Give at least one keyword; DCAT-AP-CZ requires keywords")
        )


def smartregion_indicator_links(value: Any, context: dict) -> Any:
    """Names of indicator datasets a project links to; each must exist and be an indicator."""
    names = _as_list(value)
    if not names:
        return json.dumps([])
    found = dict(
        model.Session.query(model.Package.name, model.Package.type)
        .filter(model.Package.name.in_(names), model.Package.state != "deleted")
        .all()
    )
    wrong = [name for name in names if found.get(name) != "indicator"]
    if wrong:
        raise Invalid(
            _("Not an indicator dataset of this portal: {0}; give indicator names").format(
                ", ".join(wrong)
            )
        )
    return json.dumps(names)


def smartregion_ico(value: Any, context: dict) -> Any:
    """A Czech identification number (IČO): 8 digits whose last is the mod-11 check digit."""
    if value in (None, "", tk.missing):
        return value
    digits = str(value).strip().zfill(8)
    if not re.fullmatch(r"\d{8}", digits):
        raise Invalid(_("IČO must be 8 digits, not {0!r}").format(value))
    remainder = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True)) % 11
    check = (11 - remainder) % 10
    if int(digits[7]) != check:
        raise Invalid(_("IČO {0} fails its check digit; check the number").format(digits))
    return digits


def smartregion_quality_issues(key, data, errors, context) -> None:
    """A harvest's list of the record's problems; other updates keep the stored list, less
    what they fixed (review/issues.py)."""
    quality_issues.validate(key, data, errors, context)


@scheming_validator
def smartregion_required_unless_flagged(field: dict, schema: dict):
    """Required, unless the dataset's quality_issues flag the field as missing at its source."""
    return quality_issues.required_unless_flagged(field["field_name"])
