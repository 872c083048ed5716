"""A real HTTP file server on 127.0.0.1 for tests and benchmarks: files held in memory by
path, with faults switched on per test (HTTP errors for the next N requests)."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from tests.harvesters.local_http import LocalHttpServer, wait_for_job

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class FileServer(LocalHttpServer):
    """with FileServer() as server: server.put("/a.csv", b"..."); server.url + "/a.csv"."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.http_errors: list[int] = []  # statuses answered to the next requests
        self.requests: list[str] = []
        self.lock = threading.Lock()
        super().__init__()

    def put(self, path: str, body: bytes | str) -> str:
        self.files[path] = body.encode("utf-8") if isinstance(body, str) else body
        return self.url + path

    def answer(self, path: str) -> tuple[int, str, bytes]:
        path = urlsplit(path).path
        with self.lock:
            self.requests.append(path)
            if self.http_errors:
                return self.http_errors.pop(0), "text/plain", b"Service Unavailable"
        body = self.files.get(path)
        if body is None:
            return 404, "text/plain", b"Not Found"
        suffix = path[path.rfind(".") :] if "." in path else ""
        return 200, CONTENT_TYPES.get(suffix, "application/octet-stream"), body


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
        from ckan.tests.helpers import call_action

        job = call_action(
            "harvest_job_create", context=dict(self.context), source_id=self.source["id"]
        )
        if consumers is None:
            self._run_stages(job["id"])
        pause = 0.3 if consumers is None else 0.5
        shown, report = wait_for_job(
            self.context, self.source["id"], job["id"], timeout, pause, consumers
        )
        shown["object_errors"] = [
            (entry["guid"], error["message"], error["line"])
            for entry in report["object_errors"].values()
            for error in entry["errors"]
        ]
        return shown

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
