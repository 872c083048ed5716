"""Every plugin registers through the blankets what this list names, and the portal serves
these URL rules: dropping a blueprint, an action or an import that looked unused fails here
instead of silently removing a page or an API call."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import pytest

# plugin -> what it registers (names of actions, auth functions, helpers, validators,
# blueprints and CLI commands)
REGISTERED: dict[str, dict[str, list[str]]] = {
    "smartregion": {
        "actions": [
            "smartregion_indicator_values",
            "smartregion_indicator_values_upload",
            "smartregion_taxonomy_show",
        ],
        "auth_functions": [
            "smartregion_indicator_values",
            "smartregion_indicator_values_upload",
            "smartregion_report_publish",
            "smartregion_taxonomy_show",
        ],
        "helpers": [
            "dataset_display_name",
            "get_translated",
            "humanize_entity_type",
            "scheming_language_text",
            "smartregion_activity_area_choices",
            "smartregion_collection_object",
            "smartregion_czech_fallback",
            "smartregion_home",
            "smartregion_indicator_panel",
            "smartregion_is_sample",
            "smartregion_keywords",
            "smartregion_lang",
            "smartregion_pager",
            "smartregion_priority_area_choices",
            "smartregion_report_chart",
            "smartregion_specific_objective_choices",
            "smartregion_status_label",
            "smartregion_strategic_goal_choices",
            "smartregion_taxonomy",
            "smartregion_taxonomy_label",
            "smartregion_type_label",
        ],
        "validators": [
            "smartregion_activity_area",
            "smartregion_author_if_licensed",
            "smartregion_collection_object_checks",
            "smartregion_dataset_checks",
            "smartregion_decimal",
            "smartregion_derive_plan_links",
            "smartregion_historical_year",
            "smartregion_ico",
            "smartregion_indicator_checks",
            "smartregion_indicator_links",
            "smartregion_iri",
            "smartregion_iri_list",
            "smartregion_iri_with_prefix",
            "smartregion_keyword_list",
            "smartregion_owner_org_validator",
            "smartregion_package_name_validator",
            "smartregion_plan_year",
            "smartregion_priority_areas",
            "smartregion_project_checks",
            "smartregion_quality_issues",
            "smartregion_required_unless_flagged",
            "smartregion_specific_objectives",
            "smartregion_strategic_goals",
        ],
        "blueprints": [
            "smartregion_apidocs",
            "smartregion_area",
            "smartregion_bulk",
            "smartregion_indicator",
            "smartregion_metering",
            "smartregion_oai",
            "smartregion_plan",
            "smartregion_traffic",
        ],
        "commands": [
            "smartregion",
        ],
    },
    "smartregion_dcat": {
        "helpers": [
            "smartregion_structured_data",
        ],
        "blueprints": [
            "smartregion_dcat",
        ],
    },
    "smartregion_downloads": {
        "actions": [
            "smartregion_downloads_build",
        ],
        "auth_functions": [
            "smartregion_downloads_build",
        ],
        "helpers": [
            "smartregion_download_all",
            "smartregion_geojson_summary",
        ],
        "blueprints": [
            "smartregion_downloads",
        ],
        "commands": [
            "smartregion-downloads",
        ],
    },
    "smartregion_pages": {
        "actions": [
            "smartregion_page_create",
            "smartregion_page_list",
            "smartregion_page_publish",
            "smartregion_page_return",
            "smartregion_page_revisions",
            "smartregion_page_show",
            "smartregion_page_submit",
            "smartregion_page_update",
        ],
        "auth_functions": [
            "smartregion_page_create",
            "smartregion_page_list",
            "smartregion_page_publish",
            "smartregion_page_return",
            "smartregion_page_revisions",
            "smartregion_page_show",
            "smartregion_page_submit",
            "smartregion_page_update",
        ],
        "helpers": [
            "smartregion_pages_fallback",
            "smartregion_pages_label",
            "smartregion_pages_published",
            "smartregion_pages_text",
        ],
        "blueprints": [
            "smartregion_pages",
        ],
    },
    "smartregion_review": {
        "actions": [
            "bulk_update_public",
            "dashboard_mark_activities_old",
            "group_activity_list",
            "organization_activity_list",
            "package_create",
            "package_delete",
            "package_update",
            "smartregion_review_approve",
            "smartregion_review_list",
            "smartregion_review_return",
            "smartregion_review_show",
            "smartregion_review_submit",
            "user_activity_list",
        ],
        "auth_functions": [
            "smartregion_review_approve",
            "smartregion_review_list",
            "smartregion_review_return",
            "smartregion_review_show",
            "smartregion_review_submit",
        ],
        "helpers": [
            "new_activities",
            "smartregion_review_activity_comment",
            "smartregion_review_box",
            "smartregion_review_missing_label",
            "smartregion_review_quality_issues",
            "smartregion_review_state_label",
        ],
        "blueprints": [
            "smartregion_review",
        ],
        "commands": [
            "smartregion-review",
        ],
    },
}

# "rule endpoint methods" of every route of our blueprints
ROUTES = [
    "/akcni-plan smartregion_area.plan GET",
    "/akcni-plan/<level>/<code> smartregion_plan.dashboard GET",
    "/akcni-plan/oblast-aktivit/<code> smartregion_area.read GET",
    "/akcni-plan/zpravy/<kind>/<int:year> smartregion_plan.report_page GET",
    "/akcni-plan/zpravy/<kind>/<int:year>.<fmt> smartregion_plan.report_file GET",
    "/akcni-plan/zpravy/<kind>/<int:year>/zverejnit smartregion_plan.report_publish POST",
    "/api-dokumentace smartregion_apidocs.guide GET",
    "/api-dokumentace/ smartregion_apidocs.guide GET",
    "/api-dokumentace/openapi.json smartregion_apidocs.openapi GET",
    "/dataset/<id>/stahnout-vse.zip smartregion_downloads.download_all GET",
    "/doprava/<name> smartregion_traffic.read GET",
    "/doprava/<name>/<site_id> smartregion_traffic.site GET",
    "/doprava/<name>/<site_id>/<kind>.csv smartregion_traffic.site_csv GET",
    "/doprava/<name>/mista.geojson smartregion_traffic.sites_geojson GET",
    "/lkod/datove-sady/<dataset_id> smartregion_dcat.read_dataset GET",
    "/lkod/datove-sady/<dataset_id>.<suffix> smartregion_dcat.read_dataset GET",
    "/lkod/katalog smartregion_dcat.read_catalogue GET",
    "/lkod/katalog.<suffix> smartregion_dcat.read_catalogue GET",
    "/mereni/<name> smartregion_metering.read GET",
    "/mereni/<name>/mesicne.csv smartregion_metering.monthly_csv GET",
    "/oai smartregion_oai.provider GET,POST",
    "/sprava smartregion_review.dashboard GET",
    "/sprava/ smartregion_review.dashboard GET",
    "/sprava/dataset/<id>/<step> smartregion_review.review_step POST",
    "/stranky smartregion_pages.index GET",
    "/stranky/<slug> smartregion_pages.read GET",
    "/stranky/<slug>/<step> smartregion_pages.workflow POST",
    "/stranky/<slug>/historie smartregion_pages.history GET",
    "/stranky/<slug>/historie/<int:number> smartregion_pages.revision GET",
    "/stranky/<slug>/upravit smartregion_pages.edit GET,POST",
    "/stranky/novy smartregion_pages.new GET,POST",
    "/ukazatel/<code> smartregion_indicator.permanent GET",
    "/ukazatel/<code>/graf smartregion_indicator.embed GET",
    "/ukazatel/<code>/hodnoty.<fmt> smartregion_indicator.download GET",
    "/ukazatel/<code>/nahrat smartregion_indicator.upload_form GET,POST",
    "/ukazatele/vse.<fmt> smartregion_bulk.bulk_download GET",
]

INTERFACES = {
    "actions": (p.IActions, "get_actions"),
    "auth_functions": (p.IAuthFunctions, "get_auth_functions"),
    "helpers": (p.ITemplateHelpers, "get_helpers"),
    "validators": (p.IValidators, "get_validators"),
    "blueprints": (p.IBlueprint, "get_blueprint"),
    "commands": (p.IClick, "get_commands"),
}


def _names(items: Any) -> list[str]:
    if isinstance(items, dict):
        return sorted(items)
    items = items if isinstance(items, list) else [items]
    return sorted(item.name for item in items)


def _registered() -> dict[str, dict[str, list[str]]]:
    found: dict[str, dict[str, list[str]]] = {}
    for kind, (interface, method) in INTERFACES.items():
        for plugin in p.PluginImplementations(interface):
            if plugin.name in REGISTERED:
                found.setdefault(plugin.name, {})[kind] = _names(getattr(plugin, method)())
    return found


@pytest.mark.usefixtures("with_plugins")
def test_each_plugin_registers_what_the_list_names() -> None:
    assert _registered() == REGISTERED


def test_every_route_of_the_list_is_served(app) -> None:
    served = sorted(
        f"{rule.rule} {rule.endpoint} {','.join(sorted(rule.methods - {'HEAD', 'OPTIONS'}))}"
        for rule in app.flask_app.url_map.iter_rules()
        if rule.endpoint.startswith("smartregion")
    )
    assert served == ROUTES
