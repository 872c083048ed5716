"""Queueing the "download all" ZIP builds on the smartregion_downloads queue: at most one
waiting or running build per dataset (and one more that fetches the linked files, which only
a steward asks for); a build of a current ZIP does nothing, so a version is built once."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.downloads import archive, source

log = logging.getLogger(__name__)


def job_id(package_id: str, include_remote: bool = False) -> str:
    return f"smartregion_downloads-{package_id}{'-remote' if include_remote else ''}"


def _already_waiting(identifier: str) -> bool:
    # The toolkit has no look-up of a job by id; RQ's queue fetches it in O(1).
    from ckan.lib.jobs import get_queue

    job = get_queue(archive.QUEUE).fetch_job(identifier)
    return job is not None and job.get_status(refresh=True) in ("queued", "started")


def request_build(package_id: str, name: str = "", include_remote: bool = False) -> bool:
    """Queues a build of the dataset's ZIP unless one is already waiting or running; True if
    queued. include_remote (a steward's build): the linked files are fetched too."""
    identifier = job_id(package_id, include_remote)
    if _already_waiting(identifier):
        return False
    title = archive.REMOTE_JOB_TITLE if include_remote else archive.JOB_TITLE
    tk.enqueue_job(
        archive.build,
        [package_id],
        {"include_remote": True} if include_remote else {},
        title=title.format(name=name or package_id),
        queue=archive.QUEUE,
        rq_kwargs={"job_id": identifier},
    )
    return True


def _worth_building_now(pkg_dict: dict[str, Any]) -> bool:
    """Files the portal holds itself (uploads, DataStore tables), or a ZIP someone asked for
    before. A dataset of links only is built on its first request (its ZIP lists the links):
    a harvest of thousands of records must not queue thousands of builds at once."""
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
