"""The indicators' pages: an indicator's permanent URL by code, its embeddable chart, the
steward's upload form, its value downloads (CSV, JSON, XLSX) and all indicators at once."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, send_file

from ckanext.smartregion import solr_query
from ckanext.smartregion.indicators import bulk, page

smartregion_indicator = Blueprint("smartregion_indicator", __name__, url_prefix="/ukazatel")
smartregion_bulk = Blueprint("smartregion_bulk", __name__, url_prefix="/ukazatele")
BULK_TYPES = {"csv": "text/csv", "json": "application/json", "zip": "application/zip"}


@smartregion_bulk.route("/vse.<fmt>")
def bulk_download(fmt: str):
    """All public indicators with metadata and values, as prepared by the background job."""
    if fmt not in bulk.FILES:
        return tk.abort(404, tk._("Download as csv, json or zip"))
    path = bulk.directory() / bulk.FILES[fmt]
    if not path.exists():
        bulk.request_rebuild()
        return Response(
            tk._("The file is being prepared; try again in a minute."),
            status=503,
            headers={"Retry-After": "60"},
            mimetype="text/plain",
        )
    return send_file(
        path,
        mimetype=BULK_TYPES[fmt],
        as_attachment=True,
        download_name=bulk.FILES[fmt],
        max_age=300,
    )


MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _user() -> str | None:
    return tk.current_user.name if tk.current_user.is_authenticated else None


def _indicator_by_code(code: str) -> dict[str, Any]:
    """The indicator with this code that the current user may see, else 404."""
    found = tk.get_action("package_search")(
        {"user": _user()},
        {
            "fq": "dataset_type:indicator AND " + solr_query.equals("indicator_code", code),
            "rows": 1,
            "include_private": True,
        },
    )
    if not found["results"]:
        tk.abort(404, tk._("Indicator {0} not found").format(code))
    return tk.get_action("package_show")({}, {"id": found["results"][0]["id"]})


@smartregion_indicator.route("/<code>")
def permanent(code: str):
    """A stable address by indicator code, whatever the dataset's name becomes."""
    return tk.redirect_to("indicator.read", id=_indicator_by_code(code)["name"])


@smartregion_indicator.route("/<code>/nahrat", methods=["GET", "POST"])
def upload_form(code: str):
    """The steward's form: upload a CSV or XLSX of values; bad rows are listed, nothing saved."""
    from flask import request

    indicator = _indicator_by_code(code)
    try:
        tk.check_access("package_update", {"user": _user()}, {"id": indicator["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the indicator's editors may upload values"))
    errors: list[str] = []
    if request.method == "POST":
        upload = request.files.get("upload")
        if not upload or not upload.filename:
            errors = [tk._("Choose a CSV or XLSX file")]
        else:
            try:
                result = tk.get_action("smartregion_indicator_values_upload")(
                    {"user": _user()}, {"id": indicator["id"], "upload": upload}
                )
            except tk.ValidationError as error:
                errors = [message for messages in error.error_dict.values() for message in messages]
            else:
                tk.h.flash_success(tk._("{0} rows saved").format(result["rows"]))
                return tk.redirect_to("indicator.read", id=indicator["name"])
    return tk.render(
        "smartregion/indicator/upload.html", {"pkg": indicator, "errors": errors, "code": code}
    )


@smartregion_indicator.route("/<code>/graf")
def embed(code: str):
    """The chart alone, for embedding in other sites with an iframe."""
    indicator = _indicator_by_code(code)
    return tk.render(
        "smartregion/indicator/embed.html", {"pkg": indicator, "panel": page.panel(indicator)}
    )


@smartregion_indicator.route("/<code>/hodnoty.<fmt>")
def download(code: str, fmt: str):
    if fmt not in MEDIA_TYPES:
        tk.abort(404, tk._("Download as csv, json or xlsx"))
    indicator = _indicator_by_code(code)
    rows = page.download_rows(indicator)
    if fmt == "csv":
        body = page.as_csv(rows)
    elif fmt == "json":
        body = json.dumps(
            {
                "indicator": code,
                "title": indicator["title"],
                "unit": indicator.get("unit"),
                "values": rows,
            },
            ensure_ascii=False,
            default=str,
        ).encode("utf-8")
    else:
        body = page.as_xlsx(rows, code)
    filename = f"ukazatel-{code}.{fmt}"
    return Response(
        body,
        mimetype=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
