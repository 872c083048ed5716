"""The batch's look-ups answered once per batch (ckanext/smartregion/logic/batch_lookups.py) refuse
what package_create refuses: a dataset name already taken is the record's own error, with
CKAN's message; the other records of the batch are imported."""

from __future__ import annotations

import hashlib
import json

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

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


def test_an_inventory_number_used_in_the_institution_is_imported_and_flagged_on_both(
    oai_repository, harvest
):
    """The batch's look-up finds the number a hand-made dataset of the same institution
    holds: harvested museum data is imported anyway and both records carry the flag
    (docs/harvest-quality.md); the same number in another institution is no conflict."""
    repository, _url = oai_repository
    repository.put("oai:sbirky:1", lido_record(1), datestamp=OLD)
    source = harvest()
    source.run()
    [first] = source.datasets()
    # a dataset entered by hand in the same institution holds the number record 3 brings
    by_hand = call_action(
        "package_create",
        context={"user": source.sysadmin["name"]},
        **_collection_object("rucne-zapsana-sklenice", first["owner_org"], "S-000003"),
    )
    elsewhere = ckan_factories.Organization()
    call_action(  # the number record 4 brings, in another institution: no conflict
        "package_create",
        context={"user": source.sysadmin["name"]},
        **_collection_object("jinde-zapsana-sklenice", elsewhere["id"], "S-000004"),
    )
    for number in (2, 3, 4):
        repository.put(f"oai:sbirky:{number}", lido_record(number))  # datestamp: now

    job = source.run()

    assert job["stats"]["added"] == 3
    assert not job["stats"].get("errored")
    by_number = {
        d["inventory_number"]: d
        for d in source.datasets(f"owner_org:{first['owner_org']}")
        if d["name"] != by_hand["name"]
    }
    assert sorted(by_number) == ["S-000001", "S-000002", "S-000003", "S-000004"]
    flagged = {n: [i["field"] for i in d.get("quality_issues") or []] for n, d in by_number.items()}
    assert flagged == {
        "S-000001": [],
        "S-000002": [],
        "S-000003": ["inventory_number"],
        "S-000004": [],
    }
    assert by_hand["name"] in json.dumps(by_number["S-000003"]["quality_issues"])
    hand_made = call_action("package_show", id=by_hand["id"])
    assert [i["field"] for i in hand_made["quality_issues"]] == ["inventory_number"]


def _collection_object(name: str, owner_org: str, inventory_number: str) -> dict:
    return {
        "type": "collection-object",
        "name": name,
        "title": "Sklenice zapsaná ručně",
        "owner_org": owner_org,
        "inventory_number": inventory_number,
        "is_sample_data": True,
    }
