"""Pipeline probe: a harvester that needs no remote source, to check a deployment's queues.

An operator (or the test suite) adds a source of type ``smartregion_probe`` whose config is
``{"count": N, "owner_org": "<organisation name>"}``; a job gathers N objects, fetches them
and imports each as a private dataset ``<source name>-probe-<i>``. If the datasets appear,
the gather and fetch consumers, Redis, PostgreSQL and Solr all work end to end. As every
harvester, it writes only where the source's owner may create datasets (source_owner.py).
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestObject

from ckanext.smartregion.harvesters import source_owner

PROBE_TYPE = "smartregion_probe"


def _parse_config(config: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(config or "{}")
    except ValueError as error:
        raise ValueError(f"The configuration is not valid JSON: {error}") from error
    if not isinstance(parsed, dict):
        raise ValueError('The configuration must be a JSON object, e.g. {"count": 3}')
    count = parsed.get("count", 1)
    limit = tk.config.get("ckanext.smartregion.probe.max_objects")
    if not isinstance(count, int) or not 1 <= count <= limit:
        raise ValueError(f'"count" must be a whole number from 1 to {limit}, not {count!r}')
    parsed["count"] = count
    return parsed


@tk.blanket.actions(source_owner.actions)  # source_owner's: who saves a source, chained writes
class ProbeHarvester(HarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    def info(self) -> dict[str, str]:
        return {
            "name": PROBE_TYPE,
            "title": "Pipeline probe",
            "description": "Creates N private test datasets to check the harvest queues.",
        }

    def validate_config(self, config: str | None) -> str | None:
        parsed = _parse_config(config)
        source_owner.check_save(
            {"owner_org": [parsed["owner_org"]] if "owner_org" in parsed else []}
        )
        return config

    def gather_stage(self, harvest_job: HarvestObject) -> list[str]:
        config = _parse_config(harvest_job.source.config)
        objects = [
            HarvestObject(guid=f"probe-{index}", job=harvest_job)
            for index in range(config["count"])
        ]
        for harvest_object in objects:
            harvest_object.add()
        model.Session.commit()
        return [harvest_object.id for harvest_object in objects]

    def fetch_stage(self, harvest_object: HarvestObject) -> bool:
        source = harvest_object.source
        harvest_object.content = json.dumps(
            {"name": f"{source.id[:8]}-{harvest_object.guid}", "source_title": source.title}
        )
        harvest_object.save()
        return True

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        config = _parse_config(harvest_object.source.config)
        context = {"user": self._get_user_name(), "ignore_auth": True}
        source_dataset = tk.get_action("package_show")(context, {"id": harvest_object.source.id})
        dataset = {
            "name": content["name"],
            "title": f"Probe {harvest_object.guid} of {content['source_title']}",
            "notes": "Created by the pipeline probe harvester; safe to delete.",
            "tags": [{"name": "probe"}],
            "themes": ["TECH"],
            "frequency": "NEVER",
            "private": True,
            "owner_org": config.get("owner_org") or source_dataset["owner_org"],
        }
        try:
            source_owner.for_object(harvest_object).check(dataset["owner_org"])
        except source_owner.ForbiddenOrganization as error:
            self._save_object_error(
                f"Probe object {harvest_object.guid}: {error}", harvest_object, "Import"
            )
            return False
        previous = (
            model.Session.query(HarvestObject)
            .filter(HarvestObject.guid == harvest_object.guid)
            .filter(HarvestObject.harvest_source_id == harvest_object.harvest_source_id)
            .filter(HarvestObject.current.is_(True))
            .first()
        )
        try:
            if previous and previous.package_id:
                dataset["id"] = previous.package_id
                result = tk.get_action("package_update")(context, dataset)
            else:
                result = tk.get_action("package_create")(context, dataset)
        except tk.ValidationError as error:
            self._save_object_error(
                f"Probe object {harvest_object.guid} was refused: {error.error_summary}",
                harvest_object,
                "Import",
            )
            return False
        if previous:
            previous.current = False
            previous.add()
        harvest_object.package_id = result["id"]
        harvest_object.current = True
        harvest_object.save()
        return True
