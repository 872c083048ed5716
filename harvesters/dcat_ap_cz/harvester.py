"""The ``dcat_ap_cz`` harvester: a Czech local open-data catalogue (LKOD) in DCAT-AP-CZ
2024-05-28, documents variant, into `dataset` records.

Gather reads the catalogue (the source URL; JSON-LD, Turtle or RDF/XML) and lists its
dcat:dataset IRIs; fetch dereferences each IRI to the dataset's own record (content
negotiation for Turtle / JSON-LD) unless the catalogue already describes it; import parses the
record with ckanext-dcat's RDFParser and the `smartregion_dcat_ap_cz` profile
(dcat/parsing.py) and stores it through the actions (catalogue_sync).
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
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
from ckanext.smartregion.harvesters.dcat_ap_cz import rdf
from ckanext.smartregion.harvesters.http import Fetcher, FetchError
from ckanext.smartregion.harvesters.import_stage import RecordError
from ckanext.smartregion.harvesters.record_issues import RecordIssues, clean_text

log = logging.getLogger(__name__)

SOURCE_TYPE = "dcat_ap_cz"


def parse_config(text: str | None) -> CatalogueConfig:
    return catalogue_config.parse(text)


def _fetcher() -> Fetcher:
    fetcher = Fetcher()
    fetcher.session.headers["Accept"] = rdf.ACCEPT
    return fetcher


@tk.blanket.actions(source_owner.actions)  # source_owner's: who saves a source, chained writes
class DcatApCzHarvester(catalogue_harvester.CatalogueHarvester, p.SingletonPlugin):
    p.implements(IHarvester)

    source_type = SOURCE_TYPE
    parse_config = staticmethod(parse_config)

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "DCAT-AP-CZ (lokální katalog otevřených dat, LKOD)",
            "description": "Datové sady z lokálního katalogu otevřených dat podle DCAT-AP-CZ "
            "(JSON-LD nebo Turtle, dokumentová varianta). / Datasets of a Czech local open-data "
            "catalogue in DCAT-AP-CZ (JSON-LD or Turtle, documents variant).",
            "form_config_interface": "Text",
        }

    def gather(self, job: HarvestJob, config: CatalogueConfig) -> list[str]:
        url = job.source.url.strip()
        fetcher = _fetcher()
        try:
            body = fetcher.get(url)
        except FetchError as error:
            catalogue_sync.gather_error(
                job, f"The catalogue {url} could not be read: {error}. Nothing was changed."
            )
            return []
        finally:
            fetcher.close()
        try:
            parser = rdf.parser_for(body, url)
            iris = rdf.catalogue_datasets(parser, url)
        except rdf.DocumentError as error:
            catalogue_sync.gather_error(
                job, f"The catalogue {url} is not DCAT-AP-CZ: {error}. Nothing was changed."
            )
            return []
        log.info("Job %s: the catalogue %s lists %s datasets", job.id, url, len(iris))
        listing = (
            Listed(iri, rdf.describe(parser, iri) if rdf.embedded(parser, iri) else None)
            for iri in iris
        )
        return catalogue_sync.queue_listing(job, listing, config, complete=True).queued

    def fetch(self, harvest_object: HarvestObject) -> bool | str:
        fetcher = _fetcher()
        try:
            body = fetcher.get(harvest_object.guid)
        except FetchError as error:
            raise RecordError(f"its IRI could not be dereferenced: {error}") from error
        finally:
            fetcher.close()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RecordError(f"the record is not UTF-8: {error}") from error
        return catalogue_sync.fetched(harvest_object, text)

    def map_record(
        self,
        harvest_object: HarvestObject,
        config: CatalogueConfig,
        context: dict,
        issues: RecordIssues,
    ) -> dict[str, Any]:
        try:
            parsed = rdf.dataset_record(harvest_object.content.encode(), harvest_object.guid)
        except rdf.DocumentError as error:
            raise RecordError(str(error)) from error
        return to_dataset(parsed, harvest_object, config, issues)


# texts read as plain text (HTML dropped), the English twins by the same path as the Czech
TEXT_FIELDS = ("title", "title_en", "notes", "notes_en", "contact_name")


def to_dataset(
    parsed: dict[str, Any],
    harvest_object: HarvestObject,
    config: CatalogueConfig,
    issues: RecordIssues,
) -> dict[str, Any]:
    """The parsed record completed for the `dataset` schema: codes mapped, organisation found,
    texts cleaned; what is missing (description, keywords, terms of use) an issue."""
    iri = harvest_object.guid
    dataset = {
        key: value
        for key, value in parsed.items()
        if key not in ("extras", "publisher_uri", "modified", "frequency", "themes", "ruian")
    }
    for text_field in TEXT_FIELDS:
        dataset[text_field] = clean_text(dataset.get(text_field)) or ""
    dataset["frequency"] = catalogue_mapping.frequency(parsed.get("frequency"), config)
    ruian = parsed.get("ruian") or list(config.ruian)
    if ruian:
        dataset["ruian"] = ruian
    dataset["is_sample_data"] = False
    dataset["tags"] = catalogue_mapping.tags([t["name"] for t in parsed.get("tags") or []])
    english = (clean_text(word) for word in parsed.get("keywords_en") or [])
    dataset["keywords_en"] = list(dict.fromkeys(word for word in english if word))
    dataset["owner_org"] = catalogue_mapping.owner_org(
        [parsed.get("publisher_uri")],
        config,
        catalogue_mapping.source_organization(harvest_object.source),
    )
    dataset["extras"] = [
        {"key": "harvest_source_record", "value": iri},
        *(
            [{"key": "source_modified", "value": parsed["modified"]}]
            if parsed.get("modified")
            else []
        ),
    ]
    catalogue_mapping.check_required(dataset, f"the dataset {iri}", issues, iri)
    dataset["themes"] = catalogue_mapping.themes(
        parsed.get("themes") or [],
        config,
        issues,
        words=[t["name"] for t in dataset.get("tags") or []] + [dataset["title"]],
    )
    dataset.update(
        catalogue_mapping.contact(
            dataset.pop("contact_name", None),
            dataset.pop("contact_email", None),
            harvest_object.source,
            issues,
        )
    )
    resources = []
    for number, resource in enumerate(dataset.get("resources") or [], 1):
        if not resource.get("url"):
            issues.add("resources", "distribution_without_url", {"number": number}, kind="dropped")
            continue
        catalogue_mapping.normalise_terms(resource)
        missing = [f for f in catalogue_mapping.TERMS_PARTS if not resource.get(f)]
        if missing and config.terms_of_use:
            resource.update({k: v for k, v in config.terms_of_use.items() if not resource.get(k)})
            missing = [f for f in catalogue_mapping.TERMS_PARTS if not resource.get(f)]
        if missing:
            issues.add(
                catalogue_mapping.TERMS,
                "distribution_without_terms",
                {"number": number, "url": resource["url"], "parts": ", ".join(missing)},
                blocks_catalogue=True,
            )
        resources.append(resource)
    dataset["resources"] = resources
    return {k: v for k, v in dataset.items() if v not in ("", None)}
