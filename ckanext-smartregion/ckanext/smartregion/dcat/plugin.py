"""The `smartregion_dcat` plugin: the local catalogue's routes, and the catalogue's IRIs for
every ckanext-dcat output (DCAT-AP-CZ and DCAT-AP 3 name the same datasets the same way)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.dcat.interfaces import IDCATURIGenerator

from ckanext.smartregion.dcat import iris, structured_data, views


@tk.blanket.config_declarations
@tk.blanket.helpers(structured_data)
@tk.blanket.blueprints(views.get_blueprints)
class SmartRegionDCATPlugin(p.SingletonPlugin):
    p.implements(IDCATURIGenerator, inherit=True)

    # IDCATURIGenerator

    def catalog_uri(self, default_uri: str) -> str | None:
        return iris.base_uri() or None

    def dataset_uri(self, dataset_dict: dict[str, Any], default_uri: str) -> str | None:
        return iris.dataset_iri(dataset_dict["id"]) if dataset_dict.get("id") else None

    def resource_uri(self, resource_dict: dict[str, Any], default_uri: str) -> str | None:
        if not (resource_dict.get("package_id") and resource_dict.get("id")):
            return None
        return iris.distribution_iri(resource_dict["package_id"], resource_dict["id"])
