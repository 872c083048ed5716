"""Mapping of one LIDO 1.0 / 1.1 record onto the fields of the ``collection-object`` type.

Works on ``lido:lidoWrap`` (first ``lido:lido`` inside) or a bare ``lido:lido``, in whatever
namespace the record's root uses (LIDO 1.0 and 1.1 share ``http://www.lido-schema.org``).
Where LIDO repeats a value per language, the first language of the preference list wins
(Czech, then English), else the first value; the chosen language is recorded per field.
The title and description are also kept in English (title_en, notes_en) when the record has
them in English and the Czech (or other) one was taken.
The mapping is documented in docs/lido-mapping.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from ckanext.smartregion.harvesters.oaipmh_lido import identity, vocabulary
from ckanext.smartregion.harvesters.record_issues import RecordIssues

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
YEAR = re.compile(r"^\s*(-?)\s*0*(\d{1,10})")
DEFAULT_LANGUAGES = ("cs", "en")


class LidoError(ValueError):
    """The record cannot become a collection object; the message names what is missing."""


@dataclass
class LegalBody:
    name: str
    identifier: str


@dataclass
class MappedRecord:
    fields: dict[str, Any]
    resources: list[dict[str, str]]
    legal_body: LegalBody | None
    languages: dict[str, str] = field(default_factory=dict)
    issues: RecordIssues = field(default_factory=RecordIssues)


class _Reader:
    """Namespace-aware lookups on one record, with the language preference."""

    def __init__(self, root: etree._Element, languages: tuple[str, ...]) -> None:
        self.ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        self.languages = languages
        self.chosen: dict[str, str] = {}

    def q(self, path: str) -> str:
        """path written with 'lido:' prefixes, in the record's own namespace."""
        prefix = f"{{{self.ns}}}" if self.ns else ""
        return path.replace("lido:", prefix)

    def all(self, element: etree._Element | None, path: str) -> list[etree._Element]:
        return element.findall(self.q(path)) if element is not None else []

    def one(self, element: etree._Element | None, path: str) -> etree._Element | None:
        return element.find(self.q(path)) if element is not None else None

    def attr(self, element: etree._Element, name: str) -> str:
        return (element.get(self.q(f"lido:{name}")) or element.get(name) or "").strip()

    def pick(self, elements: list[etree._Element], what: str = "") -> str:
        """The text of the element in the most preferred language (records it under what)."""
        candidates = [(e, _text(e)) for e in elements]
        candidates = [(e, text) for e, text in candidates if text]
        if not candidates:
            return ""
        for language in self.languages:
            for element, text in candidates:
                if vocabulary.language_code(_language_of(element)) == language:
                    if what:
                        self.chosen[what] = language
                    return text
        element, text = candidates[0]
        if what:
            self.chosen[what] = vocabulary.language_code(_language_of(element)) or "und"
        return text

    def term(self, element: etree._Element | None, what: str = "") -> str:
        """A concept's label: its lido:term in the preferred language, else its conceptID."""
        if element is None:
            return ""
        return self.pick(self.all(element, "lido:term"), what) or self.pick(
            self.all(element, "lido:conceptID")
        )


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _language_of(element: etree._Element) -> str:
    for node in (element, *element.iterancestors()):
        language = node.get(XML_LANG)
        if language:
            return language
    return ""


def _year(text: str) -> int | None:
    match = YEAR.match(text or "")
    if not match:
        return None
    return int(match[2]) * (-1 if match[1] else 1)


def _decimal(text: str) -> str | None:
    try:
        value = Decimal(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return format(value.normalize(), "f") if value.is_finite() else None


def find_lido(element: etree._Element) -> etree._Element:
    """The lido:lido element of an OAI <metadata> payload (lidoWrap or bare lido)."""
    local = etree.QName(element).localname
    if local == "lido":
        return element
    if local == "lidoWrap":
        for child in element:
            if isinstance(child.tag, str) and etree.QName(child).localname == "lido":
                return child
        raise LidoError("The lido:lidoWrap holds no lido:lido record")
    raise LidoError(f"The metadata is not LIDO: its root element is <{local}>")


def map_record(
    payload: etree._Element, languages: tuple[str, ...] = DEFAULT_LANGUAGES
) -> MappedRecord:
    """The collection-object fields of a LIDO record; LidoError if it lacks a required one."""
    lido = find_lido(payload)
    r = _Reader(lido, languages)
    descriptive = r.one(lido, "lido:descriptiveMetadata")
    administrative = r.one(lido, "lido:administrativeMetadata")
    identification = r.one(descriptive, "lido:objectIdentificationWrap")
    fields: dict[str, Any] = {}

    fields["source_record_id"] = _text(r.one(lido, "lido:lidoRecID"))
    fields["title"] = _title(r, identification)
    fields["title_en"] = _english_title(r, identification)
    repository = _repository_set(r, identification)
    fields["inventory_number"] = _inventory_number(r, repository)
    _classification(r, descriptive, fields)
    events = r.all(descriptive, "lido:eventWrap/lido:eventSet/lido:event")
    _events(r, events, fields)
    fields["dimensions"] = _dimensions(r, identification)
    fields["notes"] = _description(r, identification)
    fields["notes_en"] = _description(r, identification, english=True)
    if not fields["dimensions"]:
        display = r.pick(
            r.all(
                identification,
                "lido:objectMeasurementsWrap/lido:objectMeasurementsSet/"
                "lido:displayObjectMeasurements",
            ),
            "dimensions",
        )
        if display:
            fields["notes"] = "\n\n".join(filter(None, [fields["notes"], f"Rozměry: {display}"]))
    fields["inscriptions"] = _inscriptions(r, identification)
    resources = _resources(r, administrative)
    work_rights = [
        _rights(r, s) for s in r.all(administrative, "lido:rightsWorkWrap/lido:rightsWorkSet")
    ]
    resource_rights = [res["rights"] for res in resources if res.get("rights")]
    fields["image_rights"] = (resource_rights or [w for w in work_rights if w] or [""])[0]
    record_rights = r.all(administrative, "lido:recordWrap/lido:recordRights")
    fields["license_id"] = next(
        (lic for s in record_rights if (lic := vocabulary.license_id(_rights_uris(r, s)))), ""
    )
    issues = RecordIssues()
    try:
        identity.identify(fields, _text(r.one(lido, "lido:objectPublishedID")), issues)
    except ValueError as error:
        raise LidoError(str(error)) from error
    return MappedRecord(
        fields={key: value for key, value in fields.items() if value not in ("", None, [])},
        resources=resources,
        legal_body=_legal_body(r, repository),
        languages=dict(r.chosen),
        issues=issues,
    )


def _title(r: _Reader, identification: etree._Element | None) -> str:
    title_sets = r.all(identification, "lido:titleWrap/lido:titleSet")
    for title_set in title_sets:  # a set marked preferred wins
        values = r.all(title_set, "lido:appellationValue")
        if (
            any(r.attr(v, "pref") == "preferred" for v in values)
            or r.attr(title_set, "pref") == "preferred"
        ):
            preferred = [v for v in values if r.attr(v, "pref") in ("", "preferred")]
            return r.pick(preferred or values, "title")
    for title_set in title_sets:
        if title := r.pick(r.all(title_set, "lido:appellationValue"), "title"):
            return title
    return ""


def _english(r: _Reader, elements: list[etree._Element]) -> str:
    """The text of the element in English (xml:lang en), or nothing."""
    return next(
        (
            _text(e)
            for e in elements
            if vocabulary.language_code(_language_of(e)) == "en" and _text(e)
        ),
        "",
    )


def _english_title(r: _Reader, identification: etree._Element | None) -> str:
    """The English twin of the title (title_en): the preferred set's English value, else any
    set's; none when the title itself was taken in English."""
    if r.chosen.get("title") == "en":
        return ""
    title_sets = r.all(identification, "lido:titleWrap/lido:titleSet")
    preferred = [
        s
        for s in title_sets
        if r.attr(s, "pref") == "preferred"
        or any(r.attr(v, "pref") == "preferred" for v in r.all(s, "lido:appellationValue"))
    ]
    for title_set in preferred + title_sets:
        if title := _english(r, r.all(title_set, "lido:appellationValue")):
            return title
    return ""


def _repository_set(r: _Reader, identification: etree._Element | None) -> etree._Element | None:
    sets = r.all(identification, "lido:repositoryWrap/lido:repositorySet")
    current = [s for s in sets if r.attr(s, "type").lower() in ("current", "aktuální")]
    return (current or sets or [None])[0]


def _inventory_number(r: _Reader, repository: etree._Element | None) -> str:
    work_ids = [w for w in r.all(repository, "lido:workID") if _text(w)]
    inventory = [w for w in work_ids if vocabulary.is_inventory_number(r.attr(w, "type"))]
    return _text((inventory or work_ids or [None])[0])


def _legal_body(r: _Reader, repository: etree._Element | None) -> LegalBody | None:
    body = r.one(repository, "lido:repositoryName")
    if body is None:
        return None
    name = r.pick(r.all(body, "lido:legalBodyName/lido:appellationValue"), "institution")
    identifier = _text(r.one(body, "lido:legalBodyID"))
    return LegalBody(name=name, identifier=identifier) if name or identifier else None


def _classification(r: _Reader, descriptive: etree._Element | None, fields: dict[str, Any]) -> None:
    wrap = r.one(descriptive, "lido:objectClassificationWrap")
    work_types = [
        r.term(t, "object_type") for t in r.all(wrap, "lido:objectWorkTypeWrap/lido:objectWorkType")
    ]
    work_types = [t for t in work_types if t]
    fields["object_type"] = work_types[0] if work_types else ""
    terms: list[str] = work_types[1:]
    for classification in r.all(wrap, "lido:classificationWrap/lido:classification"):
        label = r.term(classification)
        if not label:
            continue
        if vocabulary.is_ces_subcollection(r.attr(classification, "type")) and not fields.get(
            "ces_subcollection"
        ):
            fields["ces_subcollection"] = label
        elif label not in terms:
            terms.append(label)
    fields["classification_terms"] = terms


def _events(r: _Reader, events: list[etree._Element], fields: dict[str, Any]) -> None:
    kinds = {id(e): vocabulary.event_kind(_event_type_labels(r, e)) for e in events}
    production = [e for e in events if kinds[id(e)] == "production"]
    untyped = [e for e in events if kinds[id(e)] == "other"]
    creating = production or untyped[:1]
    finding = [e for e in events if kinds[id(e)] == "finding"]
    acquisition = [e for e in events if kinds[id(e)] == "acquisition"]

    dated = [e for e in creating + finding if r.one(e, "lido:eventDate") is not None]
    if dated:
        date = r.one(dated[0], "lido:eventDate")
        earliest = _year(_text(r.one(date, "lido:date/lido:earliestDate")))
        latest = _year(_text(r.one(date, "lido:date/lido:latestDate")))
        display = r.pick(r.all(date, "lido:displayDate"), "dating_display")
        if earliest is not None and latest is not None and latest < earliest:
            earliest, latest = latest, earliest
        fields["dating_earliest"] = earliest
        fields["dating_latest"] = latest if latest is not None else earliest
        fields["dating_display"] = display or "–".join(
            str(y) for y in dict.fromkeys((earliest, latest)) if y is not None
        )
    fields["creators"] = [c for e in creating for c in _actors(r, e)]
    places = [
        r.pick(r.all(p, "lido:displayPlace"), "place") or _place_name(r, p)
        for e in creating + finding
        for p in r.all(e, "lido:eventPlace")
    ]
    fields["place"] = next((p for p in places if p), "")
    materials, techniques = _materials_and_techniques(r, creating)
    fields["materials"], fields["techniques"] = materials, techniques
    fields["provenance"] = "\n".join(filter(None, (_event_summary(r, e) for e in acquisition)))


def _event_type_labels(r: _Reader, event: etree._Element) -> list[str]:
    event_type = r.one(event, "lido:eventType")
    return [_text(x) for x in r.all(event_type, "lido:term") + r.all(event_type, "lido:conceptID")]


def _actors(r: _Reader, event: etree._Element) -> list[dict[str, str]]:
    creators = []
    for actor_wrap in r.all(event, "lido:eventActor"):
        in_role = r.one(actor_wrap, "lido:actorInRole")
        name = r.pick(
            r.all(in_role, "lido:actor/lido:nameActorSet/lido:appellationValue"), "creators"
        )
        if not name:
            name = r.pick(r.all(actor_wrap, "lido:displayActorInRole"), "creators")
        if not name:
            continue
        role = r.term(r.one(in_role, "lido:roleActor")) or r.pick(
            r.all(in_role, "lido:attributionQualifierActor")
        )
        creators.append({"name": name, "role": role} if role else {"name": name})
    return creators


def _place_name(r: _Reader, event_place: etree._Element) -> str:
    names = [
        r.pick(r.all(s, "lido:appellationValue"), "place")
        for s in r.all(event_place, "lido:place/lido:namePlaceSet")
    ]
    return ", ".join(n for n in names if n)


def _materials_and_techniques(
    r: _Reader, events: list[etree._Element]
) -> tuple[list[str], list[str]]:
    materials: list[str] = []
    techniques: list[str] = []
    for event in events:
        for wrap in r.all(event, "lido:eventMaterialsTech"):
            terms = r.all(wrap, "lido:materialsTech/lido:termMaterialsTech")
            for term in terms:
                label = r.term(term)
                target = techniques if vocabulary.is_technique(r.attr(term, "type")) else materials
                if label and label not in target:
                    target.append(label)
            if not terms and (display := r.pick(r.all(wrap, "lido:displayMaterialsTech"))):
                materials.append(display)
    return materials, techniques


def _event_summary(r: _Reader, event: etree._Element) -> str:
    parts = [
        r.term(r.one(event, "lido:eventType")),
        r.pick(r.all(event, "lido:eventDate/lido:displayDate"))
        or _text(r.one(event, "lido:eventDate/lido:date/lido:earliestDate")),
        ", ".join(a["name"] for a in _actors(r, event)),
        r.pick(r.all(event, "lido:eventDescriptionSet/lido:descriptiveNoteValue")),
    ]
    return ": ".join(filter(None, [parts[0], ", ".join(filter(None, parts[1:]))]))


def _dimensions(r: _Reader, identification: etree._Element | None) -> list[dict[str, str]]:
    dimensions = []
    for measurements in r.all(
        identification,
        "lido:objectMeasurementsWrap/lido:objectMeasurementsSet/"
        "lido:objectMeasurements/lido:measurementsSet",
    ):
        kind = r.pick(r.all(measurements, "lido:measurementType"), "dimensions")
        unit = r.pick(r.all(measurements, "lido:measurementUnit"))
        value = _decimal(_text(r.one(measurements, "lido:measurementValue")))
        if kind and unit and value is not None:
            dimensions.append({"type": kind, "value": value, "unit": unit})
    return dimensions


def _description(r: _Reader, identification: etree._Element | None, english: bool = False) -> str:
    """The description sets' texts in the preferred language; english: their English twin
    (notes_en), none when the description itself was taken in English."""
    if english and r.chosen.get("notes") == "en":
        return ""
    texts = [
        _english(r, values) if english else r.pick(values, "notes")
        for s in r.all(identification, "lido:objectDescriptionWrap/lido:objectDescriptionSet")
        for values in [r.all(s, "lido:descriptiveNoteValue")]
    ]
    return "\n\n".join(t for t in texts if t)


def _inscriptions(r: _Reader, identification: etree._Element | None) -> str:
    lines = []
    for inscription in r.all(identification, "lido:inscriptionsWrap/lido:inscriptions"):
        transcription = r.pick(r.all(inscription, "lido:inscriptionTranscription"), "inscriptions")
        description = r.pick(
            r.all(inscription, "lido:inscriptionDescription/lido:descriptiveNoteValue")
        )
        kind = r.attr(inscription, "type")
        text = " – ".join(
            filter(None, [f"„{transcription}“" if transcription else "", description])
        )
        if text:
            lines.append(f"{kind}: {text}" if kind else text)
    return "\n".join(lines)


def _rights_uris(r: _Reader, rights: etree._Element) -> list[str]:
    rights_type = r.one(rights, "lido:rightsType")
    return [
        _text(x) for x in r.all(rights_type, "lido:conceptID") + r.all(rights_type, "lido:term")
    ]


def _rights(r: _Reader, rights: etree._Element | None) -> str:
    """One line: the licence or rights statement, its holder and the credit line."""
    if rights is None:
        return ""
    rights_type = r.one(rights, "lido:rightsType")
    label = r.pick(r.all(rights_type, "lido:term"))
    uri = next(
        (
            u
            for u in (_text(c) for c in r.all(rights_type, "lido:conceptID"))
            if u.startswith(("http://", "https://"))
        ),
        "",
    )
    statement = f"{label} ({uri})" if label and uri else label or uri
    holder = r.pick(r.all(rights, "lido:rightsHolder/lido:legalBodyName/lido:appellationValue"))
    credit = r.pick(r.all(rights, "lido:creditLine"))
    return "; ".join(filter(None, [statement, f"© {holder}" if holder else "", credit]))


def _resources(r: _Reader, administrative: etree._Element | None) -> list[dict[str, str]]:
    resources = []
    for number, resource_set in enumerate(
        r.all(administrative, "lido:resourceWrap/lido:resourceSet"), 1
    ):
        representations = [
            (r.attr(rep, "type"), link)
            for rep in r.all(resource_set, "lido:resourceRepresentation")
            if (link := r.one(rep, "lido:linkResource")) is not None
            and _text(link).startswith(("http://", "https://"))
        ]
        if not representations:
            continue
        _kind, link = max(representations, key=lambda pair: vocabulary.representation_rank(pair[0]))
        url = _text(link)
        description = r.pick(r.all(resource_set, "lido:resourceDescription"))
        resource = {
            "url": url,
            "name": description
            or r.term(r.one(resource_set, "lido:resourceType"))
            or f"Obrázek {number}",
            "format": vocabulary.format_of(r.attr(link, "formatResource"), url),
            "description": description,
            "rights": _rights(r, r.one(resource_set, "lido:rightsResource")),
        }
        resources.append({key: value for key, value in resource.items() if value})
    return resources
