"""Skeleton of the content-pages plugin (being built; see the issue)."""

import ckan.plugins as p


class SmartRegionPagesPlugin(p.SingletonPlugin):
    pass
