"""Bulk downloads: rebuilt by a real background job when an indicator changes, served as
files, public indicators only."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.indicators import bulk
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore", "clean_queues", "with_test_worker")


@pytest.fixture
def bulk_directory(tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.bulk.directory", str(tmp_path))
    return tmp_path


def _run_jobs(cli) -> None:
    result = cli.invoke(ckan_command, ["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output


def _upload(indicator, rows):
    factories.upload_values(indicator, rows)


def test_a_change_queues_a_rebuild_that_the_worker_runs(cli, bulk_directory, app):
    public = factories.Indicator(indicator_code="2.1-01", title="Veřejný")
    organization = ckan_factories.Organization()
    hidden = factories.Indicator(
        indicator_code="2.1-02", title="Neveřejný", private=True, owner_org=organization["id"]
    )
    _upload(
        public,
        [{"period": "2023", "value": 10}, {"period": "2024", "value": 12, "okres": "Semily"}],
    )
    _upload(hidden, [{"period": "2024", "value": 99}])

    queued = [job["title"] for job in call_action("job_list")]
    assert bulk.JOB_TITLE in queued
    _run_jobs(cli)

    rows = list(
        csv.DictReader(io.StringIO((bulk_directory / "ukazatele.csv").read_text("utf-8-sig")))
    )
    document = json.loads((bulk_directory / "ukazatele.json").read_text("utf-8"))
    archive = zipfile.ZipFile(bulk_directory / "ukazatele-csv.zip")

    assert [(r["indicator_code"], r["period"], r["category"]) for r in rows] == [
        ("2.1-01", "2023", ""),
        ("2.1-01", "2024", "Semily"),
    ]
    assert [i["indicator_code"] for i in document["indicators"]] == ["2.1-01"]
    assert archive.namelist() == ["ukazatel-2.1-01.csv"]
    response = app.get("/ukazatele/vse.csv")
    assert (
        response.status_code == 200
        and "Veřejný" in response.body
        and "Neveřejný" not in response.body
    )


def test_a_missing_file_is_prepared_on_demand(app, bulk_directory):
    response = app.get("/ukazatele/vse.json")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert bulk.JOB_TITLE in [job["title"] for job in call_action("job_list")]
