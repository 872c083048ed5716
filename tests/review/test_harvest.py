"""Harvested datasets in scope start pending: a real harvest job through the real gather and
fetch consumers (separate processes, their own ini with the review scope)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.review import policy
from tests.review.conftest import SCOPE

pytestmark = [SCOPE, pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.fixture
def scoped_consumers(clean_redis, tmp_path: Path):
    ini = tmp_path / "consumers.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{tk.config['__file__']}\n"
        "ckanext.smartregion.review.dataset_types = dataset\n",
        encoding="utf-8",
    )
    ckan = Path(sys.executable).parent / "ckan"
    logs = {kind: tmp_path / f"{kind}.log" for kind in ("gather", "fetch")}
    processes = [
        subprocess.Popen(
            [str(ckan), "-c", str(ini), "harvester", f"{kind}-consumer"],
            stdout=logs[kind].open("w"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        for kind in logs
    ]
    yield logs
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_harvest_job_leaves_its_new_datasets_pending(scoped_consumers):
    sysadmin = ckan_factories.Sysadmin()
    organization = ckan_factories.Organization()
    context = {"user": sysadmin["name"], "ignore_auth": False}
    source = call_action(
        "harvest_source_create",
        context=dict(context),
        name="probe-source",
        title="Probe source",
        url="https://probe.example.org/",
        source_type="smartregion_probe",
        config=json.dumps({"count": 3}),
        owner_org=organization["id"],
    )
    call_action("harvest_job_create", context=dict(context), source_id=source["id"])

    deadline = time.monotonic() + 120
    found: dict = {"results": []}
    while time.monotonic() < deadline:
        found = call_action(
            "package_search", context=dict(context), q="title:Probe", include_private=True
        )
        if found["count"] == 3:
            break
        time.sleep(1)
    else:
        tails = {k: p.read_text()[-2000:] for k, p in scoped_consumers.items()}
        pytest.fail(f"3 harvested datasets expected, found {found['count']}: {tails}")

    site_user = tk.config["ckan.site_id"]
    pending = call_action("smartregion_review_list", context=dict(context), state="pending")
    assert pending["count"] == 3
    assert {row["updated_by"] for row in pending["results"]} == {site_user}
    for dataset in found["results"]:
        assert dataset["private"] is True
        assert policy.state_of(dataset["id"]).comment == "Sklizeno / harvested"
