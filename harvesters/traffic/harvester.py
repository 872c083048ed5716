"""The ``traffic`` harvester: DATEX II measured data (with its measurement site table) or a
counter CSV at a URL, loaded into the source's DataStore tables with hourly, daily and monthly
totals (harvest.py), shown on /doprava/<dataset> (views.py, registered by the main plugin).

The whole load runs in the gather stage, in one transaction (COPY + merge + totals): a
failed load writes nothing, and a re-run writes no duplicates, so fetch and import have
nothing left to do. Bad rows and sites missing from the site table are stored as object
errors of the job; object "file" holds the summary.
"""

from __future__ import annotations

import json
import logging

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectError

from ckanext.smartregion.harvesters import source_owner
from ckanext.smartregion.harvesters.config_fields import SourceConfigError
from ckanext.smartregion.harvesters.http import FetchError
from ckanext.smartregion.harvesters.metering.gather import MAX_REPORTED
from ckanext.smartregion.harvesters.metering.store import StoreError
from ckanext.smartregion.harvesters.stages import SafeStagesHarvester, gather_error, new_object
from ckanext.smartregion.harvesters.traffic import harvest, source_config

log = logging.getLogger(__name__)

NOTHING_WRITTEN = "Nothing was written; the counts stored before are unchanged."


@tk.blanket.actions(source_owner.actions)  # source_owner's: who saves a source, chained writes
class TrafficHarvester(SafeStagesHarvester, p.SingletonPlugin):
    p.implements(IHarvester)
    parse_config = staticmethod(source_config.parse)
    config_error = source_config.SourceConfigError
    gather_failed_note = NOTHING_WRITTEN

    def info(self) -> dict[str, str]:
        return {
            "name": "traffic",
            "title": "Sčítání dopravy / Traffic counts",
            "description": "Traffic counts from road counters: DATEX II MeasuredDataPublication "
            "with its MeasurementSiteTablePublication, or a counter CSV export.",
            "form_config_interface": "Text",
        }

    def gather_job(self, harvest_job: HarvestJob, config: source_config.SourceConfig) -> list[str]:
        source = harvest_job.source
        package = model.Package.get(source.id)  # a harvest source is a dataset of type harvest
        context = {"user": self._get_user_name(), "ignore_auth": True}
        source_dict = {
            "name": package.name,
            "title": package.title or source.url,
            "owner_org": package.owner_org,
            "url": source.url,
        }
        try:
            outcome = harvest.harvest(context, config, source_dict)
        except (harvest.RefusedError, FetchError, StoreError, SourceConfigError) as error:
            gather_error(harvest_job, f"{error} {NOTHING_WRITTEN}")
            return []
        summary = {
            "written": outcome.written,
            "rows": outcome.rows,
            "problems": len(outcome.problems),
            "unknown_sites": sorted(outcome.unknown_sites),
            "indicators": outcome.indicators,
        }
        new_object(
            harvest_job,
            "file",
            json.dumps(summary),
            "COMPLETE",
            "added" if outcome.written else "not modified",
            package_id=outcome.dataset["id"],
        )
        if outcome.problems:
            object_id = new_object(harvest_job, "rows", None, "ERROR", "errored")
            for problem in outcome.problems[:MAX_REPORTED]:
                model.Session.add(
                    HarvestObjectError(
                        harvest_object_id=object_id, message=str(problem), stage="Validation"
                    )
                )
        model.Session.commit()
        log.info("Job %s: %s", harvest_job.id, summary)
        return []

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        return "unchanged"
