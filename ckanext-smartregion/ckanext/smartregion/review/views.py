"""Pages of the review workflow: the steward dashboard /sprava and the review box's forms."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, g

from ckanext.smartregion.language import N_
from ckanext.smartregion.review import harvest_errors, issues, listing

smartregion_review = Blueprint("smartregion_review", __name__, url_prefix="/sprava")
QUALITY_PAGE_SIZE = 25
# the dashboard counts pending and returned datasets up to this many ("1000+")
COUNT_LIMIT = 1000
# the review box's steps in the URL, Czech as /stranky/<slug>/odeslat: step -> action
ACTIONS = {
    "odeslat": "smartregion_review_submit",
    "schvalit": "smartregion_review_approve",
    "vratit": "smartregion_review_return",
}
# the English steps of the URLs up to 0.4.0, still accepted (forms open in a browser or
# scripts may post to them)
ENGLISH_STEPS = {"submit": "odeslat", "approve": "schvalit", "return": "vratit"}
# step -> the message flashed after it (English; Czech in i18n/)
DONE = {
    "odeslat": N_("Submitted for review."),
    "schvalit": N_("Approved and published."),
    "vratit": N_("Returned to the stewards with a comment."),
}


def _page_number(argument: str) -> int:
    try:
        return max(int(tk.request.args.get(argument, 1)), 1)
    except ValueError:
        return 1


@smartregion_review.route("/")
@smartregion_review.route("")
def dashboard():
    """Pending datasets (and pages), harvest errors and quality scores, worst first."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to(tk.h.url_for("user.login", came_from=tk.h.url_for(".dashboard")))
    user = tk.current_user.name
    g.smartregion_curated = {}  # policy.curated_organizations remembers its answer here
    page = _page_number("strana")
    organization = tk.request.args.get("organizace") or None
    # the quality list narrowed to flagged datasets: a problem (an issue's field, * any) and
    # a harvest source
    problem = tk.request.args.get("problem") or None
    source = tk.request.args.get("zdroj") or None
    try:
        pending = listing.review_list(
            user,
            {
                "state": "pending",
                "organization": organization,
                "limit": 50,
                "count_limit": COUNT_LIMIT,
            },
        )
        returned = listing.review_list(
            user,
            {
                "state": "returned",
                "organization": organization,
                "limit": 50,
                "count_limit": COUNT_LIMIT,
            },
        )
        quality = listing.quality_list(
            user,
            {
                "organization": organization,
                "issue": problem,
                "source": source,
                "limit": QUALITY_PAGE_SIZE,
                "offset": (page - 1) * QUALITY_PAGE_SIZE,
            },
        )
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_dict))
    # Harvest errors: one page of sources with their error counts; a job's messages only for
    # the source the steward opened (?chyby=<source id>), see review/harvest_errors.py.
    harvest_page = _page_number("sber")
    opened = tk.request.args.get("chyby") or None
    sources = harvest_errors.sources_with_errors(user, harvest_page)
    return tk.render(
        "smartregion/review/dashboard.html",
        {
            "pending": pending,
            "returned": returned,
            "quality": quality,
            "page": page,
            "pages": max((quality["count"] + QUALITY_PAGE_SIZE - 1) // QUALITY_PAGE_SIZE, 1),
            "organization": organization,
            "problem": problem,
            "source": source,
            "problems": issues.PROBLEMS,
            "harvest_sources": listing.harvest_sources(user),
            "harvest_errors": sources,
            "harvest_page": harvest_page,
            "harvest_pages": max(
                (sources["count"] + harvest_errors.PAGE_SIZE - 1) // harvest_errors.PAGE_SIZE, 1
            ),
            "opened_job": harvest_errors.job_messages(user, opened) if opened else None,
            "pending_pages": listing.pending_pages(user),
        },
    )


@smartregion_review.route("/dataset/<id>/<step>", methods=["POST"])
def review_step(id: str, step: str):
    """The review box's buttons: submit, approve, return (with the comment)."""
    step = ENGLISH_STEPS.get(step, step)
    if step not in ACTIONS:
        return tk.abort(404)
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else None}
    data = {"id": id, "comment": tk.request.form.get("comment", "")}
    try:
        result = tk.get_action(ACTIONS[step])(context, data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404)
    except tk.ValidationError as error:
        messages = [m for ms in error.error_dict.values() for m in ms]
        tk.h.flash_error(" ".join(str(m) for m in messages))
        return tk.redirect_to(tk.h.url_for("dataset.read", id=id))
    tk.h.flash_success(tk._(DONE[step]))
    package = tk.get_action("package_show")(context, {"id": result["id"]})
    return tk.redirect_to(tk.h.url_for(f"{package['type']}.read", id=package["name"]))


def get_blueprints() -> list[Blueprint]:
    return [smartregion_review]
