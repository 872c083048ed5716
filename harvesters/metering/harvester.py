"""Skeleton of the ``metering`` harvester (being built; see the issue)."""

from __future__ import annotations

import ckan.plugins as p
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.interfaces import IHarvester

SOURCE_TYPE = "metering"


class MeteringHarvester(HarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    def info(self) -> dict[str, str]:
        return {"name": SOURCE_TYPE, "title": "Metering series", "description": "Metering series"}

    def gather_stage(self, harvest_job):
        return []

    def fetch_stage(self, harvest_object):
        return False

    def import_stage(self, harvest_object):
        return False
