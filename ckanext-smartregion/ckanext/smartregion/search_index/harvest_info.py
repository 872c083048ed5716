"""ckanext-harvest's before_dataset_index answered once per batch: the hook looks up each
dataset's current harvest object with a query of its own (one per dataset, ~0.5 ms each plus
its ORM load); here one query reads them for the whole batch (or the batch import that made
them knows them) and the hook's own steps run on the answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import ckan.plugins as p
from ckan import model

FIELDS = ("harvest_object_id", "harvest_source_id", "harvest_source_title")
_Info = tuple[str, str, str]


def current_objects(package_ids: list[str]) -> dict[str, _Info | None]:
    """Package id → (harvest object id, source id, source title) of the current harvest
    object the hook would find (None: not harvested), as its query orders them:
    import_finished descending, PostgreSQL putting NULL first."""
    from ckanext.harvest.model import HarvestObject, HarvestSource

    rows = (
        model.Session.query(
            HarvestObject.package_id,
            HarvestObject.import_finished,
            HarvestObject.id,
            HarvestSource.id,
            HarvestSource.title,
        )
        .join(HarvestSource, HarvestObject.harvest_source_id == HarvestSource.id)
        .filter(HarvestObject.package_id.in_(package_ids), HarvestObject.current.is_(True))
        .all()
    )
    found: dict[str, _Info | None] = dict.fromkeys(package_ids)
    newest: dict[str, tuple[bool, datetime]] = {}
    for package_id, finished, object_id, source_id, source_title in rows:
        rank = (finished is None, finished or datetime.min)
        if package_id not in newest or rank > newest[package_id]:
            newest[package_id] = rank
            found[package_id] = (object_id, source_id, source_title)
    return found


@contextmanager
def answered(package_ids: list[str]) -> Iterator[None]:
    """Within it, the harvest plugin's before_dataset_index takes the datasets of
    ``package_ids`` from one query; other datasets go to the hook itself."""
    if not p.plugin_loaded("harvest"):
        yield
        return
    with answered_by(current_objects(package_ids)):
        yield


@contextmanager
def answered_by(known: dict[str, _Info | None]) -> Iterator[None]:
    """Within it, the harvest plugin's before_dataset_index takes the harvest object of a
    dataset in ``known`` from there (a batch import knows them) and does its own steps with
    it (ckanext-harvest 1.6's hook: the same fields in the same places); other datasets go
    to the hook itself."""
    harvest = p.get_plugin("harvest") if p.plugin_loaded("harvest") else None
    if harvest is None:
        yield
        return
    original = harvest.before_dataset_index

    def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
        if pkg_dict.get("id") not in known:
            return original(pkg_dict)
        if isinstance(pkg_dict.get("status"), dict):  # the hook's "Solr 8" step, as it is
            try:
                pkg_dict["status"] = json.dumps(pkg_dict["status"])
            except ValueError:
                pkg_dict.pop("status", None)
        info = known[pkg_dict["id"]]
        if info is None:
            return pkg_dict
        extras = list(zip(FIELDS, info, strict=True))
        for key in ("data_dict", "validated_data_dict"):
            document = json.loads(pkg_dict[key])
            for field, value in extras:
                if field in document:
                    document[field] = value
                else:  # an extra, unless the schema has the field
                    harvest._add_or_update_harvest_metadata(field, value, document)
            pkg_dict[key] = json.dumps(document)
        for field, value in extras:
            pkg_dict.setdefault(field, value)
        return pkg_dict

    harvest.before_dataset_index = before_dataset_index
    try:
        yield
    finally:
        del harvest.before_dataset_index
