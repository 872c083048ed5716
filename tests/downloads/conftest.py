"""Fixtures of the download tests: a real local HTTP server standing in for the sites that
linked resources point to, the ZIP directory of each test, and the files the tests upload."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

CSV_ROWS = [("Obec", "Počet obyvatel"), ("Liberec", "104802"), ("Česká Lípa", "36739")]


def csv_bytes(encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    return "\r\n".join(delimiter.join(row) for row in CSV_ROWS).encode(encoding) + b"\r\n"


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Obce"
    sheet.append(["Obec", "Rozloha km²"])
    sheet.append(["Jablonec nad Nisou", 31.4])
    sheet.append(["Turnov", 22])
    workbook.create_sheet("Poznámky")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def geojson_bytes() -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [15.056, 50.767]},
                    "properties": {"nazev": "Krajský úřad", "patra": 7},
                },
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [15.168, 50.724]},
                    "properties": {"nazev": "Ještěd"},
                },
            ],
        },
        ensure_ascii=False,
    ).encode("utf-8")


def png_bytes() -> bytes:
    """A valid 1×1 grey PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


class FileServer:
    """Serves the bytes in `files` by path on 127.0.0.1; any other path answers 404."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        files, requests = self.files, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                body = files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def file_server(ckan_config, monkeypatch) -> Iterator[FileServer]:
    """A local site the linked resources point to; the safe fetcher may reach it."""
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.harvest.allowed_hosts", ["127.0.0.1"])
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.harvest.retries", 0)
    with FileServer() as server:
        yield server


@pytest.fixture
def downloads_dir(tmp_path, ckan_config, monkeypatch):
    path = tmp_path / "downloads"
    monkeypatch.setitem(ckan_config, "ckanext.smartregion.downloads.directory", str(path))
    return path


@pytest.fixture
def upload(create_with_upload):
    """Uploads a file as a new resource (or, with action="resource_update", over one) of
    dataset_id, with open terms of use, as a sysadmin."""
    from ckan.tests import factories as ckan_factories

    from tests.factories import OPEN_TERMS

    user = ckan_factories.Sysadmin()["name"]

    def make(dataset_id: str, data: bytes | str, filename: str, **fields):
        fields.setdefault("name", filename)
        return create_with_upload(
            data, filename, context={"user": user}, package_id=dataset_id, **OPEN_TERMS, **fields
        )

    return make
