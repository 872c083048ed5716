"""The public traffic pages: the sites of a harvested DATEX II publication with their map
(GeoJSON of the real NDW site's location), a site's totals and CSV downloads, and none of it
for anonymous visitors once the dataset is private."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestJob

from ckanext.smartregion.harvesters.traffic import store
from tests.harvesters.file_server import FileServer, FileSource

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_datastore", "loopback_allowed"),
    pytest.mark.stack,
]

DATEX = Path(__file__).resolve().parent.parent / "fixtures" / "datex2"
NAME = "doprava-ndw-ukazka"
SITE = "PZH01_MST_0629_00"
OTHER = "PZH01_MST_0065_00"


@pytest.fixture
def harvested() -> Iterator[HarvestJob]:
    """One job of a ``traffic`` source made through harvest_source_create (the registered
    harvester checks its configuration), its stages run in this process."""
    with FileServer() as server:
        sites_url = server.put("/sites.xml", (DATEX / "site_table_excerpt.xml").read_bytes())
        url = server.put("/measured.xml", (DATEX / "measured_excerpt.xml").read_bytes())
        config = {
            "format": "datex2",
            "sites_url": sites_url,
            "period_seconds": 60,
            "dataset": {"name": NAME, "is_sample_data": True},
        }
        organization = factories.Organization(name="odbor-dopravy")
        shown = FileSource("traffic", url, config, organization["id"]).run()
        yield HarvestJob.get(shown["id"])


def test_sites_map_site_totals_and_downloads_are_public_until_the_dataset_is_private(
    app, harvested
):
    objects = {o.guid: o for o in harvested.objects}
    summary = json.loads(objects["file"].content)
    assert (summary["unknown_sites"], summary["problems"]) == ([OTHER], 1)
    assert [e.message for e in objects["rows"].errors] == [
        f"site {OTHER}: is not in the measurement site table; its counts are kept by index "
        "(vehicle class and lane unknown) until the table describes it"
    ]
    page = app.get(f"/doprava/{NAME}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert f'data-site="{SITE}"' in body and "N457 hmp 4.75 Re" in body
    assert f'data-site="{OTHER}"' in body and "not in the site table" in body
    assert "smartregion-sample-banner" in body
    assert "smartregion-traffic-map-frame" in body  # the portal's GeoJSON map view

    geojson = app.get(f"/doprava/{NAME}/mista.geojson").get_json(force=True)
    assert [f["geometry"]["coordinates"] for f in geojson["features"]] == [[4.634289, 52.0263]]
    geo = store.resources_by_kind(call_action("package_show", id=NAME))[store.SITES_GEOJSON]
    assert geo["format"] == "GeoJSON" and geo["url"].endswith(f"/doprava/{NAME}/mista.geojson")

    site = app.get(f"/doprava/{NAME}/{OTHER}").get_data(as_text=True)
    assert 'data-vehicles="2.0"' in site  # index 2: 120 vehicles/h for one minute
    download = app.get(f"/doprava/{NAME}/{OTHER}/denne.csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert [OTHER, "2025-08-15", "index 2", "2.0", "", "1"] in rows  # flow: no speed index
    assert [OTHER, "2025-08-15", "index 8", "", "72.0", "1"] in rows  # speed only
    assert app.get(f"/doprava/{NAME}/no-such-site").status_code == 404
    assert app.get(f"/doprava/{NAME}/{SITE}/rocne.csv").status_code == 404

    sysadmin = factories.Sysadmin()
    call_action("package_patch", context={"user": sysadmin["name"]}, id=NAME, private=True)
    for path in ("", "/mista.geojson", f"/{SITE}", f"/{SITE}/denne.csv"):
        assert app.get(f"/doprava/{NAME}{path}").status_code == 404, path  # anonymous
