"""What every harvester's import stage shares: the error of a record that cannot be imported,
a harvest object's extras, the earlier object that made its record's dataset, and a validation
error as the "field: message" text an object error stores."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.harvest.model import HarvestObject


class RecordError(ValueError):
    """The record cannot be imported; the message (naming the field and the fix) is stored
    as the object's error."""


def extras_of(harvest_object: HarvestObject) -> dict[str, str]:
    return {extra.key: extra.value for extra in harvest_object.extras}


def previous_object(harvest_object: HarvestObject) -> HarvestObject | None:
    """The latest earlier object of the same record (guid) and source that made or withdrew a
    dataset: an object stored "not modified" only points at the dataset another one made, and
    one whose report status is still NULL counts (ckanext-harvest commits COMPLETE before it
    sets the report status)."""
    return (
        model.Session.query(HarvestObject)
        .filter(
            HarvestObject.guid == harvest_object.guid,
            HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
            HarvestObject.id != harvest_object.id,
            HarvestObject.package_id.isnot(None),
            HarvestObject.state == "COMPLETE",
            sa.or_(
                HarvestObject.report_status.is_(None),
                HarvestObject.report_status != "not modified",
            ),
        )
        .order_by(HarvestObject.current.desc(), HarvestObject.import_finished.desc().nullslast())
        .first()
    )


def validation_summary(error: tk.ValidationError) -> str:
    """Field: message pairs, resources numbered, so the report names what is wrong."""
    parts: list[str] = []
    for key, value in (error.error_dict or {}).items():
        if key == "resources" and isinstance(value, list):
            for number, resource in enumerate(value, 1):
                for field_name, messages in (resource or {}).items():
                    parts.append(f"distribution {number} {field_name}: {_text(messages)}")
        else:
            parts.append(f"{key}: {_text(value)}")
    return "; ".join(parts) or str(error)


def _text(messages: Any) -> str:
    if isinstance(messages, list):
        return " ".join(_text(m) for m in messages)
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in messages.items())
    return str(messages)
