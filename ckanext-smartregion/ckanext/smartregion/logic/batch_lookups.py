"""The database look-ups of the create schema answered once per batch of a bulk import.

A harvester that validates many new datasets in a row puts a ``BatchLookups`` in the
validation context (key ``BATCH_LOOKUPS``), after noting every dataset of the batch. The
validators of logic/validators.py consult it instead of querying once per record:

- whether a dataset name is taken (ONE query for the batch's names; a taken name still goes
  through CKAN's package_name_validator, which refuses it with its own message);
- whether an institution's inventory number is used (ONE query; a used number is still
  checked by the validator's own query, which names the other dataset);
- the owner organisation (owner_org_validator runs once per organisation and user, and its
  result is reused).

Without it in the context every validator queries as before: the web form, the API and the
per-record harvest path are unchanged.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

BATCH_LOOKUPS = "smartregion_batch_lookups"  # the validation context's key


class BatchLookups:
    def __init__(self, dataset_type: str, number_field: str) -> None:
        self.dataset_type, self.number_field = dataset_type, number_field
        self._names: set[str] = set()
        self._numbers: set[str] = set()
        self._taken_names: set[str] | None = None
        self._used_numbers: set[tuple[str, str]] | None = None
        self._owners: dict[tuple[str, str], str] = {}
        self._users: dict[str, model.User | None] = {}

    def note(self, dataset: dict[str, Any]) -> None:
        """A dataset of the batch, before any of them is validated."""
        if isinstance(dataset.get("name"), str):
            self._names.add(dataset["name"])
        number = dataset.get(self.number_field)
        if isinstance(number, str) and number.strip():
            self._numbers.add(number.strip())

    def user(self, name: str) -> model.User | None:
        if name not in self._users:
            self._users[name] = model.User.by_name(name)
        return self._users[name]

    def name_taken(self, name: Any) -> bool:
        if self._taken_names is None:
            rows = model.Session.query(model.Package.name).filter(
                model.Package.name.in_(self._names), model.Package.state != "deleted"
            )
            self._taken_names = {name for (name,) in rows}
        return name not in self._names or name in self._taken_names

    def number_used(self, owner_org: Any, number: Any) -> bool:
        """Whether a live dataset of the type in owner_org has the number (a number not
        noted counts as used, so that the validator's own query decides)."""
        if self._used_numbers is None:
            value = model.Package.extras[self.number_field].astext
            rows = model.Session.query(model.Package.owner_org, value).filter(
                model.Package.type == self.dataset_type,
                model.Package.state != "deleted",
                value.in_(self._numbers),
            )
            self._used_numbers = {(org, used) for org, used in rows}
        number = str(number).strip()
        return number not in self._numbers or (owner_org, number) in self._used_numbers

    def owner_org(self, key: tuple, data: dict, errors: dict, context: dict) -> Any:
        """owner_org_validator, run once per given value and user."""
        value = data.get(key)
        cache_key = (value, context.get("user")) if isinstance(value, str) else None
        if cache_key in self._owners:
            data[key] = self._owners[cache_key]
            return None
        result = tk.get_validator("owner_org_validator")(key, data, errors, context)
        if cache_key is not None and not errors.get(key):
            self._owners[cache_key] = data[key]
        return result
