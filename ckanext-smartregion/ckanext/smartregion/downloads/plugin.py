"""Plugin registration of the downloads the public expects: the table preview view, the
per-dataset "download all" ZIP (built by a background job when a dataset changes), its page
and the action a steward asks for a build with the linked files by; the work lives in the
modules beside this one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartregion import declarations
from ckanext.smartregion.downloads import (
    actions,
    archive,
    auth,
    cli,
    helpers,
    jobs,
    tableview,
    views,
)
from ckanext.smartregion.translation import SmartRegionTranslation


@tk.blanket.actions(actions)
@tk.blanket.auth_functions(auth)
@tk.blanket.config_declarations(
    declarations.with_fetcher(Path(__file__).with_name("config_declaration.yaml"))
)
@tk.blanket.cli(cli.get_commands)
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.helpers(helpers)
class SmartRegionDownloadsPlugin(p.SingletonPlugin, SmartRegionTranslation):
    p.implements(p.ITranslation)
    p.implements(p.IResourceView, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    # IResourceView: smartregion_table_view

    def info(self) -> dict[str, Any]:
        return tableview.info()

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return tableview.can_view(data_dict["resource"])

    def view_template(self, context: Any, data_dict: dict[str, Any]) -> str:
        return "smartregion/downloads/table_view.html"

    def setup_template_variables(self, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
        return tableview.template_variables(data_dict["resource"])

    # IPackageController: resource changes reach here too (resource actions update the
    # dataset), so one hook keeps the ZIP current.

    def after_dataset_create(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        jobs.on_dataset_change(pkg_dict)

    def after_dataset_update(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        jobs.on_dataset_change(pkg_dict)

    def after_dataset_delete(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        # The id may be a name here; the queued build removes the files of a deleted dataset.
        archive.remove(pkg_dict["id"])
        jobs.on_dataset_change(pkg_dict, deleted=True)
