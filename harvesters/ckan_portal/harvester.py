"""The ``ckan_portal`` harvester: a municipal CKAN portal's public datasets (Action API
`package_search`, paged) into `dataset` records.

Composed with the shared catalogue code rather than subclassing ckanext-harvest's
CKANHarvester: every request goes through harvesters/http.py (SSRF guard, size cap,
retries), a shrinking portal withdraws nothing (threshold), unchanged datasets are skipped
by content hash, and records are mapped onto our schema (see docs/harvesters.md).
"""

from __future__ import annotations

import json
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
from ckanext.smartregion.harvesters.catalogue_config import CatalogueConfig, SourceConfigError
from ckanext.smartregion.harvesters.catalogue_sync import Listed
from ckanext.smartregion.harvesters.http import Fetcher, FetchError
from ckanext.smartregion.harvesters.import_stage import RecordError
from ckanext.smartregion.harvesters.record_issues import RecordIssues, clean_text, present

log = logging.getLogger(__name__)

SOURCE_TYPE = "ckan_portal"
DEFAULT_ROWS = 100
MAX_PAGES = 10_000


def _rows(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise SourceConfigError(f'"rows" must be a whole number from 1 to 1000, not {value!r}')
    return value


def _fq(value: Any) -> str:
    if not isinstance(value, str):
        raise SourceConfigError(
            f'"fq" must be a Solr filter text, e.g. "organization:doprava", not {value!r}'
        )
    return value


def parse_config(text: str | None) -> CatalogueConfig:
    return catalogue_config.parse(text, {"rows": _rows, "fq": _fq})


@tk.blanket.actions(source_owner.actions)  # source_owner's: who saves a source, chained writes
class CkanPortalHarvester(catalogue_harvester.CatalogueHarvester, p.SingletonPlugin):
    p.implements(IHarvester)

    source_type = SOURCE_TYPE
    parse_config = staticmethod(parse_config)

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "CKAN (portál obce / municipal portal)",
            "description": "Veřejné datové sady jiného portálu CKAN přes jeho Action API. / "
            "Public datasets of another CKAN portal through its Action API.",
            "form_config_interface": "Text",
        }

    def gather(self, job: HarvestJob, config: CatalogueConfig) -> list[str]:
        base = api_base(job.source.url)
        rows = config.extra.get("rows", DEFAULT_ROWS)
        listing: list[Listed] = []
        complete = True
        fetcher = Fetcher()
        try:
            for page in range(MAX_PAGES):
                params = {"rows": str(rows), "start": str(page * rows), "sort": "id asc"}
                if config.extra.get("fq"):
                    params["fq"] = config.extra["fq"]
                try:
                    result = _search(fetcher, base, params)
                except (FetchError, RecordError) as error:
                    catalogue_sync.gather_error(
                        job,
                        f"package_search page {page + 1} of {base} failed: {error}. The datasets "
                        "of earlier pages are harvested; nothing was withdrawn.",
                    )
                    complete = False
                    break
                packages = result["results"]
                for package in packages:
                    if isinstance(package, dict) and package.get("id"):
                        listing.append(
                            Listed(
                                str(package["id"]),
                                json.dumps(package, sort_keys=True, ensure_ascii=False),
                            )
                        )
                log.info(
                    "Job %s: page %s, %s of %s datasets",
                    job.id,
                    page + 1,
                    len(listing),
                    result.get("count"),
                )
                if not packages or (page + 1) * rows >= int(result.get("count") or 0):
                    break
        finally:
            fetcher.close()
        return catalogue_sync.queue_listing(job, listing, config, complete=complete).queued

    def map_record(
        self,
        harvest_object: HarvestObject,
        config: CatalogueConfig,
        context: dict,
        issues: RecordIssues,
    ) -> dict[str, Any]:
        package = json.loads(harvest_object.content)
        return to_dataset(package, harvest_object, config, issues)


def api_base(url: str) -> str:
    """The portal's root from its URL (a /api/3/action/... or /dataset URL works too)."""
    url = url.strip().rstrip("/")
    for suffix in ("/api/3/action/package_search", "/api/3/action", "/api/3", "/api", "/dataset"):
        if url.endswith(suffix):
            return url[: -len(suffix)]
    return url


def _search(fetcher: Fetcher, base: str, params: dict[str, str]) -> dict[str, Any]:
    body = fetcher.get(f"{base}/api/3/action/package_search", params=params)
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise RecordError(f"the answer is not valid JSON: {error}") from error
    result = answer.get("result") if isinstance(answer, dict) else None
    if not (answer.get("success") and isinstance(result, dict)) or not isinstance(
        result.get("results"), list
    ):
        raise RecordError("the answer is not a successful CKAN package_search result")
    return result


def to_dataset(
    package: dict[str, Any],
    harvest_object: HarvestObject,
    config: CatalogueConfig,
    issues: RecordIssues,
) -> dict[str, Any]:
    """The portal's package as a `dataset`: placeholders read as absent, HTML as text; every
    defect an issue, a refusal only without identity."""
    source_url = harvest_object.source.url
    base = api_base(source_url)
    organization = (
        package.get("organization") if isinstance(package.get("organization"), dict) else {}
    )
    org_keys = [organization.get("name"), organization.get("title"), organization.get("ico")]
    tags = [present(t.get("name")) for t in package.get("tags") or [] if isinstance(t, dict)]
    groups = [
        text
        for g in package.get("groups") or []
        if isinstance(g, dict)
        for text in (g.get("name"), g.get("title"))
        if text
    ]
    themes = package.get("themes") if isinstance(package.get("themes"), list) else []
    ruian = [r for r in _list(package.get("ruian")) if r.startswith(catalogue_config.RUIAN_PREFIX)]
    dataset: dict[str, Any] = {
        "title": clean_text(package.get("title")) or present(package.get("name")) or "",
        "notes": clean_text(package.get("notes")) or "",
        "title_en": clean_text(_english(package, "title")) or "",
        "notes_en": clean_text(_english(package, "notes")) or "",
        "keywords_en": list(
            dict.fromkeys(w for w in map(clean_text, _english_keywords(package)) if w)
        ),
        "url": f"{base}/dataset/{package.get('name') or package['id']}",
        "tags": catalogue_mapping.tags([t for t in tags if t]),
        "frequency": catalogue_mapping.frequency(
            package.get("frequency") or _extra(package, "frequency"), config
        ),
        "ruian": ruian or list(config.ruian),
        "documentation": package.get("documentation") or "",
        "temporal_start": (package.get("temporal_start") or "")[:10],
        "temporal_end": (package.get("temporal_end") or "")[:10],
        "is_sample_data": False,
        "owner_org": catalogue_mapping.owner_org(
            org_keys, config, catalogue_mapping.source_organization(harvest_object.source)
        ),
    }
    dataset = {k: v for k, v in dataset.items() if v not in ("", None, [])}
    dataset["extras"] = [
        {"key": "harvest_source_record", "value": dataset["url"]},
        {"key": "source_modified", "value": str(package.get("metadata_modified") or "")},
    ]
    catalogue_mapping.check_required(
        dataset, f"CKAN dataset {package.get('name') or package['id']}", issues, package.get("id")
    )
    dataset["themes"] = catalogue_mapping.themes(
        [str(t) for t in themes] + groups + [t for t in tags if t],
        config,
        issues,
        words=[dataset["title"]],
    )
    dataset.update(
        catalogue_mapping.contact(
            present(package.get("contact_name")) or package.get("maintainer"),
            present(package.get("contact_email")) or package.get("maintainer_email"),
            harvest_object.source,
            issues,
        )
    )
    # the id first: CKAN's own ids (cc-by, cc-zero, ...) name the licence, its URL may not
    candidates = [package.get(k) for k in ("license_id", "license_url", "license_title")]
    licence = next(
        (c for c in candidates if catalogue_mapping.licence_key(c)),
        next((c for c in candidates if c), None),
    )
    author = (
        present(organization.get("title"))
        or present(package.get("author"))
        or present(package.get("maintainer"))
    )
    resources = []
    for number, remote in enumerate(package.get("resources") or [], 1):
        if not isinstance(remote, dict) or not present(remote.get("url")):
            issues.add("resources", "resource_without_url", {"number": number}, kind="dropped")
            continue
        resource = {
            key: remote[key]
            for key in ("url", "name", "description", "format", "mimetype")
            if remote.get(key)
        }
        resource.update({k: remote[k] for k in catalogue_mapping.TERMS_PARTS if remote.get(k)})
        for key in ("terms_author", "terms_database_author"):
            if remote.get(key):
                resource[key] = remote[key]
        for key in ("name", "description"):
            if resource.get(key):
                resource[key] = clean_text(resource[key]) or ""
        resources.append(catalogue_mapping.with_terms(resource, licence, config, author, issues))
    dataset["resources"] = resources
    return dataset


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _english(package: dict[str, Any], field: str) -> Any:
    """The portal's English text of field: its own `<field>_en` (this portal's schema) or
    ckanext-fluent's `<field>_translated` {"cs": …, "en": …}."""
    translated = package.get(f"{field}_translated")
    if isinstance(translated, dict) and translated.get("en"):
        return translated["en"]
    return package.get(f"{field}_en")


def _english_keywords(package: dict[str, Any]) -> list[str]:
    """The portal's English keywords: its own `keywords_en` (this portal's schema) or
    ckanext-fluent's tags {"cs": […], "en": […]} (`keywords` or `tags_translated`)."""
    for field in ("keywords", "tags_translated"):
        translated = package.get(field)
        if isinstance(translated, dict) and translated.get("en"):
            return _list(translated["en"])
    return _list(package.get("keywords_en"))


def _extra(package: dict[str, Any], key: str) -> str | None:
    for extra in package.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == key:
            return extra.get("value")
    return None
