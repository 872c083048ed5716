"""Plugin registration of the Smarter Liberec Region portal; the work lives in the modules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartregion import (
    cli,
    csrf_guard,
    declarations,
    helpers,
    search,
    search_language,
    security_headers,
    upload_limits,
    views,
)
from ckanext.smartregion.logic import action, auth, validators
from ckanext.smartregion.plan import taxonomy
from ckanext.smartregion.translation import SmartRegionTranslation


@tk.blanket.config_declarations(
    declarations.with_fetcher(Path(__file__).with_name("config_declaration.yaml"))
)
@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
@tk.blanket.helpers(helpers)
@tk.blanket.validators(validators)
@tk.blanket.cli(cli.get_commands)
@tk.blanket.blueprints(views.get_blueprints)
class SmartRegionPlugin(p.SingletonPlugin, SmartRegionTranslation):
    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "smartregion")

    # IConfigurable

    def configure(self, config: tk.CKANConfig) -> None:
        # A broken taxonomy stops start-up here, naming the file, line and problem.
        taxonomy.get.cache_clear()
        taxonomy.get()
        if p.plugin_loaded("harvest"):
            from ckanext.smartregion import harvest_queue, harvest_redis

            harvest_redis.install()
            harvest_queue.install()

    # IMiddleware

    def make_middleware(self, app: Any, config: tk.CKANConfig) -> Any:
        upload_limits.install(app)
        csrf_guard.install(app)
        return security_headers.install(app)

    # IFacets

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return search.facets(facets_dict, package_type)

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_dataset(pkg_dict)

    def after_dataset_show(
        self, context: dict[str, Any], pkg_dict: dict[str, Any]
    ) -> dict[str, Any]:
        # The dataset page computes progress from the rows it reads anyway (for_view).
        if pkg_dict.get("type") == "indicator" and not context.get("for_view"):
            from ckanext.smartregion.indicators.summary import summarize

            pkg_dict["progress"] = summarize(pkg_dict).as_dict()
        return pkg_dict

    def after_dataset_create(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        self._indicator_changed(pkg_dict)

    def after_dataset_update(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        self._indicator_changed(pkg_dict)

    def after_dataset_delete(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        self._indicator_changed(pkg_dict, deleted=True)

    @staticmethod
    def _indicator_changed(pkg_dict: dict[str, Any], deleted: bool = False) -> None:
        if deleted or pkg_dict.get("type") == "indicator":
            from ckanext.smartregion.indicators import bulk

            bulk.request_rebuild()

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search_language.query_fields(search_params)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return search.label_facet_items(search_results)
