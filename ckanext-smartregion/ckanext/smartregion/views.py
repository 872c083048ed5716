"""The portal's own pages: an indicator's permanent URL by code, its embeddable chart and
its value downloads (CSV, JSON, XLSX)."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, send_file

from ckanext.smartregion import dashboards, solr_query
from ckanext.smartregion.apidocs import smartregion_apidocs
from ckanext.smartregion.area import smartregion_area
from ckanext.smartregion.indicators import bulk, page
from ckanext.smartregion.metering_views import smartregion_metering
from ckanext.smartregion.oai.views import smartregion_oai
from ckanext.smartregion.traffic_views import smartregion_traffic

smartregion_indicator = Blueprint("smartregion_indicator", __name__, url_prefix="/ukazatel")
smartregion_plan = Blueprint("smartregion_plan", __name__, url_prefix="/akcni-plan")
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


@smartregion_plan.route("/<level>/<code>")
def dashboard(level: str, code: str):
    """A strategic goal's, activity area's or specific objective's indicators and projects."""
    try:
        data = dashboards.dashboard(level, code, _user())
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Not part of the action plan: {0}/{1}").format(level, code))
    return tk.render("smartregion/plan/dashboard.html", data)


REPORT_KINDS = {"vyrocni": "annual", "monitorovaci": "monitoring"}
REPORT_MEDIA_TYPES = {"pdf": "application/pdf", "json": "application/json"}


def _report_kind(word: str, year: int) -> str:
    """The report's kind; 404 for an unknown kind or a year outside the action plan."""
    from ckanext.smartregion.reports import data

    if word not in REPORT_KINDS:
        tk.abort(404, tk._("Reports are vyrocni (annual) or monitorovaci (monitoring)"))
    if year not in data.years():
        plan_years = data.years()
        tk.abort(
            404,
            tk._("There are reports for the action plan's years {0}–{1} only").format(
                plan_years[0], plan_years[-1]
            ),
        )
    return REPORT_KINDS[word]


def _rendered_report(kind: str, year: int, fmt: str) -> bytes:
    """The report as page (the body inside the portal's page), pdf or json, rendered only
    when the data changed since it was last rendered (reports/cache.py)."""
    from ckanext.smartregion.reports import cache, publish, render

    def fresh() -> bytes:
        built, changes = publish.report_with_changes(kind, year)
        if fmt == "pdf":
            return render.pdf(built, changes)
        if fmt == "json":
            return render.as_json(built, changes)
        return render.html(built, changes, standalone=False).encode("utf-8")

    return cache.rendered(kind, year, fmt, fresh)


@smartregion_plan.route("/zpravy/<kind>/<int:year>")
def report_page(kind: str, year: int):
    """The report as a page of the portal, with its PDF and JSON and, for the coordinator,
    the button that publishes it."""
    from ckanext.smartregion.reports import render

    report_kind = _report_kind(kind, year)
    body = _rendered_report(report_kind, year, "page").decode("utf-8")
    try:
        tk.check_access("smartregion_report_publish", {"user": _user()}, {})
        can_publish = True
    except tk.NotAuthorized:
        can_publish = False
    return tk.render(
        "smartregion/report/page.html",
        {
            "body": body,
            "report_title": render.title({"kind": report_kind, "year": year}),
            "kind": kind,
            "year": year,
            "can_publish": can_publish,
        },
    )


@smartregion_plan.route("/zpravy/<kind>/<int:year>.<fmt>")
def report_file(kind: str, year: int, fmt: str):
    report_kind = _report_kind(kind, year)
    if fmt not in REPORT_MEDIA_TYPES:
        return tk.abort(404, tk._("Download as pdf or json"))
    return Response(
        _rendered_report(report_kind, year, fmt),
        mimetype=REPORT_MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'inline; filename="zprava-{kind}-{year}.{fmt}"'},
    )


@smartregion_plan.route("/zpravy/<kind>/<int:year>/zverejnit", methods=["POST"])
def report_publish(kind: str, year: int):
    """The coordinator's button: publish the report as a dataset."""
    from ckanext.smartregion.reports import publish

    report_kind = _report_kind(kind, year)
    context = {"user": _user()}
    try:
        tk.check_access("smartregion_report_publish", context, {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the plan's coordinator may publish reports"))
    try:
        dataset = publish.publish({"user": _user()}, report_kind, year)
    except tk.ValidationError as error:  # every name of the report held elsewhere
        for messages in error.error_dict.values():
            for message in messages:
                tk.h.flash_error(message)
        return tk.redirect_to("smartregion_plan.report_page", kind=kind, year=year)
    tk.h.flash_success(tk._("The report was published."))
    return tk.redirect_to("dataset.read", id=dataset["name"])


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


def get_blueprints() -> list[Blueprint]:
    """Every blueprint of the main plugin (registered by the blanket in plugin.py)."""
    return [
        smartregion_indicator,
        smartregion_plan,
        smartregion_bulk,
        smartregion_area,
        smartregion_apidocs,
        smartregion_oai,
        smartregion_traffic,
        smartregion_metering,
    ]
