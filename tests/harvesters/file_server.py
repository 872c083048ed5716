"""A real HTTP file server on 127.0.0.1 for tests and benchmarks: files held in memory by
path, with faults switched on per test (HTTP errors for the next N requests)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class FileServer:
    """with FileServer() as server: server.put("/a.csv", b"..."); server.url + "/a.csv"."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.http_errors: list[int] = []  # statuses answered to the next requests
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def put(self, path: str, body: bytes | str) -> str:
        self.files[path] = body.encode("utf-8") if isinstance(body, str) else body
        return self.url + path

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, path: str) -> tuple[int, str, bytes]:
        with self.lock:
            self.requests.append(path)
            if self.http_errors:
                return self.http_errors.pop(0), "text/plain", b"Service Unavailable"
        body = self.files.get(path)
        if body is None:
            return 404, "text/plain", b"Not Found"
        suffix = path[path.rfind(".") :] if "." in path else ""
        return 200, CONTENT_TYPES.get(suffix, "application/octet-stream"), body

    def __enter__(self) -> FileServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, content_type, body = owner.answer(urlsplit(self.path).path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


class FileSource:
    """One harvest source of a file-based harvester (indicator_sheet, metering) and its jobs,
    run either through the real consumer processes or, stage by stage, in this process."""

    def __init__(self, source_type: str, url: str, config: dict, owner_org: str) -> None:
        import json

        from ckan.tests import factories
        from ckan.tests.helpers import call_action

        self.sysadmin = factories.Sysadmin()
        self.context = {"user": self.sysadmin["name"], "ignore_auth": False}
        self.source = call_action(
            "harvest_source_create",
            context=dict(self.context),
            name=f"{source_type.replace('_', '-')}-zdroj",
            title=f"Zdroj {source_type}",
            url=url,
            source_type=source_type,
            config=json.dumps(config),
            owner_org=owner_org,
        )

    def run(self, consumers: dict | None = None, timeout: float = 90) -> dict:
        """Runs one job to the end; its harvest_job_show with gather and object errors."""
        import time

        import pytest
        from ckan.tests.helpers import call_action

        job = call_action(
            "harvest_job_create", context=dict(self.context), source_id=self.source["id"]
        )
        if consumers is None:
            self._run_stages(job["id"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            call_action("harvest_jobs_run", context=dict(self.context), source_id=self.source["id"])
            shown = call_action("harvest_job_show", context=dict(self.context), id=job["id"])
            if shown["status"] == "Finished":
                report = call_action("harvest_job_report", context=dict(self.context), id=job["id"])
                shown["gather_errors"] = [e["message"] for e in report["gather_errors"]]
                shown["object_errors"] = [
                    (entry["guid"], error["message"], error["line"])
                    for entry in report["object_errors"].values()
                    for error in entry["errors"]
                ]
                return shown
            time.sleep(0.3 if consumers is None else 0.5)
        logs = "\n".join(f"--- {n}:\n{p.read_text()[-4000:]}" for n, p in (consumers or {}).items())
        pytest.fail(f"job {job['id']} did not finish in {timeout}s\n{logs}")

    @staticmethod
    def _run_stages(job_id: str) -> None:
        """What the gather and fetch consumers do with the job, here and now."""
        from ckan import model
        from ckanext.harvest import queue
        from ckanext.harvest.model import HarvestJob, HarvestObject

        job = HarvestJob.get(job_id)
        job.status = "Running"
        job.save()
        harvester = queue.get_harvester(job.source.type)
        for object_id in queue.gather_stage(harvester, job) or []:
            queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
        model.Session.remove()
