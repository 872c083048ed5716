"""The `smartregion_dcat_ap_3` RDF profile: what `euro_dcat_ap_3` leaves as literals, as the EU
vocabularies' IRIs the DCAT-AP 3.0.1 SHACL shapes ask for (the /catalog.* outputs for
data.europa.eu, whose metadata quality scoring reads exactly these).

Run after `euro_dcat_ap_3`: a distribution's dct:format and dcat:mediaType become EU file-type
and IANA media-type IRIs (a format with no EU code is left out rather than published as a
literal), a dataset's dct:accrualPeriodicity an EU frequency IRI, every dataset has a
dct:description (the record's own, else the fallback sentence of mapping.description: its type
and title), the English title and description beside them (@en) where the record has them,
and the catalogue states its language as the EU language IRI and its publisher (the
region, in the RPP register).
"""

from __future__ import annotations

from typing import Any

from ckanext.dcat.profiles import DCAT, DCT, RDFProfile
from ckanext.dcat.utils import resource_uri
from rdflib import Literal, URIRef

from ckanext.smartregion.dcat import iris, mapping
from ckanext.smartregion.dcat.profile import LANGUAGE_CS
from ckanext.smartregion.dcat.vocabularies import FREQUENCY, add_file_type


class SmartRegionDCATAP3Profile(RDFProfile):
    """EU vocabulary IRIs and the required texts on top of euro_dcat_ap_3."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        g = self.g
        pkg = dataset_dict
        if not any(True for _ in g.objects(dataset_ref, DCT.description)):
            g.add((dataset_ref, DCT.description, Literal(mapping.description(pkg))))
        for field, predicate in (("title", DCT.title), ("notes", DCT.description)):
            for text in mapping.english(pkg, field):
                g.add((dataset_ref, predicate, Literal(text, lang="en")))
        for word in mapping.english_keywords(pkg):
            g.add((dataset_ref, DCAT.keyword, Literal(word, lang="en")))
        g.remove((dataset_ref, DCT.accrualPeriodicity, None))
        g.add((dataset_ref, DCT.accrualPeriodicity, FREQUENCY[mapping.frequency(pkg)]))
        for resource in pkg.get("resources") or []:
            self._restate_format(resource)

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        g = self.g
        g.remove((catalog_ref, DCT.language, None))
        g.add((catalog_ref, DCT.language, LANGUAGE_CS))
        if not any(True for _ in g.objects(catalog_ref, DCT.publisher)):
            g.add((catalog_ref, DCT.publisher, URIRef(iris.publisher_iri(None))))

    def _restate_format(self, resource: dict[str, Any]) -> None:
        g = self.g
        distribution = URIRef(resource_uri(resource))
        if (None, DCAT.distribution, distribution) not in g:
            return
        for predicate in (DCT["format"], DCAT.mediaType):
            for value in list(g.objects(distribution, predicate)):
                g.remove((distribution, predicate, value))
                if not any(True for _ in g.subjects(None, value)):
                    g.remove((value, None, None))
        add_file_type(g, distribution, resource)
