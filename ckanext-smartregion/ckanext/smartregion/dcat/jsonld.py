"""DCAT-AP-CZ JSON-LD: an RDF graph framed and compacted with the OFN context, the shape the
national JSON Schemas check (nested distributions and terms of use, plain IRIs, arrays)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pyld import jsonld
from rdflib import Graph

from ckanext.smartregion.dcat.vocabularies import EUROVOC

CONTEXT_URL = (
    "https://ofn.gov.cz/dcat-ap-cz-rozhraní-katalogů-otevřených-dat/2024-05-28/"
    "kontexty/rozhraní-katalogů-otevřených-dat.jsonld"
)
# A copy of the context shipped with the package: records name it by URL, but the portal never
# fetches it (no network at request time, no dependency on ofn.gov.cz being up).
LOCAL_CONTEXT = Path(__file__).with_name("rozhraní-katalogů-otevřených-dat.jsonld")

# Terms the JSON Schemas type as arrays even when they hold one value.
ARRAY_TERMS = (
    "téma",
    "koncept_euroVoc",
    "prvek_rúian",
    "geografické_území",
    "specifikace",
    "distribuce",
    "právní_předpis",
    "datová_sada",
)


@functools.cache
def context_document() -> dict[str, Any]:
    return json.loads(LOCAL_CONTEXT.read_text(encoding="utf-8"))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url != CONTEXT_URL:
        raise jsonld.JsonLdError(
            f"only the OFN context is loaded, not {url}",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": context_document()}


def frame(graph: Graph, root_iri: str) -> dict[str, Any]:
    """The node `root_iri` of `graph` with every node it points to embedded, compacted with
    the OFN context (named by its URL)."""
    expanded = json.loads(graph.serialize(format="json-ld"))
    framed = jsonld.frame(
        expanded,
        {"@context": CONTEXT_URL, "@id": root_iri, "@embed": "@always"},
        {"documentLoader": document_loader, "omitGraph": True, "processingMode": "json-ld-1.1"},
    )
    return _normalise(framed)


def _normalise(node: Any) -> Any:
    """Arrays where the schemas want arrays; EuroVoc concepts under their own term (the context
    maps both it and `téma` to dcat:theme, and compaction picks the shorter)."""
    if isinstance(node, list):
        return [_normalise(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _normalise(value) for key, value in node.items()}
    for term in ARRAY_TERMS:
        if term in node and not isinstance(node[term], list):
            node[term] = [node[term]]
    if "téma" in node:
        themes = node.pop("téma")
        eurovoc = [t for t in themes if isinstance(t, str) and t.startswith(EUROVOC)]
        node["téma"] = [t for t in themes if t not in eurovoc]
        if eurovoc:
            node["koncept_euroVoc"] = eurovoc
    return node


def to_graph(document: dict[str, Any]) -> Graph:
    """A DCAT-AP-CZ JSON-LD document back to RDF (rdflib's own JSON-LD parser, the local
    context in place of its URL: no network)."""
    inline = {**document, "@context": context_document()["@context"]}
    return Graph().parse(data=json.dumps(inline), format="json-ld")
