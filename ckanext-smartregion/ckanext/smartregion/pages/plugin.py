"""The content-pages plugin: concept, action plan, activity-area texts and news, written in
the browser by stewards and published by the coordinator (draft → pending → published)."""

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartregion.pages import actions, auth, helpers, views
from ckanext.smartregion.translation import SmartRegionTranslation


@tk.blanket.actions(actions)
@tk.blanket.auth_functions(auth)
@tk.blanket.helpers(helpers)
@tk.blanket.blueprints(views.get_blueprints)
class SmartRegionPagesPlugin(p.SingletonPlugin, SmartRegionTranslation):
    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
