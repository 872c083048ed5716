"""EDM (Europeana Data Model) in RDF/XML after Europeana's LIDO-to-EDM mapping: the object as
edm:ProvidedCHO, the portal's record as ore:Aggregation (edm:dataProvider = the institution,
edm:provider = the portal, edm:isShownAt = the object's page), each image as edm:WebResource;
edm:rights are rights statement IRIs (creativecommons.org, rightsstatements.org)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from lxml import etree

from ckanext.smartregion.oai.formats import common
from ckanext.smartregion.oai.records import Header

NSMAP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "edm": "http://www.europeana.eu/schemas/edm/",
    "ore": "http://www.openarchives.org/ore/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
SCHEMA = "http://www.europeana.eu/schemas/edm/EDM.xsd"
NAMESPACE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def _literal(parent: etree._Element, name: str, text: Any, lang: str | None = None) -> None:
    if text in (None, ""):
        return
    element = etree.SubElement(parent, _q(name))
    element.text = str(text)
    if lang:
        element.set(XML_LANG, lang)


def _link(parent: etree._Element, name: str, iri: str) -> None:
    etree.SubElement(parent, _q(name)).set(_q("rdf:resource"), iri)


def element(dataset: dict[str, Any], header: Header) -> etree._Element:
    page = common.record_url(dataset)
    rdf = etree.Element(_q("rdf:RDF"), nsmap=NSMAP)
    cho = etree.SubElement(rdf, _q("edm:ProvidedCHO"))
    cho.set(_q("rdf:about"), f"{page}#cho")
    _literal(cho, "dc:title", dataset["title"], common.language(dataset, "title"))
    _literal(cho, "dc:description", dataset.get("notes"), common.language(dataset, "notes"))
    _literal(cho, "dc:identifier", dataset["inventory_number"])
    _literal(cho, "dc:type", dataset.get("object_type") or "sbírkový předmět", "cs")
    for term in common.text_list(dataset.get("classification_terms")):
        _literal(cho, "dc:subject", term, "cs")
    for creator in dataset.get("creators") or []:
        _literal(cho, "dc:creator", creator.get("name"))
    _literal(cho, "dcterms:created", dataset.get("dating_display"), "cs")
    years = [dataset.get(k) for k in ("dating_earliest", "dating_latest")]
    if years[0] not in (None, ""):
        _literal(
            cho,
            "dcterms:temporal",
            "/".join(str(y) for y in dict.fromkeys(years) if y not in (None, "")),
        )
    for term in common.text_list(dataset.get("materials")):
        _literal(cho, "dcterms:medium", term, "cs")
    for dimension in dataset.get("dimensions") or []:
        _literal(
            cho,
            "dcterms:extent",
            " ".join(str(dimension.get(k) or "") for k in ("type", "value", "unit")).strip(),
            "cs",
        )
    _literal(cho, "dcterms:spatial", dataset.get("place"), "cs")
    _literal(cho, "dcterms:provenance", dataset.get("provenance"), "cs")
    _literal(cho, "edm:type", "IMAGE")

    images = common.images(dataset)
    for resource in images:
        web = etree.SubElement(rdf, _q("edm:WebResource"))
        web.set(_q("rdf:about"), resource["url"])
        _literal(web, "dc:description", resource.get("name"))
        _literal(web, "dc:format", resource.get("mimetype") or resource.get("format"))
        _link(web, "edm:rights", common.image_rights_iri(dataset, resource))

    aggregation = etree.SubElement(rdf, _q("ore:Aggregation"))
    aggregation.set(_q("rdf:about"), f"{page}#aggregation")
    _link(aggregation, "edm:aggregatedCHO", f"{page}#cho")
    _literal(aggregation, "edm:dataProvider", header.organization_title)
    _literal(aggregation, "edm:provider", tk.config["ckanext.smartregion.oai.repository_name"])
    _link(aggregation, "edm:isShownAt", page)
    if images:
        _link(aggregation, "edm:isShownBy", images[0]["url"])
        _link(aggregation, "edm:object", images[0]["url"])
        for resource in images[1:]:
            _link(aggregation, "edm:hasView", resource["url"])
    _link(
        aggregation, "edm:rights", common.image_rights_iri(dataset, images[0] if images else None)
    )
    return rdf
