"""The demo under the portal's review scope: everything it loads is public and approved,
except one sample dataset pending review for the steward dashboard."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.smartregion.cli import smartregion
from ckanext.smartregion.review import policy
from ckanext.smartregion.review.demo import PENDING_SAMPLE

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_datastore"),
    pytest.mark.ckan_config(
        "ckanext.smartregion.review.dataset_types", "dataset indicator project"
    ),
]


def test_the_demo_is_public_with_one_sample_pending(cli):
    first = cli.invoke(smartregion, ["demo"])
    assert first.exit_code == 0, first.output
    assert "pending review" in first.output

    everything = call_action("package_search", rows=100, include_private=True)["results"]
    private = [d["name"] for d in everything if d["private"]]
    assert private == [PENDING_SAMPLE]
    public = call_action("package_search", rows=100, context={"ignore_auth": False})
    assert public["count"] == len(everything) - 1
    states = {
        policy.state_of(d["id"]).state for d in everything if d["type"] != "collection-object"
    }
    assert states == {"approved", "pending"}
    sample = call_action("package_show", id=PENDING_SAMPLE)
    assert sample["is_sample_data"] is True and "ukázka" in sample["title"]
