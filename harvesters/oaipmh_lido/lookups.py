"""Look-ups the batch import (batch.py) answers once per batch instead of once per record:
the create schema's name and organisation checks, the harvest user, and the harvest fields
ckanext-harvest's before_dataset_index hook adds to each index document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

HARVEST_FIELDS = ("harvest_object_id", "harvest_source_id", "harvest_source_title")


class BatchLookups:
    """The create schema's database look-ups answered once per batch instead of once per
    record: whether any of the batch's dataset names is taken (ONE query; a taken name still
    goes through CKAN's package_name_validator, which refuses it with its own message), the
    owner organisation (owner_org_validator runs once per organisation and user, its result
    is reused) and the harvest user. Everything else of the schema runs as package_create's."""

    def __init__(self) -> None:
        self._taken: set[str] | None = None
        self._names: set[str] = set()
        self._owners: dict[tuple[str, str], str] = {}
        self._users: dict[str, model.User | None] = {}

    def user(self, name: str) -> model.User | None:
        if name not in self._users:
            self._users[name] = model.User.by_name(name)
        return self._users[name]

    def note_name(self, name: str) -> None:
        self._names.add(name)

    def schema(self, plugin: Any) -> dict:
        """The create schema with the two validators answered per batch; a fresh one per
        record (validation may change the schema it is given)."""
        schema = plugin.create_package_schema()
        replacements = {
            tk.get_validator("package_name_validator"): self._name_validator,
            tk.get_validator("owner_org_validator"): self._owner_org_validator,
        }
        for field in ("name", "owner_org"):
            schema[field] = [replacements.get(v, v) for v in schema.get(field, [])]
        return schema

    def taken_names(self) -> set[str]:
        if self._taken is None:
            rows = model.Session.query(model.Package.name).filter(
                model.Package.name.in_(self._names), model.Package.state != "deleted"
            )
            self._taken = {name for (name,) in rows}
        return self._taken

    def _name_validator(self, key: tuple, data: dict, errors: dict, context: dict) -> Any:
        # name_validator (before it in the dataset_slug preset) checks the length and form
        if data[key] in self.taken_names():
            return tk.get_validator("package_name_validator")(key, data, errors, context)
        return None

    def _owner_org_validator(self, key: tuple, data: dict, errors: dict, context: dict) -> Any:
        value = data.get(key)
        cache_key = (value, context.get("user")) if isinstance(value, str) else None
        if cache_key in self._owners:
            data[key] = self._owners[cache_key]
            return None
        result = tk.get_validator("owner_org_validator")(key, data, errors, context)
        if cache_key is not None and not errors.get(key):
            self._owners[cache_key] = data[key]
        return result


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
