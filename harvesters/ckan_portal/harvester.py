"""Skeleton of the ``ckan_portal`` harvester (being built; see the issue)."""

from __future__ import annotations

import ckan.plugins as p
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.interfaces import IHarvester

SOURCE_TYPE = "ckan_portal"


class CkanPortalHarvester(HarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    def info(self) -> dict[str, str]:
        return {"name": SOURCE_TYPE, "title": "CKAN", "description": "CKAN"}

    def gather_stage(self, harvest_job):
        return []

    def fetch_stage(self, harvest_object):
        return False

    def import_stage(self, harvest_object):
        return False
