"""LIDO 1.1 (http://www.lido-schema.org) of a collection object, the harvester's mapping
(docs/lido-mapping.md) read backwards, valid against the official XSD (tests/fixtures).

A harvested object keeps its museum's lidoRecID (lido:source = the source system); the
portal's own identifier is the recordID, and recordInfoLink is the object's portal page.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ckanext.smartregion.oai.formats import common
from ckanext.smartregion.oai.records import Header

NS = "http://www.lido-schema.org"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = "http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"
PREFIX = "lido"
# LIDO terminology (http://terminology.lido-schema.org)
PRODUCTION = "http://terminology.lido-schema.org/lido00007"
ITEM = "http://terminology.lido-schema.org/lido00141"


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, _q(name))
    for key, value in attrs.items():
        element.set(XML_LANG if key == "lang" else _q(key), value)
    if text is not None:
        element.text = str(text)
    return element


def _term(parent: etree._Element, name: str, term: str, **attrs: str) -> Any:
    wrapper = _sub(parent, name, **attrs)
    _sub(wrapper, "term", term)
    return wrapper


def element(dataset: dict[str, Any], header: Header) -> etree._Element:
    lido = etree.Element(_q("lido"), nsmap={"lido": NS, "xsi": XSI})
    lido.set(f"{{{XSI}}}schemaLocation", f"{NS} {SCHEMA}")
    source = dataset.get("source_system") or header.organization_title
    if dataset.get("source_record_id"):
        _sub(lido, "lidoRecID", dataset["source_record_id"], source=source, type="local")
    else:
        _sub(lido, "lidoRecID", dataset["id"], source=common.record_url(dataset), type="local")
    _sub(
        lido,
        "objectPublishedID",
        common.record_url(dataset),
        type="http://terminology.lido-schema.org/lido00099",
    )
    _descriptive(_sub(lido, "descriptiveMetadata", lang="cs"), dataset, header)
    _administrative(_sub(lido, "administrativeMetadata", lang="cs"), dataset, header)
    return lido


def _descriptive(parent: etree._Element, dataset: dict[str, Any], header: Header) -> None:
    classification = _sub(parent, "objectClassificationWrap")
    work_types = _sub(classification, "objectWorkTypeWrap")
    _term(work_types, "objectWorkType", dataset.get("object_type") or "sbírkový předmět")
    terms = common.text_list(dataset.get("classification_terms"))
    if dataset.get("ces_subcollection") or terms:
        wrap = _sub(classification, "classificationWrap")
        if dataset.get("ces_subcollection"):
            _term(wrap, "classification", dataset["ces_subcollection"], type="CES podsbírka")
        for term in terms:
            _term(wrap, "classification", term)

    identification = _sub(parent, "objectIdentificationWrap")
    title_set = _sub(_sub(identification, "titleWrap"), "titleSet", pref="preferred")
    _sub(title_set, "appellationValue", dataset["title"], lang=common.language(dataset, "title"))
    if dataset.get("inscriptions"):
        inscriptions = _sub(_sub(identification, "inscriptionsWrap"), "inscriptions")
        _sub(inscriptions, "inscriptionTranscription", dataset["inscriptions"])
    repository = _sub(_sub(identification, "repositoryWrap"), "repositorySet", type="current")
    _legal_body(_sub(repository, "repositoryName"), header)
    _sub(repository, "workID", dataset["inventory_number"], type="inventory number")
    if dataset.get("notes"):
        description = _sub(_sub(identification, "objectDescriptionWrap"), "objectDescriptionSet")
        _sub(
            description,
            "descriptiveNoteValue",
            dataset["notes"],
            lang=common.language(dataset, "notes"),
        )
    dimensions = [d for d in dataset.get("dimensions") or [] if d.get("value")]
    if dimensions:
        measurements = _sub(_sub(identification, "objectMeasurementsWrap"), "objectMeasurementsSet")
        _sub(
            measurements,
            "displayObjectMeasurements",
            ", ".join(
                f"{d.get('type', '')} {d['value']} {d.get('unit', '')}".strip() for d in dimensions
            ),
        )
        inner = _sub(measurements, "objectMeasurements")
        for dimension in dimensions:
            item = _sub(inner, "measurementsSet")
            _sub(item, "measurementType", dimension.get("type") or "rozměr")
            _sub(item, "measurementUnit", dimension.get("unit") or "")
            _sub(item, "measurementValue", dimension["value"])
    _events(parent, dataset)


def _legal_body(parent: etree._Element, header: Header) -> None:
    if header.organization_ico:
        _sub(parent, "legalBodyID", header.organization_ico, type="local", source="IČO")
    _sub(_sub(parent, "legalBodyName"), "appellationValue", header.organization_title)


def _events(parent: etree._Element, dataset: dict[str, Any]) -> None:
    creators = dataset.get("creators") or []
    materials = common.text_list(dataset.get("materials"))
    techniques = common.text_list(dataset.get("techniques"))
    dated = dataset.get("dating_display") or dataset.get("dating_earliest") not in (None, "")
    produced = bool(creators or materials or techniques or dated or dataset.get("place"))
    if not (produced or dataset.get("provenance")):
        return
    events = _sub(parent, "eventWrap")
    if produced:
        event = _sub(_sub(events, "eventSet"), "event")
        event_type = _sub(event, "eventType")
        _sub(event_type, "conceptID", PRODUCTION, type="URI", source="LIDO-Terminology")
        _sub(event_type, "term", "výroba")
        for creator in creators:
            actor_in_role = _sub(_sub(event, "eventActor"), "actorInRole")
            actor = _sub(actor_in_role, "actor")
            _sub(_sub(actor, "nameActorSet"), "appellationValue", creator.get("name") or "")
            if creator.get("role"):
                _term(actor_in_role, "roleActor", creator["role"])
        if dated:
            _dating(_sub(event, "eventDate"), dataset)
        if dataset.get("place"):
            _sub(_sub(event, "eventPlace"), "displayPlace", dataset["place"])
        if materials or techniques:
            tech = _sub(_sub(event, "eventMaterialsTech"), "materialsTech")
            for term in materials:
                _term(tech, "termMaterialsTech", term, type="material")
            for term in techniques:
                _term(tech, "termMaterialsTech", term, type="technique")
    if dataset.get("provenance"):
        provenance = _sub(_sub(events, "eventSet"), "event")
        _term(provenance, "eventType", "provenience")
        description = _sub(provenance, "eventDescriptionSet")
        _sub(description, "descriptiveNoteValue", dataset["provenance"])


def _dating(parent: etree._Element, dataset: dict[str, Any]) -> None:
    earliest, latest = dataset.get("dating_earliest"), dataset.get("dating_latest")
    display = dataset.get("dating_display") or "–".join(
        str(y) for y in dict.fromkeys((earliest, latest)) if y not in (None, "")
    )
    if display:
        _sub(parent, "displayDate", display, lang=common.language(dataset, "dating_display"))
    if earliest not in (None, ""):
        date = _sub(parent, "date")
        _sub(date, "earliestDate", _year(earliest))
        _sub(date, "latestDate", _year(latest if latest not in (None, "") else earliest))


def _year(value: Any) -> str:
    """A year as LIDO's dates write it: four digits, negative for BCE (-0500)."""
    year = int(value)
    return f"-{abs(year):04d}" if year < 0 else f"{year:04d}"


def _administrative(parent: etree._Element, dataset: dict[str, Any], header: Header) -> None:
    if dataset.get("image_rights"):
        rights = _sub(_sub(parent, "rightsWorkWrap"), "rightsWorkSet")
        _term(rights, "rightsType", dataset["image_rights"])
    record = _sub(parent, "recordWrap")
    _sub(record, "recordID", dataset["id"], type="local", source=common.record_url(dataset))
    record_type = _sub(record, "recordType")
    _sub(record_type, "conceptID", ITEM, type="URI", source="LIDO-Terminology")
    _sub(record_type, "term", "item")
    _legal_body(_sub(record, "recordSource"), header)
    licence = common.licence_iri(dataset)
    if licence or dataset.get("license_title"):
        rights_type = _sub(_sub(record, "recordRights"), "rightsType")
        if licence:
            _sub(rights_type, "conceptID", licence, type="URI")
        _sub(rights_type, "term", dataset.get("license_title") or licence)
    info = _sub(record, "recordInfoSet")
    _sub(info, "recordInfoLink", common.record_url(dataset))
    _sub(info, "recordMetadataDate", header.modified.strftime("%Y-%m-%dT%H:%M:%SZ"))
    resources = common.images(dataset)
    if resources:
        wrap = _sub(parent, "resourceWrap")
        for resource in resources:
            _resource(_sub(wrap, "resourceSet"), dataset, resource)


def _resource(parent: etree._Element, dataset: dict[str, Any], resource: dict[str, Any]) -> None:
    representation = _sub(parent, "resourceRepresentation", type="image_master")
    link = _sub(representation, "linkResource", resource["url"])
    mime = (resource.get("mimetype") or "").strip()
    if mime:
        link.set(_q("formatResource"), mime)
    _term(parent, "resourceType", "obrázek")
    if resource.get("name"):
        _sub(parent, "resourceDescription", resource["name"])
    rights = resource.get("rights") or dataset.get("image_rights")
    if rights:
        _term(_sub(parent, "rightsResource"), "rightsType", rights)
