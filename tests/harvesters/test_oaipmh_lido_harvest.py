"""The OAI-PMH/LIDO harvester end to end: a real OAI-PMH server on 127.0.0.1, the real gather
and fetch consumers on Redis, datasets in PostgreSQL and Solr."""

from __future__ import annotations

import logging

import pytest
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters import job_summary
from tests.harvesters.oai_server import lido_record

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

OLD = "2020-01-01T00:00:00Z"


def _fill(repository, count: int, start: int = 1) -> None:
    for number in range(start, start + count):
        repository.put(f"oai:sbirky:{number}", lido_record(number), datestamp=OLD)


def _inventory_numbers(datasets: list[dict]) -> list[str]:
    return sorted(d["inventory_number"] for d in datasets)


def test_pages_are_followed_and_a_rerun_duplicates_nothing(oai_repository, harvest):
    repository, _url = oai_repository
    _fill(repository, 10)  # 3 pages of 4
    source = harvest()

    first = source.run()
    datasets = source.datasets()

    assert first["gather_errors"] == []
    assert first["stats"]["added"] == 10
    assert _inventory_numbers(datasets) == [f"S-{n:06d}" for n in range(1, 11)]
    tokens = [q for q in repository.requests if "resumptionToken" in q]
    assert len(tokens) == 2
    museum = call_action("organization_show", id=datasets[0]["owner_org"])
    assert museum["title"] == "Severočeské muzeum v Liberci"
    assert museum["kind"] == "museum"

    source.reconfigure({"incremental": False})
    second = source.run()

    assert second["stats"].get("not modified") == 10
    assert second["stats"].get("added", 0) == 0
    assert len(source.datasets()) == 10


def test_new_datasets_are_searchable_by_their_harvest_source(oai_repository, harvest):
    """Imports index each new dataset once it is linked to its harvest object (without a
    Solr commit per record), so the source's dataset list finds them."""
    repository, _url = oai_repository
    _fill(repository, 5)
    source = harvest()

    source.run()

    found = source.datasets(fq=f'+harvest_source_id:"{source.source["id"]}"')
    assert _inventory_numbers(found) == [f"S-{n:06d}" for n in range(1, 6)]


def test_an_incremental_harvest_asks_from_the_last_successful_job(oai_repository, harvest):
    repository, _url = oai_repository
    _fill(repository, 3)
    source = harvest()
    first = source.run()
    repository.put("oai:sbirky:2", lido_record(2, title="Sklenice č. 2 – opraveno"))
    repository.put("oai:sbirky:4", lido_record(4))

    second = source.run()

    froms = [q.get("from") for q in repository.requests if q.get("verb") == "ListRecords"]
    assert froms[0] is None
    assert froms[-1] is not None and froms[-1] >= first["gather_started"][:10]
    assert second["stats"].get("added") == 1
    assert second["stats"].get("updated") == 1
    titles = {d["inventory_number"]: d["title"] for d in source.datasets()}
    assert titles["S-000002"] == "Sklenice č. 2 – opraveno"
    assert len(titles) == 4


def test_a_deleted_record_withdraws_its_dataset(oai_repository, harvest):
    repository, _url = oai_repository
    _fill(repository, 3)
    source = harvest()
    source.run()
    repository.delete("oai:sbirky:3")

    job = source.run()

    assert job["stats"].get("deleted") == 1
    assert _inventory_numbers(source.datasets()) == ["S-000001", "S-000002"]


def test_nothing_changed_is_not_an_error(oai_repository, harvest):
    repository, _url = oai_repository
    _fill(repository, 2)
    source = harvest()
    source.run()

    job = source.run()  # incremental: the server answers noRecordsMatch

    assert job["gather_errors"] == []
    assert len(source.datasets()) == 2


def test_a_malformed_page_keeps_earlier_data_and_the_job_finishes(oai_repository, harvest):
    repository, _url = oai_repository
    _fill(repository, 10)
    source = harvest({"incremental": False})
    source.run()
    repository.put(
        "oai:sbirky:1",
        lido_record(1, title="Sklenice č. 1 – nový název"),
        datestamp=OLD,
    )
    repository.faults.page_bodies[2] = (
        b"<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><ListRecords><record>"
    )

    job = source.run()

    assert job["status"] == "Finished"
    assert len(job["gather_errors"]) == 1
    assert "ListRecords page 2" in job["gather_errors"][0]
    assert "not well-formed" in job["gather_errors"][0].lower()
    datasets = {d["inventory_number"]: d for d in source.datasets()}
    assert len(datasets) == 10  # nothing withdrawn though pages 2 and 3 were not read
    assert datasets["S-000001"]["title"] == "Sklenice č. 1 – nový název"


def test_an_xxe_payload_is_refused_and_nothing_is_read_from_disk(oai_repository, harvest, tmp_path):
    repository, _url = oai_repository
    secret = tmp_path / "secret.txt"
    secret.write_text("TAJNÉ-HESLO")
    repository.faults.page_bodies[1] = (
        '<?xml version="1.0"?><!DOCTYPE OAI-PMH [<!ENTITY xxe SYSTEM "file://'
        f'{secret}">]><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
        "<record><header><identifier>oai:x:1</identifier><datestamp>2020-01-01</datestamp></header>"
        f"<metadata>{lido_record(1, title='&xxe;')}</metadata></record></ListRecords></OAI-PMH>"
    ).encode()
    source = harvest()

    job = source.run()

    assert job["status"] == "Finished"
    assert any("declares entities" in message for message in job["gather_errors"])
    assert source.datasets() == []
    assert "TAJNÉ-HESLO" not in str(job)


def test_http_503_is_retried(oai_repository, harvest):
    repository, _url = oai_repository
    _fill(repository, 2)
    repository.faults.http_errors = [503, 503]
    source = harvest()

    job = source.run()

    assert job["gather_errors"] == []
    assert len(source.datasets()) == 2


def test_http_errors_beyond_the_retries_end_the_job_with_a_clear_error(oai_repository, harvest):
    repository, _url = oai_repository
    _fill(repository, 2)
    repository.faults.http_errors = [503] * 10
    source = harvest()

    job = source.run()

    assert job["status"] == "Finished"
    assert "HTTP 503" in job["gather_errors"][0]
    assert "gave up after 4 attempts" in job["gather_errors"][0]


def test_a_shrinking_source_does_not_withdraw_the_rest(oai_repository, harvest):
    repository, _url = oai_repository
    _fill(repository, 10)
    source = harvest({"incremental": False})
    source.run()
    for number in range(3, 11):
        repository.remove(f"oai:sbirky:{number}")

    job = source.run()

    assert job["stats"].get("deleted", 0) == 0
    assert any("NOT withdrawn" in message for message in job["gather_errors"])
    assert len(source.datasets()) == 10


def test_a_record_gone_from_a_full_harvest_is_withdrawn_above_the_threshold(
    oai_repository, harvest
):
    repository, _url = oai_repository
    _fill(repository, 10)
    source = harvest({"incremental": False})
    source.run()
    repository.remove("oai:sbirky:10")

    job = source.run()

    assert job["stats"].get("deleted") == 1
    assert len(source.datasets()) == 9


def test_a_record_without_an_inventory_number_is_imported_and_flagged(
    oai_repository, harvest, caplog, monkeypatch
):
    repository, _url = oai_repository
    _fill(repository, 3)
    repository.put("oai:sbirky:bez-cisla", lido_record(99, inventory=""), datestamp=OLD)
    source = harvest()

    # CKAN's logging configuration disables the loggers made before it was read
    monkeypatch.setattr(job_summary.log, "disabled", False)
    with caplog.at_level(logging.INFO, logger=job_summary.log.name):
        job = source.run()

    assert job["stats"].get("added") == 4
    assert not job["stats"].get("errored")
    [flagged] = source.datasets(q='inventory_number:"SMLK-99"')
    assert [i["field"] for i in flagged["quality_issues"]] == ["inventory_number"]
    # the job's summary, one log line once it is finished (harvesters/job_summary.py)
    lines = [
        r.getMessage() for r in caplog.records if f"Harvest job {job['id']} " in r.getMessage()
    ]
    assert len(lines) == 1
    assert lines[0].endswith("finished: 4 imported, 1 with a missing or repeated inventory number")


def test_the_source_configuration_is_validated_with_clear_messages(oai_repository, harvest):
    source = harvest()

    with pytest.raises(Exception, match=r"limits\.withdraw_threshold"):
        source.reconfigure({"limits": {"withdraw_threshold": 5}})
    with pytest.raises(Exception, match="Unknown key"):
        source.reconfigure({"metadataPrefix": "lido"})
