"""Previews: a CSV, an XLSX, a GeoJSON and a PNG resource each get a working preview by
default (ckan.views.default_views), and the preview page shows their rows or features."""

from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.downloads import preview
from tests import factories
from tests.downloads.conftest import csv_bytes, geojson_bytes, png_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("clean_db", "with_plugins", "clean_queues")


def _views(resource):
    return {v["view_type"]: v for v in call_action("resource_view_list", id=resource["id"])}


def _view_page(app, dataset, resource, view):
    url = f"/dataset/{dataset['id']}/resource/{resource['id']}/view/{view['id']}"
    response = app.get(url)
    assert response.status_code == 200, url
    return response.body


def test_a_cp1250_csv_with_semicolons_is_previewed_as_a_table(app, upload):
    dataset = factories.Dataset()
    resource = upload(dataset["id"], csv_bytes("cp1250", ";"), "obce.csv")

    views = _views(resource)
    assert "smartregion_table_view" in views
    page = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}").body

    assert '<th scope="col">Počet obyvatel</th>' in page
    assert "<td>Česká Lípa</td>" in page and "<td>104802</td>" in page
    assert "3 rows" not in page and "2 rows" in page


def test_an_xlsx_workbook_shows_its_first_sheet(app, upload):
    dataset = factories.Dataset()
    resource = upload(dataset["id"], xlsx_bytes(), "obce.xlsx")

    assert resource["format"].lower() == "xlsx"
    page = _view_page(app, dataset, resource, _views(resource)["smartregion_table_view"])

    assert '<th scope="col">Rozloha km²</th>' in page
    assert "<td>Jablonec nad Nisou</td>" in page and "<td>31.4</td>" in page
    assert "<td>22</td>" in page
    assert "Obce (of 2)" in page


def test_a_geojson_file_gets_a_map_and_its_text_alternative(app, upload):
    dataset = factories.Dataset()
    resource = upload(dataset["id"], geojson_bytes(), "budovy.geojson", format="GeoJSON")

    page = _view_page(app, dataset, resource, _views(resource)["geojson_view"])

    assert 'data-module="geojsonpreview"' in page  # ckanext-geoview's Leaflet map
    assert "/webassets/ckanext-geoview/" in page or "geoview" in page
    assert "&#34;type&#34;: &#34;OpenStreetMap.Mapnik&#34;" in page  # a base map is configured
    assert "OpenStreetMap contributors" in page
    assert '<strong class="smartregion-feature-count">2</strong>' in page
    assert "Point: 2" in page
    assert '<th scope="col">nazev</th>' in page and "<td>Ještěd</td>" in page


def test_a_png_image_is_shown_by_the_image_view(app, upload):
    dataset = factories.Dataset()
    resource = upload(dataset["id"], png_bytes(), "mapa.png")

    views = _views(resource)
    assert "image_view" in views and "smartregion_table_view" not in views
    page = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}").body
    assert f'src="{resource["url"]}"' in page


def test_a_linked_csv_is_fetched_safely_and_a_broken_link_explained(app, file_server):
    file_server.files["/data/obce.csv"] = csv_bytes("utf-8", ",")
    dataset = factories.Dataset(
        resources=[
            {
                "url": f"{file_server.url}/data/obce.csv",
                "format": "CSV",
                "name": "Obce",
                **factories.OPEN_TERMS,
            },
            {
                "url": f"{file_server.url}/chybi.csv",
                "format": "CSV",
                "name": "Chybí",
                **factories.OPEN_TERMS,
            },
        ]
    )
    good, broken = dataset["resources"]

    page = app.get(f"/dataset/{dataset['id']}/resource/{good['id']}").body
    assert "<td>Liberec</td>" in page

    page = app.get(f"/dataset/{dataset['id']}/resource/{broken['id']}").body
    assert "This file cannot be previewed" in page and "HTTP 404" in page


def test_a_preview_shows_the_first_rows_only(ckan_config, monkeypatch):
    data = ("a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(500))).encode()

    table = preview.read_table(data, "CSV", max_rows=100)

    assert table.header == ["a", "b"] and len(table.rows) == 100 and table.truncated
    assert table.rows[-1] == ["99", "198"] and table.delimiter == ","


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Obec;Kraj\nČeská Lípa;Liberecký\n".encode("utf-8-sig"), "utf-8-sig"),
        ("Obec;Kraj\nČeská Lípa;Liberecký\n".encode(), "utf-8"),
        ("Obec;Kraj\nČeská Lípa;Liberecký\n".encode("cp1250"), "cp1250"),
    ],
)
def test_czech_encodings_are_recognised(data, encoding):
    table = preview.read_csv(data, 10)

    assert table.encoding == encoding
    assert table.rows == [["Česká Lípa", "Liberecký"]]


def test_a_file_that_is_not_xlsx_says_so():
    with pytest.raises(preview.PreviewError, match="not an XLSX workbook"):
        preview.read_table(b"Obec,Kraj\n", "XLSX", 10)


def test_a_large_csv_is_previewed_from_its_first_megabyte(app, upload, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.preview.max_bytes", 1000)
    rows = "".join(f"{i};Obec č. {i}\n" for i in range(100_000))  # about 1.7 MB
    dataset = factories.Dataset()
    resource = upload(dataset["id"], "kod;nazev\n" + rows, "velke.csv")

    page = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}").body

    assert "<td>Obec č. 99</td>" in page and "<td>Obec č. 100</td>" not in page
    assert "first 100 rows" in page


def test_the_cut_last_line_of_a_file_head_is_dropped():
    table = preview.read_csv(b"a;b\n1;x\n2;y\n3;z-cut-her", 10, complete=False)

    assert table.rows == [["1", "x"], ["2", "y"]] and table.truncated


def test_a_preview_is_parsed_once_and_again_after_the_file_changes(app, upload, file_server):
    dataset = factories.Dataset()
    resource = upload(dataset["id"], "Obec\nTurnov\n", "obce.csv")
    page = f"/dataset/{dataset['id']}/resource/{resource['id']}"
    assert "<td>Turnov</td>" in app.get(page).body

    upload(dataset["id"], "Obec\nSemily\n", "obce.csv", action="resource_update", id=resource["id"])

    assert "<td>Semily</td>" in app.get(page).body and "<td>Turnov</td>" not in app.get(page).body

    file_server.files["/obce.csv"] = b"Obec\nTanvald\n"
    linked = call_action(
        "resource_create",
        context={"user": ckan_factories.Sysadmin()["name"]},
        package_id=dataset["id"],
        url=f"{file_server.url}/obce.csv",
        format="CSV",
        name="Odkaz",
        **factories.OPEN_TERMS,
    )
    for _ in range(2):
        assert (
            "<td>Tanvald</td>" in app.get(f"/dataset/{dataset['id']}/resource/{linked['id']}").body
        )
    assert file_server.requests == ["/obce.csv"]
