"""The stack is real: Solr answers searches, the DataStore stores and queries rows, and a
harvest job travels gather → fetch → import through Redis with real consumer processes."""

from __future__ import annotations

import json
import time

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.terms_of_use import OPEN_TERMS
from tests import factories as portal_factories

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_status_show_lists_the_portal_plugins(app):
    response = app.get("/api/3/action/status_show")

    assert response.status_code == 200
    extensions = response.json["result"]["extensions"]
    for plugin in ("smartregion", "harvest", "datastore", "smartregion_probe_harvester"):
        assert plugin in extensions


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_created_dataset_is_found_by_solr_search():
    portal_factories.Dataset(
        name="mereni-spotreby-energie", title="Měření spotřeby energie v budovách kraje"
    )

    by_word = call_action("package_search", q="spotřeby")
    by_name = call_action("package_search", fq="name:mereni-spotreby-energie")

    assert by_word["count"] == 1
    assert by_word["results"][0]["title"] == "Měření spotřeby energie v budovách kraje"
    assert by_name["count"] == 1


@pytest.mark.usefixtures("clean_datastore")
def test_datastore_stores_and_queries_rows():
    sysadmin = factories.Sysadmin()
    dataset = portal_factories.Dataset()
    resource = factories.Resource(package_id=dataset["id"], **OPEN_TERMS)
    call_action(
        "datastore_create",
        context={"user": sysadmin["name"]},
        resource_id=resource["id"],
        force=True,
        fields=[{"id": "okres", "type": "text"}, {"id": "hodnota", "type": "numeric"}],
        records=[
            {"okres": "Liberec", "hodnota": 12.5},
            {"okres": "Jablonec nad Nisou", "hodnota": 7},
            {"okres": "Česká Lípa", "hodnota": 3},
        ],
    )

    filtered = call_action(
        "datastore_search", resource_id=resource["id"], filters={"okres": "Česká Lípa"}
    )
    summed = call_action(
        "datastore_search_sql",
        sql=f'SELECT sum(hodnota) AS total FROM "{resource["id"]}"',
    )

    assert [row["hodnota"] for row in filtered["records"]] == [3]
    assert float(summed["records"][0]["total"]) == 22.5


def _wait_for(predicate, timeout: float, what: str, logs: dict) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    tails = "\n".join(f"--- {name}:\n{path.read_text()[-3000:]}" for name, path in logs.items())
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{tails}")


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_harvest_job_runs_through_the_redis_queues(harvest_consumers):
    sysadmin = factories.Sysadmin()
    organization = factories.Organization()
    context = {"user": sysadmin["name"], "ignore_auth": False}
    source = call_action(
        "harvest_source_create",
        context=context,
        name="probe-source",
        title="Probe source",
        url="https://probe.example.org/",
        source_type="smartregion_probe",
        config=json.dumps({"count": 3}),
        owner_org=organization["id"],
    )

    job = call_action("harvest_job_create", context=context, source_id=source["id"])

    def datasets_found() -> int:
        return call_action(
            "package_search", context=context, q="title:Probe", include_private=True
        )["count"]

    _wait_for(lambda: datasets_found() == 3, 60, "3 harvested datasets in Solr", harvest_consumers)

    def job_finished() -> bool:
        call_action("harvest_jobs_run", context=context)
        return call_action("harvest_job_show", context=context, id=job["id"])["status"] == (
            "Finished"
        )

    _wait_for(job_finished, 30, "the job to be marked Finished", harvest_consumers)
    report = call_action("harvest_job_show", context=context, id=job["id"])
    assert report["stats"]["added"] == 3
    assert report["stats"]["errored"] == 0

    # The scheduler re-sends objects it believes lost; a copy arriving after the job finished
    # must leave the finished object COMPLETE (ckanext-harvest alone would set it to ERROR).
    from ckanext.harvest.model import HarvestObject
    from ckanext.harvest.queue import get_fetch_publisher

    finished = model.Session.query(HarvestObject).filter_by(harvest_job_id=job["id"]).first()
    publisher = get_fetch_publisher()
    publisher.send({"harvest_object_id": finished.id})
    publisher.close()
    fetch_log = harvest_consumers["fetch"]
    outcomes = ("repeated queue message ignored", "was aborted or timed out")
    _wait_for(
        lambda: any(outcome in fetch_log.read_text() for outcome in outcomes),
        30,
        "the fetch consumer to take the repeated message",
        harvest_consumers,
    )
    model.Session.expire_all()
    assert model.Session.get(HarvestObject, finished.id).state == "COMPLETE"
    report = call_action("harvest_job_show", context=context, id=job["id"])
    assert report["stats"]["errored"] == 0
    assert (
        tk.get_action("harvest_source_show")(context, {"id": source["id"]})["status"]["job_count"]
        == 1
    )
