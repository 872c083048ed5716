"""The batch's look-ups answered once per batch (harvesters/oaipmh_lido/lookups.py) refuse
what package_create refuses: a dataset name already taken is the record's own error, with
CKAN's message; the other records of the batch are imported."""

from __future__ import annotations

import hashlib

import pytest

from ckanext.smartregion.harvesters.oaipmh_lido import institutions
from tests import factories
from tests.harvesters.oai_server import lido_record

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

OLD = "2020-01-01T00:00:00Z"


def test_a_taken_name_refuses_its_record_only(oai_repository, harvest):
    repository, _url = oai_repository
    for number in range(1, 5):
        repository.put(f"oai:sbirky:{number}", lido_record(number), datestamp=OLD)
    source = harvest()
    # the name the harvester gives record 2 (title slug + hash of source and identifier)
    unique = hashlib.sha1(f"{source.source['id']} oai:sbirky:2".encode()).hexdigest()[:10]
    taken = f"{institutions.slug('Sklenice č. 2', 60)}-{unique}"
    factories.Dataset(name=taken, owner_org=source.organization["id"])

    job = source.run()

    assert job["stats"]["added"] == 3
    assert job["stats"]["errored"] == 1
    [error] = job["object_errors"].values()
    assert error["guid"] == "oai:sbirky:2"
    [message] = [e["message"] for e in error["errors"]]
    assert "oai:sbirky:2" in message
    assert "That URL is already in use" in message
    numbers = sorted(d["inventory_number"] for d in source.datasets())
    assert numbers == ["S-000001", "S-000003", "S-000004"]
