"""Which organisation a LIDO record's repository (legal body) belongs to.

In order: the source configuration's ``institutions`` map (by legal body ID or name), an
organisation whose IČO equals the legal body ID, one whose title equals the legal body name
(ignoring case), a new organisation (if ``create_institutions`` and the source's owner is a
sysadmin; left out, only for a sysadmin's source), else the source's own. Whether the source's
owner may write into the organisation found is checked by the importer (source_owner.py).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.smartregion.harvesters.oaipmh_lido.lido import LegalBody
from ckanext.smartregion.harvesters.oaipmh_lido.source_config import SourceConfig
from ckanext.smartregion.harvesters.source_owner import SourceOwner

_cache: dict[tuple, str] = {}


class InstitutionError(ValueError):
    """The configured organisation does not exist, or one may not be created."""


def slug(text: str, length: int = 80) -> str:
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:length].strip("-")


def resolve(
    body: LegalBody | None,
    config: SourceConfig,
    fallback_org_id: str,
    context: dict,
    owner: SourceOwner,
) -> str:
    if body is None:
        return fallback_org_id
    unknown = _unknown_institution(config, owner)
    key = (
        fallback_org_id,
        body.identifier,
        body.name,
        unknown,
        *sorted(config.institutions.items()),
    )
    if key not in _cache:
        _cache[key] = _resolve(body, config, context, unknown, owner) or fallback_org_id
    return _cache[key]


def _unknown_institution(config: SourceConfig, owner: SourceOwner) -> str:
    """What becomes of an institution no organisation matches: "create" (only for a
    sysadmin's source), "refuse" (create_institutions set true on another's source: an error
    of the record) or "source" (the source's own organisation)."""
    if config.create_institutions is False:
        return "source"
    if owner.sysadmin:
        return "create"
    return "refuse" if config.create_institutions else "source"


def _resolve(
    body: LegalBody, config: SourceConfig, context: dict, unknown: str, owner: SourceOwner
) -> str | None:
    for label in (body.identifier, body.name):
        configured = config.institutions.get(label.strip().casefold()) if label else None
        if configured:
            found = _active_organization(model.Group.name == configured)
            if not found:
                raise InstitutionError(
                    f"The source configuration maps {label!r} to organisation {configured!r}, "
                    "which does not exist; create it or fix the mapping"
                )
            return found
    if body.identifier and (found := _organization_by_ico(body.identifier)):
        return found
    if body.name and (
        found := _active_organization(sa.func.lower(model.Group.title) == body.name.lower())
    ):
        return found
    if body.name and unknown == "create":
        return _create(body.name, context)
    if body.name and unknown == "refuse":
        raise InstitutionError(
            f"No organisation matches the institution {body.name!r}, and create_institutions "
            f"needs a source saved by a sysadmin to create one (the source's owner is "
            f'{owner.label}); map it in "institutions" or set create_institutions to false'
        )
    return None


def _active_organization(condition) -> str | None:
    row = (
        model.Session.query(model.Group.id)
        .filter(condition, model.Group.is_organization.is_(True), model.Group.state == "active")
        .first()
    )
    return row[0] if row else None


def _organization_by_ico(identifier: str) -> str | None:
    digits = identifier.strip()
    if not digits.isdigit():
        return None
    return _active_organization(model.Group.extras["ico"].astext == digits.zfill(8))


def _create(title: str, context: dict) -> str:
    name = slug(title) or "instituce"
    kind = "gallery" if "galeri" in title.lower() else "museum"
    try:
        created = tk.get_action("organization_create")(
            dict(context), {"name": name, "title": title, "kind": kind}
        )
        return created["id"]
    except (tk.ValidationError, sa.exc.IntegrityError):
        # created meanwhile by another fetch consumer (its insert won the race: IntegrityError),
        # or the name is taken by another title (ValidationError)
        model.Session.rollback()
        existing = _active_organization(model.Group.name == name)
        if existing:
            return existing
        created = tk.get_action("organization_create")(
            dict(context),
            {
                "name": f"{name[:70]}-{hashlib.sha1(title.encode()).hexdigest()[:6]}",
                "title": title,
                "kind": kind,
            },
        )
        return created["id"]
