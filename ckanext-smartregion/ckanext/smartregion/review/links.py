"""Background job: checks a dataset's resource links and rescores the dataset.

Remote URLs are checked with HEAD (GET when HEAD is refused) on the harvesters' safe fetcher
session (harvesters/http.py: http(s) only, no private addresses unless allow-listed, the
connection pinned to the checked address, the same timeouts, redirects checked hop by hop);
uploaded files must exist in storage.
"""

from __future__ import annotations

import os
from urllib.parse import urljoin

import ckan.plugins.toolkit as tk
import requests
from ckan import model
from ckan.lib import uploader

from ckanext.smartregion.harvesters import http
from ckanext.smartregion.review import quality
from ckanext.smartregion.review.model import LinkCheck, _now


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
                    checked=_now(),
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
