"""The ``metering`` harvester: energy and water meter readings (CSV or JSON at a URL) appended
to a DataStore table per building or meter group, with daily and monthly totals for the public
page /mereni/<dataset>.

Gather fetches and checks the file and keeps only readings not stored yet (gather.py); fetch
has nothing left to do; import appends one object's readings in batches and refreshes the
totals of the meters and days it touched. No stage raises: errors are stored per job or
per object. The public page is views.py beside this module (registered by the main plugin).
"""

from __future__ import annotations

import json
import logging
import time

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion.harvesters import source_owner
from ckanext.smartregion.harvesters.metering import gather, source_config, store
from ckanext.smartregion.harvesters.stages import SafeStagesHarvester

log = logging.getLogger(__name__)

SOURCE_TYPE = "metering"
COLUMNS = (
    "meter_id",
    "building",
    "meter_group",
    "medium",
    "unit",
    "timestamp",
    "value",
    "day",
    "month",
)


@tk.blanket.actions(source_owner.actions)  # source_owner's: who saves a source, chained writes
class MeteringHarvester(SafeStagesHarvester, p.SingletonPlugin):
    p.implements(IHarvester)
    parse_config = staticmethod(source_config.parse)
    config_error = source_config.SourceConfigError
    gather_failed_note = gather.NOTHING_WRITTEN

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "Měření energií a vody / Energy and water metering",
            "description": "Meter readings (electricity, heat, gas, water) from the energy "
            "management system, as CSV or JSON at a URL; only new readings are added.",
            "form_config_interface": "Text",
        }

    def _context(self) -> dict:
        return {"user": self._get_user_name(), "ignore_auth": True}

    def gather_job(self, harvest_job: HarvestJob, config: source_config.SourceConfig) -> list[str]:
        return gather.gather(harvest_job, config, self._context())

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        if harvest_object.content is None and harvest_object.current:
            # ckanext-harvest may deliver an object twice (harvest_jobs_run re-sends WAITING
            # objects it does not see in the queue): its readings are written already
            log.info("Object %s was delivered again; already written", harvest_object.id)
            return "unchanged"
        try:
            payload = json.loads(harvest_object.content or "")
            group, rows = payload["group"], payload["rows"]
            batch = source_config.parse(harvest_object.source.config).batch_size
        except (ValueError, KeyError, TypeError) as error:
            model.Session.rollback()
            self._save_object_error(
                f"{harvest_object.guid}: the object holds no readings to write ({error!r}); "
                "the next harvest queues what is missing",
                harvest_object,
                "Import",
            )
            return False
        context = self._context()
        started = time.perf_counter()
        written = 0
        try:
            for start in range(0, len(rows), batch):
                records = [
                    dict(zip(COLUMNS, row, strict=True)) for row in rows[start : start + batch]
                ]
                store.append(context, payload["resource_id"], records, payload["method"])
                written += len(records)
                log.info(
                    "Metering %s: %s of %s readings written (%.0f/s)",
                    group,
                    written,
                    len(rows),
                    written / max(time.perf_counter() - started, 1e-6),
                )
            ids = {store.DAILY: payload["daily_id"], store.MONTHLY: payload["monthly_id"]}
            daily, monthly = store.refresh_totals(
                context, ids, payload["resource_id"], {r[0] for r in rows}, {r[7] for r in rows}
            )
        except Exception as error:
            log.exception("Import of %s readings of %s failed", len(rows), group)
            model.Session.rollback()
            self._save_object_error(
                f"{group}: {written} of {len(rows)} readings were written before the DataStore "
                f"failed: {error}. The next harvest adds the rest (nothing is written twice).",
                harvest_object,
                "Import",
            )
            return False
        log.info(
            "Metering %s: %s readings appended, %s daily and %s monthly totals refreshed",
            group,
            written,
            daily,
            monthly,
        )
        harvest_object.content = None  # the readings are in the DataStore now
        harvest_object.current = True
        return True
