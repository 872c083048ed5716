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
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.converters import dcat_to_ckan
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartregion.harvesters import (
    catalogue_config,
    catalogue_harvester,
    catalogue_mapping,
    catalogue_sync,
    source_owner,
)
from ckanext.smartregion.harvesters.catalogue_config import CatalogueConfig
from ckanext.smartregion.harvesters.catalogue_sync import Listed
from ckanext.smartregion.harvesters.http import Fetcher, FetchError
from ckanext.smartregion.harvesters.record_issues import RecordIssues, clean_text, present

log = logging.getLogger(__name__)

SOURCE_TYPE = "arcgis_hub"


def parse_config(text: str | None) -> CatalogueConfig:
    return catalogue_config.parse(text)


@tk.blanket.actions(source_owner.actions)  # source_owner's: who saves a source, chained writes
class ArcGisHubHarvester(catalogue_harvester.CatalogueHarvester, p.SingletonPlugin):
    p.implements(IHarvester)

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
            guid = _identifier(entry) or _title_identity(entry)
            if not guid:
                catalogue_sync.gather_error(
                    job,
                    f"dataset[{number - 1}] has neither an `identifier` nor a `title`; it was "
                    "skipped.",
                )
                continue
            listing.append(Listed(guid, json.dumps(entry, sort_keys=True, ensure_ascii=False)))
        log.info("Job %s: %s lists %s datasets", job.id, url, len(listing))
        # an entry skipped for a missing identifier makes the listing incomplete
        complete = len(listing) == len(entries)
        return catalogue_sync.queue_listing(job, listing, config, complete=complete).queued

    def map_record(
        self,
        harvest_object: HarvestObject,
        config: CatalogueConfig,
        context: dict,
        issues: RecordIssues,
    ) -> dict[str, Any]:
        return to_dataset(json.loads(harvest_object.content), harvest_object, config, issues)


def _identifier(entry: Any) -> str:
    return (present(entry.get("identifier")) or "") if isinstance(entry, dict) else ""


def _title_identity(entry: Any) -> str:
    """A record without an identifier is known by its landing page, else its title."""
    if not isinstance(entry, dict):
        return ""
    title = present(entry.get("title"))
    return present(entry.get("landingPage")) or (f"title:{title}" if title else "")


def to_dataset(
    entry: dict[str, Any],
    harvest_object: HarvestObject,
    config: CatalogueConfig,
    issues: RecordIssues,
) -> dict[str, Any]:
    """The entry as a `dataset`: placeholders read as absent, HTML as text, the licence
    recognised in its real forms; every defect an issue, a refusal only without identity."""
    converted = dcat_to_ckan(entry)  # ckanext-dcat's DCAT-US → CKAN conversion
    publisher = entry.get("publisher")
    publisher_name = present(publisher.get("name") if isinstance(publisher, dict) else publisher)
    contact = entry.get("contactPoint") if isinstance(entry.get("contactPoint"), dict) else {}
    keywords = [k for k in (present(k) for k in _as_list(entry.get("keyword"))) if k]
    theme_texts = [t for t in (present(t) for t in _as_list(entry.get("theme"))) if t]
    source_org = catalogue_mapping.source_organization(harvest_object.source)
    dataset: dict[str, Any] = {
        "title": clean_text(converted.get("title")) or "",
        "notes": clean_text(converted.get("notes")) or "",
        "url": present(converted.get("url")) or _web_url(harvest_object.guid),
        "tags": catalogue_mapping.tags(keywords),
        "frequency": catalogue_mapping.frequency(present(entry.get("accrualPeriodicity")), config),
        "is_sample_data": False,
        "owner_org": catalogue_mapping.owner_org([publisher_name], config, source_org),
        **catalogue_mapping.temporal(present(entry.get("temporal"))),
    }
    catalogue_mapping.check_required(
        dataset, f"data.json dataset {harvest_object.guid!r}", issues, _identifier(entry)
    )
    dataset["themes"] = catalogue_mapping.themes(
        theme_texts + keywords, config, issues, words=[dataset["title"]]
    )
    dataset.update(
        catalogue_mapping.contact(
            contact.get("fn"), contact.get("hasEmail"), harvest_object.source, issues
        )
    )
    if config.ruian:
        dataset["ruian"] = list(config.ruian)
    dataset = {k: v for k, v in dataset.items() if v not in ("", None)}
    extras = {
        "harvest_source_record": harvest_object.guid,
        "source_modified": present(entry.get("modified")) or "",
        "source_spatial": present(entry.get("spatial")) or "",
    }
    dataset["extras"] = [{"key": k, "value": v} for k, v in extras.items() if v]
    licence = entry.get("license")
    author = publisher_name or _organization_title(dataset.get("owner_org"))
    resources = []
    for number, (distribution, resource) in enumerate(
        zip(_as_list(entry.get("distribution")), converted["resources"], strict=False), 1
    ):
        if not present(resource.get("url")):
            issues.add(
                "resources",
                "hub_distribution_without_url",
                {"number": number, "name": clean_text(resource.get("name")) or "no title"},
                kind="dropped",
            )
            continue
        media_type = distribution.get("mediaType") if isinstance(distribution, dict) else None
        resource = {k: v for k, v in resource.items() if present(v) is not None}
        if present(media_type):
            resource["mimetype"] = media_type
        for text_field in ("name", "description"):
            if resource.get(text_field):
                resource[text_field] = clean_text(resource[text_field]) or ""
        resources.append(catalogue_mapping.with_terms(resource, licence, config, author, issues))
    dataset["resources"] = resources
    return dataset


def _web_url(guid: str) -> str | None:
    return guid if guid.startswith(("http://", "https://")) else None


def _organization_title(org_id: str | None) -> str | None:
    group = model.Group.get(org_id) if org_id else None
    return group.title if group is not None else None


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
