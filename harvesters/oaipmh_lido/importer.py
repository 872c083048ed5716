"""The import stage: one harvest object → a created, updated or withdrawn collection object.

Returns what ckanext-harvest expects and never raises (an exception would stop the fetch
consumer): every failure is stored as an object error naming the record. A record is written
only into an organisation where the source's owner may create datasets (source_owner.py).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import time
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.logic import index_update_package  # the indexing package_create defers; not in tk
from ckanext.harvest.model import HarvestObject

from ckanext.smartregion.harvesters import safe_xml, source_owner
from ckanext.smartregion.harvesters.import_stage import (
    RecordError,
    extras_of,
    previous_object,
    validation_summary,
)
from ckanext.smartregion.harvesters.oaipmh_lido import institutions, lido, source_config
from ckanext.smartregion.harvesters.oaipmh_lido.gather import ACTIVE

log = logging.getLogger(__name__)

DATASET_TYPE = "collection-object"
INDEX_COMMIT_INTERVAL = 10.0  # seconds


def import_object(harvest_object: HarvestObject, context: dict) -> tuple[bool, str]:
    """(success, message); the message is the object error when success is False."""
    extras = extras_of(harvest_object)
    previous = previous_object(harvest_object)
    package_id = previous.package_id if previous else harvest_object.package_id
    owner = source_owner.for_object(harvest_object)
    existing = (
        model.Session.query(model.Package.name, model.Package.owner_org)
        .filter_by(id=package_id)
        .first()
        if package_id
        else None
    )
    if existing:  # the source's owner may still write where its dataset is now
        _check_owner(owner, existing.owner_org)
    if extras.get("status", ACTIVE) != ACTIVE:
        _withdraw(harvest_object, previous, package_id, context)
        return True, ""
    config = source_config.parse(harvest_object.source.config)
    dataset = dataset_dict(harvest_object, extras, config, context)
    existing_name = existing.name if existing else None
    if not existing_name:  # the same object through another (or a re-created) source
        package_id = dataset_of_identity(dataset)
        existing_name = (
            model.Session.query(model.Package.name).filter_by(id=package_id).scalar()
            if package_id
            else None
        )
    if existing_name:
        dataset["id"] = package_id
        dataset["name"] = existing_name
        dataset["state"] = "active"  # a record withdrawn earlier may come back
        new_package_id = tk.get_action("package_update")(dict(context), dataset)["id"]
    else:
        dataset["private"] = _starts_private(dataset["owner_org"], dataset["type"])
        # Validated and stored like any package_create, but neither committed nor indexed
        # yet: the dataset is indexed below, once this object links it (so the index carries
        # its harvest source), without a Solr commit per record (see _commit_search_index).
        new_package_id = tk.get_action("package_create")(
            {**context, "defer_commit": True, "return_id_only": True}, dataset
        )
    if previous and previous.current:
        previous.current = False
        previous.add()
    harvest_object.package_id = new_package_id
    harvest_object.current = True
    if not existing_name:
        model.Session.flush()
        index_update_package({"ignore_auth": True}, new_package_id, defer_commit=True)
    harvest_object.save()
    commit_search_index()
    return True, ""


def dataset_of_identity(dataset: dict[str, Any]) -> str | None:
    """The collection object of this record's identity (its lidoRecID in its institution),
    whichever harvest source made it (docs/harvest-quality.md, "One record, one dataset")."""
    record_id = dataset.get("source_record_id")
    if not record_id:
        return None
    return (
        model.Session.query(model.Package.id)
        .filter(
            model.Package.type == DATASET_TYPE,
            model.Package.owner_org == dataset["owner_org"],
            model.Package.extras["source_record_id"].astext == record_id,
        )
        .order_by(model.Package.state, model.Package.metadata_created)
        .limit(1)
        .scalar()
    )


def identities_with_dataset(datasets: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(institution, lidoRecID) of these records that already have a collection object."""
    ids = {d["source_record_id"] for d in datasets if d.get("source_record_id")}
    if not ids:
        return set()
    record_id = model.Package.extras["source_record_id"].astext
    rows = model.Session.query(model.Package.owner_org, record_id).filter(
        model.Package.type == DATASET_TYPE, record_id.in_(ids)
    )
    return {(org, rec) for org, rec in rows}


def _starts_private(owner_org: str, dataset_type: str) -> bool:
    """Whether a dataset the harvester creates starts private (e.g. pending a review): the
    one place deciding it, for the per-record and the batch path. Updates keep the state.
    The review workflow's scope decides (ckanext.smartregion.review.organizations /
    .dataset_types); the batch path then records the pending state itself
    (bulk_write.after_write), the per-record path's package_create does it."""
    if not p.plugin_loaded("smartregion_review"):
        return False
    from ckanext.smartregion.review import policy

    return policy.needs_review(owner_org, dataset_type)


_last_index_commit = time.monotonic()


def commit_search_index() -> None:
    """Makes the datasets indexed by this process searchable at most every
    INDEX_COMMIT_INTERVAL seconds, instead of one Solr commit per record. (The job's end
    commits as well: ckanext-harvest reindexes the source dataset with a commit; Solr's
    autoSoftCommit, 1 s in deployment/solr, usually comes first.)"""
    global _last_index_commit
    if time.monotonic() - _last_index_commit >= INDEX_COMMIT_INTERVAL:
        search.commit()
        _last_index_commit = time.monotonic()


def _withdraw(
    harvest_object: HarvestObject,
    previous: HarvestObject | None,
    package_id: str | None,
    context: dict,
) -> None:
    if package_id:
        # a dataset removed by hand meanwhile leaves nothing to withdraw
        with contextlib.suppress(tk.ObjectNotFound):
            tk.get_action("package_delete")(dict(context), {"id": package_id})
    if previous and previous.current:
        previous.current = False
        previous.add()
    harvest_object.package_id = package_id
    harvest_object.current = False
    harvest_object.save()


def dataset_dict(
    harvest_object: HarvestObject,
    extras: dict[str, str],
    config: source_config.SourceConfig,
    context: dict,
) -> dict[str, Any]:
    if not harvest_object.content:
        raise RecordError("The OAI-PMH record carries no metadata")
    try:
        payload = safe_xml.parse(harvest_object.content.encode())
        mapped = lido.map_record(payload, config.languages)
    except (ValueError, lido.LidoError) as error:
        raise RecordError(str(error)) from error
    source = harvest_object.source
    owner = source_owner.for_object(harvest_object)
    try:
        owner_org = institutions.resolve(
            mapped.legal_body, config, owner.source_organization or "", context, owner
        )
    except institutions.InstitutionError as error:
        raise RecordError(str(error)) from error
    _check_owner(owner, owner_org)
    fields = mapped.fields
    title = fields["title"]
    unique = hashlib.sha1(f"{source.id} {harvest_object.guid}".encode()).hexdigest()[:10]
    return {
        **fields,
        "type": DATASET_TYPE,
        "name": f"{institutions.slug(title, 60) or 'predmet'}-{unique}",
        "owner_org": owner_org,
        "source_record_id": fields.get("source_record_id") or harvest_object.guid,
        "source_system": extras.get("source_system", ""),
        "source_modified": _datestamp(extras.get("datestamp", "")),
        "value_languages": "; ".join(f"{k}={v}" for k, v in sorted(mapped.languages.items())),
        "quality_issues": [
            {**issue, "harvest_job": harvest_object.harvest_job_id} for issue in mapped.issues.items
        ],
        "is_sample_data": False,
        "resources": mapped.resources,
    }


def _check_owner(owner: source_owner.SourceOwner, organization_id: str | None) -> None:
    try:
        owner.check(organization_id)
    except source_owner.ForbiddenOrganization as error:
        raise RecordError(str(error)) from error


def _datestamp(text: str) -> str:
    """An OAI datestamp (day or UTC second) as the ISO form CKAN's datetime field takes."""
    for pattern in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).isoformat()
        except ValueError:
            continue
    return ""


def describe(harvest_object: HarvestObject) -> str:
    """How an error message names the record: its OAI identifier."""
    return f"Record {harvest_object.guid}"


def error_message(harvest_object: HarvestObject, error: Exception) -> str:
    """The object error stored for an exception of its import, naming the record."""
    if isinstance(error, RecordError):
        return f"{describe(harvest_object)}: {error}"
    if isinstance(error, tk.ValidationError):
        return f"{describe(harvest_object)} was refused: {validation_summary(error)}"
    log.error("Import of %s failed", harvest_object.guid, exc_info=error)
    return f"{describe(harvest_object)} could not be imported: {error!r}"
