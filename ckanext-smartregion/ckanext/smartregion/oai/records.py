"""Which collection objects the provider lists, in its stable order, read in bulk.

A record is live when the object is active, public and its institution has not opted out
(ckanext.smartregion.oai.excluded_organizations); a record once served (model.ServedRecord)
that is no longer live is listed as deleted. The order is (metadata_modified, id): a page
starts after the last record of the page before (a position, not an offset), so objects
changed while a client pages on move to the end of the list and are served again, never
skipped. A page of records is three queries (headers, datasets, resources), never a
package_show per record.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

DATASET_TYPE = "collection-object"
SET_SEPARATOR = ":"


@dataclass(frozen=True)
class Header:
    id: str
    modified: datetime.datetime  # naive UTC, as CKAN stores it
    live: bool
    organization: str  # the institution's name (its set)
    organization_title: str
    organization_ico: str
    subcollection: str

    @property
    def set_specs(self) -> list[str]:
        specs = [self.organization]
        if self.subcollection:
            specs.append(f"{self.organization}{SET_SEPARATOR}{slug(self.subcollection)}")
        return specs


@dataclass(frozen=True)
class Selection:
    """The arguments of a list: dates (inclusive from, exclusive until) and a set."""

    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    set_spec: str | None = None


def slug(text: str) -> str:
    """A CES sub-collection's name as a setSpec part (ASCII letters, digits, '-')."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "ostatni"


def _excluded() -> list[str]:
    return list(tk.config["ckanext.smartregion.oai.excluded_organizations"] or [])


_LIVE = (
    "(p.state = 'active' AND NOT p.private AND g.state = 'active'"
    " AND NOT (g.name = ANY(:excluded) OR g.id = ANY(:excluded)))"
)
_SELECT = f"""
SELECT p.id, p.metadata_modified, {_LIVE} AS live, g.name AS org, g.title AS org_title,
       coalesce(g.extras ->> 'ico', '') AS ico,
       coalesce(p.extras ->> 'ces_subcollection', '') AS ces
FROM package p
JOIN "group" g ON g.id = p.owner_org
LEFT JOIN smartregion_oai_served s ON s.package_id = p.id
WHERE p.type = '{DATASET_TYPE}' AND ({_LIVE} OR s.package_id IS NOT NULL)
"""


def _header(row: sa.Row) -> Header:
    return Header(row.id, row.metadata_modified, row.live, row.org, row.org_title, row.ico, row.ces)


def _filters(selection: Selection, params: dict[str, Any]) -> str:
    sql = ""
    if selection.start:
        sql += " AND p.metadata_modified >= :start"
        params["start"] = selection.start
    if selection.end:
        sql += " AND p.metadata_modified < :end"
        params["end"] = selection.end
    if selection.set_spec:
        organization, _sep, part = selection.set_spec.partition(SET_SEPARATOR)
        sql += " AND g.name = :set_org"
        params["set_org"] = organization
        if part:
            params["set_ces"] = _subcollections(organization).get(part, [])
            sql += " AND p.extras ->> 'ces_subcollection' = ANY(:set_ces)"
    return sql


def headers_page(
    selection: Selection, after: tuple[datetime.datetime, str] | None, size: int
) -> list[Header]:
    """Up to size + 1 headers after the position (the extra one tells whether a page follows)."""
    params: dict[str, Any] = {"excluded": _excluded(), "limit": size + 1}
    sql = _SELECT + _filters(selection, params)
    if after:
        sql += " AND (p.metadata_modified, p.id) > (:after_modified, :after_id)"
        params["after_modified"], params["after_id"] = after
    sql += " ORDER BY p.metadata_modified, p.id LIMIT :limit"
    return [_header(row) for row in model.Session.execute(sa.text(sql), params)]


def count(selection: Selection) -> int:
    params: dict[str, Any] = {"excluded": _excluded()}
    sql = f"SELECT count(*) FROM ({_SELECT}{_filters(selection, params)}) AS listed"
    return int(model.Session.execute(sa.text(sql), params).scalar() or 0)


def header(package_id: str) -> Header | None:
    params: dict[str, Any] = {"excluded": _excluded(), "id": package_id}
    row = model.Session.execute(sa.text(_SELECT + " AND p.id = :id"), params).first()
    return _header(row) if row else None


def earliest() -> datetime.datetime | None:
    params = {"excluded": _excluded()}
    sql = f"SELECT min(metadata_modified) FROM ({_SELECT}) AS listed"
    return model.Session.execute(sa.text(sql), params).scalar()


def sets() -> list[tuple[str, str]]:
    """(setSpec, setName) of every institution with live objects and its CES sub-collections."""
    sql = f"""SELECT g.name, g.title, coalesce(p.extras ->> 'ces_subcollection', '') AS ces
    FROM package p JOIN "group" g ON g.id = p.owner_org
    WHERE p.type = '{DATASET_TYPE}' AND {_LIVE}
    GROUP BY g.name, g.title, ces ORDER BY g.name, ces"""
    found: dict[str, str] = {}
    for row in model.Session.execute(sa.text(sql), {"excluded": _excluded()}):
        found.setdefault(row.name, row.title)
        if row.ces:
            found.setdefault(f"{row.name}{SET_SEPARATOR}{slug(row.ces)}", f"{row.title}: {row.ces}")
    return list(found.items())


def _subcollections(organization: str) -> dict[str, list[str]]:
    """The institution's CES sub-collection names by their setSpec part."""
    sql = f"""SELECT DISTINCT p.extras ->> 'ces_subcollection' FROM package p
    JOIN "group" g ON g.id = p.owner_org
    WHERE p.type = '{DATASET_TYPE}' AND g.name = :org AND p.extras ? 'ces_subcollection'"""
    by_slug: dict[str, list[str]] = {}
    for (name,) in model.Session.execute(sa.text(sql), {"org": organization}):
        by_slug.setdefault(slug(name), []).append(name)
    return by_slug


# extras the schema stores as JSON text (repeating subfields, text lists)
_JSON_FIELDS = ("creators", "dimensions", "materials", "techniques", "classification_terms")


def datasets(headers: list[Header]) -> dict[str, dict[str, Any]]:
    """The live records' fields the formats write, by id: two queries for a page (datasets
    with their extras, then resources). bulk_dictize's package_show dicts (CKAN's dictize and
    scheming's show validation for each) made a ListRecords page of 100 take 1.1-1.9 s under
    load (bench/oai.py); this reads the same stored values."""
    ids = [h.id for h in headers if h.live]
    if not ids:
        return {}
    licences = model.Package.get_license_register()
    found: dict[str, dict[str, Any]] = {}
    rows = model.Session.execute(
        sa.text(
            "SELECT id, name, title, notes, license_id, extras FROM package"
            " WHERE id = ANY(CAST(:ids AS text[]))"
        ),
        {"ids": ids},
    )
    for row in rows:
        dataset = {**(row.extras or {}), "id": row.id, "name": row.name, "title": row.title}
        dataset.update(notes=row.notes, license_id=row.license_id, resources=[])
        for field in _JSON_FIELDS:
            if isinstance(dataset.get(field), str):
                dataset[field] = json.loads(dataset[field] or "[]")
        licence = licences.get(row.license_id) if row.license_id else None
        if licence is not None:
            dataset["license_title"], dataset["license_url"] = licence.title, licence.url
        found[row.id] = dataset
    resources = model.Session.execute(
        sa.text(
            "SELECT package_id, url, name, format, mimetype, extras FROM resource"
            " WHERE package_id = ANY(CAST(:ids AS text[])) AND state = 'active'"
            " ORDER BY package_id, position"
        ),
        {"ids": ids},
    )
    for row in resources:
        extras = json.loads(row.extras) if row.extras else {}
        found[row.package_id]["resources"].append(
            {
                **extras,
                "url": row.url,
                "name": row.name,
                "format": row.format,
                "mimetype": row.mimetype,
            }
        )
    return found


def remember_served(headers: list[Header]) -> None:
    """Records served live stay known, to be listed as deleted once they are not live."""
    ids = [h.id for h in headers if h.live]
    if ids:
        model.Session.execute(
            sa.text(
                "INSERT INTO smartregion_oai_served (package_id, first_served)"
                " SELECT unnest(CAST(:ids AS text[])), now() AT TIME ZONE 'utc'"
                " ON CONFLICT DO NOTHING"
            ),
            {"ids": ids},
        )
    model.Session.commit()
