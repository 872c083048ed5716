"""The gather stage: fetch the file, check every row, keep only readings not stored yet.

A file that cannot be fetched or read, or whose bad rows exceed limits.max_bad_share, writes
nothing. Otherwise bad rows are skipped and reported (object "rows", one error per row
naming the row, the column and the fix), the dataset and its tables are made if missing,
each reading is compared with what its table holds for the file's time span, and the new
ones are queued in objects of at most CHUNK readings per table. A stored reading the file
gives another value is a correction: reported (object "corrections"), or written when the
source says "corrections": "apply". Object "file" holds the job's summary.
"""

from __future__ import annotations

import json
import logging
import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from ckan import model
from ckanext.harvest.model import HarvestJob, HarvestObjectError

from ckanext.smartregion.harvesters import data_sheet
from ckanext.smartregion.harvesters.http import FetchError
from ckanext.smartregion.harvesters.metering import readings, source_config, store
from ckanext.smartregion.harvesters.stages import gather_error, new_object

log = logging.getLogger(__name__)

CHUNK = 50_000
MAX_REPORTED = 200  # row errors stored per job; the rest are counted
NOTHING_WRITTEN = "Nothing was written; the readings stored before are unchanged."


@dataclass
class Summary:
    rows: int = 0
    new: int = 0
    unchanged: int = 0
    duplicates: int = 0
    corrections: int = 0
    rejected: int = 0
    queued_objects: int = 0

    def line(self) -> str:
        return ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in asdict(self).items())


def gather(
    job: HarvestJob, config: source_config.SourceConfig, context: dict[str, Any]
) -> list[str]:
    source = job.source
    url = config.url or source.url
    try:
        sheet = data_sheet.fetch(url, config.format)
        if sheet.format == "xlsx":
            raise data_sheet.SheetError(f"{url} is XLSX; publish the readings as CSV or JSON")
        checked = _check(sheet, config)
    except (FetchError, data_sheet.SheetError) as error:
        return _refuse(job, f"The file could not be read: {error}. {NOTHING_WRITTEN}")
    summary = Summary(rows=checked.rows, duplicates=checked.duplicates)
    summary.rejected = len({problem.row for problem in checked.problems})
    log.info(
        "Job %s: %s rows read from %s, %s rejected", job.id, checked.rows, url, summary.rejected
    )
    if checked.rows == 0:
        return _refuse(job, f"{url} has no readings. {NOTHING_WRITTEN}")
    if summary.rejected > config.max_bad_share * checked.rows:
        _row_errors(job, checked.problems)
        return _refuse(
            job,
            f"{summary.rejected} of {checked.rows} rows are bad, more than "
            f"limits.max_bad_share ({config.max_bad_share:.0%}); the file was refused whole. "
            f"{NOTHING_WRITTEN} The first bad rows are listed in the object errors.",
        )
    if checked.problems:
        _row_errors(job, checked.problems)
    package = model.Package.get(source.id)  # a harvest source is a dataset of type harvest
    source_dict = {
        "name": package.name,
        "title": package.title or source.url,
        "owner_org": package.owner_org,
    }
    try:
        dataset = store.ensure_dataset(context, config, source_dict)
    except store.StoreError as error:
        return _refuse(job, f"{error}. {NOTHING_WRITTEN}")
    by_group: dict[str, list[readings.Reading]] = defaultdict(list)
    for reading in checked.readings:
        by_group[
            reading.meter_group if config.group_by == "meter_group" else reading.building
        ].append(reading)
    ids = store.ensure_tables(context, config, dataset, set(by_group))
    queued: list[str] = []
    conflicts: list[tuple[readings.Reading, float]] = []
    for group, group_readings in sorted(by_group.items()):
        new, corrected = _compare(ids[(store.READINGS, group)], group_readings, summary)
        conflicts += corrected
        if config.corrections == "apply":
            queued += _queue(job, dataset["id"], group, ids, [r for r, _ in corrected], "upsert")
        queued += _queue(job, dataset["id"], group, ids, new, "insert")
    summary.queued_objects = len(queued)
    if conflicts:
        _corrections(job, conflicts, config.corrections)
    _summary_object(job, url, sheet.sha256, summary)
    model.Session.commit()
    log.info("Job %s gathered: %s", job.id, summary.line())
    return queued


def _check(sheet: data_sheet.Sheet, config: source_config.SourceConfig) -> readings.Checked:
    rows = data_sheet.dict_rows(sheet)
    first = next(rows, None)
    if first is None:
        return readings.Checked()
    columns = readings.ColumnMap(first[1].keys(), config.columns)
    missing = columns.missing(config.group_by)
    if missing:
        raise data_sheet.SheetError(
            f"the file has no column for {', '.join(missing)}; name the columns "
            f"{', '.join(missing)} or map them in the source configuration, e.g. "
            f'{{"columns": {{"{missing[0]}": "<heading in the file>"}}}}'
        )
    checker = readings.Checker(columns, config.timezone, config.group_by)
    checker.add(*first)
    for number, row in rows:
        checker.add(number, row)
    return checker.result


def _compare(
    resource_id: str, group_readings: list[readings.Reading], summary: Summary
) -> tuple[list[readings.Reading], list[tuple[readings.Reading, float]]]:
    """New readings and corrections (reading, stored value) against the table."""
    since = min(r.at for r in group_readings)
    until = max(r.at for r in group_readings)
    held = {(meter, at): value for meter, at, value in store.stored(resource_id, since, until)}
    new, corrected = [], []
    for reading in group_readings:
        value = held.get(reading.key)
        if value is None:
            new.append(reading)
        elif math.isclose(value, reading.value, rel_tol=1e-9, abs_tol=1e-9):
            summary.unchanged += 1
        else:
            corrected.append((reading, value))
    summary.new += len(new)
    summary.corrections += len(corrected)
    return new, corrected


def _queue(
    job: HarvestJob,
    dataset_id: str,
    group: str,
    ids: dict[Any, str],
    new: list[readings.Reading],
    method: str,
) -> list[str]:
    queued = []
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        content = json.dumps(
            {
                "group": group,
                "method": method,
                "resource_id": ids[(store.READINGS, group)],
                "daily_id": ids[store.DAILY],
                "monthly_id": ids[store.MONTHLY],
                "rows": [
                    [
                        r.meter_id,
                        r.building,
                        r.meter_group,
                        r.medium,
                        r.unit,
                        r.at.isoformat(),
                        r.value,
                        r.day,
                        r.month,
                    ]
                    for r in chunk
                ],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        queued.append(new_object(job, group, content, "WAITING", None, package_id=dataset_id))
    return queued


def _row_errors(job: HarvestJob, problems: list[readings.Problem]) -> None:
    object_id = new_object(job, "rows", None, "ERROR", "errored")
    _capped_errors(
        object_id,
        [(str(problem), problem.row) for problem in problems],
        "more problems of the same file",
    )
    model.Session.commit()


def _corrections(
    job: HarvestJob, conflicts: list[tuple[readings.Reading, float]], mode: str
) -> None:
    object_id = new_object(
        job, "corrections", None, "ERROR" if mode == "report" else "COMPLETE", None
    )
    verdict = (
        'kept the stored value (append-only); set "corrections": "apply" to take the file\'s'
        if mode == "report"
        else "the file's value was written"
    )
    _capped_errors(
        object_id,
        [
            (
                f"Row {reading.row}: meter {reading.meter_id} at {reading.at.isoformat()} is "
                f"stored as {stored_value}, the file says {reading.value}; {verdict}",
                reading.row,
            )
            for reading, stored_value in conflicts
        ],
        "more corrected readings",
    )


def _capped_errors(object_id: str, errors: list[tuple[str, int]], more: str) -> None:
    """The first MAX_REPORTED (message, row) as validation errors of the object, the rest
    counted in one more error ("... and N <more>")."""
    for message, row in errors[:MAX_REPORTED]:
        model.Session.add(
            HarvestObjectError(
                harvest_object_id=object_id, message=message, stage="Validation", line=row
            )
        )
    if len(errors) > MAX_REPORTED:
        model.Session.add(
            HarvestObjectError(
                harvest_object_id=object_id,
                message=f"... and {len(errors) - MAX_REPORTED} {more}",
                stage="Validation",
            )
        )


def _summary_object(job: HarvestJob, url: str, content_hash: str, summary: Summary) -> None:
    new_object(
        job,
        "file",
        json.dumps({"url": url, "sha256": content_hash, **asdict(summary)}),
        "COMPLETE",
        "not modified",  # the file object itself changes nothing; its content is the summary
        extras={"sha256": content_hash},
    )


def _refuse(job: HarvestJob, message: str) -> list[str]:
    gather_error(job, message)
    return []
