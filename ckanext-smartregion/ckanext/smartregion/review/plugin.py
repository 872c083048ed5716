"""Dataset review (smartregion_review): in-scope datasets stay private until an approver
approves them; the steward dashboard /sprava; metadata-quality scores and link checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartregion import declarations
from ckanext.smartregion.review import action, activity, auth, cli, helpers, links, quality, views
from ckanext.smartregion.translation import SmartRegionTranslation


@tk.blanket.config_declarations(
    declarations.with_fetcher(Path(__file__).with_name("config_declaration.yaml"))
)
@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
@tk.blanket.helpers(helpers)
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.cli(cli.get_commands)
class SmartRegionReviewPlugin(p.SingletonPlugin, SmartRegionTranslation):
    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        # The review history and the dashboard's "new activity" count chain CKAN's activity
        # plugin; without it CKAN would stop later on an unnamed chained helper.
        if not p.plugin_loaded("activity"):
            raise RuntimeError(
                "smartregion_review needs CKAN's activity plugin: add activity to ckan.plugins"
            )
        tk.add_template_directory(config, "templates")

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        quality.store_from_index(pkg_dict)
        return pkg_dict

    def after_dataset_create(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        if context.get(links.DEFERRED_LINK_CHECK):  # a bulk import queues one job per batch
            return
        links.request_link_check(pkg_dict)

    def after_dataset_update(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        links.request_link_check(pkg_dict)
        if pkg_dict.get("private"):
            activity.withdraw(pkg_dict["id"])

    def after_dataset_delete(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        package = model.Package.get(pkg_dict.get("id") or "")  # the action's id or name
        if package is not None:
            quality.forget(package.id)
