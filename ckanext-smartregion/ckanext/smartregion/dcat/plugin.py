"""The `smartregion_dcat` plugin: the local catalogue's routes, and the catalogue's IRIs for
every ckanext-dcat output (DCAT-AP-CZ and DCAT-AP 3 name the same datasets the same way)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.dcat.interfaces import IDCATURIGenerator
from flask import Blueprint

from ckanext.smartregion.dcat import iris, structured_data, views


@tk.blanket.config_declarations
class SmartRegionDCATPlugin(p.SingletonPlugin):
    p.implements(p.IBlueprint)
    p.implements(p.ITemplateHelpers)
    p.implements(IDCATURIGenerator, inherit=True)

    # ITemplateHelpers

    def get_helpers(self) -> dict[str, Any]:
        return {"smartregion_structured_data": structured_data.smartregion_structured_data}

    # IBlueprint

    def get_blueprint(self) -> list[Blueprint]:
        return [views.blueprint]

    # IDCATURIGenerator

    def catalog_uri(self, default_uri: str) -> str | None:
        return iris.base_uri() or None

    def dataset_uri(self, dataset_dict: dict[str, Any], default_uri: str) -> str | None:
        return iris.dataset_iri(dataset_dict["id"]) if dataset_dict.get("id") else None

    def resource_uri(self, resource_dict: dict[str, Any], default_uri: str) -> str | None:
        if not (resource_dict.get("package_id") and resource_dict.get("id")):
            return None
        return iris.distribution_iri(resource_dict["package_id"], resource_dict["id"])
