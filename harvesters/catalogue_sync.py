"""What the catalogue harvesters (DCAT-AP-CZ, ArcGIS Hub data.json, CKAN) share: turning a
source's listing into harvest objects, skipping unchanged records, the shrink guard before any
withdrawal, and creating/updating/withdrawing `dataset` records through the actions
(catalogue_harvester.py holds the harvester base on top of it).

A listing is a sequence of `Listed` entries, one per source record, identified by `guid` (the
dataset IRI, data.json `identifier`, or CKAN package id). An entry that carries its record
(`content`) is compared with the last import by content hash right here; one that does not
(a DCAT-AP-CZ dataset IRI to dereference) is compared by the fetch stage (`fetched`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.munge import munge_title_to_name
from ckan.logic import index_update_package  # the indexing package_create defers; not in tk
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra

from ckanext.smartregion import clock
from ckanext.smartregion.harvesters import record_identity, steward_fixes
from ckanext.smartregion.harvesters.catalogue_config import CatalogueConfig
from ckanext.smartregion.harvesters.import_stage import extras_of, previous_object
from ckanext.smartregion.harvesters.record_issues import RecordIssues
from ckanext.smartregion.harvesters.stages import gather_error, previous_state
from ckanext.smartregion.review import issues as stored_issues

log = logging.getLogger(__name__)

DATASET_TYPE = "dataset"
ACTIVE, WITHDRAWN = "active", "withdrawn"


@dataclass(frozen=True)
class Listed:
    guid: str
    content: str | None = None  # the record as listed; None: the fetch stage dereferences guid


@dataclass
class GatherSummary:
    queued: list[str] = field(default_factory=list)
    new_or_changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    listed: int = 0


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def queue_listing(
    job: HarvestJob, listing: Iterable[Listed], config: CatalogueConfig, complete: bool
) -> GatherSummary:
    """Harvest objects for the listing: unchanged records stored as "not modified", the rest
    queued; records gone from a complete listing queued for withdrawal unless the listing
    shrank below the source's withdraw_threshold (then a warning, and nothing withdrawn)."""
    previous = previous_state(job.source_id)
    summary = GatherSummary()
    seen: set[str] = set()
    objects: list[dict] = []
    extras: list[dict] = []
    for entry in listing:
        if not entry.guid or entry.guid in seen:
            continue  # a record listed twice is harvested once
        seen.add(entry.guid)
        summary.listed += 1
        if config.max_datasets and summary.listed > config.max_datasets:
            gather_error(
                job,
                f"Warning: the source lists more than max_datasets={config.max_datasets} "
                "records; the rest were not harvested and nothing was withdrawn.",
            )
            complete = False
            break
        before = previous.get(entry.guid)
        values = {"status": ACTIVE}
        if entry.content is not None:
            digest = content_hash(entry.content)
            if before and before.content_hash == digest:
                objects.append(_row(job, entry.guid, None, "COMPLETE", before.package_id))
                summary.unchanged += 1
                continue
            values["content_hash"] = digest
        summary.new_or_changed += 1
        _queue(job, objects, extras, summary, entry.guid, entry.content, values, None)
        if len(objects) >= 500:
            _save(objects, extras)
    if complete:
        missing = [guid for guid in previous if guid not in seen]
        if missing and summary.listed < config.withdraw_threshold * len(previous):
            gather_error(
                job,
                f"Warning: the source lists {summary.listed} datasets, fewer than "
                f"{config.withdraw_threshold:.0%} of the {len(previous)} harvested before; the "
                f"{len(missing)} missing were NOT withdrawn. If the source really removed them, "
                "lower withdraw_threshold in the source configuration for one harvest; "
                "otherwise check the source.",
            )
        else:
            for guid in missing:
                _queue(
                    job,
                    objects,
                    extras,
                    summary,
                    guid,
                    None,
                    {"status": WITHDRAWN},
                    previous[guid].package_id,
                )
                summary.withdrawn += 1
    _save(objects, extras)
    log.info(
        "Job %s gathered: %s listed, %s new or changed, %s unchanged, %s to withdraw%s",
        job.id,
        summary.listed,
        summary.new_or_changed,
        summary.unchanged,
        summary.withdrawn,
        "" if complete else " (listing incomplete: nothing withdrawn)",
    )
    return summary


def _queue(
    job: HarvestJob,
    objects: list[dict],
    extras: list[dict],
    summary: GatherSummary,
    guid: str,
    content: str | None,
    values: dict[str, str],
    package_id: str | None,
) -> None:
    row = _row(job, guid, content, "WAITING", package_id)
    objects.append(row)
    extras.extend(
        {"id": str(uuid.uuid4()), "harvest_object_id": row["id"], "key": key, "value": value}
        for key, value in values.items()
    )
    summary.queued.append(row["id"])


def _row(
    job: HarvestJob, guid: str, content: str | None, state: str, package_id: str | None
) -> dict[str, Any]:
    now = clock.now()
    complete = state == "COMPLETE"
    return {
        "id": str(uuid.uuid4()),
        "guid": guid,
        "content": content,
        "state": state,
        "report_status": "not modified" if complete else None,
        "package_id": package_id,
        "current": False,
        "gathered": now,
        "retry_times": 0,
        "harvest_job_id": job.id,
        "harvest_source_id": job.source_id,
        "import_finished": now if complete else None,
    }


def _save(objects: list[dict], extras: list[dict]) -> None:
    if objects:
        model.Session.bulk_insert_mappings(HarvestObject, objects)
        model.Session.bulk_insert_mappings(HarvestObjectExtra, extras)
        objects.clear()
        extras.clear()
    model.Session.commit()


def fetched(harvest_object: HarvestObject, content: str) -> bool | str:
    """Stores a dereferenced record on its object; "unchanged" when it is what the current
    dataset came from (ckanext-harvest then reports it "not modified" and skips the import)."""
    digest = content_hash(content)
    previous = previous_object(harvest_object)
    if previous is not None and previous.current:
        before = extras_of(previous).get("content_hash")
        if before == digest:
            harvest_object.package_id = previous.package_id
            harvest_object.save()
            return "unchanged"
    harvest_object.content = content
    harvest_object.extras.append(HarvestObjectExtra(key="content_hash", value=digest))
    harvest_object.save()
    return True


def store(
    harvest_object: HarvestObject,
    dataset: dict[str, Any],
    context: dict,
    check_organization: Callable[[str | None], None],
    issues: RecordIssues | None = None,
) -> str:
    """Creates or updates the record's `dataset` through the actions (so validation and other
    plugins' hooks apply); the object becomes the record's current one. An existing dataset's
    organisation passes ``check_organization`` first (the source's owner may write there).

    The record's dataset is found by its identity at the source (the guid: DCAT IRI, data.json
    identifier, CKAN package), whichever harvest source brought it before
    (docs/harvest-quality.md, "One record, one dataset"). Its `quality_issues` are this
    harvest's; a field the source lacks keeps a steward's value (steward_fixes.py)."""
    issues = issues or RecordIssues(harvest_object.harvest_job_id)
    previous = previous_object(harvest_object)
    package_id = previous.package_id if previous else None
    existing_name = (
        model.Session.query(model.Package.name).filter_by(id=package_id).scalar()
        if package_id
        else None
    )
    if not existing_name:
        # the name is the record's own (source and GUID hashed): a dataset holding it is this
        # record's, e.g. made by the same object queued twice (the scheduler resubmits objects
        # it finds waiting) or by a job whose harvest objects were cleared
        existing_name = dataset_name(harvest_object, dataset.get("title") or "")
        package_id = model.Session.query(model.Package.id).filter_by(name=existing_name).scalar()
        existing_name = existing_name if package_id else None
    if not existing_name:
        package_id = record_identity.dataset_of(harvest_object.guid)
        existing_name = (
            model.Session.query(model.Package.name).filter_by(id=package_id).scalar()
            if package_id
            else None
        )
    dataset = {**dataset, "type": DATASET_TYPE}
    context = {**context, stored_issues.HARVEST_ISSUES: True}
    if existing_name:
        check_organization(_owner_org(package_id))
        steward_fixes.keep(package_id, dataset, issues)
        dataset[stored_issues.FIELD] = issues.items
        dataset.update(id=package_id, name=existing_name, state="active")
        new_id = tk.get_action("package_update")(dict(context), dataset)["id"]
    else:
        dataset[stored_issues.FIELD] = issues.items
        dataset["name"] = dataset_name(harvest_object, dataset.get("title") or "")
        new_id = tk.get_action("package_create")(
            {**context, "defer_commit": True, "return_id_only": True}, dataset
        )
    was_current = previous is not None and previous.current
    if was_current:
        previous.current = False
        previous.add()
    record_identity.take_over(harvest_object, new_id)
    harvest_object.package_id = new_id
    harvest_object.current = True
    harvest_object.extras.append(
        HarvestObjectExtra(
            key=stored_issues.FIELD, value=json.dumps(sorted(issues.fields()), ensure_ascii=False)
        )
    )
    if not was_current:
        # (re)indexed once the object links it, so the index carries its harvest source
        model.Session.flush()
        index_update_package({"ignore_auth": True}, new_id, defer_commit=True)
    harvest_object.save()
    return new_id


def withdraw(
    harvest_object: HarvestObject, context: dict, check_organization: Callable[[str | None], None]
) -> None:
    """Deletes (CKAN's soft delete: state "deleted", restorable) the dataset of a record gone
    from its source, if its organisation passes ``check_organization``; a re-listed record
    brings it back as active."""
    previous = previous_object(harvest_object)
    package_id = harvest_object.package_id or (previous.package_id if previous else None)
    if package_id and record_identity.owned_elsewhere(harvest_object, package_id):
        package_id = None  # another source brings the record now: it stays
    if package_id:
        check_organization(_owner_org(package_id))
        # removed by hand meanwhile: nothing left to withdraw
        with contextlib.suppress(tk.ObjectNotFound):
            tk.get_action("package_delete")(dict(context), {"id": package_id})
    if previous is not None and previous.current:
        previous.current = False
        previous.add()
    harvest_object.package_id = package_id
    harvest_object.current = False
    harvest_object.save()


def _owner_org(package_id: str | None) -> str | None:
    return model.Session.query(model.Package.owner_org).filter_by(id=package_id).scalar()


def dataset_name(harvest_object: HarvestObject, title: str) -> str:
    """A readable, stable URL name: the title's slug and a hash of source and record, so the
    same record always gets the same name and two records never share one."""
    unique = hashlib.sha1(
        f"{harvest_object.harvest_source_id} {harvest_object.guid}".encode()
    ).hexdigest()[:8]
    return f"{munge_title_to_name(title)[:80].strip('-') or 'datova-sada'}-{unique}"
