"""The DCAT-AP-CZ (LKOD) harvester against a real local catalogue server: records built from
the specification's examples (JSON-LD and Turtle), the real consumers for the end-to-end run,
the stages called directly for the fault cases."""

from __future__ import annotations

import json

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.catalogue_mapping import forget_organizations
from ckanext.smartregion.harvesters.dcat_ap_cz.harvester import DcatApCzHarvester
from tests.harvesters.catalogue_server import (
    CatalogueHarvest,
    CatalogueServer,
    Lkod,
    dataset_jsonld,
    run_stages,
)

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture
def server():
    with CatalogueServer() as running:
        yield running


def _titles(harvest: CatalogueHarvest) -> list[str]:
    return sorted(d["title"] for d in harvest.datasets())


def test_a_catalogue_is_harvested_end_to_end_and_a_rerun_adds_nothing(
    server, loopback_allowed, harvest_consumers
):
    lkod = Lkod(server, kind="jsonld")
    lkod.publish(range(1, 5))
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)

    first = harvest.run()

    assert first["gather_errors"] == [] and first["object_errors"] == []
    assert first["stats"]["added"] == 4
    datasets = {d["title"]: d for d in harvest.datasets()}
    assert sorted(datasets) == [f"Datová sada č. {n}" for n in range(1, 5)]
    turtle = call_action("package_show", id=datasets["Datová sada č. 2"]["id"])
    assert turtle["themes"] == ["TRAN"]
    assert turtle["eurovoc_concepts"] == ["http://eurovoc.europa.eu/4512"]
    assert turtle["frequency"] == "WEEKLY"  # WEEKLY_3 has no code of its own in the schema
    assert turtle["ruian"] == ["https://linked.cuzk.cz/resource/ruian/stat/1"]
    assert turtle["temporal_start"].startswith("2009-01-01")
    assert turtle["contact_email"] == "sekretariat.190@mdcr.cz"
    assert turtle["url"] == lkod.iri(2)
    assert turtle["owner_org"] == harvest.organization["id"]
    assert "jízdní řády" in [t["name"] for t in turtle["tags"]]
    csv = next(r for r in turtle["resources"] if r["url"].endswith("JDF.zip"))
    assert csv["terms_author_work"] == CC_BY
    assert csv["terms_author"] == "Ministerstvo dopravy, Odbor veřejné dopravy"
    assert csv["format"] == "ZIP"
    sparql = next(r for r in turtle["resources"] if r["url"].endswith("sparql"))
    assert "sparql11-protocol" in sparql["access_services"]

    second = harvest.run()

    assert second["stats"].get("not modified") == 4
    assert second["stats"].get("added", 0) == 0
    assert len(harvest.datasets()) == 4


def test_a_turtle_catalogue_updates_a_changed_record_only(server, loopback_allowed):
    lkod = Lkod(server, kind="turtle")
    lkod.publish(range(1, 4))
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)
    harvester = DcatApCzHarvester()
    run_stages(harvest, harvester)
    lkod.put_record(2, title="Datová sada č. 2 – opravená")

    report = run_stages(harvest, harvester)

    assert report["object_errors"] == []
    assert _titles(harvest) == [
        "Datová sada č. 1",
        "Datová sada č. 2 – opravená",
        "Datová sada č. 3",
    ]


def test_a_shrinking_catalogue_withdraws_nothing_until_it_passes_the_threshold(
    server, loopback_allowed
):
    lkod = Lkod(server)
    lkod.publish(range(1, 5))
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)
    harvester = DcatApCzHarvester()
    run_stages(harvest, harvester)

    lkod.list([1])
    shrunk = run_stages(harvest, harvester)

    assert len(shrunk["gather_errors"]) == 1
    assert "NOT withdrawn" in shrunk["gather_errors"][0]
    assert len(harvest.datasets()) == 4

    lkod.list([1, 2, 3])
    removed = run_stages(harvest, harvester)

    assert removed["gather_errors"] == []
    assert _titles(harvest) == [f"Datová sada č. {n}" for n in (1, 2, 3)]
    lkod.list([1, 2, 3, 4])
    back = run_stages(harvest, harvester)
    assert back == {"gather_errors": [], "object_errors": []}
    assert len(harvest.datasets()) == 4  # the record came back: the same dataset, active again


def test_an_empty_catalogue_withdraws_nothing(server, loopback_allowed):
    lkod = Lkod(server, kind="turtle")
    lkod.publish(range(1, 3))
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)
    harvester = DcatApCzHarvester()
    run_stages(harvest, harvester)
    lkod.list([])

    report = run_stages(harvest, harvester)

    assert "fewer than 50%" in report["gather_errors"][0]
    assert len(harvest.datasets()) == 2


def test_server_errors_are_retried(server, loopback_allowed):
    lkod = Lkod(server)
    lkod.publish([1])
    server.fail["/lkod/katalog"] = 2
    server.fail["/lkod/datové-sady/1"] = 1
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)

    report = run_stages(harvest, DcatApCzHarvester())

    assert report == {"gather_errors": [], "object_errors": []}
    assert server.requests.count("/lkod/katalog") == 3
    assert _titles(harvest) == ["Datová sada č. 1"]


def test_malformed_documents_are_reported_and_earlier_data_stays(server, loopback_allowed):
    lkod = Lkod(server, kind="turtle")
    lkod.publish(range(1, 4))
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)
    harvester = DcatApCzHarvester()
    run_stages(harvest, harvester)
    lkod.put_record(2, body="<broken> a dcat:Dataset ; this is not turtle")
    lkod.put_record(3, title="Datová sada č. 3 – nová")

    report = run_stages(harvest, harvester)

    assert len(report["object_errors"]) == 1
    assert lkod.iri(2) in report["object_errors"][0]
    assert "Not valid turtle" in report["object_errors"][0]
    assert _titles(harvest) == [
        "Datová sada č. 1",
        "Datová sada č. 2",
        "Datová sada č. 3 – nová",
    ]

    server.put("/lkod/katalog", '{"@context": "x", "iri": ', "application/ld+json")
    broken = run_stages(harvest, harvester)

    assert "is not DCAT-AP-CZ" in broken["gather_errors"][0]
    assert len(harvest.datasets()) == 3


def test_rdf_xml_with_an_external_entity_is_refused(server, loopback_allowed, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TAJNÉ-HESLO")
    lkod = Lkod(server)
    lkod.publish([1])
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">'
        f'<dcat:Dataset rdf:about="{lkod.iri(1)}"><dct:title xml:lang="cs">&xxe;</dct:title>'
        "</dcat:Dataset></rdf:RDF>"
    )
    lkod.put_record(1, body=xxe)
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)

    report = run_stages(harvest, DcatApCzHarvester())

    assert "RDF/XML refused" in report["object_errors"][0]
    assert "entities" in report["object_errors"][0]
    assert harvest.datasets() == []


def test_an_oversized_record_is_refused(server, loopback_allowed, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.max_response_bytes", 9000)
    lkod = Lkod(server, kind="turtle")
    lkod.publish([1, 3])
    lkod.put_record(3, body="# padding\n" + "# " + "x" * 20_000 + "\n")
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)

    report = run_stages(harvest, DcatApCzHarvester())

    assert len(report["object_errors"]) == 1
    assert "over the 9000-byte limit" in report["object_errors"][0]
    assert "datov%C3%A9-sady/3" in report["object_errors"][0]
    assert _titles(harvest) == ["Datová sada č. 1"]


def test_a_private_address_is_refused_unless_allow_listed(server, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.allowed_hosts", [])
    lkod = Lkod(server)
    lkod.publish([1])
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)

    report = run_stages(harvest, DcatApCzHarvester())

    assert "ckanext.smartregion.harvest.allowed_hosts" in report["gather_errors"][0]
    assert server.requests == []


def test_a_record_without_a_theme_takes_one_from_its_keywords_or_op_datpro_flagged(
    server, loopback_allowed
):
    lkod = Lkod(server)
    lkod.publish([1, 3, 5])
    body = dataset_jsonld(lkod.iri(3), "Bez tématu", themes=[])
    server.put("/lkod/datové-sady/3", body, "application/ld+json")
    record = json.loads(dataset_jsonld(lkod.iri(5), "Bez tématu a slov", themes=[]))
    record["klíčové_slovo"] = {"cs": ["ortofoto"]}
    server.put("/lkod/datové-sady/5", json.dumps(record), "application/ld+json")
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)
    harvester = DcatApCzHarvester()

    report = run_stages(harvest, harvester)

    assert report["object_errors"] == []
    datasets = {d["title"]: d for d in harvest.datasets()}
    assert "TRAN" in datasets["Bez tématu"]["themes"]  # its keywords name transport
    assert "themes" not in {i["field"] for i in datasets["Bez tématu"].get("quality_issues", [])}
    assert datasets["Bez tématu a slov"]["themes"] == ["OP_DATPRO"]
    assert [i["field"] for i in datasets["Bez tématu a slov"]["quality_issues"]] == ["themes"]


def test_the_publisher_becomes_the_organization_with_its_ico(server, loopback_allowed):
    ministry = factories.Organization(name="ministerstvo-dopravy", ico="66003008")
    forget_organizations()
    lkod = Lkod(server)
    lkod.publish([1])
    harvest = CatalogueHarvest("dcat_ap_cz", lkod.catalogue_url)

    run_stages(harvest, DcatApCzHarvester())

    [dataset] = harvest.datasets()
    assert dataset["owner_org"] == ministry["id"]


def test_source_configuration_errors_name_the_key():
    harvester = DcatApCzHarvester()
    with pytest.raises(ValueError, match="withdraw_threshold"):
        harvester.validate_config('{"withdraw_threshold": 2}')
    with pytest.raises(ValueError, match="Unknown key"):
        harvester.validate_config('{"treshold": 0.5}')
    with pytest.raises(ValueError, match="default_themes"):
        harvester.validate_config('{"default_themes": ["DOPRAVA"]}')
