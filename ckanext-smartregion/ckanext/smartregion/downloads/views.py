"""The "download all" ZIP of a dataset at a stable address, /dataset/<id>/stahnout-vse.zip:
the file when it is current, otherwise HTTP 202 with a "being prepared" page and
Retry-After while the background job builds it. Whoever may see the dataset may download it;
the build a request causes holds the portal's own files and lists the linked ones (archive.py
says why), so no visitor makes the portal download remote files."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, send_file

from ckanext.smartregion.downloads import archive, jobs

smartregion_downloads = Blueprint("smartregion_downloads", __name__)


@smartregion_downloads.route("/dataset/<id>/stahnout-vse.zip")
def download_all(id: str):
    try:
        pkg = tk.get_action("package_show")({"user": tk.current_user.name or None}, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Unauthorized to read package %s") % id)
    if archive.is_current(pkg):
        response = send_file(
            archive.zip_path(pkg["id"]),
            mimetype="application/zip",
            as_attachment=True,
            download_name=f"{pkg['name']}.zip",
            max_age=0,
        )
        response.headers["Cache-Control"] = "private, no-cache"
        return response
    jobs.request_build(pkg["id"], pkg["name"])
    retry_after = tk.config.get("ckanext.smartregion.downloads.retry_after")
    body = tk.render(
        "smartregion/downloads/preparing.html", {"pkg": pkg, "retry_after": retry_after}
    )
    return Response(body, status=202, headers={"Retry-After": str(retry_after)})


def get_blueprints() -> list[Blueprint]:
    return [smartregion_downloads]
