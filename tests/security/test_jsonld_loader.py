"""The DCAT-AP-CZ JSON-LD reader fetches no context at any depth: ``@import`` and scoped term
contexts inside a dict ``@context`` (file: and http: URLs) are refused as a record or feed
error naming the context, and the server or file they name is never read."""

from __future__ import annotations

import json

import pytest
from ckan.plugins import toolkit as tk

from ckanext.smartregion.harvesters.dcat_ap_cz import rdf
from ckanext.smartregion.harvesters.dcat_ap_cz.harvester import DcatApCzHarvester
from tests.harvesters.catalogue_server import CatalogueHarvest, CatalogueServer, Lkod, run_stages
from tests.security.recording_server import RecordingServer

IRI = "https://lkod.example.cz/datové-sady/1"
DCAT = "http://www.w3.org/ns/dcat#"
# A context that maps the record's terms: a reader that fetched it would read the record.
REMOTE_CONTEXT = {
    "@context": {
        "dcat": DCAT,
        "Dataset": f"{DCAT}Dataset",
        "title": "http://purl.org/dc/terms/title",
        "id": "@id",
        "type": "@type",
    }
}


def _record(context: object) -> bytes:
    return json.dumps(
        {"@context": context, "id": IRI, "type": "Dataset", "title": "Tajná sada"}
    ).encode()


@pytest.fixture
def context_server():
    with RecordingServer() as server:
        server.route("/ctx", body=json.dumps(REMOTE_CONTEXT).encode())
        yield server


def test_an_import_of_a_local_file_is_not_read(tmp_path):
    secret = tmp_path / "context.jsonld"
    secret.write_text(json.dumps(REMOTE_CONTEXT))

    for url in ("file:///etc/passwd", secret.as_uri()):
        with pytest.raises(rdf.DocumentError, match=f"context '{url}' is not fetched"):
            rdf.dataset_record(_record({"@import": url}), IRI)


def test_an_import_from_a_server_is_not_fetched(context_server):
    url = context_server.url + "/ctx"

    with pytest.raises(rdf.DocumentError, match="is not fetched"):
        rdf.dataset_record(_record({"@import": url, "@version": 1.1}), IRI)
    assert context_server.hits == []


def test_a_scoped_term_context_is_not_fetched(context_server):
    url = context_server.url + "/ctx"
    context = {
        "@version": 1.1,
        "dcat": DCAT,
        "id": "@id",
        "type": "@type",
        "Dataset": f"{DCAT}Dataset",
        "title": "http://purl.org/dc/terms/title",
        "distribution": {"@id": f"{DCAT}distribution", "@context": url},
    }
    record = {"@context": context, "id": IRI, "type": "Dataset", "title": "Sada"}
    record["distribution"] = {"id": IRI + "/csv", "title": "CSV"}

    with pytest.raises(rdf.DocumentError, match="is not fetched"):
        rdf.dataset_record(json.dumps(record).encode(), IRI)
    assert context_server.hits == []


def test_a_context_of_a_nested_node_is_not_fetched(context_server):
    url = context_server.url + "/ctx"
    record = json.loads(_record({"id": "@id", "type": "@type"}))
    record["@context"]["distribution"] = f"{DCAT}distribution"
    record["distribution"] = {"@context": {"@import": url}, "id": IRI + "/csv", "title": "CSV"}

    with pytest.raises(rdf.DocumentError, match="is not fetched"):
        rdf.dataset_record(json.dumps(record).encode(), IRI)
    assert context_server.hits == []


@pytest.mark.stack
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_harvester_reports_a_feed_and_a_record_error(context_server, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.allowed_hosts", ["127.0.0.1"])
    url = context_server.url + "/ctx"
    with CatalogueServer() as server:
        lkod = Lkod(server)
        lkod.publish([1, 2])
        lkod.put_record(2, body=_record({"@import": url}).decode())
        harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)

        report = run_stages(harvest, DcatApCzHarvester())

        assert len(report["object_errors"]) == 1
        assert "is not fetched" in report["object_errors"][0]
        assert [d["title"] for d in harvest.datasets()] == ["Datová sada č. 1"]

        catalogue = json.loads(server.documents["/lkod/katalog"][1])
        catalogue["@context"] = [catalogue["@context"], {"@import": url}]
        server.put("/lkod/katalog", json.dumps(catalogue), "application/ld+json")

        broken = run_stages(harvest, DcatApCzHarvester())

        assert f"context '{url}' is not fetched" in broken["gather_errors"][0]
    assert context_server.hits == []
