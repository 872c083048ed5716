"""Which datasets a rebuild indexes (as CKAN's rebuild: every dataset, the deleted ones only
when ckan.search.remove_deleted_packages is off), limited by type, organisation or change
date, and the batches of ids the workers take."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import text
from sqlalchemy.orm import Query


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()
    organization: str | None = None  # the organisation's id
    since: datetime.datetime | None = None  # metadata_modified at or after (UTC)

    def __bool__(self) -> bool:
        return bool(self.types or self.organization or self.since)

    def describe(self) -> str:
        parts = [f"type {', '.join(self.types)}"] if self.types else []
        if self.organization:
            parts.append(f"organisation {self.organization}")
        if self.since:
            parts.append(f"changed since {self.since:%Y-%m-%d %H:%M:%S} UTC")
        return "; ".join(parts) or "all datasets"


def organization_id(name_or_id: str) -> str:
    """The id of an organisation given by name or id; tk.ObjectNotFound names it."""
    group = model.Group.get(name_or_id)
    if group is None or not group.is_organization:
        raise tk.ObjectNotFound(
            tk._("Organisation {name} not found: give its name or id").format(name=name_or_id)
        )
    return group.id


def _indexable() -> Query:
    query = model.Session.query(model.Package.id)
    if tk.config.get("ckan.search.remove_deleted_packages"):
        query = query.filter(model.Package.state != "deleted")
    return query


def package_ids(filters: Filters) -> list[str]:
    """The ids to index, sorted (a batch is a range of them)."""
    query = _indexable()
    if filters.types:
        query = query.filter(model.Package.type.in_(filters.types))
    if filters.organization:
        query = query.filter(model.Package.owner_org == filters.organization)
    if filters.since:
        query = query.filter(model.Package.metadata_modified >= filters.since)
    return [row[0] for row in query.order_by(model.Package.id)]


def indexable_ids() -> set[str]:
    """Every id that belongs in the index (the rest there is an orphan)."""
    return {row[0] for row in _indexable()}


def changed_since(when: datetime.datetime) -> dict[str, datetime.datetime]:
    """Datasets changed (or deleted) at or after ``when``, any state (index_package drops a
    deleted one from the index as CKAN does): id → metadata_modified, sorted by id."""
    query = model.Session.query(model.Package.id, model.Package.metadata_modified)
    query = query.filter(model.Package.metadata_modified >= when).order_by(model.Package.id)
    return dict(query.all())


def database_now() -> datetime.datetime:
    """The database's clock in UTC, naive as metadata_modified is stored."""
    return model.Session.execute(text("SELECT now() AT TIME ZONE 'utc'")).scalar_one()


def batches(ids: list[str], size: int) -> list[list[str]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]
