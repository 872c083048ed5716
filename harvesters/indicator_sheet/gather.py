"""The gather stage: fetch the sheet, check every row of it, queue one object per indicator.

The whole sheet is checked before anything is written: rows are grouped by indicator code,
each group goes through the same row checks as an upload on the indicator page
(indicators/values.normalise_rows), and an unknown code, a missing code or any bad row
refuses the whole sheet. Then each problem is stored as an error of the object of its
indicator (with the row number) and nothing is queued, so the DataStore keeps what it had.
An indicator of an organisation where the source's owner may not create datasets is such a
problem too (source_owner.py).
A sheet byte-for-byte the same as the last one harvested completely is not read again.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
)

from ckanext.smartregion import solr_query
from ckanext.smartregion.harvesters import data_sheet, source_owner
from ckanext.smartregion.harvesters.http import FetchError
from ckanext.smartregion.harvesters.indicator_sheet import source_config
from ckanext.smartregion.harvesters.stages import gather_error, new_object
from ckanext.smartregion.indicators import values
from ckanext.smartregion.sheet_limits import SheetLimits

log = logging.getLogger(__name__)

HASH_KEY = "sheet_hash"
NO_CODE = ""  # the object that carries rows without an indicator code
NOTHING_WRITTEN = "Nothing was written; the indicators keep the values they had."


def gather(job: HarvestJob, config: source_config.SourceConfig) -> list[str]:
    source = job.source
    url = config.url or source.url
    try:
        sheet = data_sheet.fetch(url, config.format)
        if sheet.format == "json":
            raise data_sheet.SheetError(f"{url} is JSON; publish the sheet as CSV or XLSX")
    except (FetchError, data_sheet.SheetError) as error:
        gather_error(job, f"The sheet could not be read: {error}. {NOTHING_WRITTEN}")
        return []
    if sheet.sha256 == _last_complete_hash(source.id):
        _save_object(job, url, None, "COMPLETE", "not modified", sheet.sha256)
        model.Session.commit()
        log.info("Job %s: the sheet %s is unchanged since the last harvest", job.id, url)
        return []
    try:
        groups, problems, first_row = _group_rows(sheet, config)
        indicators = _indicators(set(groups))
        owner = source_owner.owner_of(source)
        records = _check(groups, problems, indicators, first_row, owner)
    except data_sheet.SheetError as error:
        gather_error(job, f"The sheet could not be read: {error}. {NOTHING_WRITTEN}")
        return []
    if any(problems.values()):
        _refuse(job, problems, sheet.sha256)
        return []
    queued = [
        _save_object(
            job,
            code,
            json.dumps({"indicator_id": indicators[code]["id"], "records": rows}),
            "WAITING",
            None,
            sheet.sha256,
        )
        for code, rows in records.items()
    ]
    model.Session.commit()
    log.info(
        "Job %s: sheet %s checked, %s rows for %s indicators queued",
        job.id,
        url,
        sum(len(rows) for rows in records.values()),
        len(queued),
    )
    return queued


def _group_rows(
    sheet: data_sheet.Sheet, config: source_config.SourceConfig
) -> tuple[dict[str, dict[int, dict]], dict[str, list[tuple[int, str]]], int]:
    """Rows by indicator code ({row number: row with canonical headings}), rows without a
    code as problems, and the number of the first data row."""
    groups: dict[str, dict[int, dict]] = defaultdict(dict)
    problems: dict[str, list[tuple[int, str]]] = defaultdict(list)
    first_row = 1 if sheet.format == "json" else 2
    for number, raw in data_sheet.dict_rows(sheet, config.sheet, SheetLimits.from_config()):
        row: dict[str, Any] = {}
        code_column, code = None, ""
        for heading, cell in raw.items():
            heading = str(heading or "").strip()
            target = config.columns.get(heading.casefold())
            if target == "code" or (
                target is None and heading.casefold() in source_config.CODE_ALIASES
            ):
                code_column, code = heading, "" if cell is None else str(cell).strip()
            elif heading:
                row[target or heading] = cell
        if not code and not any(str(v).strip() for v in row.values() if v is not None):
            continue  # a blank line
        if code_column is None:
            raise data_sheet.SheetError(
                "The sheet has no column with the indicator code; name it Kód (or code), or "
                'map it in the source configuration: {"columns": {"code": "<heading>"}}'
            )
        if not code:
            problems[NO_CODE].append(
                (number, f"Row {number}, column {code_column}: the indicator code is missing")
            )
            continue
        groups[code][number] = row
    return groups, problems, first_row


def _indicators(codes: set[str]) -> dict[str, dict[str, Any]]:
    """The indicators (any state but deleted, private included) with these codes."""
    if not codes:
        return {}
    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {
            "fq": "+dataset_type:indicator +" + solr_query.any_of("indicator_code", sorted(codes)),
            "rows": 1000,
            "include_private": True,
        },
    )
    return {d["indicator_code"]: d for d in result["results"] if d.get("indicator_code") in codes}


def _check(
    groups: dict[str, dict[int, dict]],
    problems: dict[str, list[tuple[int, str]]],
    indicators: dict[str, dict[str, Any]],
    first_row: int,
    owner: source_owner.SourceOwner,
) -> dict[str, list[dict[str, Any]]]:
    """Each indicator's checked records; each problem filed under its code."""
    records: dict[str, list[dict[str, Any]]] = {}
    for code, rows in sorted(groups.items()):
        indicator = indicators.get(code)
        if indicator is None:
            problems[code] += [
                (
                    number,
                    f"Row {number}: no indicator has the code {code!r}; correct the code or "
                    "create the indicator first",
                )
                for number in rows
            ]
            continue
        if not owner.may_create_in(indicator["owner_org"]):
            organization = (indicator.get("organization") or {}).get("name", "")
            problems[code] += [
                (
                    number,
                    f"Row {number}: the indicator {code!r} belongs to the organisation "
                    f"{organization!r}, where the source's owner ({owner.label}) may not create "
                    "datasets; remove its rows, or have an editor of that organisation or a "
                    "sysadmin save the source",
                )
                for number in rows
            ]
            continue
        # The other indicators' rows are passed as blank lines, which normalise_rows skips:
        # its messages then carry the row numbers of the sheet.
        last = max(rows)
        padded = [rows.get(number, {}) for number in range(first_row, last + 1)]
        try:
            records[code] = values.normalise_rows(
                padded, bool(indicator.get("is_sample_data")), first_row
            )
        except values.ValuesError as error:
            for message in error.error_dict.get("rows", []):
                problems[code].append((_row_number(message), f"{message} (indicator {code})"))
    return records


def _row_number(message: str) -> int | None:
    head = message.split(":", 1)[0]
    number = head.removeprefix("Row ").strip()
    return int(number) if number.isdigit() else None


def _refuse(job: HarvestJob, problems: dict[str, list[tuple[int, str]]], content_hash: str) -> None:
    count = sum(len(found) for found in problems.values())
    for code, found in sorted(problems.items()):
        if not found:
            continue
        object_id = _save_object(
            job, code or "(bez kódu / no code)", None, "ERROR", "errored", content_hash
        )
        for line, message in sorted(found, key=lambda item: item[0] or 0):
            model.Session.add(
                HarvestObjectError(
                    harvest_object_id=object_id, message=message, stage="Validation", line=line
                )
            )
    model.Session.commit()
    HarvestGatherError.create(
        message=f"The sheet was refused: {count} problem(s), listed per indicator and row in "
        f"the object errors. {NOTHING_WRITTEN} Fix the rows and publish the sheet again.",
        job=job,
    )
    log.info("Job %s: sheet refused with %s problems", job.id, count)


def _save_object(
    job: HarvestJob,
    guid: str,
    content: str | None,
    state: str,
    report_status: str | None,
    content_hash: str,
) -> str:
    return new_object(job, guid, content, state, report_status, extras={HASH_KEY: content_hash})


def _last_complete_hash(source_id: str) -> str | None:
    """The hash of the sheet of the source's last job whose objects all completed."""
    latest = (
        model.Session.query(HarvestObject.harvest_job_id, HarvestObjectExtra.value)
        .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObjectExtra.key == HASH_KEY)
        .order_by(HarvestObject.gathered.desc())
        .first()
    )
    if latest is None:
        return None
    job_id, content_hash = latest
    unfinished = (
        model.Session.query(HarvestObject.id)
        .filter(HarvestObject.harvest_job_id == job_id, HarvestObject.state != "COMPLETE")
        .first()
    )
    return None if unfinished else content_hash
