"""The action plan's dashboards (/akcni-plan/<level>/<code>) and its reports
(/akcni-plan/zpravy/...: the page, PDF and JSON, and the coordinator's publish button). The
plan's overview and the activity-area pages are in area.py."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.smartregion.plan import dashboards

smartregion_plan = Blueprint("smartregion_plan", __name__, url_prefix="/akcni-plan")


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
