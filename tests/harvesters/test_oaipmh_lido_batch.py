"""The batch import of the OAI-PMH/LIDO harvester: one bad record of a batch is an error of
its own (naming the record), the others are imported; the datasets are coherent with
package_create (package_show, search, activity stream); the job ends with its summary."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests.harvesters.oai_server import lido_record

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), pytest.mark.stack]

OLD = "2020-01-01T00:00:00Z"


def test_a_repeated_inventory_number_is_imported_and_flagged_on_both_records(
    oai_repository, harvest
):
    repository, _url = oai_repository
    repository.put("oai:sbirky:1", lido_record(1), datestamp=OLD)
    repository.put("oai:sbirky:2", lido_record(2), datestamp=OLD)
    # the same inventory number twice in one institution, in one batch and across batches
    repository.put("oai:sbirky:3", lido_record(3, inventory="S-000001"), datestamp=OLD)
    repository.put("oai:sbirky:4", lido_record(4), datestamp=OLD)
    repository.put("oai:sbirky:5", lido_record(5, inventory="S-000002"), datestamp=OLD)
    source = harvest()

    job = source.run()

    assert job["status"] == "Finished"
    assert job["stats"]["added"] == 5
    assert not job["stats"].get("errored")
    datasets = {d["source_record_id"]: d for d in source.datasets()}
    for record in ("SMLK-1", "SMLK-3", "SMLK-2", "SMLK-5"):
        issues = call_action("package_show", id=datasets[record]["id"]).get("quality_issues")
        assert [(i["field"], i["kind"]) for i in issues or []] == [
            ("inventory_number", "duplicate")
        ], record
    assert "quality_issues" not in datasets["SMLK-4"]


def test_batch_imported_datasets_are_like_package_create_ones(oai_repository, harvest):
    repository, _url = oai_repository
    for number in range(1, 6):  # two batches of the page size 4
        repository.put(f"oai:sbirky:{number}", lido_record(number), datestamp=OLD)
    source = harvest()

    source.run()

    [found] = source.datasets(q='inventory_number:"S-000005"')
    shown = call_action("package_show", id=found["id"])
    assert shown["title"] == "Sklenice č. 5"
    assert shown["organization"]["title"] == "Severočeské muzeum v Liberci"
    assert str(shown["dating_earliest"]) == "1885"
    assert "title=cs" in shown["value_languages"]
    assert shown["private"] is False
    assert [r["id"] for r in shown["resources"]] == [r["id"] for r in found["resources"]]
    # the harvest user is the site user, whose activities are hidden by default
    activities = call_action("package_activity_list", id=found["id"], include_hidden_activity=True)
    assert [a["activity_type"] for a in activities] == ["new package"]
    assert activities[0]["data"]["package"]["name"] == shown["name"]
    members = call_action("organization_show", id=shown["owner_org"], include_datasets=True)
    assert members["package_count"] == 5
    # the membership package_create records (package_owner_org_update)
    listed = call_action("member_list", id=shown["owner_org"], object_type="package")
    assert (shown["id"], "package", "organization") in listed
    assert len(listed) == 5
