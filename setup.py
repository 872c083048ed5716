"""One distribution, ckanext-smartregion: the portal's CKAN plugins and harvesters.

The top-level folders are mapped onto the ``ckanext.smartregion`` package:
``ckanext-smartregion/ckanext/smartregion`` is the package itself, ``harvesters/`` is
``ckanext.smartregion.harvesters`` and ``schemas/`` (scheming YAML and the action-plan
taxonomy, shipped as package data) is ``ckanext.smartregion.schemas``.
"""

from setuptools import setup

setup(
    name="ckanext-smartregion",
    version="0.1.0",
    description="Open-data portal of the Smarter Liberec Region (Chytřejší Liberecký kraj) on CKAN",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=[
        "ckanext.smartregion",
        "ckanext.smartregion.logic",
        "ckanext.smartregion.dcat",
        "ckanext.smartregion.downloads",
        "ckanext.smartregion.harvesters",
        "ckanext.smartregion.harvesters.oaipmh_lido",
        "ckanext.smartregion.harvesters.dcat_ap_cz",
        "ckanext.smartregion.harvesters.arcgis_hub",
        "ckanext.smartregion.harvesters.ckan_portal",
        "ckanext.smartregion.harvesters.indicator_sheet",
        "ckanext.smartregion.harvesters.metering",
        "ckanext.smartregion.pages",
        "ckanext.smartregion.review",
        "ckanext.smartregion.search_index",
        "ckanext.smartregion.schemas",
    ],
    package_dir={
        "ckanext.smartregion": "ckanext-smartregion/ckanext/smartregion",
        "ckanext.smartregion.harvesters": "harvesters",
        "ckanext.smartregion.schemas": "schemas",
    },
    package_data={
        "ckanext.smartregion": [
            "*.yaml",
            "templates/**/*",
            "assets/**/*",
            "public/**/*",
            "i18n/**/*",
            "migration/**/*",
        ],
        "ckanext.smartregion.schemas": ["*.yaml"],
        "ckanext.smartregion.dcat": ["*.jsonld"],
        "ckanext.smartregion.review": ["templates/**/*"],
    },
    include_package_data=True,
    entry_points={
        "ckan.plugins": [
            "smartregion = ckanext.smartregion.plugin:SmartRegionPlugin",
            "smartregion_probe_harvester = ckanext.smartregion.harvesters.probe:ProbeHarvester",
            "smartregion_dcat = ckanext.smartregion.dcat.plugin:SmartRegionDCATPlugin",
            "smartregion_oaipmh_lido = ckanext.smartregion.harvesters.oaipmh_lido.harvester:OaiPmhLidoHarvester",
            "smartregion_dcat_harvester = ckanext.smartregion.harvesters.dcat_ap_cz.harvester:DcatApCzHarvester",
            "smartregion_arcgis_harvester = ckanext.smartregion.harvesters.arcgis_hub.harvester:ArcGisHubHarvester",
            "smartregion_ckan_harvester = ckanext.smartregion.harvesters.ckan_portal.harvester:CkanPortalHarvester",
            "smartregion_indicator_sheet_harvester = ckanext.smartregion.harvesters.indicator_sheet.harvester:IndicatorSheetHarvester",
            "smartregion_metering_harvester = ckanext.smartregion.harvesters.metering.harvester:MeteringHarvester",
            "smartregion_pages = ckanext.smartregion.pages.plugin:SmartRegionPagesPlugin",
            "smartregion_review = ckanext.smartregion.review.plugin:SmartRegionReviewPlugin",
            "smartregion_downloads = ckanext.smartregion.downloads.plugin:SmartRegionDownloadsPlugin",
        ],
        "ckan.rdf.profiles": [
            "smartregion_dcat_ap_cz = ckanext.smartregion.dcat.profile:SmartRegionDCATAPCZProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
)
