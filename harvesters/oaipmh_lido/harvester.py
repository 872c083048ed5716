"""The ``smartregion_oaipmh_lido`` harvester: museum collections over OAI-PMH in LIDO.

Gather reads the record list (gather.py), fetch has nothing left to do (the records came
with the list), import maps and stores each record (importer.py). No stage raises: errors
are stored per job (gather) or per object (import) and shown in the harvest UI and API.
"""

from __future__ import annotations

import logging

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion.harvesters.oaipmh_lido import gather, importer, source_config

log = logging.getLogger(__name__)

SOURCE_TYPE = "oaipmh_lido"


class OaiPmhLidoHarvester(HarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "OAI-PMH / LIDO (sbírky muzeí a galerií)",
            "description": "Collection objects of museums and galleries from an OAI-PMH "
            "repository in LIDO 1.0/1.1, incrementally.",
            "form_config_interface": "Text",
        }

    def validate_config(self, config: str | None) -> str | None:
        try:
            source_config.parse(config)
        except source_config.SourceConfigError as error:
            raise ValueError(str(error)) from error
        return config

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        try:
            return gather.gather(harvest_job)
        except Exception as error:  # a bug or the database: keep the consumer alive
            log.exception("Gather of job %s failed", harvest_job.id)
            model.Session.rollback()
            self._save_gather_error(f"The harvest stopped unexpectedly: {error!r}", harvest_job)
            return []

    def fetch_stage(self, harvest_object: HarvestObject) -> bool:
        return True

    def import_stage(self, harvest_object: HarvestObject) -> bool:
        context = {"user": self._get_user_name(), "ignore_auth": True}
        try:
            succeeded, _message = importer.import_object(harvest_object, context)
            return succeeded
        except importer.RecordError as error:
            message = f"{importer.describe(harvest_object)}: {error}"
        except tk.ValidationError as error:
            message = f"{importer.describe(harvest_object)} was refused: {_summary(error)}"
        except Exception as error:
            log.exception("Import of %s failed", harvest_object.guid)
            message = f"{importer.describe(harvest_object)} could not be imported: {error!r}"
        model.Session.rollback()
        self._save_object_error(message, harvest_object, "Import")
        return False


def _summary(error: tk.ValidationError) -> str:
    summary = error.error_summary or error.error_dict
    if isinstance(summary, dict):
        return "; ".join(f"{field}: {message}" for field, message in summary.items())
    return str(summary)
