"""Skeleton of the dataset-review plugin (being built; see the issue)."""

import ckan.plugins as p


class SmartRegionReviewPlugin(p.SingletonPlugin):
    pass
