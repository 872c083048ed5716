"""Link checks: a background job (run by a real `ckan jobs worker`) checks each resource's
URL against a real local HTTP server, and the broken ones lower the quality score."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.smartregion.review import links, listing
from tests.factories import OPEN_TERMS
from tests.harvesters.file_server import FileServer
from tests.review.conftest import new_dataset

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_redis"),
    pytest.mark.ckan_config("ckanext.smartregion.review.link_check", "true"),
    pytest.mark.ckan_config("ckanext.smartregion.harvest.allowed_hosts", "127.0.0.1"),
    pytest.mark.ckan_config("ckanext.smartregion.harvest.retries", "0"),
]


def _run_worker(tmp_path: Path) -> str:
    """Runs the queued jobs with a real worker whose configuration allows 127.0.0.1."""
    ini = tmp_path / "worker.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{tk.config['__file__']}\n"
        "ckanext.smartregion.harvest.allowed_hosts = 127.0.0.1\n"
        "ckanext.smartregion.harvest.retries = 0\n",
        encoding="utf-8",
    )
    ckan = Path(sys.executable).parent / "ckan"
    done = subprocess.run(
        [str(ckan), "-c", str(ini), "jobs", "worker", "--burst"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


def test_broken_links_found_by_the_job_lower_the_score(team, tmp_path):
    with FileServer() as server:
        good = server.put("/data/prujezdy.csv", "rok,pocet\n2024,10\n")
        resources = [
            {"url": good, "name": "Průjezdy (CSV)", "format": "CSV", **OPEN_TERMS},
            {"url": server.url + "/data/chybi.csv", "name": "Chybějící", "format": "CSV",
             **OPEN_TERMS},
        ]  # fmt: skip
        dataset = new_dataset(team, team.approver, private=False, resources=resources)
        before = listing.quality_list(team.approver["name"], {})["results"][0]
        assert before["broken_links"] == [] and before["links_checked"] is None
        queued = call_action("job_list", context={"user": team.sysadmin["name"]})
        assert f"smartregion link check {dataset['id']}" in [job["title"] for job in queued]

        _run_worker(tmp_path)

    after = listing.quality_list(team.approver["name"], {})["results"][0]
    assert after["links_checked"] is not None
    assert [link["name"] for link in after["broken_links"]] == ["Chybějící"]
    assert after["broken_links"][0]["message"] == "HTTP 404"
    assert "broken:Chybějící" in after["missing"]
    assert after["score"] < before["score"]


def test_refused_addresses_and_missing_uploads_count_as_broken(team):
    upload = FileStorage(io.BytesIO(b"a,b\n1,2\n"), filename="tabulka.csv")
    dataset = new_dataset(team, team.approver, private=False)
    resource = call_action(
        "resource_create",
        context={"user": team.approver["name"]},
        package_id=dataset["id"],
        upload=upload,
        url="",
        name="Tabulka",
        format="CSV",
        **OPEN_TERMS,
    )
    call_action(
        "resource_create",
        context={"user": team.approver["name"]},
        package_id=dataset["id"],
        url="http://10.20.30.40/interni.csv",
        name="Interní",
        format="CSV",
        **OPEN_TERMS,
    )
    assert links.check_package(dataset["id"]) == {"checked": 2, "broken": 1}
    from ckan.lib import uploader

    os.remove(uploader.get_resource_uploader(resource).get_path(resource["id"]))
    assert links.check_package(dataset["id"]) == {"checked": 2, "broken": 2}
    found = listing.quality_list(team.approver["name"], {})["results"][0]
    messages = {link["name"]: link["message"] for link in found["broken_links"]}
    assert "non-public address" in messages["Interní"]
    assert "missing" in messages["Tabulka"]


def test_the_command_checks_and_rescores_every_dataset(team, cli):
    from ckanext.smartregion.review.cli import smartregion_review

    with FileServer() as server:
        good = server.put("/ok.csv", "a\n1\n")
        new_dataset(
            team, team.approver, private=False,
            resources=[{"url": good, "name": "OK", "format": "CSV", **OPEN_TERMS}],
        )  # fmt: skip
        new_dataset(
            team, team.approver, private=False,
            resources=[{"url": server.url + "/pryc.csv", "name": "Pryč", "format": "CSV",
                        **OPEN_TERMS}],
        )  # fmt: skip
        result = cli.invoke(smartregion_review, ["check-links"])
    assert result.exit_code == 0, result.output
    assert "2 links checked in 2 datasets, 1 broken" in result.output
    rescored = cli.invoke(smartregion_review, ["rescore"])
    assert rescored.exit_code == 0, rescored.output
    assert "2 datasets scored" in rescored.output
    worst = listing.quality_list(team.approver["name"], {})["results"][0]
    assert [link["name"] for link in worst["broken_links"]] == ["Pryč"]
