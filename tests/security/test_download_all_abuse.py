"""The download-all ZIP cannot be used to make the portal download remote files: however
often anonymous visitors ask for /dataset/<name>/stahnout-vse.zip, the builds they cause
fetch no linked file (the README lists them); only a steward of the dataset has them fetched,
once per version of the dataset and within a total cap. Counted on a real local server."""

from __future__ import annotations

import io
import zipfile

import pytest
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.downloads import archive
from tests import factories
from tests.security.recording_server import RecordingServer

pytestmark = [
    pytest.mark.stack,
    pytest.mark.usefixtures("clean_datastore", "with_plugins", "clean_queues", "with_test_worker"),
]

FILES = {f"/data/soubor-{n}.csv": (f"rok,hodnota\n2024,{n}\n" * 40).encode() for n in (1, 2, 3)}


@pytest.fixture
def remote_site(ckan_config, monkeypatch, tmp_path):
    """Another site with three data files, reachable by the portal's safe fetcher."""
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.harvest.allowed_hosts", ["127.0.0.1"])
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.harvest.retries", 0)
    monkeypatch.setitem(
        ckan_config, "ckanext.smartregion.downloads.directory", str(tmp_path / "zip")
    )
    with RecordingServer() as server:
        for path, body in FILES.items():
            server.route(path, body=body)
        yield server


@pytest.fixture
def team():
    """An organisation with an editor (a steward of its datasets), and an editor of another."""
    steward, outsider = ckan_factories.User(), ckan_factories.User()
    organization = ckan_factories.Organization(
        users=[{"name": steward["name"], "capacity": "editor"}]
    )
    ckan_factories.Organization(users=[{"name": outsider["name"], "capacity": "editor"}])
    return organization, steward, outsider


def _linked_dataset(remote_site, owner_org: str) -> dict:
    resources = [
        {"url": remote_site.url + path, "format": "CSV", "name": path, **factories.OPEN_TERMS}
        for path in FILES
    ]
    return factories.Dataset(owner_org=owner_org, resources=resources)


def _run_worker(cli) -> None:
    result = cli.invoke(ckan_command, ["jobs", "worker", "--burst", archive.QUEUE])
    assert result.exit_code == 0, result.output


def _zip(app, name: str) -> zipfile.ZipFile:
    response = app.get(f"/dataset/{name}/stahnout-vse.zip")
    assert response.status_code == 200, response.body[:300]
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _build(app, dataset: dict, user: dict | None) -> tuple[int, dict]:
    headers = {}
    if user is not None:
        headers["Authorization"] = ckan_factories.APIToken(user=user["name"])["token"]
    response = app.post(
        "/api/3/action/smartregion_downloads_build", json={"id": dataset["name"]}, headers=headers
    )
    return response.status_code, response.json


def test_anonymous_requests_never_download_linked_files(app, cli, remote_site, team):
    dataset = _linked_dataset(remote_site, team[0]["id"])

    for _round in range(3):
        for _request in range(4):
            assert app.get(f"/dataset/{dataset['name']}/stahnout-vse.zip").status_code in (
                200,
                202,
            )
        assert len(call_action("job_list", queues=[archive.QUEUE])) <= 1
        _run_worker(cli)

    assert remote_site.hits == []
    bundle = _zip(app, dataset["name"])
    assert sorted(bundle.namelist()) == ["README.txt", "metadata.json"]
    readme = bundle.read("README.txt").decode("utf-8")
    linked = readme.split("Linked files", 1)[1]
    for path in FILES:
        assert remote_site.url + path in linked
    assert "neobsahuje-osobní-údaje" in linked  # each link keeps its terms of use
    assert remote_site.hits == []


def test_only_a_steward_has_linked_files_fetched_once_per_version(app, cli, remote_site, team):
    organization, steward, outsider = team
    dataset = _linked_dataset(remote_site, organization["id"])

    assert _build(app, dataset, None)[0] == 403
    assert _build(app, dataset, outsider)[0] == 403
    status, answer = _build(app, dataset, steward)
    assert status == 200 and answer["result"] == {"queued": True, "current": False}
    assert _build(app, dataset, steward)[1]["result"]["queued"] is False  # already waiting
    _run_worker(cli)

    assert sorted(hit.path for hit in remote_site.hits) == sorted(FILES)
    bundle = _zip(app, dataset["name"])
    assert {n for n in bundle.namelist() if n.endswith(".csv")} == {
        "soubor-1.csv",
        "soubor-2.csv",
        "soubor-3.csv",
    }
    for _request in range(5):
        _zip(app, dataset["name"])
        _run_worker(cli)
    assert _build(app, dataset, steward)[1]["result"] == {"queued": False, "current": True}
    _run_worker(cli)
    assert len(remote_site.hits) == 3

    # A new version: the build it causes lists the links again and fetches nothing.
    call_action(
        "package_patch",
        context={"user": ckan_factories.Sysadmin()["name"]},
        id=dataset["id"],
        title="Nová verze",
    )
    app.get(f"/dataset/{dataset['name']}/stahnout-vse.zip")
    _run_worker(cli)
    assert sorted(_zip(app, dataset["name"]).namelist()) == ["README.txt", "metadata.json"]
    assert len(remote_site.hits) == 3


def test_a_stewards_build_stops_at_the_total_cap(
    app, cli, remote_site, team, ckan_config, monkeypatch
):
    one_file = len(FILES["/data/soubor-1.csv"])
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.downloads.max_remote_bytes", one_file)
    organization, steward, _outsider = team
    dataset = _linked_dataset(remote_site, organization["id"])

    _build(app, dataset, steward)
    _run_worker(cli)

    assert [hit.path for hit in remote_site.hits] == ["/data/soubor-1.csv"]
    bundle = _zip(app, dataset["name"])
    assert [n for n in bundle.namelist() if n.endswith(".csv")] == ["soubor-1.csv"]
    not_included = bundle.read("README.txt").decode("utf-8").split("Files not included", 1)[1]
    assert not_included.count("max_remote_bytes") == 2
