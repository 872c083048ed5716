"""The ``arcgis_hub`` harvester: an ArcGIS Hub site's ``/data.json`` (DCAT-US 1.1, as the
region's current portal datalk.cz publishes it) into `dataset` records.

Gather reads the whole data.json (the source URL; size-capped by harvesters/http.py) and
lists each `dataset[]` entry by its `identifier`, skipping entries unchanged since the last
import; import converts the entry with ckanext-dcat's `dcat_to_ckan` and maps it onto the
schema (themes, frequency, licence → terms of use, publisher → organisation).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import ckan.plugins as p
from ckanext.dcat.converters import dcat_to_ckan
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion.harvesters import (
    catalogue_config,
    catalogue_harvester,
    catalogue_mapping,
    catalogue_sync,
)
from ckanext.smartregion.harvesters.catalogue_config import CatalogueConfig
from ckanext.smartregion.harvesters.catalogue_sync import Listed, RecordError
from ckanext.smartregion.harvesters.http import Fetcher, FetchError

log = logging.getLogger(__name__)

SOURCE_TYPE = "arcgis_hub"


def parse_config(text: str | None) -> CatalogueConfig:
    return catalogue_config.parse(text)


class ArcGisHubHarvester(catalogue_harvester.CatalogueHarvester, p.SingletonPlugin):
    p.implements(IHarvester)
    p.implements(p.IActions)  # source_owner: who saves a source (SafeStagesHarvester)

    source_type = SOURCE_TYPE
    parse_config = staticmethod(parse_config)

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "ArcGIS Hub data.json (DCAT-US 1.1)",
            "description": "Datové sady portálu ArcGIS Hub (např. datalk.cz) z jeho /data.json. "
            "/ Datasets of an ArcGIS Hub site from its /data.json.",
            "form_config_interface": "Text",
        }

    def gather(self, job: HarvestJob, config: CatalogueConfig) -> list[str]:
        url = job.source.url.strip()
        fetcher = Fetcher()
        fetcher.session.headers["Accept"] = "application/json"
        try:
            body = fetcher.get(url)
        except FetchError as error:
            catalogue_sync.gather_error(
                job, f"The data.json {url} could not be read: {error}. Nothing was changed."
            )
            return []
        finally:
            fetcher.close()
        try:
            catalogue = json.loads(body)
        except ValueError as error:
            catalogue_sync.gather_error(
                job, f"The data.json {url} is not valid JSON: {error}. Nothing was changed."
            )
            return []
        entries = catalogue.get("dataset") if isinstance(catalogue, dict) else None
        if not isinstance(entries, list):
            catalogue_sync.gather_error(
                job,
                f"The data.json {url} has no `dataset` list (DCAT-US 1.1); nothing was changed.",
            )
            return []
        listing: list[Listed] = []
        for number, entry in enumerate(entries, 1):
            guid = _identifier(entry)
            if not guid:
                catalogue_sync.gather_error(
                    job,
                    f"dataset[{number - 1}] ({_title(entry)}) has no `identifier`; it was skipped.",
                )
                continue
            listing.append(Listed(guid, json.dumps(entry, sort_keys=True, ensure_ascii=False)))
        log.info("Job %s: %s lists %s datasets", job.id, url, len(listing))
        # an entry skipped for a missing identifier makes the listing incomplete
        complete = len(listing) == len(entries)
        return catalogue_sync.queue_listing(job, listing, config, complete=complete).queued

    def map_record(
        self, harvest_object: HarvestObject, config: CatalogueConfig, context: dict
    ) -> dict[str, Any]:
        return to_dataset(json.loads(harvest_object.content), harvest_object, config)


def _identifier(entry: Any) -> str:
    return str(entry.get("identifier") or "").strip() if isinstance(entry, dict) else ""


def _title(entry: Any) -> str:
    return str(entry.get("title") or "no title") if isinstance(entry, dict) else "not an object"


def to_dataset(
    entry: dict[str, Any], harvest_object: HarvestObject, config: CatalogueConfig
) -> dict[str, Any]:
    converted = dcat_to_ckan(entry)  # ckanext-dcat's DCAT-US → CKAN conversion
    publisher = entry.get("publisher")
    publisher_name = publisher.get("name") if isinstance(publisher, dict) else publisher
    contact = entry.get("contactPoint") if isinstance(entry.get("contactPoint"), dict) else {}
    keywords = [str(k) for k in entry.get("keyword") or [] if k]
    theme_texts = [str(t) for t in _as_list(entry.get("theme"))]
    dataset: dict[str, Any] = {
        "title": (converted.get("title") or "").strip(),
        "notes": (converted.get("notes") or "").strip(),
        "url": converted.get("url") or harvest_object.guid,
        "tags": catalogue_mapping.tags(keywords),
        "themes": catalogue_mapping.themes(theme_texts + keywords, config),
        "frequency": catalogue_mapping.frequency(entry.get("accrualPeriodicity"), config),
        "contact_name": contact.get("fn") or "",
        "contact_email": str(contact.get("hasEmail") or "").removeprefix("mailto:"),
        "is_sample_data": False,
        "owner_org": catalogue_mapping.owner_org(
            [publisher_name], config, catalogue_mapping.source_organisation(harvest_object.source)
        ),
        **catalogue_mapping.temporal(entry.get("temporal")),
    }
    if config.ruian:
        dataset["ruian"] = list(config.ruian)
    dataset = {k: v for k, v in dataset.items() if v not in ("", None)}
    extras = {
        "harvest_source_record": harvest_object.guid,
        "source_modified": str(entry.get("modified") or ""),
        "source_spatial": str(entry.get("spatial") or ""),
    }
    dataset["extras"] = [{"key": k, "value": v} for k, v in extras.items() if v]
    catalogue_mapping.check_required(dataset, f"data.json dataset {harvest_object.guid!r}")
    licence = entry.get("license")
    resources = []
    for number, (distribution, resource) in enumerate(
        zip(_as_list(entry.get("distribution")), converted["resources"], strict=False), 1
    ):
        if not resource.get("url"):
            raise RecordError(
                f"distribution {number} ({resource.get('name') or 'no title'}) has neither "
                "downloadURL nor accessURL"
            )
        media_type = distribution.get("mediaType") if isinstance(distribution, dict) else None
        resource = {k: v for k, v in resource.items() if v not in ("", None)}
        if media_type:
            resource["mimetype"] = media_type
        resources.append(catalogue_mapping.with_terms(resource, licence, config, publisher_name))
    dataset["resources"] = resources
    return dataset


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
