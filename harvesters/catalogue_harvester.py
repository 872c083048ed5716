"""The base of the catalogue harvesters: gather (harvesters/stages.py), fetch and import stages
that never raise; every failure is stored as a gather error (the job) or an object error naming
the record, and shown by harvest_job_report and the harvest UI. A record is written only into
an organisation where the source's owner may create datasets (source_owner.py).
Subclasses say how to list, fetch and map."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion.harvesters import source_owner
from ckanext.smartregion.harvesters.catalogue_config import CatalogueConfig, SourceConfigError
from ckanext.smartregion.harvesters.catalogue_sync import WITHDRAWN, store, withdraw
from ckanext.smartregion.harvesters.import_stage import RecordError, extras_of, validation_summary
from ckanext.smartregion.harvesters.record_issues import RecordIssues
from ckanext.smartregion.harvesters.stages import SafeStagesHarvester

log = logging.getLogger(__name__)


class CatalogueHarvester(SafeStagesHarvester):
    """Gather, fetch and import of a catalogue source, each failure stored as a gather or
    object error; subclasses say how to list, fetch and map."""

    source_type = ""
    parse_config: Callable[[str | None], CatalogueConfig]
    config_error = SourceConfigError
    gather_failed_note = "Nothing was withdrawn."

    def organizations_named(self, parsed: CatalogueConfig) -> dict[str, list[str]]:
        return {"organization_mapping": list(parsed.organization_mapping.values())}

    def gather_job(self, harvest_job: HarvestJob, config: CatalogueConfig) -> list[str]:
        return self.gather(harvest_job, config)

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        if extras_of(harvest_object).get("status") == WITHDRAWN or harvest_object.content:
            return True
        try:
            return self.fetch(harvest_object)
        except RecordError as error:
            message = f"Record {harvest_object.guid} could not be fetched: {error}"
        except Exception as error:
            log.exception("Fetch of %s failed", harvest_object.guid)
            message = f"Record {harvest_object.guid} could not be fetched: {error!r}"
        model.Session.rollback()
        self._save_object_error(message, harvest_object, "Fetch")
        return False

    def import_stage(self, harvest_object: HarvestObject) -> bool:
        context = {"user": self._get_user_name(), "ignore_auth": True}
        name = f"Record {harvest_object.guid}"
        try:
            owner = source_owner.for_object(harvest_object)
            if extras_of(harvest_object).get("status") == WITHDRAWN:
                withdraw(harvest_object, context, owner.check)
                return True
            config = self.parse_config(harvest_object.source.config)
            issues = RecordIssues(harvest_object.harvest_job_id)
            dataset = self.map_record(harvest_object, config, context, issues)
            owner.check(dataset["owner_org"])
            store(harvest_object, dataset, context, owner.check, issues)
            return True
        except (RecordError, SourceConfigError, source_owner.ForbiddenOrganization) as error:
            message = f"{name}: {error}"
        except tk.ValidationError as error:
            message = f"{name} was refused: {validation_summary(error)}"
        except Exception as error:
            log.exception("Import of %s failed", harvest_object.guid)
            message = f"{name} could not be imported: {error!r}"
        model.Session.rollback()
        self._save_object_error(message, harvest_object, "Import")
        return False

    def get_original_url(self, harvest_object_id: str) -> str | None:
        """The record at its source, linked from the harvest job report."""
        obj = model.Session.get(HarvestObject, harvest_object_id)
        if obj is None:
            return None
        return obj.guid if obj.guid.startswith(("http://", "https://")) else None

    # what each kind of source does

    def gather(self, job: HarvestJob, config: CatalogueConfig) -> list[str]:
        raise NotImplementedError

    def fetch(self, harvest_object: HarvestObject) -> bool | str:
        raise RecordError("the listing carried no record")

    def map_record(
        self,
        harvest_object: HarvestObject,
        config: CatalogueConfig,
        context: dict,
        issues: RecordIssues,
    ) -> dict[str, Any]:
        """The record as a `dataset` dict; its defects noted in `issues`, a RecordError only
        for a record that cannot be identified or is unsafe."""
        raise NotImplementedError
