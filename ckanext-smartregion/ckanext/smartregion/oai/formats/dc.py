"""Unqualified Dublin Core (oai_dc), the format every OAI-PMH repository must serve."""

from __future__ import annotations

from typing import Any

from lxml import etree

from ckanext.smartregion.oai.formats import common
from ckanext.smartregion.oai.records import Header

NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def element(dataset: dict[str, Any], header: Header) -> etree._Element:
    root = etree.Element(f"{{{NAMESPACE}}}dc", nsmap={"oai_dc": NAMESPACE, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")

    def add(name: str, value: Any) -> None:
        if value not in (None, ""):
            etree.SubElement(root, f"{{{DC}}}{name}").text = str(value)

    add("title", dataset["title"])
    for creator in dataset.get("creators") or []:
        add("creator", creator.get("name"))
    for term in common.text_list(dataset.get("classification_terms")):
        add("subject", term)
    add("description", dataset.get("notes"))
    add("publisher", header.organization_title)
    add("date", dataset.get("dating_display"))
    add("type", dataset.get("object_type"))
    for term in common.text_list(dataset.get("materials")):
        add("format", term)
    add("identifier", dataset["inventory_number"])
    add("identifier", common.record_url(dataset))
    add("coverage", dataset.get("place"))
    add("rights", dataset.get("image_rights") or dataset.get("license_title"))
    return root
