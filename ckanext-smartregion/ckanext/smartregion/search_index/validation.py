"""CKAN's navl validation of a batch of datasets with what depends only on the schema and on
the data's keys computed once per batch instead of at every call.

Why: a dataset's document needs two validations (package_show's default and custom show
schemas, as in CKAN's index_package path). navl's validate (CKAN 2.12) flattens the schema
twice, works out the schema's keys for the data's shape twice and sorts them four times on
every call: half the CPU the reindex spent per collection object, the validators
themselves 13 % (cProfile, 1,500 collection objects, 2026-12). Within ``planned()`` those
results are kept per schema and per set of data keys (the same schema and the same keys give
the same results) and CKAN's own validate runs with them: the converters, their order and
the data are those of CKAN's path, so the documents are too (tests/search_index/
test_same_documents.py).

A schema is recognised by equality with a private copy of the first one seen (scheming builds
an equal show schema for a type at every call; validators are compared by identity): a schema
changed after it was first used is a new schema, never a stale plan.

Not thread-safe: it replaces functions of ckan.lib.navl.dictization_functions for the whole
process; only for the reindex command's processes.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ckan.lib.navl import dictization_functions as navl

from ckanext.smartregion.bulk_dictize import copy_schema

_Schema = dict[str, Any]
_Key = tuple[Any, ...]


class _Plans:
    """What navl computes from a schema and the data's keys, by schema (found by equality)."""

    def __init__(self) -> None:
        self.schemas: list[_Schema] = []  # private copies: nobody changes them
        self.flattened: dict[int, dict[_Key, Any]] = {}  # id(schema copy) →
        self.flattened_ids: set[int] = set()
        self.combinations: dict[tuple[int, frozenset[_Key]], set[_Key]] = {}
        self.full: dict[tuple[int, frozenset[_Key]], dict[_Key, Any]] = {}
        self.orders: dict[int, tuple[_Key, ...]] = {}  # id(full schema) → its sorted keys
        self.kept: list[Any] = []  # what the ids above name stays alive

    def schema(self, schema: _Schema) -> _Schema:
        for known in self.schemas:
            if len(known) == len(schema) and known == schema:
                return known
        known = copy_schema(schema)
        self.schemas.append(known)
        return known

    def flatten_schema(
        self,
        original: Callable[..., dict[_Key, Any]],
        schema: _Schema,
        flattened: dict[_Key, Any] | None = None,
        key: list[Any] | None = None,
    ) -> dict[_Key, Any]:
        if flattened is not None or key is not None:  # navl's own recursion
            return original(schema, flattened, key)
        known = self.schema(schema)
        found = self.flattened.get(id(known))
        if found is None:
            found = self.flattened[id(known)] = original(known)
            self.flattened_ids.add(id(found))
        return found

    def key_combinations(
        self,
        original: Callable[..., set[_Key]],
        data: dict[_Key, Any],
        flattened_schema: dict[_Key, Any],
    ) -> set[_Key]:
        if id(flattened_schema) not in self.flattened_ids:
            return original(data, flattened_schema)
        key = (id(flattened_schema), frozenset(data))
        found = self.combinations.get(key)
        if found is None:
            found = self.combinations[key] = original(data, flattened_schema)
        return found

    def full_schema(
        self, original: Callable[..., dict[_Key, Any]], data: dict[_Key, Any], schema: _Schema
    ) -> dict[_Key, Any]:
        known = self.schema(schema)
        key = (id(known), frozenset(data))
        found = self.full.get(key)
        if found is None:
            found = self.full[key] = original(data, known)
            self.kept.append(found)
            self.orders[id(found)] = tuple(builtins.sorted(found, key=navl.flattened_order_key))
        return found

    def sorted(self, iterable: Any, /, *, key: Any = None, reverse: bool = False) -> Any:
        """builtins.sorted, but a full schema of a plan in navl's key order comes ready (the
        caller only iterates over it)."""
        if key is navl.flattened_order_key and not reverse:
            found = self.orders.get(id(iterable))
            if found is not None:
                return found
        return builtins.sorted(iterable, key=key, reverse=reverse)


@contextmanager
def planned() -> Iterator[None]:
    """Within it, navl's flattened schemas, key combinations, full schemas and their key
    order are computed once per schema and set of data keys."""
    plans = _Plans()
    originals = {
        name: getattr(navl, name)
        for name in ("flatten_schema", "get_all_key_combinations", "make_full_schema")
    }
    navl.flatten_schema = lambda *args: plans.flatten_schema(originals["flatten_schema"], *args)
    navl.get_all_key_combinations = lambda data, flattened: plans.key_combinations(
        originals["get_all_key_combinations"], data, flattened
    )
    navl.make_full_schema = lambda data, schema: plans.full_schema(
        originals["make_full_schema"], data, schema
    )
    # _validate sorts a full schema's keys four times per call: a name in the module's
    # globals comes before the builtin
    navl.sorted = plans.sorted  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(navl, name, original)
        del navl.sorted  # type: ignore[attr-defined]
