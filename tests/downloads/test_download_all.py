"""The "download all" ZIP: built by the real RQ worker on the smartregion_downloads queue
when a dataset changes or on its first request, holding the portal's own files, a README
(with the linked files' addresses) and the metadata; the linked files fetched only by a
steward's build; rebuilt only after a change; private datasets only for those who may see
them. (Visitors causing no remote download: tests/security/test_download_all_abuse.py.)"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.downloads import archive
from tests import factories
from tests.downloads.conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures(
    "clean_datastore", "with_plugins", "clean_queues", "with_test_worker"
)


def _run_worker(cli) -> None:
    result = cli.invoke(ckan_command, ["jobs", "worker", "--burst", archive.QUEUE])
    assert result.exit_code == 0, result.output


def _queued_titles() -> list[str]:
    return [job["title"] for job in call_action("job_list", queues=[archive.QUEUE])]


def _zip(app, name: str, **kwargs) -> zipfile.ZipFile:
    response = app.get(f"/dataset/{name}/stahnout-vse.zip", **kwargs)
    assert response.status_code == 200, response.body[:500]
    assert response.headers["Content-Type"] == "application/zip"
    assert f"filename={name}.zip" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _dataset_with_files(upload, file_server, **fields):
    file_server.files["/files/obce.xlsx"] = xlsx_bytes()
    dataset = factories.Dataset(
        is_sample_data=True,
        resources=[
            {
                "url": f"{file_server.url}/files/obce.xlsx",
                "format": "XLSX",
                "name": "Obce (odkaz)",
                **factories.OPEN_TERMS,
            },
            {
                "url": f"{file_server.url}/zmizelo.csv",
                "format": "CSV",
                "name": "Zmizelý soubor",
                **factories.OPEN_TERMS,
            },
        ],
        **fields,
    )
    upload(dataset["id"], csv_bytes("cp1250"), "pocty-obyvatel.csv", name="Počty obyvatel")
    return call_action("package_show", id=dataset["id"])


def test_a_change_queues_a_build_whose_zip_holds_the_portals_files_and_the_readme(
    app, cli, upload, file_server, downloads_dir
):
    dataset = _dataset_with_files(upload, file_server)
    call_action(
        "datastore_create",
        context={"user": ckan_factories.Sysadmin()["name"]},
        resource={"package_id": dataset["id"], "name": "Tabulka", **factories.OPEN_TERMS},
        fields=[{"id": "rok", "type": "int"}, {"id": "hodnota", "type": "numeric"}],
        records=[{"rok": 2024, "hodnota": 1.5}, {"rok": 2025, "hodnota": 2}],
    )

    assert archive.JOB_TITLE.format(name=dataset["name"]) in _queued_titles()
    _run_worker(cli)
    bundle = _zip(app, dataset["name"])

    assert sorted(bundle.namelist()) == [
        "README.txt",
        "metadata.json",
        "pocty-obyvatel.csv",
        "tabulka.csv",
    ]
    assert bundle.read("pocty-obyvatel.csv") == csv_bytes("cp1250")
    assert bundle.read("tabulka.csv").decode().splitlines() == ["rok,hodnota", "2024,1.5", "2025,2"]
    readme = bundle.read("README.txt").decode("utf-8")
    assert dataset["title"] in readme and "UKÁZKOVÁ DATA" in readme
    assert "neobsahuje-osobní-údaje" in readme  # terms of use per file
    linked = readme.split("Linked files", 1)[1]
    assert f"{file_server.url}/files/obce.xlsx" in linked and "Zmizelý soubor" in linked
    assert json.loads(bundle.read("metadata.json"))["id"] == dataset["id"]
    assert file_server.requests == []  # the linked files stay where they are
    # The job also prepared the previews of the tables it holds.
    previewed = {path.name.split("-")[0] for path in (downloads_dir / "previews").glob("*.json")}
    by_name = {r["name"]: r["id"].split("-")[0] for r in dataset["resources"]}
    assert by_name["Počty obyvatel"] in previewed and by_name["Obce (odkaz)"] not in previewed


def test_a_stewards_build_fetches_the_linked_files_too(
    app, cli, upload, file_server, downloads_dir
):
    editor = ckan_factories.User()
    organization = ckan_factories.Organization(
        users=[{"name": editor["name"], "capacity": "editor"}]
    )
    dataset = _dataset_with_files(upload, file_server, owner_org=organization["id"])
    _run_worker(cli)

    queued = call_action(
        "smartregion_downloads_build", context={"user": editor["name"]}, id=dataset["name"]
    )
    assert queued == {"queued": True, "current": False}
    assert archive.REMOTE_JOB_TITLE.format(name=dataset["name"]) in _queued_titles()
    _run_worker(cli)
    bundle = _zip(app, dataset["name"])

    assert sorted(bundle.namelist()) == [
        "README.txt",
        "metadata.json",
        "obce.xlsx",
        "pocty-obyvatel.csv",
    ]
    assert bundle.read("obce.xlsx") == xlsx_bytes() or bundle.read("obce.xlsx")[:2] == b"PK"
    not_included = bundle.read("README.txt").decode("utf-8").split("Files not included", 1)[1]
    assert "Zmizelý soubor" in not_included and "HTTP 404" in not_included
    assert sorted(file_server.requests) == ["/files/obce.xlsx", "/zmizelo.csv"]
    previewed = {path.name.split("-")[0] for path in (downloads_dir / "previews").glob("*.json")}
    by_name = {r["name"]: r["id"].split("-")[0] for r in dataset["resources"]}
    assert by_name["Obce (odkaz)"] not in previewed  # its page fetches it, not the job


def test_the_first_request_answers_202_and_the_worker_then_serves_the_zip(
    app, cli, upload, ckan_config, monkeypatch, downloads_dir
):
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.downloads.build_on_change", False)
    dataset = factories.Dataset()
    upload(dataset["id"], csv_bytes(), "data.csv", name="Data")
    assert _queued_titles() == []

    waiting = app.get(f"/dataset/{dataset['name']}/stahnout-vse.zip")
    again = app.get(f"/cs_CZ/dataset/{dataset['name']}/stahnout-vse.zip")

    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "10"
    assert "Preparing the ZIP of all files" in waiting.body
    assert again.status_code == 202 and "Připravujeme ZIP se všemi soubory" in again.body
    assert len(_queued_titles()) == 1  # the second request found the build waiting
    _run_worker(cli)
    assert "data.csv" in _zip(app, dataset["name"]).namelist()


def test_a_current_zip_is_not_rebuilt_and_a_resource_update_rebuilds_it(
    app, cli, upload, downloads_dir
):
    dataset = factories.Dataset()
    resource = upload(dataset["id"], csv_bytes(), "data.csv", name="Data")
    _run_worker(cli)
    first = archive.recorded_state(dataset["id"])
    built_at = archive.zip_path(dataset["id"]).stat().st_mtime_ns

    assert archive.build(dataset["id"])["status"] == "current"
    app.get(f"/dataset/{dataset['name']}/stahnout-vse.zip")
    assert _queued_titles() == []
    assert archive.zip_path(dataset["id"]).stat().st_mtime_ns == built_at

    upload(
        dataset["id"],
        "Obec,Kraj\nTurnov,Liberecký\n",
        "novy.csv",
        action="resource_update",
        id=resource["id"],
        name="Data",
    )
    stale = app.get(f"/dataset/{dataset['name']}/stahnout-vse.zip")
    assert stale.status_code == 202
    _run_worker(cli)

    assert archive.recorded_state(dataset["id"])["metadata_modified"] != first["metadata_modified"]
    assert _zip(app, dataset["name"]).read("novy.csv") == b"Obec,Kraj\nTurnov,Liberecky\n".replace(
        b"Liberecky", "Liberecký".encode()
    )


def test_the_zip_of_a_private_dataset_is_only_for_its_organization(app, cli, upload, downloads_dir):
    member = ckan_factories.User()
    organization = ckan_factories.Organization(
        users=[{"name": member["name"], "capacity": "member"}]
    )
    dataset = factories.Dataset(private=True, owner_org=organization["id"])
    upload(dataset["id"], csv_bytes(), "tajne.csv", name="Tajné")
    _run_worker(cli)

    anonymous = app.get(f"/dataset/{dataset['name']}/stahnout-vse.zip")
    assert anonymous.status_code in (403, 404)
    assert anonymous.headers["Content-Type"] != "application/zip"
    token = ckan_factories.APIToken(user=member["name"])["token"]
    bundle = _zip(app, dataset["name"], headers={"Authorization": token})
    assert "tajne.csv" in bundle.namelist()


def test_the_dataset_page_links_the_stable_zip_address(app, upload):
    dataset = factories.Dataset()
    upload(dataset["id"], csv_bytes(), "data.csv", name="Data")

    page = app.get(f"/dataset/{dataset['name']}").body
    czech = app.get(f"/cs_CZ/dataset/{dataset['name']}").body

    assert f'href="/dataset/{dataset["name"]}/stahnout-vse.zip"' in page
    assert "Download all (ZIP)" in page and "Stáhnout vše (ZIP)" in czech


def test_deleting_a_dataset_removes_its_zip(cli, upload, downloads_dir):
    dataset = factories.Dataset()
    upload(dataset["id"], csv_bytes(), "data.csv", name="Data")
    _run_worker(cli)
    assert archive.zip_path(dataset["id"]).exists()

    call_action(
        "package_delete", context={"user": ckan_factories.Sysadmin()["name"]}, id=dataset["name"]
    )
    _run_worker(cli)

    assert not archive.zip_path(dataset["id"]).exists()


def test_the_command_builds_every_zip_with_progress_and_a_summary(
    cli, upload, ckan_config, monkeypatch, downloads_dir
):
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.downloads.build_on_change", False)
    first, second = factories.Dataset(name="prvni"), factories.Dataset(name="druha")
    upload(first["id"], csv_bytes(), "data.csv", name="Data")

    result = cli.invoke(ckan_command, ["smartregion-downloads", "build", "--all"])
    again = cli.invoke(ckan_command, ["smartregion-downloads", "build", "prvni", "neni-takova"])

    assert result.exit_code == 0, result.output
    assert "[1/2] druha: built 0 files" in result.output
    assert "[2/2] prvni: built 1 files, 0 not included" in result.output
    assert result.output.strip().endswith("2 built")
    assert archive.zip_path(second["id"]).exists()
    assert again.exit_code == 1
    assert "[1/2] prvni: current" in again.output and "[2/2] neni-takova: missing" in again.output
    assert again.output.strip().endswith("1 current, 1 missing")


def test_a_dataset_of_links_only_is_built_on_its_first_request(
    app, cli, file_server, downloads_dir
):
    file_server.files["/obce.csv"] = csv_bytes()
    dataset = factories.Dataset(
        resources=[
            {
                "url": f"{file_server.url}/obce.csv",
                "format": "CSV",
                "name": "Obce",
                **factories.OPEN_TERMS,
            }
        ]
    )
    assert _queued_titles() == [] and file_server.requests == []

    assert app.get(f"/dataset/{dataset['name']}/stahnout-vse.zip").status_code == 202
    _run_worker(cli)
    readme = _zip(app, dataset["name"]).read("README.txt").decode("utf-8")
    assert f"{file_server.url}/obce.csv" in readme.split("Linked files", 1)[1]
    assert file_server.requests == []

    call_action(
        "package_patch",
        context={"user": ckan_factories.Sysadmin()["name"]},
        id=dataset["id"],
        title="Obce Libereckého kraje",
    )
    assert _queued_titles() == [archive.JOB_TITLE.format(name=dataset["name"])]
