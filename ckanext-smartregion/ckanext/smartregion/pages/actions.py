"""Actions of the content pages: stewards create and edit drafts and submit them; the
coordinator publishes or returns them. Every change is a revision (who, when, what, the full
text). Anyone else sees only the text of the last published revision."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import Session

from ckanext.smartregion.clock import now
from ckanext.smartregion.pages import roles
from ckanext.smartregion.pages.model import (
    KINDS,
    STATES,
    SmartRegionPage,
    SmartRegionPageRevision,
)
from ckanext.smartregion.plan import taxonomy

Context = dict[str, Any]
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])$")
RESERVED_SLUGS = {"novy", "new"}
TEXT_FIELDS = ("title_cs", "title_en", "body_cs", "body_en")
MAX_TITLE, MAX_BODY = 200, 100_000


def _user_id(context: Context) -> str | None:
    user = context.get("auth_user_obj")
    return user.id if user is not None else None


def _clean(data: dict[str, Any], page: SmartRegionPage | None) -> dict[str, Any]:
    """The page's fields from the request, checked; errors name the field and the fix."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if page is None:
        slug = str(data.get("slug") or "").strip()
        if not SLUG.match(slug) or slug in RESERVED_SLUGS:
            errors["slug"] = [
                tk._(
                    "Use 2–100 lowercase letters without diacritics, digits and hyphens, "
                    "e.g. o-konceptu"
                )
            ]
        elif SmartRegionPage.by_slug(slug):
            errors["slug"] = [tk._("A page with this address already exists; choose another")]
        values["slug"] = slug
    kind = data.get("kind", page.kind if page else None)
    if kind not in KINDS:
        errors["kind"] = [tk._("Choose one of: {0}").format(", ".join(KINDS))]
    values["kind"] = kind
    area = data.get("area_code", page.area_code if page else None) or None
    if kind == "area":
        if not area or taxonomy.get().get("activity_areas", str(area)) is None:
            codes = ", ".join(taxonomy.get().codes("activity_areas"))
            errors["area_code"] = [tk._("An area text needs its activity area: {0}").format(codes)]
    else:
        area = None
    values["area_code"] = str(area) if area else None
    for field in TEXT_FIELDS:
        text = data.get(field, getattr(page, field) if page else "")
        text = "" if text is None else str(text).replace("\r\n", "\n")
        limit = MAX_TITLE if field.startswith("title") else MAX_BODY
        if len(text) > limit:
            errors[field] = [tk._("At most {0} characters").format(limit)]
        values[field] = text.strip() if field.startswith("title") else text
    if not values["title_cs"]:
        errors["title_cs"] = [tk._("Give the page a Czech title")]
    if errors:
        raise tk.ValidationError(errors)
    return values


def _page(data_dict: dict[str, Any]) -> SmartRegionPage:
    key = str(tk.get_or_bust(data_dict, "id"))
    page = SmartRegionPage.by_slug(key) or Session.get(SmartRegionPage, key)
    if page is None:
        raise tk.ObjectNotFound(tk._("Page not found: {0}").format(key))
    return page


def _record(
    page: SmartRegionPage, context: Context, action: str, comment: str | None = None
) -> None:
    """Saves the page and one revision with its full text; all or nothing."""
    last = (
        Session.query(SmartRegionPageRevision.number)
        .filter(SmartRegionPageRevision.page_id == page.id)
        .order_by(SmartRegionPageRevision.number.desc())
        .limit(1)
        .scalar()
    )
    page.modified = now()
    Session.add(page)
    Session.flush()
    Session.add(
        SmartRegionPageRevision(
            page_id=page.id,
            number=(last or 0) + 1,
            action=action,
            state=page.state,
            user_id=_user_id(context),
            comment=comment or None,
            **{field: getattr(page, field) for field in TEXT_FIELDS},
        )
    )
    try:
        Session.commit()
    except Exception:
        Session.rollback()
        raise


def _published_revision(page_id: str) -> SmartRegionPageRevision | None:
    return (
        Session.query(SmartRegionPageRevision)
        .filter(
            SmartRegionPageRevision.page_id == page_id,
            SmartRegionPageRevision.action == "publish",
        )
        .order_by(SmartRegionPageRevision.number.desc())
        .first()
    )


def _public_dict(page: SmartRegionPage) -> dict[str, Any] | None:
    """What the public may see of a page: the text of its last published revision."""
    revision = _published_revision(page.id) if page.published else None
    if revision is None:
        return None
    shown = page.as_dict()
    shown.update({field: getattr(revision, field) for field in TEXT_FIELDS})
    shown.update(state="published", revision=revision.number, author_id=None)
    return shown


def _may_see_drafts(context: Context) -> bool:
    return roles.is_steward(context.get("user"))


def smartregion_page_create(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Creates a draft page. slug, kind (about|plan|area|news), area_code (for kind area),
    title_cs, title_en, body_cs, body_en (Markdown)."""
    tk.check_access("smartregion_page_create", context, data_dict)
    values = _clean(data_dict, None)
    page = SmartRegionPage(state="draft", author_id=_user_id(context), **values)
    _record(page, context, "create")
    return page.as_dict()


def _refuse_moving_published(context: Context, page: SmartRegionPage, values: dict) -> None:
    """A published page's kind and area are live at once (they are not part of a revision):
    only the coordinator changes them. Decided from the stored page."""
    if page.published is None or roles.is_coordinator(context.get("user")):
        return
    labels = {"kind": tk._("kind"), "area_code": tk._("activity area")}
    errors = {
        field: [
            tk._(
                "The page is published with the {0} {1}; only the coordinator may change it. "
                "Keep {1} or ask the coordinator"
            ).format(label, getattr(page, field) or "—")
        ]
        for field, label in labels.items()
        if values[field] != getattr(page, field)
    }
    if errors:
        raise tk.ValidationError(errors)


def smartregion_page_update(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Saves a new text of a page as a draft; the public keeps seeing the last published
    text until the coordinator publishes again. The kind and area of a page once published
    change only by the coordinator."""
    tk.check_access("smartregion_page_update", context, data_dict)
    page = _page(data_dict)
    values = _clean(data_dict, page)
    _refuse_moving_published(context, page, values)
    for field, value in values.items():
        setattr(page, field, value)
    page.state = "draft"
    _record(page, context, "update")
    return page.as_dict()


def _transition(
    context: Context,
    data_dict: dict[str, Any],
    action: str,
    allowed_from: tuple[str, ...],
    to: str,
    comment: str | None = None,
) -> dict[str, Any]:
    tk.check_access(f"smartregion_page_{action}", context, data_dict)
    page = _page(data_dict)
    if page.state not in allowed_from:
        raise tk.ValidationError(
            {
                "state": [
                    tk._("The page is {0}; this step needs it {1}").format(
                        page.state, " or ".join(allowed_from)
                    )
                ]
            }
        )
    page.state = to
    if to == "published":
        page.published = now()
    _record(page, context, action, comment)
    return page.as_dict()


def smartregion_page_submit(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """A draft goes to the coordinator for review (pending)."""
    return _transition(context, data_dict, "submit", ("draft",), "pending")


def smartregion_page_publish(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The coordinator publishes the page's current text."""
    return _transition(
        context, data_dict, "publish", ("draft", "pending"), "published", data_dict.get("comment")
    )


def smartregion_page_return(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The coordinator returns a pending page to draft with a comment (required)."""
    comment = str(data_dict.get("comment") or "").strip()
    if not comment:
        message = tk._("Say what to change before it can be published")
        raise tk.ValidationError({"comment": [message]})
    return _transition(context, data_dict, "return", ("pending",), "draft", comment)


@tk.side_effect_free
def smartregion_page_show(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """A page by slug or id. Stewards get the current text (any state) unless they ask for
    published_only; everyone else only the last published text, or Not found."""
    tk.check_access("smartregion_page_show", context, data_dict)
    page = _page(data_dict)
    if _may_see_drafts(context) and not tk.asbool(data_dict.get("published_only")):
        shown = page.as_dict()
        public = _published_revision(page.id) if page.published else None
        shown["published_revision"] = public.number if public else None
        return shown
    public = _public_dict(page)
    if public is None:
        raise tk.ObjectNotFound(tk._("Page not found: {0}").format(data_dict["id"]))
    return public


@tk.side_effect_free
def smartregion_page_list(context: Context, data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Pages, newest first; optional kind, state (stewards only), area_code, limit. Anyone but
    a steward gets the published pages with their published text."""
    tk.check_access("smartregion_page_list", context, data_dict)
    query = Session.query(SmartRegionPage)
    if data_dict.get("kind"):
        query = query.filter(SmartRegionPage.kind == data_dict["kind"])
    if data_dict.get("area_code"):
        query = query.filter(SmartRegionPage.area_code == str(data_dict["area_code"]))
    drafts = _may_see_drafts(context) and not tk.asbool(data_dict.get("published_only"))
    if drafts and data_dict.get("state"):
        if data_dict["state"] not in STATES:
            raise tk.ValidationError({"state": [tk._("One of: {0}").format(", ".join(STATES))]})
        query = query.filter(SmartRegionPage.state == data_dict["state"])
    if not drafts:
        query = query.filter(SmartRegionPage.published.isnot(None))
    order = SmartRegionPage.modified if drafts else SmartRegionPage.published
    query = query.order_by(order.desc())
    try:
        limit = int(data_dict.get("limit") or 100)
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [tk._("A whole number")]}) from None
    pages = query.limit(max(1, min(limit, 1000))).all()
    if drafts:
        return [page.as_dict() for page in pages]
    return [shown for shown in (_public_dict(page) for page in pages) if shown]


@tk.side_effect_free
def smartregion_page_revisions(context: Context, data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's full history, newest first: number, action, state, who, when, comment,
    and the text as it then stood."""
    tk.check_access("smartregion_page_revisions", context, data_dict)
    page = _page(data_dict)
    names: dict[str, str] = {}
    history = []
    for revision in SmartRegionPageRevision.of_page(page.id):
        shown = revision.as_dict()
        if revision.user_id and revision.user_id not in names:
            try:
                user = tk.get_action("user_show")({"ignore_auth": True}, {"id": revision.user_id})
                names[revision.user_id] = user["display_name"]
            except tk.ObjectNotFound:
                names[revision.user_id] = revision.user_id
        shown["user"] = names.get(revision.user_id or "", "")
        history.append(shown)
    return history
