"""Queries behind smartregion_review_list and the steward dashboard, limited to the
organisations the user curates (sysadmins: all). Indexed columns, paged, for 10,000+ rows."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartregion.review import policy
from ckanext.smartregion.review.model import STATES, QualityScore, ReviewState

MAX_LIMIT = 500


def _page(data_dict: dict[str, Any], default: int = 50) -> tuple[int, int]:
    try:
        limit = min(max(int(data_dict.get("limit", default)), 1), MAX_LIMIT)
        offset = max(int(data_dict.get("offset", 0)), 0)
    except (TypeError, ValueError) as error:
        raise tk.ValidationError({"limit": ["limit and offset must be whole numbers"]}) from error
    return limit, offset


def _organization_filter(query: Any, user: str, organization: str | None) -> Any:
    curated = policy.curated_organizations(user)
    if organization:
        group = model.Group.get(organization)
        if group is None:
            raise tk.ValidationError({"organization": [f"Unknown organisation {organization!r}"]})
        if curated is not None and group.id not in curated:
            return query.filter(False)
        return query.filter(model.Package.owner_org == group.id)
    if curated is not None:
        return query.filter(model.Package.owner_org.in_(curated or [""]))
    return query


def review_list(user: str, data_dict: dict[str, Any]) -> dict[str, Any]:
    state = data_dict.get("state")
    if state and state not in STATES:
        raise tk.ValidationError({"state": [f"Unknown state; use one of: {', '.join(STATES)}"]})
    limit, offset = _page(data_dict)
    query = (
        model.Session.query(ReviewState, model.Package, model.User.name)
        .join(model.Package, model.Package.id == ReviewState.package_id)
        .outerjoin(model.User, model.User.id == ReviewState.updated_by)
        .filter(model.Package.state == "active")
    )
    if state:
        query = query.filter(ReviewState.state == state)
    query = _organization_filter(query, user, data_dict.get("organization"))
    count = query.count()
    rows = query.order_by(ReviewState.updated.desc()).limit(limit).offset(offset)
    return {
        "count": count,
        "results": [
            {
                "id": package.id,
                "name": package.name,
                "title": package.title,
                "type": package.type,
                "owner_org": package.owner_org,
                "state": review.state,
                "comment": review.comment,
                "updated": review.updated.isoformat(),
                "updated_by": user_name,
            }
            for review, package, user_name in rows
        ],
    }


def quality_list(user: str, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Scores of the datasets the user curates, worst first. Reads the score table alone
    (index on owner_org, score) and fetches only the page's datasets; scores of deleted
    datasets are dropped by the plugin's after_dataset_delete hook."""
    limit, offset = _page(data_dict, default=25)
    query = model.Session.query(QualityScore)
    curated = policy.curated_organizations(user)
    organization = data_dict.get("organization")
    if organization:
        group = model.Group.get(organization)
        if group is None:
            raise tk.ValidationError({"organization": [f"Unknown organisation {organization!r}"]})
        allowed = curated is None or group.id in curated
        query = query.filter(QualityScore.owner_org == (group.id if allowed else ""))
    elif curated is not None:
        query = query.filter(QualityScore.owner_org.in_(curated or [""]))
    count = query.count()
    scores = query.order_by(QualityScore.score.asc(), QualityScore.package_id).limit(limit)
    scores = scores.offset(offset).all()
    packages = {
        package.id: package
        for package in model.Session.query(model.Package).filter(
            model.Package.id.in_([score.package_id for score in scores] or [""])
        )
    }
    return {
        "count": count,
        "results": [
            {
                "id": package.id,
                "name": package.name,
                "title": package.title,
                "type": package.type,
                "score": quality.score,
                "missing": quality.missing,
                "broken_links": quality.broken_links,
                "links_checked": quality.links_checked.isoformat()
                if quality.links_checked
                else None,
            }
            for quality in scores
            if (package := packages.get(quality.package_id)) is not None
        ],
    }


def pending_pages(user: str) -> list[dict[str, Any]] | None:
    """Content pages pending review when the pages plugin offers smartregion_page_list
    (which gives a non-steward the published pages: only pending ones are kept); None when
    the plugin is not there."""
    try:
        page_list = tk.get_action("smartregion_page_list")
    except KeyError:
        return None
    try:
        pages = page_list({"user": user}, {"state": "pending", "limit": 50})
    except (tk.NotAuthorized, tk.ValidationError):
        return []
    english = tk.h.lang() == "en"
    return [
        {
            "title": (page.get("title_en") if english else None) or page.get("title_cs"),
            "name": page.get("slug"),
            "url": tk.h.url_for("smartregion_pages.read", slug=page["slug"]),
        }
        for page in pages
        if page.get("state") == "pending" and page.get("slug")
    ]
