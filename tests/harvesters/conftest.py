"""Fixtures of the harvester tests: a real OAI-PMH server on 127.0.0.1, consumers allowed to
reach it, and a helper that runs one harvest job to its end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.harvesters.local_http import reconfigure, wait_for_job
from tests.harvesters.oai_server import OaiRepository, OaiServer

LOOPBACK_SETTINGS = {
    "ckanext.smartregion.harvest.allowed_hosts": "127.0.0.1",
    "ckanext.smartregion.harvest.backoff": "0.2",
    "ckanext.smartregion.harvest.retries": "3",
}


@pytest.fixture
def oai_repository() -> Iterator[tuple[OaiRepository, str]]:
    repository = OaiRepository(page_size=4)
    with OaiServer(repository) as server:
        yield repository, server.url


@pytest.fixture
def loopback_allowed(tmp_path: Path, monkeypatch) -> None:
    """The test configuration plus an allow-list naming 127.0.0.1, for this process and for
    the consumer processes harvest_consumers starts (it reads config["__file__"])."""
    ini = tmp_path / "harvest.ini"
    lines = [f"[app:main]\nuse = config:{tk.config['__file__']}\n"]
    lines += [f"{key} = {value}\n" for key, value in LOOPBACK_SETTINGS.items()]
    ini.write_text("".join(lines))
    monkeypatch.setitem(tk.config, "__file__", str(ini))
    monkeypatch.setitem(tk.config, "ckanext.smartregion.harvest.allowed_hosts", ["127.0.0.1"])


class Harvest:
    """Creates one OAI-PMH/LIDO source and runs jobs of it through the real consumers."""

    def __init__(self, url: str, logs: dict[str, Path], config: dict | None = None) -> None:
        self.sysadmin = factories.Sysadmin()
        self.context = {"user": self.sysadmin["name"], "ignore_auth": False}
        self.organization = factories.Organization(
            name="agregator-sbirek", title="Agregátor sbírek"
        )
        self.logs = logs
        self.source = call_action(
            "harvest_source_create",
            context=dict(self.context),
            name="sbirky-oai",
            title="Sbírky OAI",
            url=url,
            source_type="oaipmh_lido",
            config=json.dumps(config or {}),
            owner_org=self.organization["id"],
        )

    def reconfigure(self, config: dict) -> None:
        reconfigure(self.context, self.source, config)

    def run(self, timeout: float = 120) -> dict:
        """Runs one job to the end; its harvest_job_show with the gather errors attached."""
        job = call_action(
            "harvest_job_create", context=dict(self.context), source_id=self.source["id"]
        )
        shown, report = wait_for_job(
            self.context, self.source["id"], job["id"], timeout, logs=self.logs
        )
        shown["object_errors"] = report["object_errors"]
        return shown

    def datasets(self, fq: str = "", **search) -> list[dict]:
        result = call_action(
            "package_search",
            context=dict(self.context),
            include_private=True,
            fq=f"+dataset_type:collection-object {fq}".strip(),
            rows=1000,
            **search,
        )
        return result["results"]


@pytest.fixture
def harvest(oai_repository, loopback_allowed, harvest_consumers):
    """make(config=None) → a Harvest on the test OAI server."""
    _repository, url = oai_repository

    def make(config: dict | None = None) -> Harvest:
        return Harvest(url, harvest_consumers, config)

    return make
