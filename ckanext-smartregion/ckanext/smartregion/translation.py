"""The portal's one message catalogue (i18n/), shared by all of its plugins."""

from __future__ import annotations

import os

# CKAN 2.12's toolkit does not export DefaultTranslation; ckan.lib.plugins is its home
from ckan.lib.plugins import DefaultTranslation

I18N_DIRECTORY = os.path.join(os.path.dirname(__file__), "i18n")
DOMAIN = "ckanext-smartregion"


class SmartRegionTranslation(DefaultTranslation):
    """ITranslation of every smartregion plugin: one folder and one domain, so a plugin
    loaded without the others still speaks Czech and a message is translated once."""

    def i18n_directory(self) -> str:
        return I18N_DIRECTORY

    def i18n_domain(self) -> str:
        return DOMAIN
