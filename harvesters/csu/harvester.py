"""The ``csu`` harvester: one ČSÚ open-data dataset, filtered, as an indicator's benchmark.

Gather fetches the ČSÚ CSV (and its CSV-W schema) through the guarded fetcher and checks all
of it (gather.py); a bad file or configuration is refused whole. Import writes the kraj rows
into the indicator's DataStore series as the breakdown ``kraj`` (one upsert keyed by period,
dimension and category: a re-harvest corrects values, never duplicates them), for an
indicator of an organisation where the source's owner may create datasets. No stage raises.
"""

from __future__ import annotations

import logging

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion.harvesters import indicator_import, source_owner
from ckanext.smartregion.harvesters.csu import gather, source_config
from ckanext.smartregion.harvesters.stages import SafeStagesHarvester

log = logging.getLogger(__name__)

SOURCE_TYPE = "csu"


@tk.blanket.actions(source_owner.actions)  # source_owner's: who saves a source, chained writes
class CsuHarvester(SafeStagesHarvester, p.SingletonPlugin):
    p.implements(IHarvester)
    parse_config = staticmethod(source_config.parse)
    config_error = source_config.SourceConfigError
    gather_failed_note = gather.NOTHING_WRITTEN

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "ČSÚ – srovnání krajů / Czech Statistical Office regional benchmark",
            "description": "Values of one of our indicators for all kraje and the Czech "
            "Republic from a ČSÚ open-data CSV (dataset, filter and indicator in the "
            "configuration).",
            "form_config_interface": "Text",
        }

    def organizations_named(self, parsed: source_config.SourceConfig) -> dict[str, list[str]]:
        """The indicator's organisation: the user saving the source must be able to write it."""
        indicator = model.Package.get(parsed.indicator)
        if indicator is None or indicator.type != "indicator" or indicator.state != "active":
            raise source_config.SourceConfigError(
                f'"indicator": no indicator is named {parsed.indicator!r}; create it first or '
                "correct the name"
            )
        organization = model.Group.get(indicator.owner_org) if indicator.owner_org else None
        return {"indicator": [organization.name if organization else ""]}

    def gather_job(self, harvest_job: HarvestJob, config: source_config.SourceConfig) -> list[str]:
        return gather.gather(harvest_job, config)

    def import_stage(self, harvest_object: HarvestObject) -> bool:
        return indicator_import.import_values(
            self,
            harvest_object,
            harvest_object.guid,
            "the indicator was deleted after the file was checked",
        )
