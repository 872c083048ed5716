"""What the local sources of the harvester tests and benches share: a real HTTP server on a
free port of 127.0.0.1 answering GETs from its owner's answer(path), and the loop that runs a
harvest job to its end through harvest_jobs_run."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class LocalHttpServer:
    """Subclasses define answer(path) → (status, content type, body); ``with server:`` serves
    them from a background thread until the block ends."""

    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, path: str) -> tuple[int, str, bytes]:
        raise NotImplementedError

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler(owner: LocalHttpServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, content_type, body = owner.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def wait_for_job(
    context: dict,
    source_id: str,
    job_id: str,
    timeout: float,
    pause: float = 0.5,
    logs: dict[str, Path] | None = None,
) -> tuple[dict, dict]:
    """Runs harvest_jobs_run until the job is finished: its harvest_job_show (with the gather
    error messages as "gather_errors") and its harvest_job_report; fails the test, with the
    tails of the consumers' logs, if it takes longer than timeout seconds."""
    import pytest  # here: the benches use the server without pytest and CKAN's test helpers
    from ckan.tests.helpers import call_action

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        call_action("harvest_jobs_run", context=dict(context), source_id=source_id)
        shown = call_action("harvest_job_show", context=dict(context), id=job_id)
        if shown["status"] == "Finished":
            report = call_action("harvest_job_report", context=dict(context), id=job_id)
            shown["gather_errors"] = [e["message"] for e in report["gather_errors"]]
            return shown, report
        time.sleep(pause)
    tails = "\n".join(f"--- {n}:\n{p.read_text()[-4000:]}" for n, p in (logs or {}).items())
    pytest.fail(f"job {job_id} did not finish in {timeout}s\n{tails}")


def reconfigure(context: dict, source: dict, config: dict) -> None:
    """harvest_source_update of the source with a new configuration, the rest unchanged."""
    from ckan.tests.helpers import call_action

    call_action(
        "harvest_source_update",
        context=dict(context),
        **{k: source[k] for k in ("id", "name", "title", "url", "source_type", "owner_org")},
        config=json.dumps(config),
    )


def object_messages(report: dict) -> list[str]:
    """The messages of a harvest_job_report's object errors."""
    return [m["message"] for e in report["object_errors"].values() for m in e["errors"]]
