"""Pages of the content-page workflow: /stranky (list), /stranky/<slug> (read), editing with a
Markdown preview, the workflow buttons and the history."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.smartregion.pages import roles
from ckanext.smartregion.pages.model import KINDS
from ckanext.smartregion.plan import taxonomy

smartregion_pages = Blueprint("smartregion_pages", __name__, url_prefix="/stranky")
FORM_FIELDS = ("slug", "kind", "area_code", "title_cs", "title_en", "body_cs", "body_en")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _roles() -> dict[str, bool]:
    user = _context()["user"]
    return {"can_edit": roles.is_steward(user), "can_publish": roles.is_coordinator(user)}


def _show(slug: str, **extra: Any) -> dict[str, Any]:
    try:
        return tk.get_action("smartregion_page_show")(_context(), {"id": slug, **extra})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Page not found"))


@smartregion_pages.route("")
def index():
    kind = request.args.get("druh") or None
    pages = tk.get_action("smartregion_page_list")(
        _context(), {"kind": kind} if kind in KINDS else {}
    )
    return tk.render(
        "smartregion/pages/index.html", {"pages": pages, "kind": kind, "kinds": KINDS, **_roles()}
    )


def _form(page: dict[str, Any] | None):
    """The create/edit form; "preview" renders the Markdown without saving."""
    context = _context()
    action = "smartregion_page_update" if page else "smartregion_page_create"
    try:
        tk.check_access(action, context, {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only data stewards (editors of an organisation) may edit pages"))
    data = {field: (page or {}).get(field) or "" for field in FORM_FIELDS}
    if not page:
        data["kind"] = request.args.get("druh") if request.args.get("druh") in KINDS else "news"
    errors: dict[str, list[str]] = {}
    preview = False
    if request.method == "POST":
        data.update({field: request.form.get(field, "") for field in FORM_FIELDS})
        if page:
            data["slug"] = page["slug"]
        preview = "preview" in request.form
        if not preview:
            try:
                saved = tk.get_action(action)(context, {**data, "id": page["id"]} if page else data)
            except tk.ValidationError as error:
                errors = error.error_dict
            else:
                tk.h.flash_success(tk._("Saved as a draft."))
                return tk.redirect_to("smartregion_pages.read", slug=saved["slug"])
    return tk.render(
        "smartregion/pages/edit.html",
        {
            "page": page,
            "data": data,
            "errors": errors,
            "preview": preview,
            "kinds": KINDS,
            "areas": taxonomy.get().items("activity_areas"),
        },
    )


@smartregion_pages.route("/novy", methods=["GET", "POST"])
def new():
    return _form(None)


@smartregion_pages.route("/<slug>")
def read(slug: str):
    page = _show(slug)
    return tk.render("smartregion/pages/read.html", {"page": page, **_roles()})


@smartregion_pages.route("/<slug>/upravit", methods=["GET", "POST"])
def edit(slug: str):
    if not _roles()["can_edit"]:
        return tk.abort(403, tk._("Only data stewards (editors of an organisation) may edit pages"))
    return _form(_show(slug))


STEPS = {
    "odeslat": ("smartregion_page_submit", "Submitted for review."),
    "zverejnit": ("smartregion_page_publish", "Published."),
    "vratit": ("smartregion_page_return", "Returned to the author."),
}


@smartregion_pages.route("/<slug>/<step>", methods=["POST"])
def workflow(slug: str, step: str):
    if step not in STEPS:
        return tk.abort(404, tk._("Page not found"))
    action, message = STEPS[step]
    page = _show(slug)
    try:
        tk.get_action(action)(
            _context(), {"id": page["id"], "comment": request.form.get("comment", "")}
        )
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            for text in messages:
                tk.h.flash_error(text)
    else:
        tk.h.flash_success(tk._(message))
    return tk.redirect_to("smartregion_pages.read", slug=slug)


@smartregion_pages.route("/<slug>/historie")
def history(slug: str):
    return _history(slug, None)


@smartregion_pages.route("/<slug>/historie/<int:number>")
def revision(slug: str, number: int):
    return _history(slug, number)


def _history(slug: str, number: int | None):
    try:
        revisions = tk.get_action("smartregion_page_revisions")(_context(), {"id": slug})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only data stewards may see a page's history"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Page not found"))
    page = _show(slug)
    chosen = None
    if number is not None:
        chosen = next((r for r in revisions if r["number"] == number), None)
        if chosen is None:
            return tk.abort(404, tk._("No such revision"))
    return tk.render(
        "smartregion/pages/history.html",
        {"page": page, "revisions": revisions, "chosen": chosen},
    )


def get_blueprints() -> list[Blueprint]:
    return [smartregion_pages]
