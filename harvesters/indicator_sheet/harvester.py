"""The ``indicator_sheet`` harvester: a garant's CSV or XLSX of indicator values at a URL.

Gather fetches the sheet and checks all of it (gather.py); a bad sheet is refused whole, with
an error per row. Fetch has nothing left to do. Import writes one indicator's checked values
into its DataStore series (the same upsert as an upload on the indicator page, keyed by
period and breakdown, so a re-harvest corrects instead of duplicating) and recomputes its
progress status, for indicators of organisations where the source's owner may create datasets
(source_owner.py). No stage raises: errors are stored per job or per object.
"""

from __future__ import annotations

import logging

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion.harvesters import indicator_import, source_owner
from ckanext.smartregion.harvesters.indicator_sheet import gather, source_config
from ckanext.smartregion.harvesters.stages import SafeStagesHarvester

log = logging.getLogger(__name__)

SOURCE_TYPE = "indicator_sheet"


@tk.blanket.actions(source_owner.actions)  # source_owner's: who saves a source, chained writes
class IndicatorSheetHarvester(SafeStagesHarvester, p.SingletonPlugin):
    p.implements(IHarvester)
    parse_config = staticmethod(source_config.parse)
    config_error = source_config.SourceConfigError

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "Tabulka hodnot ukazatelů (CSV/XLSX) / Indicator sheet",
            "description": "Values of the action plan's indicators from a CSV or XLSX sheet "
            "published by their garant (indicator code, period, value, optional breakdown).",
            "form_config_interface": "Text",
        }

    def gather_job(self, harvest_job: HarvestJob, config: source_config.SourceConfig) -> list[str]:
        return gather.gather(harvest_job, config)

    def import_stage(self, harvest_object: HarvestObject) -> bool:
        return indicator_import.import_values(
            self,
            harvest_object,
            f"Indicator {harvest_object.guid}",
            "it was deleted after the sheet was checked",
        )
