"""The import stage in batches: one queued harvest object (the batch's leader) brings up to
BATCH_SIZE - 1 others of the same OAI-PMH page (state BATCHED, never queued themselves).

New datasets go the bulk way, the same steps as ``package_create`` per record but one
transaction and one Solr request per batch:

1. map the LIDO and VALIDATE each dataset through the scheming schema of its type
   (``plugin_validate`` with the create schema, as package_create) — a refused record is an
   error of its own harvest object, naming the record; the others go on (the schema's
   name, inventory-number and organisation look-ups are answered once per batch,
   logic/batch_lookups.py);
2. (bulk_write.py) store them with CKAN's ``package_dict_save``, their organisation
   membership, the IPackageController create hooks, the default resource views and one "new package"
   activity each (holding the package_show dict, as the activity plugin stores);
3. dictize the stored datasets as package_show does (default and custom schema; one query per
   related table for the batch, bulk_dictize.py) and send the whole batch to Solr in ONE add
   request (quality scores stored together), then commit the database; the Solr commit is
   deferred (importer.commit_search_index, and Solr's autoSoftCommit);
4. the new private datasets (review scope) are recorded pending, and ONE link-check job
   is queued for the batch instead of one per dataset.

Updates of existing datasets and withdrawals (a minority after the first harvest) take the
per-record path (importer.import_object: package_update / package_delete). If the bulk write
fails as a whole (the database or Solr), the batch is rolled back and its records are
imported one by one, so one bad record never costs the others.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import plugins as lib_plugins
from ckanext.harvest.model import HarvestObject, HarvestObjectError
from sqlalchemy.orm import selectinload

from ckanext.smartregion import clock
from ckanext.smartregion.harvesters.oaipmh_lido import bulk_write, importer, progress, source_config
from ckanext.smartregion.harvesters.oaipmh_lido.gather import ACTIVE, BATCHED, MEMBERS_KEY
from ckanext.smartregion.logic.batch_lookups import BATCH_LOOKUPS, BatchLookups
from ckanext.smartregion.review import issues

log = logging.getLogger(__name__)

IMPORTING = "importing"  # the report status of a leader while its batch is imported


def member_ids(extras: dict[str, str]) -> list[str]:
    return [i for i in extras.get(MEMBERS_KEY, "").split(",") if i]


def is_leader(harvest_object: HarvestObject) -> bool:
    return MEMBERS_KEY in importer.extras_of(harvest_object)


def _claim_leader(leader: HarvestObject) -> bool:
    """False when the leader was (or is being) imported already: its queue message came twice
    (harvest_jobs_run re-sends an object still WAITING that a consumer has just taken)."""
    claimed = (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.id == leader.id, HarvestObject.report_status.is_(None))
        .update({"report_status": IMPORTING}, synchronize_session=False)
    )
    model.Session.commit()
    return bool(claimed)


def import_batch(
    leader: HarvestObject, context: dict, import_one: Callable[[HarvestObject], bool]
) -> bool:
    """Imports the leader and its members; the leader's success (ckanext-harvest sets its
    state). ``import_one`` is the per-record path, which stores its own errors."""
    with _batch_lock(leader.id) as alone:
        if not alone:
            log.info("Batch of %s: being imported (its queue message came twice)", leader.id)
            return False
        resumed = not _claim_leader(leader)
        if resumed:
            model.Session.refresh(leader)
            if leader.report_status != IMPORTING:
                log.info("Batch of %s: imported already (its message came twice)", leader.id)
                return leader.report_status != "errored"
            log.warning("Batch of %s: its import was interrupted; imported again", leader.id)
        return _import(leader, context, import_one, resumed)


@contextmanager
def _batch_lock(leader_id: str) -> Iterator[bool]:
    """Whether this consumer alone imports the batch: a PostgreSQL advisory lock held on a
    connection of its own for the import. PostgreSQL frees it when the importing process
    dies, so a repeated queue message tells an import going on (locked) from one that a
    stopped consumer left (the leader still marked IMPORTING, the lock free)."""
    digest = hashlib.blake2b(leader_id.encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    with model.meta.engine.connect() as connection:
        alone = bool(connection.execute(sa.select(sa.func.pg_try_advisory_lock(key))).scalar())
        connection.commit()  # the lock is the session's; no transaction stays open
        try:
            yield alone
        finally:
            if alone:
                connection.execute(sa.select(sa.func.pg_advisory_unlock(key)))
                connection.commit()


def _import(
    leader: HarvestObject,
    context: dict,
    import_one: Callable[[HarvestObject], bool],
    resumed: bool,
) -> bool:
    members = _claim(leader, resumed)
    objects = [leader, *members]
    config = source_config.parse(leader.source.config)
    existing = _guids_with_dataset(objects)
    results: dict[str, bool | str] = {}  # True/False from import_one, or "added"
    if resumed:  # the interrupted import may have stored the batch before it stopped
        for harvest_object in objects:
            if harvest_object.package_id and harvest_object.guid not in existing:
                results[harvest_object.id] = "added"
    new: list[bulk_write.NewDataset] = []
    batch_keys: dict[tuple[str, str], str] = {}  # (kind, value) → the record's name
    starts_private: dict[tuple[str, str], bool] = {}  # the review scope, once per batch
    batch_lookups = BatchLookups(importer.DATASET_TYPE, "inventory_number")
    mapped: list[tuple[HarvestObject, dict[str, Any]]] = []
    for harvest_object in objects:
        if harvest_object.id in results:
            continue
        extras = importer.extras_of(harvest_object)
        if extras.get("status", ACTIVE) != ACTIVE or harvest_object.guid in existing:
            results[harvest_object.id] = import_one(harvest_object)
            continue
        try:
            dataset = importer.dataset_dict(harvest_object, extras, config, context)
        except Exception as error:  # each record's error is its own
            _refused(harvest_object, error, results)
            continue
        batch_lookups.note(dataset)
        mapped.append((harvest_object, dataset))
    # records another (or a re-created) source made: updated one by one; one query a batch
    known = importer.identities_with_dataset([dataset for _o, dataset in mapped])
    for harvest_object, dataset in mapped:
        if (dataset["owner_org"], dataset.get("source_record_id")) in known:
            results[harvest_object.id] = import_one(harvest_object)
            continue
        try:
            data = _validated(dataset, context, batch_keys, starts_private, batch_lookups)
        except Exception as error:
            _refused(harvest_object, error, results)
            continue
        new.append(bulk_write.NewDataset(harvest_object, data))
    if new:
        try:
            bulk_write.write(new, context)
            for item in new:
                results[item.harvest_object.id] = "added"
            bulk_write.after_write(new, context)
        except Exception:
            log.exception("The bulk write of a batch of %s failed; one by one instead", len(new))
            model.Session.rollback()
            for item in new:
                results[item.harvest_object.id] = import_one(item.harvest_object)
    # the leader's report status too: ckanext-harvest commits its state COMPLETE before it
    # sets its report status, and the job may be finished (and its stats read) in between
    leader.report_status = _report_status(leader, results[leader.id])
    _finish(members, results)
    importer.commit_search_index()
    progress.log_progress(leader, leader.report_status)
    return bool(results[leader.id])


def fail_members(leader: HarvestObject, message: str) -> None:
    """After a crash of the batch as a whole: its unfinished members end as errors (the job
    must not stay Running), each naming its record."""
    ids = member_ids(importer.extras_of(leader))
    unfinished = (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.id.in_(ids), HarvestObject.state.in_((BATCHED, "IMPORT")))
        .all()
    )
    now = clock.now()
    for member in unfinished:
        member.state, member.report_status, member.import_finished = "ERROR", "errored", now
        model.Session.add(
            HarvestObjectError(
                message=f"{importer.describe(member)}: {message}", object=member, stage="Import"
            )
        )
    model.Session.commit()


def _claim(leader: HarvestObject, resumed: bool) -> list[HarvestObject]:
    """The leader's members still waiting, marked as being imported; those an interrupted
    import of the batch had marked too, when it is resumed."""
    ids = member_ids(importer.extras_of(leader))
    if not ids:
        return []
    states = (BATCHED, "IMPORT") if resumed else (BATCHED,)
    members = (
        model.Session.query(HarvestObject)
        .options(selectinload(HarvestObject.extras))
        .filter(HarvestObject.id.in_(ids), HarvestObject.state.in_(states))
        .with_for_update(skip_locked=True, of=HarvestObject)
        .all()
    )
    now = clock.now()
    for member in members:
        member.state = "IMPORT"
        member.fetch_started = member.fetch_finished = member.import_started = now
    model.Session.commit()
    return members


def _guids_with_dataset(objects: list[HarvestObject]) -> set[str]:
    """The records of this batch that already made or withdrew a dataset of this source."""
    guids = [o.guid for o in objects]
    rows = (
        model.Session.query(HarvestObject.guid)
        .filter(
            HarvestObject.harvest_source_id == objects[0].harvest_source_id,
            HarvestObject.guid.in_(guids),
            HarvestObject.package_id.isnot(None),
            HarvestObject.state == "COMPLETE",
        )
        .distinct()
    )
    return {guid for (guid,) in rows}


def _refused(harvest_object: HarvestObject, error: Exception, results: dict) -> None:
    model.Session.rollback()
    _object_error(harvest_object, importer.error_message(harvest_object, error))
    results[harvest_object.id] = False


def _validated(
    dataset: dict[str, Any],
    context: dict,
    batch_keys: dict[tuple[str, str], str],
    starts_private: dict[tuple[str, str], bool],
    batch_lookups: BatchLookups,
) -> dict[str, Any]:
    scope = (dataset["owner_org"], dataset["type"])
    if scope not in starts_private:
        starts_private[scope] = importer._starts_private(*scope)
    dataset["private"] = starts_private[scope]
    plugin = lib_plugins.lookup_package_plugin(dataset["type"])
    validation_context = {
        **context,
        "model": model,
        "session": model.Session,
        "auth_user_obj": batch_lookups.user(context["user"]),
        BATCH_LOOKUPS: batch_lookups,
    }
    data, errors = lib_plugins.plugin_validate(
        plugin, validation_context, dataset, plugin.create_package_schema(), "package_create"
    )
    if errors:
        raise tk.ValidationError(errors)
    # the validators look in the database; two records of one batch are checked here
    for key in (("name", data["name"]), (data["owner_org"], data.get("inventory_number"))):
        if key[1] and key in batch_keys:
            field = "name" if key[0] == "name" else "inventory_number"
            if field == "inventory_number" and context.get(issues.HARVEST_ISSUES):
                # harvested museum data: imported, both records flagged (review/issues.py)
                other, number = batch_keys[key], str(key[1])
                extras = data.setdefault("extras", [])  # scheming stores its fields as extras
                stored = next((e for e in extras if e.get("key") == issues.FIELD), None)
                own = issues.parse(stored["value"] if stored else data.get(issues.FIELD))
                own.append(issues.duplicate_issue(field, number, other, context))
                value = json.dumps(own, ensure_ascii=False, sort_keys=True)
                if stored:
                    stored["value"] = value
                else:
                    extras.append({"key": issues.FIELD, "value": value})
                data[issues.FIELD] = value
                also = issues.duplicate_issue(field, number, data["name"], context)
                context[issues.ALSO_FLAG].append((other, also))
                continue
            raise tk.ValidationError(
                {field: [f"{key[1]} is used by another record of the same harvest; check it"]}
            )
        batch_keys[key] = data["name"]
    return data


def _object_error(harvest_object: HarvestObject, message: str) -> None:
    HarvestObjectError(message=message, object=harvest_object, stage="Import").save()


def _finish(members: list[HarvestObject], results: dict[str, bool | str]) -> None:
    """The members' final states, as ckanext-harvest sets the leader's."""
    now = clock.now()
    for member in members:
        result = results.get(member.id, False)
        member.state = "COMPLETE" if result else "ERROR"
        member.import_finished = now
        member.report_status = _report_status(member, result)
    model.Session.commit()


def _report_status(harvest_object: HarvestObject, result: bool | str) -> str:
    """As ckanext-harvest reports an object (fetch_and_import_stages)."""
    if not result:
        return "errored"
    if result == "added":
        return "added"
    if harvest_object.current is False:
        return "deleted"
    return "updated" if _has_earlier(harvest_object) else "added"


def _has_earlier(harvest_object: HarvestObject) -> bool:
    return (
        model.Session.query(HarvestObject.id)
        .filter(
            HarvestObject.package_id == harvest_object.package_id,
            HarvestObject.id != harvest_object.id,
        )
        .first()
        is not None
    )
