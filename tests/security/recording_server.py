"""A real HTTP(S) server for the attack tests that records every request it gets (path and
Host header), on any loopback address and port, answering from a table of routes."""

from __future__ import annotations

import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Hit:
    path: str
    host: str


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class RecordingServer:
    """``with RecordingServer() as server: server.route("/x", body=b"..."); server.hits``."""

    def __init__(
        self, address: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._server = ThreadingHTTPServer((address, port), _handler(self))
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.address = address
        self.port = self._server.server_address[1]
        self.url = f"{'https' if tls else 'http'}://{address}:{self.port}"

    def route(self, path: str, status: int = 200, body: bytes = b"", **headers: str) -> str:
        self.routes[path] = Route(
            status, body, {k.replace("_", "-"): v for k, v in headers.items()}
        )
        return self.url + path

    def redirect(self, path: str, location: str) -> str:
        return self.route(path, 302, b"", Location=location)

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler(owner: RecordingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, with_body: bool) -> None:
            owner.hits.append(Hit(self.path, self.headers.get("Host", "")))
            route = owner.routes.get(self.path.split("?")[0], Route(404, b"Not Found"))
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if with_body:
                self.wfile.write(route.body)

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def make_certificates(directory: Path, host_name: str) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for host_name signed by it, made with the
    openssl command: (CA certificate, server certificate, server key)."""
    ca_key, ca_cert = directory / "ca.key", directory / "ca.pem"
    key, request, cert = (
        directory / "server.key",
        directory / "server.csr",
        directory / "server.pem",
    )
    extensions = directory / "server.ext"
    extensions.write_text(
        f"subjectAltName=DNS:{host_name}\nbasicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
    )
    commands = [
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_cert,
         "-days", "2", "-subj", "/CN=Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request,
         "-subj", f"/CN={host_name}"],
        ["x509", "-req", "-in", request, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial",
         "-out", cert, "-days", "2", "-extfile", extensions],
    ]  # fmt: skip
    for command in commands:
        subprocess.run(["openssl", *map(str, command)], check=True, capture_output=True)
    return ca_cert, cert, key
