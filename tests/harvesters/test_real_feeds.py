"""Each catalogue harvester on a real public feed (tests/fixtures/real/), with the default
source configuration: at least 99 % of the records are imported, and their defects are
flags (quality_issues) with the fix, summed up in the job report. Stages run in-process."""

from __future__ import annotations

import json

import pytest
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.arcgis_hub.harvester import ArcGisHubHarvester
from ckanext.smartregion.harvesters.catalogue_mapping import CC0, forget_organizations
from ckanext.smartregion.harvesters.ckan_portal.harvester import CkanPortalHarvester
from ckanext.smartregion.harvesters.dcat_ap_cz.harvester import DcatApCzHarvester
from ckanext.smartregion.harvesters.oaipmh_lido.harvester import OaiPmhLidoHarvester
from tests.harvesters import real_feeds
from tests.harvesters.catalogue_server import (
    CatalogueHarvest,
    CatalogueServer,
    data_json,
    run_stages,
)
from tests.harvesters.oai_server import OaiRepository, OaiServer

REPEATED = ("3449", "8726", "f.n.")  # inventory numbers the export repeats in an institution

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]


@pytest.fixture
def server():
    with CatalogueServer() as running:
        yield running


def _issues(dataset: dict) -> set[str]:
    return {issue["field"] for issue in dataset.get("quality_issues") or []}


def test_the_real_lkod_is_imported_with_its_defects_flagged(server, loopback_allowed):
    documents = real_feeds.lkod_documents()
    records = {
        name: json.loads(body) for name, body in documents.items() if name != "katalog.jsonld"
    }
    without_description = [n for n, r in records.items() if not r.get("popis", {}).get("cs")]
    op_datpro_only = [
        n for n, r in records.items() if [t.rsplit("/", 1)[-1] for t in r["téma"]] == ["OP_DATPRO"]
    ]
    # whole records: those without a description, the first ones with only OP_DATPRO, then
    # the first records in name order up to 24
    chosen = list(dict.fromkeys([*without_description, *op_datpro_only[:10], *sorted(records)]))
    chosen = sorted(chosen[:24])
    url, _iris = real_feeds.serve_lkod(server, chosen)
    forget_organizations()
    harvest = CatalogueHarvest("dcat_ap_cz", url)

    report = run_stages(harvest, DcatApCzHarvester())

    datasets = {d["url"].rsplit("/", 1)[-1]: d for d in harvest.datasets()}
    assert report["gather_errors"] == []
    assert len(datasets) / len(chosen) >= 0.99, report["object_errors"][:3]
    for name in without_description:
        assert "notes" in _issues(datasets[name])
        assert any(i["blocks_catalogue"] for i in datasets[name]["quality_issues"])
    for name in op_datpro_only[:10]:
        assert datasets[name]["themes"] == ["OP_DATPRO"]
        assert "themes" not in _issues(datasets[name])  # the publisher's own EU theme
    empty_keywords = [n for n in chosen if records[n].get("klíčové_slovo") == {"cs": [""]}]
    assert empty_keywords
    assert all("tag_string" in _issues(datasets[n]) for n in empty_keywords)
    summary = harvest.quality_summary
    assert summary["imported"] == len(datasets)
    assert f"{len(without_description)} without a description" in summary["line"]


def test_the_real_arcgis_hub_data_json_is_imported_with_its_defects_flagged(
    server, loopback_allowed
):
    entries = real_feeds.hub_sample(real_feeds.hub_entries(), every=40)
    url = server.put("/data.json", data_json(entries), "application/json")
    harvest = CatalogueHarvest("arcgis_hub", url)

    report = run_stages(harvest, ArcGisHubHarvester())

    datasets = {_record(d): d for d in harvest.datasets()}
    assert report["gather_errors"] == []
    assert len(datasets) / len(entries) >= 0.99, report["object_errors"][:3]
    by_licence: dict[str, list[dict]] = {}
    for entry in entries:
        by_licence.setdefault(str(entry.get("license")), []).append(datasets[entry["identifier"]])
    for dataset in by_licence["{{licenseInfo}}"] + by_licence[""]:
        assert "terms_of_use" in _issues(dataset)
        assert not dataset["resources"][0].get("terms_author_work")
    for dataset in by_licence["<p>CC0</p>"] + by_licence["CC0"]:
        assert "terms_of_use" not in _issues(dataset)
        assert dataset["resources"][0]["terms_database_sui_generis"] == CC0
    for dataset in by_licence["CC BY 4.0"]:
        assert dataset["resources"][0]["terms_author"] in ("Královéhradecký kraj", "Zdroj sklizně")
    placeholder = next(e for e in entries if e.get("description") == "{{description}}")
    flagged = datasets[placeholder["identifier"]]
    assert not flagged.get("notes") and "notes" in _issues(flagged)
    assert "contact_email" in _issues(flagged)  # "{{orgContactEmail}}"
    assert "{{" not in json.dumps(flagged)
    line = harvest.quality_summary["line"]
    assert line.startswith(f"{len(datasets)} imported, ")
    assert "without a description" in line and "without terms of use" in line


def _record(dataset: dict) -> str:
    shown = call_action("package_show", id=dataset["id"])
    extras = {e["key"]: e["value"] for e in shown.get("extras") or []}
    return extras.get("harvest_source_record") or shown.get("harvest_source_record") or ""


def test_the_real_museum_lido_export_is_imported_with_repeated_numbers_flagged(
    loopback_allowed,
):
    records = real_feeds.lido_records()
    repeated = [
        n for n, r in enumerate(records) if any(f">{x}</lido:workID>" in r for x in REPEATED)
    ]
    chosen = sorted({*repeated, *range(40)})
    repository = OaiRepository(page_size=100)
    for number in chosen:
        repository.put(f"oai:inp:{number}", records[number], datestamp="2014-02-02T00:00:00Z")
    with OaiServer(repository) as server:
        harvest = CatalogueHarvest("oaipmh_lido", server.url)
        report = run_stages(harvest, OaiPmhLidoHarvester())

    datasets = call_action(
        "package_search", fq="+dataset_type:collection-object", include_private=True, rows=1000
    )["results"]
    assert report["gather_errors"] == []
    assert len(datasets) / len(chosen) >= 0.99, report["object_errors"][:3]
    by_number: dict[tuple[str, str], list[dict]] = {}
    for dataset in datasets:
        by_number.setdefault((dataset["owner_org"], dataset["inventory_number"]), []).append(
            dataset
        )
    repeated_in_one = [group for group in by_number.values() if len(group) > 1]
    assert len(repeated_in_one) >= 2  # 3449 and 8726 twice in one institution (and others)
    for group in repeated_in_one:
        for dataset in group:
            shown = call_action("package_show", id=dataset["id"])
            assert ("inventory_number", "duplicate") in {
                (i["field"], i["kind"]) for i in shown.get("quality_issues") or []
            }
    assert "f.n." not in {number for _org, number in by_number}  # the lidoRecID stands in
    stand_ins = [
        d for d in datasets if "'f.n.' says there is none" in json.dumps(d, ensure_ascii=False)
    ]
    assert len(stand_ins) == 3  # the three objects numbered f.n.
    summary = harvest.quality_summary  # LIDO jobs count their issues too
    assert summary["imported"] == len(datasets)
    assert "with a missing or repeated inventory number" in summary["line"]


def test_the_real_ckan_portal_is_imported_with_its_defects_flagged(server, loopback_allowed):
    answers = real_feeds.ckan_answers()
    if answers is None:
        pytest.skip(f"no snapshot of github:BCDigSchol/data-rescue at {real_feeds.CKAN_SNAPSHOT}")
    # whole packages of catalog.data.gov: NEH's 14 and the first 40 of IMLS's 78
    packages = real_feeds.ckan_packages(answers)[-14:] + real_feeds.ckan_packages(answers)[:40]
    server.ckan_packages = packages
    forget_organizations()
    harvest = CatalogueHarvest("ckan_portal", server.url + "/ckan")

    report = run_stages(harvest, CkanPortalHarvester())

    datasets = {d["url"].rsplit("/", 1)[-1]: d for d in harvest.datasets()}
    assert report["gather_errors"] == []
    assert len(datasets) / len(packages) >= 0.99, report["object_errors"][:3]
    # "License not specified" / "Other License Specified": no terms of use, out of NKOD
    assert {p["license_id"] for p in packages} == {"notspecified", "other-license-specified"}
    for dataset in datasets.values():
        assert "terms_of_use" in _issues(dataset)
        assert any(i["blocks_catalogue"] for i in dataset["quality_issues"])
    assert harvest.quality_summary["issues"] == {"terms_of_use": len(datasets)}
    assert harvest.quality_summary["line"] == (
        f"{len(datasets)} imported, {len(datasets)} without terms of use"
    )
    # HTML descriptions read as text; the duplicate and non-text extras refuse nothing
    with_html = [p for p in packages if "<br>" in (p["notes"] or "")]
    assert with_html
    for package in with_html:
        notes = datasets[package["name"]]["notes"]
        assert "<" not in notes and notes.split()[0] in package["notes"]
    neh = datasets["neh-grant-data-2010-2019"]
    assert neh["contact_email"] == "plosin@neh.gov"
    assert neh["title"] == "NEH grant data, 2010-2019"
