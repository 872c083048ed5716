"""Queueing the "download all" ZIP builds on the smartregion_downloads queue, at most one
waiting build per dataset."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.downloads import archive, source

log = logging.getLogger(__name__)


def job_id(package_id: str) -> str:
    return f"smartregion_downloads-{package_id}"


def _already_waiting(package_id: str) -> bool:
    # The toolkit has no look-up of a job by id; RQ's queue fetches it in O(1).
    from ckan.lib.jobs import get_queue

    job = get_queue(archive.QUEUE).fetch_job(job_id(package_id))
    return job is not None and job.get_status(refresh=True) == "queued"


def request_build(package_id: str, name: str = "") -> bool:
    """Queues a build of the dataset's ZIP unless one is already waiting; True if queued."""
    if _already_waiting(package_id):
        return False
    tk.enqueue_job(
        archive.build,
        [package_id],
        title=archive.JOB_TITLE.format(name=name or package_id),
        queue=archive.QUEUE,
        rq_kwargs={"job_id": job_id(package_id)},
    )
    return True


def _worth_building_now(pkg_dict: dict[str, Any]) -> bool:
    """Files the portal holds itself (uploads, DataStore tables), or a ZIP someone asked for
    before. A dataset of links only is built on its first request: a harvest of thousands of
    records must not make the worker download every remote file at once."""
    local = any(
        source.is_upload(r) or source.is_datastore_only(r) or r.get("datastore_active")
        for r in pkg_dict.get("resources") or []
    )
    return local or archive.recorded_state(pkg_dict["id"]) is not None


def on_dataset_change(pkg_dict: dict[str, Any], deleted: bool = False) -> None:
    if not tk.config.get("ckanext.smartregion.downloads.build_on_change"):
        return
    if not deleted and not _worth_building_now(pkg_dict):
        return
    name = pkg_dict.get("name", "")
    try:
        request_build(pkg_dict["id"], name)
    except Exception:  # a queue outage must not fail the edit; the page queues it later
        log.exception("could not queue the download-all build of %s", name or pkg_dict["id"])
