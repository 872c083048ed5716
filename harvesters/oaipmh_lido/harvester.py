"""The ``smartregion_oaipmh_lido_harvester`` plugin: museum collections over OAI-PMH in LIDO.

Its sources' type is ``oaipmh_lido`` (``info()["name"]``, what ckanext-harvest looks a
source's harvester up by), unchanged by the plugin's rename: stored sources keep working, and
``smartregion_oaipmh_lido``, its entry point name up to 0.4.0, still loads the same plugin.

Gather reads the record list (gather.py), fetch has nothing left to do (the records came
with the list), import maps and stores each record (importer.py). No stage raises: errors
are stored per job (gather) or per object (import) and shown in the harvest UI and API.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import index_update_package  # the indexing package_create defers; not in tk
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion.harvesters import source_owner
from ckanext.smartregion.harvesters.oaipmh_lido import (
    batch,
    gather,
    importer,
    interrupted,
    source_config,
)
from ckanext.smartregion.harvesters.stages import SafeStagesHarvester
from ckanext.smartregion.review import issues

log = logging.getLogger(__name__)

SOURCE_TYPE = source_config.SOURCE_TYPE


def _actions() -> dict[str, Any]:
    """source_owner's actions; harvest_jobs_run first ends imports a crashed consumer left
    (interrupted.py)."""
    return {**source_owner.actions(), "harvest_jobs_run": interrupted.harvest_jobs_run}


@tk.blanket.actions(_actions)  # source_owner's: who saves a source, chained writes
class OaiPmhLidoHarvester(SafeStagesHarvester, p.SingletonPlugin):
    """Its configuration is checked and its gather never raises (stages.SafeStagesHarvester)."""

    p.implements(IHarvester)
    parse_config = staticmethod(source_config.parse)
    config_error = source_config.SourceConfigError

    def organizations_named(self, parsed: source_config.SourceConfig) -> dict[str, list[str]]:
        return {"institutions": list(parsed.institutions.values())}

    def creates_organizations(self, parsed: source_config.SourceConfig) -> str | None:
        return "create_institutions" if parsed.create_institutions else None

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "OAI-PMH / LIDO (sbírky muzeí a galerií)",
            "description": "Collection objects of museums and galleries from an OAI-PMH "
            "repository in LIDO 1.0/1.1, incrementally.",
            "form_config_interface": "Text",
        }

    def gather_job(self, harvest_job: HarvestJob, config: source_config.SourceConfig) -> list[str]:
        return gather.gather(harvest_job, config)

    def import_stage(self, harvest_object: HarvestObject) -> bool:
        context = {
            "user": self._get_user_name(),
            "ignore_auth": True,
            issues.HARVEST_ISSUES: True,  # the records' problems are issues, not refusals
            issues.ALSO_FLAG: [],  # records an imported one repeats are flagged as well
            "smartregion_harvest_job": harvest_object.harvest_job_id,
        }
        succeeded = self._import(harvest_object, context)
        changed = issues.flag_others(context[issues.ALSO_FLAG])
        if changed:
            model.Session.commit()
            for package_id in changed:
                index_update_package({"ignore_auth": True}, package_id, defer_commit=True)
        return succeeded

    def _import(self, harvest_object: HarvestObject, context: dict) -> bool:
        if batch.is_leader(harvest_object):
            try:
                return batch.import_batch(
                    harvest_object, context, lambda o: self._import_one(o, context)
                )
            except Exception as error:  # e.g. the database: never stop the consumer
                log.exception("Batch of %s failed", harvest_object.guid)
                model.Session.rollback()
                message = importer.error_message(harvest_object, error)
                self._save_object_error(message, harvest_object, "Import")
                batch.fail_members(harvest_object, f"its batch failed: {error!r}")
                return False
        return self._import_one(harvest_object, context)

    def _import_one(self, harvest_object: HarvestObject, context: dict) -> bool:
        try:
            succeeded, _message = importer.import_object(harvest_object, dict(context))
            return succeeded
        except Exception as error:  # stored as the object's error
            message = importer.error_message(harvest_object, error)
        model.Session.rollback()
        self._save_object_error(message, harvest_object, "Import")
        return False
