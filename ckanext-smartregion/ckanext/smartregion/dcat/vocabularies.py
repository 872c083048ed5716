"""Namespaces and code lists DCAT-AP-CZ records point into: EU authority tables, IANA media
types, RÚIAN, the terms-of-use vocabulary of data.gov.cz."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
RUIAN = "https://linked.cuzk.cz/resource/ruian/"
EUROVOC = "http://eurovoc.europa.eu/"
PU = Namespace("https://data.gov.cz/slovník/podmínky-užití/")
NKOD = Namespace("https://data.gov.cz/slovník/nkod/")
DCTERMS_FORMAT = URIRef("http://purl.org/dc/terms/format")
DCAT_MEDIA_TYPE = URIRef("http://www.w3.org/ns/dcat#mediaType")

# The four-part terms of use (CKAN fields of the terms_of_use preset) -> their predicates
TERMS_PARTS = {
    "terms_author_work": PU["autorské-dílo"],
    "terms_database_work": PU["databáze-jako-autorské-dílo"],
    "terms_database_sui_generis": PU["databáze-chráněná-zvláštními-právy"],
    "terms_personal_data": PU["osobní-údaje"],
}
TERMS_AUTHORS = {"terms_author": PU["autor"], "terms_database_author": PU["autor-databáze"]}

# The Liberec Region as a RÚIAN higher territorial self-governing unit (VÚSC 78).
REGION_RUIAN = RUIAN + "vusc/78"

# CKAN format labels -> (EU file-type code, IANA media type). Only formats whose EU code and
# media type are unambiguous; others get neither, and the record says so by failing validation.
FORMATS: dict[str, tuple[str, str]] = {
    "CSV": ("CSV", "text/csv"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
    "JSONLD": ("JSON_LD", "application/ld+json"),
    "XML": ("XML", "application/xml"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "PDF": ("PDF", "application/pdf"),
    "ZIP": ("ZIP", "application/zip"),
    "HTML": ("HTML", "text/html"),
    "TXT": ("TXT", "text/plain"),
    "TTL": ("RDF_TURTLE", "text/turtle"),
    "TURTLE": ("RDF_TURTLE", "text/turtle"),
    "RDF": ("RDF_XML", "application/rdf+xml"),
    "JPEG": ("JPEG", "image/jpeg"),
    "JPG": ("JPEG", "image/jpeg"),
    "PNG": ("PNG", "image/png"),
    "TIFF": ("TIFF", "image/tiff"),
}


def file_type_and_media_type(
    fmt: str | None, mimetype: str | None
) -> tuple[str | None, str | None]:
    """The EU file-type IRI and IANA media-type IRI of a CKAN resource's format/mimetype."""
    known = FORMATS.get((fmt or "").strip().upper().lstrip("."))
    file_type = str(FILE_TYPE[known[0]]) if known else None
    media = (mimetype or "").strip() or (known[1] if known else "")
    return file_type, (IANA_MEDIA_TYPES + media if media else None)


def add_file_type(g: Graph, distribution: Node, resource: dict[str, Any]) -> None:
    """States the distribution's format and media type as code-list IRIs (none when the
    format has no EU code)."""
    file_type, media_type = file_type_and_media_type(
        resource.get("format"), resource.get("mimetype")
    )
    if file_type:
        g.add((distribution, DCTERMS_FORMAT, URIRef(file_type)))
    if media_type:
        g.add((distribution, DCAT_MEDIA_TYPE, URIRef(media_type)))
