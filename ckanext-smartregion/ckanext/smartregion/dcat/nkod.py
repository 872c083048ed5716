"""The NKOD registration file of the local catalogue: what the national catalogue's form
"Registrovat nový lokální katalog" produces, sent as a data-box attachment (.jsonld.txt)."""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD, Namespace

from ckanext.smartregion.dcat import iris
from ckanext.smartregion.dcat.vocabularies import NKOD

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


def registration(title: str, contact_name: str, contact_email: str) -> list[dict[str, Any]]:
    """The registration record (expanded JSON-LD): the catalogue's URL as a documents-variant
    DCAT-AP LKOD (nkod:DcatApLkod), its title, homepage and administrator."""
    if not (title and contact_name and contact_email):
        raise ValueError(
            "the NKOD registration needs the catalogue's title and the name and "
            "e-mail of its administrator"
        )
    graph = Graph()
    catalogue = URIRef(iris.catalogue_iri())
    contact = URIRef(iris.catalogue_contact_iri())
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, RDF.type, NKOD.DcatApLkod))
    graph.add((catalogue, DCAT.endpointURL, Literal(iris.catalogue_iri(), datatype=XSD.anyURI)))
    graph.add((catalogue, DCTERMS.title, Literal(title, lang="cs")))
    graph.add((catalogue, FOAF.homepage, URIRef(iris.base_uri() + "/")))
    graph.add((catalogue, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(contact_name, lang="cs")))
    graph.add((contact, VCARD.hasEmail, Literal(contact_email.removeprefix("mailto:"))))
    return json.loads(graph.serialize(format="json-ld"))
