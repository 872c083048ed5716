"""The IRIs the local catalogue mints: one scheme under the configured base URI, so every
dataset, distribution, terms-of-use node and contact point has a stable https IRI."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

BASE_URI_OPTION = "ckanext.smartregion.dcat.base_uri"
PUBLISHER_ICO_OPTION = "ckanext.smartregion.dcat.publisher_ico"
RPP_PUBLISHER = "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/"

# Path segments of the catalogue; dataset IRIs are what NKOD dereferences, so they are routes.
CATALOGUE_PATH = "/lkod/katalog"
DATASETS_PATH = "/lkod/datove-sady"


def base_uri() -> str:
    return (tk.config.get(BASE_URI_OPTION) or tk.config.get("ckan.site_url") or "").rstrip("/")


def catalogue_iri() -> str:
    return base_uri() + CATALOGUE_PATH


def catalogue_contact_iri() -> str:
    return catalogue_iri() + "/kontaktni-bod"


def dataset_iri(dataset_id: str) -> str:
    return f"{base_uri()}{DATASETS_PATH}/{dataset_id}"


def distribution_iri(dataset_id: str, resource_id: str) -> str:
    return f"{dataset_iri(dataset_id)}/distribuce/{resource_id}"


def terms_of_use_iri(dataset_id: str, resource_id: str) -> str:
    return distribution_iri(dataset_id, resource_id) + "/podminky-uziti"


def contact_point_iri(dataset_id: str) -> str:
    return dataset_iri(dataset_id) + "/kontaktni-bod"


def temporal_iri(dataset_id: str) -> str:
    return dataset_iri(dataset_id) + "/casove-pokryti"


def publisher_iri(ico: str | None) -> str:
    """The publisher in the register of rights and obligations (RPP) by its IČO; without one,
    the catalogue's own publisher (the region running the portal)."""
    return RPP_PUBLISHER + (ico or catalogue_publisher_ico())


def catalogue_publisher_ico() -> str:
    return str(tk.config.get(PUBLISHER_ICO_OPTION))
