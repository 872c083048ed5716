"""The Content-Security-Policy in a real browser (security_headers.py): another site frames the
embeddable chart but not the portal's pages; resource views run in their frames with the
request's nonce (text, GeoJSON map, DataTables view with its Refit button). Any other
violation fails the test (the new_page fixture)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from tests import factories

TEXT = "První řádek poznámek.\nDruhý řádek.\n"
GEOJSON = (
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
    '{"obec": "Liberec"}, "geometry": {"type": "Point", "coordinates": [15.05, 50.77]}}]}'
)


@contextmanager
def neighbour_site(html: str) -> Iterator[str]:
    """Another site on a port of its own (a real loopback server: Chromium refuses a frame of
    a loopback address inside a page that does not come from one); yields its address."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_another_site_frames_the_chart_but_not_the_portal(
    portal_content, new_page, screenshots, live_server
):
    code = portal_content.indicator["indicator_code"]
    html = (
        f'<!doctype html><title>Soused</title><iframe id="chart" src="{live_server.url}'
        f'/ukazatel/{code}/graf" width="600" height="400"></iframe>'
        f'<iframe id="home" src="{live_server.url}/"></iframe>'
    )
    page = new_page()
    with neighbour_site(html) as neighbour:
        page.route(f"{neighbour}/**", lambda route: route.continue_())
        page.goto(f"{neighbour}/")
        chart = page.frame_locator("#chart")
        chart.locator("canvas[role=img]").wait_for()
        page.wait_for_load_state("load")
        screenshots(page, "neighbour-framing")

    chart_frame = next(f for f in page.frames if "/graf" in f.url)
    assert chart_frame.evaluate("() => Chart.getChart(document.querySelector('canvas')) != null")
    refused = [v for v in page.csp_violations if "frame-ancestors 'none'" in v]
    assert refused, "the portal's home page was framed by another site"
    for violation in refused:  # expected: the refusal is what this test checks
        page.csp_violations.remove(violation)
    home_frame = page.frame_locator("#home")
    assert home_frame.locator("#field-sitewide-search").count() == 0


def test_resource_views_run_in_their_frames_with_the_nonce(portal_content, new_page, screenshots):
    sysadmin = {"user": portal_content.sysadmin["name"]}
    dataset = portal_content.dataset
    text = call_action(
        "resource_create",
        context=sysadmin,
        package_id=dataset["id"],
        name="Poznámky",
        format="TXT",
        url="poznamky.txt",
        upload=FileStorage(io.BytesIO(TEXT.encode()), "poznamky.txt", content_type="text/plain"),
        **factories.OPEN_TERMS,
    )
    geojson = call_action(
        "resource_create",
        context=sysadmin,
        package_id=dataset["id"],
        name="Obce",
        format="GeoJSON",
        url="obce.geojson",
        upload=FileStorage(
            io.BytesIO(GEOJSON.encode()), "obce.geojson", content_type="application/geo+json"
        ),
        **factories.OPEN_TERMS,
    )
    table = call_action(
        "datastore_create",
        context=sysadmin,
        resource={"package_id": dataset["id"], "name": "Tabulka", **factories.OPEN_TERMS},
        fields=[{"id": "rok", "type": "int"}, {"id": "obec", "type": "text"}],
        records=[{"rok": 2024, "obec": "Liberec"}, {"rok": 2025, "obec": "Jablonec nad Nisou"}],
    )
    for resource_id, view_type in (
        (text["id"], "text_view"),
        (geojson["id"], "geojson_view"),
        (table["resource_id"], "datatables_view"),
    ):
        views = call_action("resource_view_list", id=resource_id)
        if not any(v["view_type"] == view_type for v in views):
            call_action(
                "resource_view_create",
                context=sysadmin,
                resource_id=resource_id,
                view_type=view_type,
                title=view_type,
            )
    page = new_page()

    page.goto(f"/dataset/{dataset['name']}/resource/{text['id']}")
    view = page.frame_locator("iframe[data-module=data-viewer]")
    view.locator("pre pre", has_text="Druhý řádek").wait_for()
    screenshots(page, "text-view")

    page.goto(f"/dataset/{dataset['name']}/resource/{geojson['id']}")
    view = page.frame_locator("iframe[data-module=data-viewer]")
    view.locator(".leaflet-marker-icon, .leaflet-overlay-pane path").first.wait_for()
    screenshots(page, "geojson-view")  # (the base map's tiles are outside: refused)

    page.goto(f"/dataset/{dataset['name']}/resource/{table['resource_id']}")
    view = page.frame_locator("iframe[data-module=data-viewer]")
    view.locator("#dtprv tbody td", has_text="Jablonec nad Nisou").wait_for()
    view.locator("#refit-button").click()  # its onclick is csp-compat.js's listener now
    screenshots(page, "datatables-view")
    assert view.locator("#dtprv tbody tr").count() == 2
