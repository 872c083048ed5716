"""The main plugin's blueprints, listed (registered by the blanket in plugin.py): a page
whose blueprint is missing here is not served, and tests/packaging/test_registration.py says
so."""

from __future__ import annotations

from flask import Blueprint

from ckanext.smartregion.apidocs import smartregion_apidocs
from ckanext.smartregion.harvesters.metering.views import smartregion_metering
from ckanext.smartregion.harvesters.traffic.views import smartregion_traffic
from ckanext.smartregion.indicators.views import smartregion_bulk, smartregion_indicator
from ckanext.smartregion.oai.views import smartregion_oai
from ckanext.smartregion.plan.area import smartregion_area
from ckanext.smartregion.plan.views import smartregion_plan


def get_blueprints() -> list[Blueprint]:
    return [
        smartregion_indicator,
        smartregion_plan,
        smartregion_bulk,
        smartregion_area,
        smartregion_apidocs,
        smartregion_oai,
        smartregion_traffic,
        smartregion_metering,
    ]
