"""DCAT-AP-CZ back into the `dataset` schema: what SmartRegionDCATAPCZProfile.parse_dataset
returns for a harvested record, run after `euro_dcat_ap_3` has parsed what DCAT-AP 3 shares
(dates, temporal coverage, distributions' URLs and data services).

Texts are taken in Czech (untagged, then English, when there is no Czech), the title and
description and keywords also in English (`title_en`, `notes_en`, `keywords_en`) when the
record has them tagged `@en` (a JSON-LD language map `{"cs": …, "en": …}` gives both); codes
and IRIs of the EU vocabularies become the schema's codes; each distribution's terms-of-use
node becomes the four `terms_*` fields. What the schema has no field for is left out; the
publisher's IRI is returned as `publisher_uri` for the harvester to find the organisation.
"""

from __future__ import annotations

from typing import Any

from ckanext.dcat.profiles import DCAT, DCT, FOAF, VCARD
from rdflib import Literal, URIRef
from rdflib.term import Node

from ckanext.smartregion.dcat.vocabularies import (
    DATA_THEME,
    EUROVOC,
    FREQUENCY,
    PU,
    RUIAN,
    TERMS_AUTHORS,
    TERMS_PARTS,
)

IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
VCARD_2006 = "http://www.w3.org/2006/vcard/ns#"
# Kept from what euro_dcat_ap_3 parsed for a distribution, besides the schema's fields.
RESOURCE_EXTRAS = ("uri", "access_url", "download_url", "access_services", "conforms_to")


def parse_dataset(graph, parsed: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
    themes = [str(t) for t in graph.objects(dataset_ref, DCAT.theme)]
    dataset: dict[str, Any] = {
        "title": text(graph, dataset_ref, DCT.title),
        "notes": text(graph, dataset_ref, DCT.description),
        "title_en": english(graph, dataset_ref, DCT.title),
        "notes_en": english(graph, dataset_ref, DCT.description),
        "tags": [{"name": word} for word in keywords(graph, dataset_ref)],
        "keywords_en": english_keywords(graph, dataset_ref),
        "themes": [
            t.removeprefix(str(DATA_THEME)) for t in themes if t.startswith(str(DATA_THEME))
        ],
        "eurovoc_concepts": [t for t in themes if t.startswith(EUROVOC)],
        "frequency": str(graph.value(dataset_ref, DCT.accrualPeriodicity) or ""),
        "ruian": [
            str(s) for s in graph.objects(dataset_ref, DCT.spatial) if str(s).startswith(RUIAN)
        ],
        "temporal_start": (parsed.get("temporal_start") or "")[:10],
        "temporal_end": (parsed.get("temporal_end") or "")[:10],
        "documentation": next((str(p) for p in graph.objects(dataset_ref, FOAF.page)), ""),
        "publisher_uri": str(graph.value(dataset_ref, DCT.publisher) or ""),
        "url": str(dataset_ref) if isinstance(dataset_ref, URIRef) else "",
        "modified": _extra(parsed, "modified"),
    }
    frequency = dataset["frequency"]
    if frequency.startswith(str(FREQUENCY)):
        dataset["frequency"] = frequency.removeprefix(str(FREQUENCY))
    dataset.update(_contact(graph, dataset_ref))
    by_uri = {r.get("uri"): r for r in parsed.get("resources") or []}
    dataset["resources"] = [
        _distribution(graph, node, by_uri.get(str(node), {}))
        for node in graph.objects(dataset_ref, DCAT.distribution)
    ]
    return {key: value for key, value in dataset.items() if value not in ("", [], None)}


def text(graph, subject: Node, predicate: URIRef) -> str:
    """The Czech literal, else an untagged one, else English, else any."""
    values = [v for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
    for language in ("cs", None, "en"):
        for value in values:
            if value.language == language:
                return str(value).strip()
    return str(values[0]).strip() if values else ""


def english(graph, subject: Node, predicate: URIRef) -> str:
    """The literal tagged English (en, en-GB, ...), or nothing."""
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and (value.language or "").lower().split("-")[0] == "en":
            return str(value).strip()
    return ""


def keywords(graph, subject: Node) -> list[str]:
    """Czech (or untagged) keywords; all of them when there is none in Czech."""
    words = [v for v in graph.objects(subject, DCAT.keyword) if isinstance(v, Literal)]
    czech = [str(w) for w in words if w.language in ("cs", None)]
    return list(dict.fromkeys(w.strip() for w in czech or map(str, words) if w.strip()))


def english_keywords(graph, subject: Node) -> list[str]:
    """The keywords tagged English (en, en-GB, ...), each once."""
    words = [
        str(value).strip()
        for value in graph.objects(subject, DCAT.keyword)
        if isinstance(value, Literal) and (value.language or "").lower().split("-")[0] == "en"
    ]
    return list(dict.fromkeys(word for word in words if word))


def _contact(graph, dataset_ref: Node) -> dict[str, str]:
    contact = graph.value(dataset_ref, DCAT.contactPoint)
    if contact is None:
        return {}
    name, email = "", ""
    for namespace in (str(VCARD), VCARD_2006):
        name = name or text(graph, contact, URIRef(namespace + "fn"))
        value = graph.value(contact, URIRef(namespace + "hasEmail"))
        email = email or (str(value).removeprefix("mailto:") if value else "")
    return {"contact_name": name, "contact_email": email}


def _distribution(graph, node: Node, parsed: dict[str, Any]) -> dict[str, Any]:
    access = str(graph.value(node, DCAT.accessURL) or "")
    download = str(graph.value(node, DCAT.downloadURL) or "")
    file_type = str(graph.value(node, DCT["format"]) or "")
    media_type = str(graph.value(node, DCAT.mediaType) or "")
    resource = {
        "url": download or access,
        "name": text(graph, node, DCT.title),
        "description": text(graph, node, DCT.description),
        "format": file_type.removeprefix(FILE_TYPE).replace("_", "-") if file_type else "",
        "mimetype": media_type.removeprefix(IANA),
        **{key: parsed[key] for key in RESOURCE_EXTRAS if parsed.get(key)},
    }
    service = graph.value(node, DCAT.accessService)
    if service is not None and not resource["url"]:
        resource["url"] = str(graph.value(service, DCAT.endpointURL) or "")
    specification = graph.value(node, PU.specifikace)
    if specification is not None:
        for field, predicate in TERMS_PARTS.items():
            value = graph.value(specification, predicate)
            if value is not None:
                resource[field] = str(value)
        for field, predicate in TERMS_AUTHORS.items():
            author = text(graph, specification, predicate)
            if author:
                resource[field] = author
    return {key: value for key, value in resource.items() if value not in ("", None)}


def _extra(parsed: dict[str, Any], key: str) -> str:
    for extra in parsed.get("extras") or []:
        if extra.get("key") == key:
            return str(extra.get("value") or "")
    return str(parsed.get(key) or "")
