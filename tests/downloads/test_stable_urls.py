"""Stable download URLs: an uploaded file is always offered at CKAN's
/dataset/<id>/resource/<id>/download/<file> address, on the pages, in the API and in DCAT,
and that address keeps working after the file is replaced."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from tests import factories
from tests.downloads.conftest import csv_bytes

pytestmark = pytest.mark.usefixtures("clean_db", "with_plugins", "clean_queues")


def test_an_uploaded_file_has_one_stable_address_everywhere(app, upload):
    dataset = factories.Dataset()
    resource = upload(dataset["id"], csv_bytes(), "obce.csv", name="Obce")
    site = tk.config["ckan.site_url"]
    stable = f"{site}/dataset/{dataset['id']}/resource/{resource['id']}/download/obce.csv"

    assert resource["url"] == stable
    path = stable.removeprefix(site)
    assert app.get(path).get_data() == csv_bytes()
    assert (
        f'href="{stable}"' in app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
    )
    # DCAT-AP 3 (ckanext-dcat) names it the access URL, the NKOD catalogue both.
    europe = app.get(f"/dataset/{dataset['name']}.ttl").body
    assert f"dcat:accessURL <{stable}>" in europe
    nkod = app.get(f"/lkod/datove-sady/{dataset['id']}.ttl").body
    assert f"dcat:downloadURL <{stable}>" in nkod

    upload(
        dataset["id"],
        "Obec\nTurnov\n",
        "obce-2025.csv",
        action="resource_update",
        id=resource["id"],
        name="Obce",
    )

    assert app.get(path).get_data() == b"Obec\nTurnov\n"  # the old address serves the new file
