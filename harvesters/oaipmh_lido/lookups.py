"""The harvest fields ckanext-harvest's before_dataset_index hook adds to each index document,
answered once per batch by the batch import (batch.py); the create schema's look-ups are
answered once per batch by ckanext/smartregion/logic/batch_lookups.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import ckan.plugins as p

HARVEST_FIELDS = ("harvest_object_id", "harvest_source_id", "harvest_source_title")


@contextmanager
def known_harvest_info(harvest_info: dict[str, tuple[str, str, str]]) -> Iterator[None]:
    """ckanext-harvest's before_dataset_index looks up each dataset's current harvest object
    (one query per dataset); the batch knows them: its hook gets the same three fields from
    ``harvest_info`` (package id → harvest object id, source id, source title) instead."""
    harvest = p.get_plugin("harvest") if p.plugin_loaded("harvest") else None
    if harvest is None:
        yield
        return
    original = harvest.before_dataset_index

    def before_dataset_index(pkg_dict: dict) -> dict:
        info = harvest_info.get(pkg_dict.get("id", ""))
        if info is None:
            return original(pkg_dict)
        fields = list(zip(HARVEST_FIELDS, info, strict=True))
        for key in ("data_dict", "validated_data_dict"):
            document = json.loads(pkg_dict[key])
            for field, value in fields:
                if field in document:
                    document[field] = value
                else:  # as the hook: an extra unless the schema has the field
                    harvest._add_or_update_harvest_metadata(field, value, document)
            pkg_dict[key] = json.dumps(document)
        for field, value in fields:
            pkg_dict.setdefault(field, value)
        return pkg_dict

    harvest.before_dataset_index = before_dataset_index
    try:
        yield
    finally:
        del harvest.before_dataset_index
