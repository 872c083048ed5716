"""Metadata-quality score of a dataset (0-100) and the list of what to fix.

Computed at every indexing of a dataset (before_dataset_index) and after every link check,
stored in ``smartregion_quality`` so the steward dashboard reads it sorted, worst first.

What counts, per dataset type:
- required fields: those the scheming schema marks ``required: true`` (weight 3 each);
- recommended fields: RECOMMENDED below, from DCAT-AP-CZ's recommended properties for open
  datasets (keyword, contact point, spatial and temporal coverage, documentation, EuroVoc,
  at least one distribution with its format) and, for the other types, the fields of our
  schemas that make the record useful (weight 1 each);
- working links: every resource URL answers (or its uploaded file exists), checked by the
  background job in links.py (weight 3, shared by the resources);
- a harvested record's problems (`quality_issues`, review/issues.py): each one counts as a
  recommended field the record lacks (weight 1; 3 when it keeps the record out of NKOD).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import exc, text
from sqlalchemy.dialects.postgresql import insert

from ckanext.smartregion.clock import now
from ckanext.smartregion.review import issues as quality_issues
from ckanext.smartregion.review.model import LinkCheck, QualityScore

log = logging.getLogger(__name__)

REQUIRED_WEIGHT, RECOMMENDED_WEIGHT, LINKS_WEIGHT = 3, 1, 3
RESOURCES, RESOURCE_FORMATS = "resources", "resources.format"

RECOMMENDED: dict[str, tuple[str, ...]] = {
    "dataset": (
        "tag_string", "eurovoc_concepts", "ruian", "temporal_start", "contact_name",
        "contact_email", "documentation", "specific_objectives", "license_id",
        RESOURCES, RESOURCE_FORMATS,
    ),
    "indicator": (
        "calculation_method", "data_source", "baseline_value", "baseline_year",
        "target_value", "target_year", "contact_email", "tag_string", RESOURCES,
    ),
    "project": (
        "guarantor", "vision", "notes", "activities", "partners", "status",
        "period_start", "period_end", "specific_objectives", "activity_area",
    ),
    "collection-object": (
        "object_type", "dating_display", "creators", "materials", "dimensions", "notes",
        "image_rights", "license_id", RESOURCES,
    ),
}  # fmt: skip


def _present(value: Any) -> bool:
    return value not in (None, "", [], {}) and not (isinstance(value, str) and not value.strip())


def _field_present(dataset: dict[str, Any], field: str) -> bool:
    resources = dataset.get("resources") or []
    if field == RESOURCES:
        return bool(resources)
    if field == RESOURCE_FORMATS:
        return bool(resources) and all(_present(r.get("format")) for r in resources)
    if field == "tag_string":
        return bool(dataset.get("tags")) or _present(dataset.get("tag_string"))
    return _present(dataset.get(field))


def required_fields(dataset_type: str) -> list[str]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type) or {}
    return [
        field["field_name"]
        for field in schema.get("dataset_fields", [])
        if tk.asbool(field.get("required", False))
    ]


def score(dataset: dict[str, Any], broken_links: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """(score 0-100, the missing items: ``required:<field>``, ``recommended:<field>``,
    ``issue:<field>`` (a harvest's), ``broken:<resource name or URL>``)."""
    dataset_type = dataset.get("type") or "dataset"
    got: float = 0
    total = 0
    missing: list[str] = []
    for kind, fields, weight in (
        ("required", required_fields(dataset_type), REQUIRED_WEIGHT),
        ("recommended", RECOMMENDED.get(dataset_type, ()), RECOMMENDED_WEIGHT),
    ):
        for field in fields:
            total += weight
            if _field_present(dataset, field):
                got += weight
            else:
                missing.append(f"{kind}:{field}")
    for issue in quality_issues.parse(dataset.get(quality_issues.FIELD)):
        total += REQUIRED_WEIGHT if issue.get("blocks_catalogue") else RECOMMENDED_WEIGHT
        missing.append(f"issue:{issue['field']}")
    resources = dataset.get("resources") or []
    if resources:
        total += LINKS_WEIGHT
        got += LINKS_WEIGHT * (len(resources) - len(broken_links)) / len(resources)
        missing += [f"broken:{link.get('name') or link.get('url')}" for link in broken_links]
    return (round(100 * got / total) if total else 100), missing


def save(dataset: dict[str, Any], links_checked: bool = False) -> int:
    """Scores the dataset and stores the score on a connection of its own (the dataset's
    transaction may still be open); returns the score."""
    with model.meta.engine.connect() as connection:
        value = _save(connection, [dataset], links_checked)[0]
        connection.commit()
    return value


# What a new computation may change: a row whose values are the same is not written again.
# Every indexing scores the dataset, and a rebuild indexes every dataset with the score it
# already has: the write (and its commit's WAL flush) was 1.6 of the 2.7 ms the portal's
# index hooks added per dataset on CKAN's path (bench/reindex.py, 2026-12).
_COMPARED = ("owner_org", "score", "missing", "broken_links")


def _save(connection: Any, datasets: list[dict[str, Any]], links_checked: bool) -> list[int]:
    """Scores many datasets and stores those whose score, missing items or broken links
    changed (all of them after a link check, which records its time): one query for their
    stored scores and broken links, at most one upsert. ``computed`` is thus when the score
    last changed."""
    stored, broken_links = _stored_and_broken(connection, [d["id"] for d in datasets])
    rows = [_row(d, broken_links[d["id"]], links_checked) for d in datasets]
    scores = [row["score"] for row in rows]
    if not links_checked:
        rows = [r for r in rows if stored.get(r["package_id"]) != tuple(r[k] for k in _COMPARED)]
    if rows:
        statement = insert(QualityScore.__table__).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=["package_id"],
            set_={k: statement.excluded[k] for k in rows[0] if k != "package_id"},
        )
        connection.execute(statement)
    return scores


# The stored scores and the broken links of many datasets in one statement (two were 0.5 ms
# of CPU per dataset on CKAN's per-dataset path).
_STORED_AND_BROKEN = text(
    f"SELECT p.package_id, {', '.join(f'q.{name}' for name in _COMPARED)}, "
    "l.resource_id, l.url, l.message "
    "FROM unnest(CAST(:ids AS text[])) AS p(package_id) "
    f"LEFT JOIN {QualityScore.__tablename__} q ON q.package_id = p.package_id "
    f"LEFT JOIN {LinkCheck.__tablename__} l ON l.package_id = p.package_id AND NOT l.ok"
)


def _stored_and_broken(
    connection: Any, package_ids: list[str]
) -> tuple[dict[str, tuple[Any, ...]], dict[str, list[dict[str, Any]]]]:
    """(package id → its stored values of _COMPARED, package id → its broken links)."""
    stored: dict[str, tuple[Any, ...]] = {}
    broken: dict[str, list[dict[str, Any]]] = {package_id: [] for package_id in package_ids}
    width = len(_COMPARED)
    for row in connection.execute(_STORED_AND_BROKEN, {"ids": list(package_ids)}):
        package_id = row[0]
        if row[2] is not None:  # a stored score (score is never NULL)
            stored[package_id] = tuple(row[1 : 1 + width])
        if row.resource_id is not None:
            broken[package_id].append(
                {"resource_id": row.resource_id, "url": row.url, "message": row.message}
            )
    return stored, broken


def _row(dataset: dict[str, Any], broken: list[dict[str, Any]], links_checked: bool) -> dict:
    names = {r.get("id"): r.get("name") for r in dataset.get("resources") or []}
    for link in broken:
        link["name"] = names.get(link["resource_id"])
    broken = [link for link in broken if link["resource_id"] in names]
    value, missing = score(dataset, broken)
    row = {
        "package_id": dataset["id"],
        "owner_org": dataset.get("owner_org"),
        "score": value,
        "missing": missing,
        "broken_links": broken,
        "computed": now(),
    }
    if links_checked:
        row["links_checked"] = now()
    return row


_scored_together: ContextVar[list[dict[str, Any]] | None] = ContextVar(
    "smartregion_quality_scored_together", default=None
)


@contextmanager
def scored_together() -> Iterator[None]:
    """Within it, the datasets being indexed are scored when it ends, all together (one query
    and one upsert): a bulk import indexes a whole batch at once. Nothing is stored if the
    block fails."""
    datasets: list[dict[str, Any]] = []
    token = _scored_together.set(datasets)
    try:
        yield
    finally:
        _scored_together.reset(token)
    if datasets:
        with model.meta.engine.begin() as connection:
            _save(connection, list({d["id"]: d for d in datasets}.values()), False)


def store_from_index(pkg_dict: dict[str, Any]) -> None:
    """before_dataset_index hook: score the validated dataset being indexed."""
    try:
        dataset = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    except ValueError:
        return
    if not dataset.get("id") or dataset.get("state", "active") != "active":
        return
    if dataset.get("type") == "harvest":  # harvest sources are no datasets to curate
        return
    together = _scored_together.get()
    if together is not None:
        together.append(dataset)
        return
    try:
        save(dataset)
    except exc.ProgrammingError:  # the plugin's migration has not run on this database
        log.warning("smartregion_quality is missing: run `ckan db upgrade -p smartregion_review`")


def forget(package_id: str) -> None:
    """Drops the score and link checks of a deleted dataset."""
    with model.meta.engine.begin() as connection:
        for table in (QualityScore.__table__, LinkCheck.__table__):
            connection.execute(table.delete().where(table.c.package_id == package_id))
