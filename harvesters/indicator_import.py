"""The import stage the indicator-value harvesters share (indicator_sheet, csu): one object's
checked values written into its indicator's DataStore series, for an indicator of an
organisation where the source's owner may create datasets (source_owner.py)."""

from __future__ import annotations

import json
import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import rebuild
from ckanext.harvest.model import HarvestObject

from ckanext.smartregion.harvesters import source_owner
from ckanext.smartregion.harvesters.stages import SafeStagesHarvester

log = logging.getLogger(__name__)


def import_values(
    harvester: SafeStagesHarvester, harvest_object: HarvestObject, label: str, deleted: str
) -> bool:
    """Writes the object's values (upsert keyed by period and breakdown: a re-harvest corrects,
    never duplicates); errors are stored on the object, prefixed with ``label``; ``deleted``
    says that the indicator went away after gather checked the values."""
    from ckanext.smartregion.indicators import bulk, values

    context = {"user": harvester._get_user_name(), "ignore_auth": True}
    try:
        payload = json.loads(harvest_object.content)
        indicator = tk.get_action("package_show")(dict(context), {"id": payload["indicator_id"]})
        source_owner.for_object(harvest_object).check(indicator["owner_org"])
        written = values.write(dict(context), indicator, payload["records"])
        rebuild(indicator["id"])  # the status is computed at indexing: refresh it now
        bulk.request_rebuild()
    except tk.ObjectNotFound:
        message = f"{label}: {deleted}"
    except source_owner.ForbiddenOrganization as error:
        message = f"{label}: {error}"
    except tk.ValidationError as error:
        message = f"{label}: the DataStore refused the values: {error.error_dict}"
    except Exception as error:
        log.exception("Import of %s failed", label)
        message = f"{label}: the values could not be written: {error!r}"
    else:
        log.info("%s: %s values written", label, written["rows"])
        harvest_object.current = True  # reported as added/updated (the indicator stays
        return True  # unlinked: clearing the source must never delete an indicator)
    model.Session.rollback()
    harvester._save_object_error(message, harvest_object, "Import")
    return False
