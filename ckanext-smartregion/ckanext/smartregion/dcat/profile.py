"""The `smartregion_dcat_ap_cz` RDF profile: DCAT-AP-CZ 2024-05-28 on top of `euro_dcat_ap_3`.

Run after `euro_dcat_ap_3` (which includes the scheming profile), it replaces what DCAT-AP-CZ
states differently: Czech-tagged texts, EU vocabulary IRIs for themes and frequency, RÚIAN
spatial IRIs, the publisher's IRI in the RPP register, and the four-part terms of use of each
distribution. Every node gets an https IRI of the catalogue (no blank nodes), and type
statements about other parties' IRIs (code lists, the publisher) are left to their owners, so
the JSON-LD form compacts to plain IRIs as the national JSON Schemas require.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCT, FOAF, RDF, VCARD, XSD, RDFProfile
from ckanext.dcat.utils import resource_uri
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ckanext.smartregion.dcat import iris, mapping, parsing
from ckanext.smartregion.dcat.vocabularies import (
    DATA_THEME,
    EUROVOC,
    FREQUENCY,
    PU,
    TERMS_AUTHORS,
    TERMS_PARTS,
    add_file_type,
)

LANGUAGE_CS = URIRef("http://publications.europa.eu/resource/authority/language/CES")
# The dataset's own statements this profile restates; everything else of euro_dcat_ap_3 stays.
RESTATED = (
    DCT.title,
    DCT.description,
    DCAT.keyword,
    DCAT.theme,
    DCT.accrualPeriodicity,
    DCT.spatial,
    DCT.temporal,
    DCT.publisher,
    DCAT.contactPoint,
    FOAF.page,
    DCAT.landingPage,
)


class SmartRegionDCATAPCZProfile(RDFProfile):
    """DCAT-AP-CZ 2024-05-28 for the national catalogue (NKOD); see docs/dcat-ap-cz.md."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        g = self.g
        g.bind("pu", PU)
        g.bind("vcard", VCARD)
        pkg = dataset_dict
        for predicate in RESTATED:
            self._remove_objects(dataset_ref, predicate)

        g.add((dataset_ref, DCT.title, Literal(pkg["title"], lang="cs")))
        g.add((dataset_ref, DCT.description, Literal(mapping.description(pkg), lang="cs")))
        for field, predicate in (("title", DCT.title), ("notes", DCT.description)):
            for text in mapping.english(pkg, field):
                g.add((dataset_ref, predicate, Literal(text, lang="en")))
        for word in mapping.keywords(pkg):
            g.add((dataset_ref, DCAT.keyword, Literal(word, lang="cs")))
        for word in mapping.english_keywords(pkg):
            g.add((dataset_ref, DCAT.keyword, Literal(word, lang="en")))
        for code in mapping.themes(pkg):
            g.add((dataset_ref, DCAT.theme, DATA_THEME[code]))
        for concept in mapping._as_list(pkg.get("eurovoc_concepts")):
            if concept.startswith(EUROVOC):
                g.add((dataset_ref, DCAT.theme, URIRef(concept)))
        g.add((dataset_ref, DCT.accrualPeriodicity, FREQUENCY[mapping.frequency(pkg)]))
        for element in mapping.ruian(pkg):
            g.add((dataset_ref, DCT.spatial, URIRef(element)))
        if pkg.get("documentation"):
            g.add((dataset_ref, FOAF.page, URIRef(pkg["documentation"])))
        # The landing page is the portal's own page of the record: typed, as the DCAT-AP-CZ
        # shapes ask (sh:class foaf:Document), which a bare IRI is not without an ontology.
        landing_page = URIRef(self._landing_page(pkg))
        g.add((dataset_ref, DCAT.landingPage, landing_page))
        g.add((landing_page, RDF.type, FOAF.Document))

        organization = self._organization(pkg)
        g.add(
            (
                dataset_ref,
                DCT.publisher,
                URIRef(iris.publisher_iri((organization or {}).get("ico"))),
            )
        )
        self._add_temporal(pkg, dataset_ref)
        self._add_contact_point(pkg, organization, dataset_ref)
        for resource in pkg.get("resources") or []:
            self._restate_distribution(pkg, resource, dataset_ref)

        self._drop_foreign_type_statements()
        self._name_blank_nodes()

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        g = self.g
        g.bind("vcard", VCARD)
        for predicate in (
            DCT.title,
            DCT.description,
            DCT.language,
            DCT.publisher,
            DCAT.contactPoint,
            FOAF.homepage,
        ):
            self._remove_objects(catalog_ref, predicate)
        g.add((catalog_ref, RDF.type, DCAT.Catalog))
        g.add((catalog_ref, DCT.title, Literal(tk.config["ckan.site_title"], lang="cs")))
        description = tk.config.get("ckan.site_description") or tk.config["ckan.site_title"]
        g.add((catalog_ref, DCT.description, Literal(description, lang="cs")))
        g.add((catalog_ref, DCT.language, LANGUAGE_CS))
        g.add((catalog_ref, DCT.publisher, URIRef(iris.publisher_iri(None))))
        g.add((catalog_ref, FOAF.homepage, URIRef(iris.base_uri() + "/")))
        name, email = catalogue_contact()
        if name or email:
            contact = URIRef(iris.catalogue_contact_iri())
            self._add_vcard(contact, name, email)
            g.add((catalog_ref, DCAT.contactPoint, contact))

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        """Back from DCAT-AP-CZ into the `dataset` schema's fields (dcat/parsing.py; used by the
        DCAT-AP-CZ harvester); euro_dcat_ap_3's extras are kept for the caller to pick from."""
        parsed = parsing.parse_dataset(self.g, dataset_dict, dataset_ref)
        parsed["extras"] = dataset_dict.get("extras") or []
        dataset_dict.clear()  # RDFParser.datasets() yields the dict it passed in
        dataset_dict.update(parsed)
        return dataset_dict

    # building blocks

    def _remove_objects(self, subject: Node, predicate: URIRef) -> None:
        """Removes subject-predicate statements, with the blank or own nodes they pointed to."""
        for node in list(self.g.objects(subject, predicate)):
            self.g.remove((subject, predicate, node))
            owned = isinstance(node, BNode) or (isinstance(node, URIRef) and self._own(node))
            if owned and not any(True for _ in self.g.subjects(None, node)):
                self._remove_node(node)

    def _remove_node(self, node: Node) -> None:
        for _, predicate, value in list(self.g.triples((node, None, None))):
            self.g.remove((node, predicate, value))
            if isinstance(value, BNode):
                self._remove_node(value)

    @staticmethod
    def _own(node: Node) -> bool:
        return str(node).startswith(iris.base_uri() + "/")

    def _landing_page(self, pkg: dict[str, Any]) -> str:
        return f"{iris.base_uri()}/{pkg['type']}/{pkg['name']}"

    def _organization(self, pkg: dict[str, Any]) -> dict[str, Any] | None:
        if not pkg.get("owner_org"):
            return None
        try:
            return tk.get_action("organization_show")(
                {"ignore_auth": True},
                {
                    "id": pkg["owner_org"],
                    "include_datasets": False,
                    "include_dataset_count": False,
                    "include_users": False,
                    "include_groups": False,
                    "include_tags": False,
                    "include_followers": False,
                    "include_member_count": False,
                },
            )
        except tk.ObjectNotFound:
            return None

    def _add_temporal(self, pkg: dict[str, Any], dataset_ref: URIRef) -> None:
        start, end = pkg.get("temporal_start"), pkg.get("temporal_end")
        if not (start or end):
            return
        period = URIRef(iris.temporal_iri(pkg["id"]))
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        if start:
            self.g.add((period, DCAT.startDate, Literal(start[:10], datatype=XSD.date)))
        if end:
            self.g.add((period, DCAT.endDate, Literal(end[:10], datatype=XSD.date)))
        self.g.add((dataset_ref, DCT.temporal, period))

    def _add_contact_point(
        self, pkg: dict[str, Any], organization: dict[str, Any] | None, dataset_ref: URIRef
    ) -> None:
        name, email = mapping.contact(pkg, organization)
        if not (name or email):
            return
        contact = URIRef(iris.contact_point_iri(pkg["id"]))
        self._add_vcard(contact, name, email)
        self.g.add((dataset_ref, DCAT.contactPoint, contact))

    def _add_vcard(self, contact: URIRef, name: str | None, email: str | None) -> None:
        self.g.add((contact, RDF.type, VCARD.Organization))
        if name:
            self.g.add((contact, VCARD.fn, Literal(name, lang="cs")))
        if email:
            self.g.add((contact, VCARD.hasEmail, URIRef(self._add_mailto(email))))

    def _restate_distribution(
        self, pkg: dict[str, Any], resource: dict[str, Any], dataset_ref: URIRef
    ) -> None:
        g = self.g
        distribution = URIRef(resource_uri(resource))
        terms = mapping.terms_of_use(resource)
        if terms is None:
            g.remove((dataset_ref, DCAT.distribution, distribution))
            self._remove_node(distribution)
            return
        for predicate in (
            DCT.title,
            DCT.description,
            DCAT.accessURL,
            DCAT.downloadURL,
            DCT["format"],
            DCAT.mediaType,
            DCT.license,
        ):
            self._remove_objects(distribution, predicate)
        if resource.get("name"):
            g.add((distribution, DCT.title, Literal(resource["name"], lang="cs")))
        if resource.get("description"):
            g.add((distribution, DCT.description, Literal(resource["description"], lang="cs")))
        if resource.get("url"):
            g.add((distribution, DCAT.accessURL, URIRef(resource["url"])))
            g.add((distribution, DCAT.downloadURL, URIRef(resource["url"])))
        add_file_type(g, distribution, resource)

        specification = URIRef(iris.terms_of_use_iri(pkg["id"], resource["id"]))
        g.add((specification, RDF.type, PU.Specifikace))
        for field, predicate in TERMS_PARTS.items():
            g.add((specification, predicate, URIRef(terms[field])))
        for field, predicate in TERMS_AUTHORS.items():
            if terms.get(field):
                g.add((specification, predicate, Literal(terms[field], lang="cs")))
        g.add((distribution, PU.specifikace, specification))

    def _drop_foreign_type_statements(self) -> None:
        """Code-list entries, licences and the publisher are described by their owners; typing
        them here would make the JSON-LD embed them as objects instead of IRIs."""
        own = iris.base_uri()
        for subject, _, cls in list(self.g.triples((None, RDF.type, None))):
            if isinstance(subject, URIRef) and not str(subject).startswith(own):
                self.g.remove((subject, RDF.type, cls))

    def _name_blank_nodes(self) -> None:
        """Gives every blank node left by the base profiles (checksums, identifiers, ...) an IRI
        under the node that points to it, named after the property: stable across requests.
        Blank nodes nothing named points to are dropped: a record holds no anonymous nodes."""
        renamed = True
        while renamed:
            renamed = False
            for subject, predicate, node in list(self.g):
                if isinstance(node, BNode) and isinstance(subject, URIRef):
                    self._rename(node, self._free_name(subject, predicate))
                    renamed = True
                    break
        for subject in {s for s in self.g.subjects() if isinstance(s, BNode)}:
            self._remove_node(subject)

    def _free_name(self, subject: URIRef, predicate: URIRef) -> URIRef:
        base = f"{subject}/{self._local_name(predicate)}"
        name, suffix = URIRef(base), 2
        while (name, None, None) in self.g:
            name, suffix = URIRef(f"{base}-{suffix}"), suffix + 1
        return name

    @staticmethod
    def _local_name(predicate: URIRef) -> str:
        return str(predicate).rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def _rename(self, old: BNode, new: URIRef) -> None:
        for s, p, o in list(self.g.triples((old, None, None))):
            self.g.remove((s, p, o))
            self.g.add((new, p, o))
        for s, p, o in list(self.g.triples((None, None, old))):
            self.g.remove((s, p, o))
            self.g.add((s, p, new))


def catalogue_contact() -> tuple[str | None, str | None]:
    """The catalogue's contact point (its administrator), as configured."""
    return (
        tk.config.get("ckanext.smartregion.dcat.contact_name") or None,
        tk.config.get("ckanext.smartregion.dcat.contact_email") or None,
    )
