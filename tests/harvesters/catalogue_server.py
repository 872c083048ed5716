"""A real HTTP server on 127.0.0.1 for the catalogue harvesters' tests and bench: DCAT-AP-CZ
catalogues and dataset records (built from the specification's examples), an ArcGIS Hub
data.json, and a CKAN Action API answering package_search page by page; with faults (server
errors, bodies replaced) and a helper running harvest jobs through the real consumers."""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.harvesters.local_http import (
    LocalHttpServer,
    object_messages,
    reconfigure,
    wait_for_job,
)

EXAMPLES = Path("/work/shared/standards/dcat-ap-cz-2024-05-28/příklady")
EXAMPLE_IRI = "https://data.gov.cz/lkod/mdcr/datové-sady/vld"
EXAMPLE_TITLE = "Jízdní řády veřejné linkové dopravy"
CONTEXT = (
    "https://ofn.gov.cz/dcat-ap-cz-rozhraní-katalogů-otevřených-dat/2024-05-28/"
    "kontexty/rozhraní-katalogů-otevřených-dat.jsonld"
)


class CatalogueServer(LocalHttpServer):
    """path → (content type, body); `fail[path]` answers that many 503s first; `requests`
    lists the paths asked (with query strings)."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[str, bytes]] = {}
        self.fail: dict[str, int] = defaultdict(int)
        self.requests: list[str] = []
        self.ckan_packages: list[dict[str, Any]] = []
        super().__init__()

    def put(self, path: str, body: bytes | str, content_type: str) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.documents[unquote(path)] = (content_type, data)
        return self.url + quote(path)

    def answer(self, raw_path: str) -> tuple[int, str, bytes]:
        self.requests.append(unquote(raw_path))
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        if self.fail[path] > 0:
            self.fail[path] -= 1
            return 503, "text/plain", b"busy"
        if path == "/ckan/api/3/action/package_search" and path not in self.documents:
            return 200, "application/json", self._package_search(parse_qs(parts.query))
        if path not in self.documents:
            return 404, "text/plain", b"not found"
        content_type, body = self.documents[path]
        return 200, content_type, body

    def _package_search(self, query: dict[str, list[str]]) -> bytes:
        """As CKAN 2.x answers: rows at most 1000 (ckan.search.rows_max), sorted by id."""
        rows = min(int(query.get("rows", ["10"])[0]), 1000)
        start = int(query.get("start", ["0"])[0])
        ordered = sorted(self.ckan_packages, key=lambda p: p["id"])
        result = {
            "count": len(ordered),
            "sort": query.get("sort", ["score desc, metadata_modified desc"])[0],
            "facets": {},
            "results": ordered[start : start + rows],
            "search_facets": {},
        }
        help_url = self.url + "/ckan/api/3/action/help_show?name=package_search"
        return json.dumps({"help": help_url, "success": True, "result": result}).encode()


# DCAT-AP-CZ documents


def dataset_jsonld(iri: str, title: str, themes: list[str] | None = None) -> str:
    """The specification's example dataset (JSON-LD) under another IRI and title."""
    record = json.loads((EXAMPLES / "datová-sada.jsonld").read_text(encoding="utf-8"))
    text = json.dumps(record, ensure_ascii=False).replace(EXAMPLE_IRI, iri)
    record = json.loads(text)
    record["název"] = {"cs": title, "en": f"{title} (en)"}
    if themes is not None:
        record["téma"] = themes
    return json.dumps(record, ensure_ascii=False)


def dataset_turtle(iri: str, title: str) -> str:
    """The specification's example dataset (Turtle) under another IRI and title."""
    text = (EXAMPLES / "datová-sada.ttl").read_text(encoding="utf-8")
    return text.replace(EXAMPLE_IRI, iri).replace(f'"{EXAMPLE_TITLE}"@cs', f'"{title}"@cs')


def catalogue_jsonld(iri: str, dataset_iris: list[str]) -> str:
    return json.dumps(
        {
            "@context": CONTEXT,
            "iri": iri,
            "typ": "Katalog",
            "název": {"cs": "Testovací katalog"},
            "popis": {"cs": "Katalog pro testy"},
            "poskytovatel": "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/70891508",
            "datová_sada": dataset_iris,
        },
        ensure_ascii=False,
    )


def catalogue_turtle(iri: str, dataset_iris: list[str]) -> str:
    datasets = " ,\n    ".join(f"<{d}>" for d in dataset_iris) or "<>"
    listing = f"dcat:dataset {datasets} ;" if dataset_iris else ""
    return (
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
        f'<{iri}> a dcat:Catalog ;\n    dct:title "Testovací katalog"@cs ;\n    {listing}\n'
        '    dct:description "Katalog pro testy"@cs .\n'
    )


class Lkod:
    """A DCAT-AP-CZ catalogue on the server: `publish(n)` puts n dataset records and a
    catalogue listing them (JSON-LD or Turtle, each record alternately JSON-LD and Turtle)."""

    def __init__(self, server: CatalogueServer, kind: str = "jsonld") -> None:
        self.server = server
        self.kind = kind
        self.catalogue_url = server.url + "/lkod/katalog"

    def iri(self, number: int) -> str:
        return f"{self.server.url}/lkod/datové-sady/{number}"

    def put_record(self, number: int, title: str | None = None, body: str | None = None) -> None:
        title = title or f"Datová sada č. {number}"
        path = f"/lkod/datové-sady/{number}"
        if body is not None:
            self.server.put(path, body, "text/turtle")
        elif number % 2:
            self.server.put(path, dataset_jsonld(self.iri(number), title), "application/ld+json")
        else:
            self.server.put(path, dataset_turtle(self.iri(number), title), "text/turtle")

    def publish(self, numbers: range | list[int], records: bool = True) -> None:
        if records:
            for number in numbers:
                self.put_record(number)
        self.list(numbers)

    def list(self, numbers: range | list[int]) -> None:
        iris = [self.iri(n) for n in numbers]
        if self.kind == "jsonld":
            body = catalogue_jsonld(self.catalogue_url, iris)
            self.server.put("/lkod/katalog", body, "application/ld+json")
        else:
            self.server.put(
                "/lkod/katalog", catalogue_turtle(self.catalogue_url, iris), "text/turtle"
            )


# ArcGIS Hub data.json and CKAN packages


def hub_dataset(number: int, **changes: Any) -> dict[str, Any]:
    """One data.json entry in the shape ArcGIS Hub publishes (DCAT-US 1.1)."""
    entry = {
        "@type": "dcat:Dataset",
        "identifier": f"https://datalk.example.cz/datasets/lk::vrstva-{number}",
        "landingPage": f"https://datalk.example.cz/datasets/lk::vrstva-{number}",
        "title": f"Vrstva č. {number}",
        "description": f"Popis vrstvy č. {number} (ukázková data pro testy).",
        "keyword": ["doprava", "silnice"],
        "issued": "2023-01-01T00:00:00.000Z",
        "modified": "2024-05-01T10:00:00.000Z",
        "publisher": {"name": "Liberecký kraj"},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": "GIS",
            "hasEmail": "mailto:gis@example.cz",
        },
        "accessLevel": "public",
        "spatial": "14.6,50.5,15.3,50.9",
        "theme": ["geospatial"],
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "title": "CSV",
                "format": "CSV",
                "mediaType": "text/csv",
                "accessURL": f"https://datalk.example.cz/api/download/v1/items/{number}/csv",
            },
            {
                "@type": "dcat:Distribution",
                "title": "ArcGIS GeoService",
                "format": "ArcGIS GeoServices REST API",
                "accessURL": f"https://services.example.cz/arcgis/rest/services/{number}/FeatureServer/0",
            },
        ],
    }
    entry.update(changes)
    return entry


def data_json(entries: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            "@type": "dcat:Catalog",
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
            "dataset": entries,
        },
        ensure_ascii=False,
    )


def ckan_package(number: int, **changes: Any) -> dict[str, Any]:
    """One package as a plain CKAN 2.x portal's package_search returns it."""
    package = {
        "id": f"00000000-0000-0000-0000-{number:012d}",
        "name": f"rozpocet-{number}",
        "title": f"Rozpočet obce č. {number}",
        "notes": f"Schválený rozpočet (ukázková data pro testy č. {number}).",
        "license_id": "cc-by",
        "license_title": "Creative Commons Attribution",
        "license_url": "http://www.opendefinition.org/licenses/cc-by",
        "metadata_modified": "2024-01-01T00:00:00",
        "organization": {"name": "mesto-test", "title": "Město Test"},
        "tags": [{"name": "rozpočet"}, {"name": "finance"}],
        "groups": [{"name": "ekonomika", "title": "Ekonomika"}],
        "extras": [{"key": "frequency", "value": "ANNUAL"}],
        "resources": [
            {
                "url": f"https://opendata.example.cz/rozpocet-{number}.csv",
                "format": "CSV",
                "name": "Rozpočet",
            }
        ],
    }
    package.update(changes)
    return package


# running harvests


class CatalogueHarvest:
    """One harvest source of the given type on the test server, run through the consumers."""

    def __init__(self, source_type: str, url: str, config: dict | None = None) -> None:
        self.sysadmin = factories.Sysadmin()
        self.context = {"user": self.sysadmin["name"], "ignore_auth": False}
        self.organization = factories.Organization(name="zdroj-sklizne", title="Zdroj sklizně")
        self.source = call_action(
            "harvest_source_create",
            context=dict(self.context),
            name=f"zdroj-{source_type.replace('_', '-')}",
            title=f"Zdroj {source_type}",
            url=url,
            source_type=source_type,
            config=json.dumps(config or {}),
            owner_org=self.organization["id"],
        )

    def reconfigure(self, config: dict) -> None:
        reconfigure(self.context, self.source, config)

    def run(self, timeout: float = 180) -> dict:
        job = call_action(
            "harvest_job_create", context=dict(self.context), source_id=self.source["id"]
        )
        shown, report = wait_for_job(self.context, self.source["id"], job["id"], timeout)
        shown["object_errors"] = object_messages(report)
        return shown

    def datasets(self) -> list[dict]:
        return call_action(
            "package_search",
            context=dict(self.context),
            include_private=True,
            fq=f'+dataset_type:dataset +harvest_source_id:"{self.source["id"]}"',
            rows=1000,
        )["results"]


def deep(value: Any) -> Any:
    return copy.deepcopy(value)


def run_stages(harvest: CatalogueHarvest, harvester: Any) -> dict:
    """One job run in this process (gather, then fetch and import of each object through
    ckanext-harvest's own fetch_and_import_stages); its harvest_job_report."""
    from ckan import model
    from ckan.lib import search
    from ckanext.harvest.model import HarvestJob, HarvestObject
    from ckanext.harvest.queue import fetch_and_import_stages

    job = call_action(
        "harvest_job_create", context=dict(harvest.context), source_id=harvest.source["id"]
    )
    job_object = model.Session.get(HarvestJob, job["id"])
    job_object.status = "Running"
    job_object.save()
    for object_id in harvester.gather_stage(job_object) or []:
        fetch_and_import_stages(harvester, model.Session.get(HarvestObject, object_id))
    job_object = model.Session.get(HarvestJob, job["id"])
    job_object.status = "Finished"
    job_object.save()
    search.commit()  # what the job's end does in the consumers
    report = call_action("harvest_job_report", context=dict(harvest.context), id=job["id"])
    harvest.quality_summary = report.get("quality_summary")
    return {
        "gather_errors": [e["message"] for e in report["gather_errors"]],
        "object_errors": object_messages(report),
    }
