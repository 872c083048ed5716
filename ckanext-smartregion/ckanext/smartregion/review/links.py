"""Link checks: the background job that checks a dataset's resource links and rescores the
dataset, and its queueing (one job per dataset, or one per batch of a bulk import).

Remote URLs are checked with HEAD (GET when HEAD is refused) on the harvesters' safe fetcher
session (harvesters/http.py: http(s) only, no private addresses unless allow-listed, the
connection pinned to the checked address, the same timeouts, redirects checked hop by hop);
uploaded files must exist in storage.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urljoin

import ckan.plugins.toolkit as tk
import requests
from ckan import model
from ckan.lib import uploader

from ckanext.smartregion.clock import now
from ckanext.smartregion.harvesters import http
from ckanext.smartregion.review import quality
from ckanext.smartregion.review.model import LinkCheck


def check_url(url: str, session: requests.Session, settings: http.FetchSettings) -> str | None:
    """None when the URL answers with a success; otherwise why not."""
    for _hop in range(http.MAX_REDIRECTS + 1):
        try:
            timeout = (settings.connect_timeout, settings.read_timeout)
            response = session.head(url, timeout=timeout, allow_redirects=False)
            if response.status_code in (405, 501):
                response = session.get(url, timeout=timeout, allow_redirects=False, stream=True)
                response.close()
        except http.FetchError as error:  # refused by the session's address checks
            return str(error)
        except requests.RequestException as error:
            return f"Nedostupné / unreachable: {error.__class__.__name__}"
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        if response.status_code >= 400:
            return f"HTTP {response.status_code}"
        return None
    return f"Více než {http.MAX_REDIRECTS} přesměrování / too many redirects"


def _check_upload(resource: dict) -> str | None:
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    return None if os.path.isfile(path) else "Nahraný soubor chybí / uploaded file missing"


def check_package(package_id: str) -> dict[str, int]:
    """Checks every resource of the dataset, stores the results, rescores it."""
    try:
        dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    except tk.ObjectNotFound:
        return {"checked": 0, "broken": 0}
    settings = http.FetchSettings.from_config()
    fetcher = http.Fetcher(settings)
    session = fetcher.session
    broken = 0
    seen = []
    try:
        for resource in dataset.get("resources") or []:
            if resource.get("url_type") == "upload":
                problem = _check_upload(resource)
            elif resource.get("url"):
                problem = check_url(resource["url"], session, settings)
            else:
                problem = "Chybí adresa / no URL"
            broken += problem is not None
            seen.append(resource["id"])
            model.Session.merge(
                LinkCheck(
                    resource_id=resource["id"],
                    package_id=package_id,
                    url=resource.get("url"),
                    ok=problem is None,
                    message=problem,
                    checked=now(),
                )
            )
    finally:
        session.close()
    model.Session.query(LinkCheck).filter(
        LinkCheck.package_id == package_id, LinkCheck.resource_id.notin_(seen or [""])
    ).delete(synchronize_session=False)
    model.Session.commit()
    quality.save(dataset, links_checked=True)
    return {"checked": len(seen), "broken": broken}


def request_link_check(pkg_dict: dict[str, Any]) -> None:
    """Queues the link check of a dataset with resources (when link checks are enabled)."""
    if not tk.asbool(tk.config.get("ckanext.smartregion.review.link_check")):
        return
    package_id = pkg_dict.get("id") if isinstance(pkg_dict, dict) else None
    if not package_id:
        return
    tk.enqueue_job(
        check_package,
        [package_id],
        title=f"smartregion link check {package_id}",
        rq_kwargs={"job_id": f"smartregion-links-{package_id}"},
    )


DEFERRED_LINK_CHECK = "smartregion_link_check_deferred"  # context key of bulk importers


def request_link_checks(package_ids: list[str]) -> None:
    """ONE queued job checking the links of many datasets (a harvester's batch, which sets
    DEFERRED_LINK_CHECK in its context so no job is queued per dataset)."""
    if not package_ids or not tk.asbool(tk.config.get("ckanext.smartregion.review.link_check")):
        return
    tk.enqueue_job(
        check_packages,
        [list(package_ids)],
        title=f"smartregion link check of {len(package_ids)} datasets",
        rq_kwargs={"job_id": f"smartregion-links-batch-{package_ids[0]}"},
    )


def check_packages(package_ids: list[str]) -> dict[str, int]:
    """The job of request_link_checks: every dataset's links, one after another."""
    total = {"checked": 0, "broken": 0}
    for package_id in package_ids:
        for key, value in check_package(package_id).items():
            total[key] = total.get(key, 0) + value
    return total
