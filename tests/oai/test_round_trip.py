"""Round trip: the portal's own OAI-PMH/LIDO harvester (real gather and fetch consumers on
Redis) harvests the provider's /oai, served over HTTP on a port, into a second set of
institutions and gets every live object back: titles, inventory numbers, institutions, dating,
and the provider's lidoRecID as the record's source identifier."""

from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests.harvesters.conftest import Harvest, loopback_allowed  # noqa: F401 (fixture)
from tests.oai.conftest import OAI

pytestmark = [pytest.mark.stack, pytest.mark.usefixtures("loopback_allowed")]

FIELDS = ("title", "dating_display", "dating_earliest", "dating_latest", "object_type")


def test_the_projects_harvester_gets_every_live_object_back(
    oai, world, served_app, harvest_consumers
):
    headers = oai(verb="ListIdentifiers", metadataPrefix="lido").iterfind(".//oai:header", OAI)
    live = {
        h.findtext("oai:identifier", namespaces=OAI).rsplit(":", 1)[-1]
        for h in headers
        if h.get("status") != "deleted"
    }
    context = {"user": world.sysadmin}
    originals = {i: call_action("package_show", context=dict(context), id=i) for i in live}
    copies = {
        org["title"]: ckan_factories.Organization(name=f"kopie-{name}", title=org["title"])
        for name, org in world.organizations.items()
    }
    config = {
        "institutions": {title: copy["name"] for title, copy in copies.items()},
        "create_institutions": False,
        "incremental": False,
    }
    harvest = Harvest(served_app, harvest_consumers, config)

    job = harvest.run(timeout=180)

    assert not job["gather_errors"] and not job["object_errors"], job
    assert job["stats"].get("added") == len(originals) > 10
    copy_ids = {copy["id"] for copy in copies.values()}
    harvested = {d["source_record_id"]: d for d in harvest.datasets() if d["owner_org"] in copy_ids}
    assert set(harvested) == set(originals)
    titles = {org["id"]: org["title"] for org in world.organizations.values()}
    for package_id, original in originals.items():
        copy = harvested[package_id]
        # LIDO requires a work type: an object without one is served as "sbírkový předmět"
        expected = {f: original.get(f) for f in FIELDS}
        expected["object_type"] = expected["object_type"] or "sbírkový předmět"
        assert {f: copy.get(f) for f in FIELDS} == expected
        assert copy["inventory_number"] == original["inventory_number"]
        assert copy["owner_org"] == copies[titles[original["owner_org"]]]["id"]
