"""Reading DCAT-AP-CZ documents safely into ckanext-dcat's RDFParser: the serialisation told
apart by its first bytes (JSON-LD, RDF/XML, else Turtle), and nothing fetched while reading.

JSON-LD is turned into RDF by PyLD with a document loader that loads nothing: the one context
it knows, the OFN DCAT-AP-CZ context, is the copy shipped with the package; any other context,
at any depth (a document's ``@context``, ``@import`` inside a context, a term's scoped
``@context``; http, https or file URLs alike), is refused and the document is a record or
feed error naming it. (rdflib's own JSON-LD parser takes no loader: it opens such URLs
itself, outside the safe fetcher.) RDF/XML is checked by safe_xml first (no entities: no XXE,
no entity bombs).
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from ckanext.dcat.exceptions import RDFParserException
from ckanext.dcat.processors import RDFParser
from ckanext.dcat.profiles import DCAT
from pyld import jsonld as pyld
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, XSD

from ckanext.smartregion.dcat import jsonld
from ckanext.smartregion.harvesters import safe_xml

PROFILES = ["euro_dcat_ap_3", "smartregion_dcat_ap_cz"]
ACCEPT = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8, */*;q=0.1"


class DocumentError(ValueError):
    """The document is not DCAT-AP-CZ we can read; the message says why."""


def kind_of(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return "json-ld"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048]
    if head == b"<" and (start.startswith((b"<?xml", b"<!")) or b"<rdf:RDF" in start):
        return "xml"  # Turtle may start with "<" too: an IRI
    return "turtle"


def parser_for(data: bytes, base: str) -> RDFParser:
    """An RDFParser with the document's graph loaded; DocumentError when it cannot be read."""
    parser = copy.copy(_loaded_parser())
    parser.g = ConjunctiveGraph()
    kind = kind_of(data)
    try:
        if kind == "json-ld":
            _read_jsonld(data, base, parser.g)
        elif kind == "xml":
            safe_xml.parse(data)
            parser.g.parse(data=data, format="xml", publicID=base)
        else:
            parser.g.parse(data=data.decode("utf-8"), format="turtle", publicID=base)
    except DocumentError:
        raise
    except (safe_xml.UnsafeXMLError, safe_xml.MalformedXMLError) as error:
        raise DocumentError(f"RDF/XML refused: {error}") from error
    except UnicodeDecodeError as error:
        raise DocumentError(f"Turtle must be UTF-8: {error}") from error
    except (RDFParserException, SyntaxError, ValueError, TypeError) as error:
        raise DocumentError(f"Not valid {kind}: {str(error)[:300]}") from error
    except Exception as error:  # rdflib's parsers raise their own kinds
        raise DocumentError(f"Not valid {kind}: {str(error)[:300]}") from error
    return parser


@functools.cache
def _loaded_parser() -> RDFParser:
    """A parser with the profiles loaded once per process (RDFParser looks them up among all
    installed entry points, most of a second, each time it is made)."""
    return RDFParser(profiles=PROFILES)


class _RefusingLoader:
    """A PyLD document loader that loads nothing but the shipped OFN context; it remembers
    what it refused, for the error message (PyLD wraps the loader's error in its own)."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url == jsonld.CONTEXT_URL:
            return {"contextUrl": None, "documentUrl": url, "document": jsonld.context_document()}
        self.refused.append(url)
        raise DocumentError(f"the JSON-LD context {url!r} is not fetched")


def _read_jsonld(data: bytes, base: str, graph: ConjunctiveGraph) -> None:
    try:
        document = json.loads(data)
    except ValueError as error:
        raise DocumentError(f"Not valid JSON: {error}") from error
    loader = _RefusingLoader()
    try:
        dataset = pyld.to_rdf(document, {"base": base, "documentLoader": loader})
    except pyld.JsonLdError as error:
        if loader.refused:
            raise DocumentError(
                f"the JSON-LD context {loader.refused[0]!r} is not fetched (only the "
                f"DCAT-AP-CZ context {jsonld.CONTEXT_URL} is known); inline it or use Turtle"
            ) from error
        raise DocumentError(f"Not valid json-ld: {str(error)[:300]}") from error
    blank_nodes: dict[str, BNode] = {}
    for name, triples in dataset.items():
        if name == "@default":
            context = graph.default_context
        else:
            context = graph.get_context(_term(_graph_name(name), blank_nodes))
        graph.addN(
            (
                _term(t["subject"], blank_nodes),
                _term(t["predicate"], blank_nodes),
                _term(t["object"], blank_nodes),
                context,
            )
            for t in triples
        )


def _graph_name(name: str) -> dict[str, str]:
    return {"type": "blank node" if name.startswith("_:") else "IRI", "value": name}


def _term(node: dict[str, str], blank_nodes: dict[str, BNode]) -> URIRef | BNode | Literal:
    """The rdflib term of a PyLD RDF node (fresh blank nodes for the document's labels)."""
    kind, value = node["type"], node["value"]
    if kind == "IRI":
        return URIRef(value)
    if kind == "blank node":
        return blank_nodes.setdefault(value, BNode())
    if node.get("language"):
        return Literal(value, lang=node["language"])
    datatype = node.get("datatype")
    # a plain string as rdflib's parsers give it: Literal("x") != Literal("x", XSD.string)
    return Literal(value, datatype=None if datatype == str(XSD.string) else datatype)


def catalogue_datasets(parser: RDFParser, catalogue_url: str) -> list[str]:
    """The dataset IRIs a catalogue lists (dcat:dataset of its dcat:Catalog nodes; of the node
    named by the URL first, when the document holds several catalogues)."""
    graph = parser.g
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    if not catalogues:
        raise DocumentError("the document has no dcat:Catalog (typ Katalog)")
    named = [c for c in catalogues if str(c) == catalogue_url] or catalogues
    iris: list[str] = []
    for catalogue in named:
        iris += [str(d) for d in graph.objects(catalogue, DCAT.dataset) if isinstance(d, URIRef)]
    return list(dict.fromkeys(iris))


def embedded(parser: RDFParser, iri: str) -> bool:
    """Whether the catalogue document describes the dataset itself (not only lists it)."""
    return (URIRef(iri), RDF.type, DCAT.Dataset) in parser.g and any(
        True for _ in parser.g.objects(URIRef(iri), DCAT.distribution)
    )


def describe(parser: RDFParser, iri: str) -> str:
    """The statements about a dataset embedded in a catalogue document, with the nodes it
    points to that the document describes (distributions, terms of use, contact, ...), as a
    Turtle document of its own (N-Triples after a comment line)."""
    graph = parser.g
    start = URIRef(iri)
    record = Graph()
    todo, done = [start], set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for _, predicate, value in graph.triples((node, None, None)):
            record.add((node, predicate, value))
            if predicate != DCAT.dataset and (value, None, None) in graph:
                todo.append(value)
    # canonical blank-node labels and sorted lines: the same record gives the same text
    lines = sorted(to_canonical_graph(record).serialize(format="nt").splitlines())
    return f"# {iri}\n" + "\n".join(line for line in lines if line.strip()) + "\n"


def dataset_record(data: bytes, iri: str) -> dict[str, Any]:
    """The dataset `iri` of a record document, parsed by ckanext-dcat with our profile."""
    parser = parser_for(data, iri)
    if (URIRef(iri), RDF.type, DCAT.DatasetSeries) in parser.g:
        # DCAT 3: a series is a dataset (dcat:DatasetSeries ⊑ dcat:Dataset); harvested as one
        parser.g.add((URIRef(iri), RDF.type, DCAT.Dataset))
    if (URIRef(iri), RDF.type, DCAT.Dataset) not in parser.g:
        found = [str(s) for s in parser.g.subjects(RDF.type, DCAT.Dataset)]
        raise DocumentError(
            f"the document describes no dcat:Dataset {iri}"
            + (f" (it describes {', '.join(found[:3])})" if found else "")
        )
    for dataset in parser.datasets():
        if dataset.get("url") == iri:
            return dataset
    raise DocumentError(f"no dcat:Dataset {iri} in the document")
