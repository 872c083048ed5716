"""Queries behind smartregion_review_list and the steward dashboard, limited to the
organisations the user curates (sysadmins: all). Indexed columns, paged, for 10,000+ rows."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestSource
from sqlalchemy.orm import aliased

from ckanext.smartregion.pages.helpers import smartregion_pages_text
from ckanext.smartregion.review import policy
from ckanext.smartregion.review.model import STATES, QualityScore, ReviewState

MAX_LIMIT = 500
# scores that name a harvest issue; the predicate of the partial index
# smartregion_quality_flagged_idx (migration e1a9c4b7f2d6)
FLAGGED = """smartregion_quality.missing @? '$[*] ? (@ starts with "issue:")'"""


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


def _count_limit(data_dict: dict[str, Any]) -> int | None:
    value = data_dict.get("count_limit")
    if value in (None, ""):
        return None
    try:
        return max(int(value), 1)
    except (TypeError, ValueError) as error:
        raise tk.ValidationError({"count_limit": ["count_limit must be a whole number"]}) from error


def review_list(user: str, data_dict: dict[str, Any]) -> dict[str, Any]:
    state = data_dict.get("state")
    if state and state not in STATES:
        raise tk.ValidationError({"state": [f"Unknown state; use one of: {', '.join(STATES)}"]})
    limit, offset = _page(data_dict)
    # The review rows newest first, each row's dataset looked up by its primary key (a lateral
    # subquery; OFFSET 0 keeps the planner from turning it into a hash join over the whole
    # package table), so a page reads its review rows' datasets only: 0.5 s -> 0.2 s at
    # 100,000 datasets and 10,000 pending (bench/sprava.py), most of it the count.
    reviews = model.Session.query(ReviewState)
    if state:
        reviews = reviews.filter(ReviewState.state == state)
    reviews = reviews.order_by(ReviewState.updated.desc()).subquery("reviews")
    review = aliased(ReviewState, reviews)
    package = sa.select(
        model.Package.id,
        model.Package.name,
        model.Package.title,
        model.Package.type,
        model.Package.owner_org,
    ).where(model.Package.id == review.package_id, model.Package.state == "active")
    package = _organization_filter(package, user, data_dict.get("organization"))
    package = package.offset(0).lateral("reviewed")
    query = (
        model.Session.query(review, *package.c, model.User.name)
        .select_from(review)
        .join(package, sa.true())
        .outerjoin(model.User, model.User.id == review.updated_by)
    )
    # Counting every pending row looks up each row's dataset (10,000 pending: ~0.1 s on an
    # idle machine); with count_limit the count stops after that many rows and says so.
    count_limit = _count_limit(data_dict)
    counted = query.order_by(None)
    if count_limit is not None:
        counted = counted.limit(count_limit + 1)
    count = counted.count()
    rows = query.limit(limit).offset(offset)
    return {
        "count": min(count, count_limit) if count_limit is not None else count,
        "count_more": count_limit is not None and count > count_limit,
        "results": [
            {
                "id": package_id,
                "name": name,
                "title": title,
                "type": dataset_type,
                "owner_org": owner_org,
                "state": review.state,
                "comment": review.comment,
                "updated": review.updated.isoformat(),
                "updated_by": user_name,
            }
            for review, package_id, name, title, dataset_type, owner_org, user_name in rows
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
    query = _flagged_filter(query, user, data_dict.get("issue"), data_dict.get("source"))
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


def _flagged_filter(query: Any, user: str, issue: str | None, source: str | None) -> Any:
    """Datasets a harvest flagged (``issue``: a field an issue names, ``*`` any) and datasets
    of one harvest source (its current harvest objects), both from the stored rows."""
    if issue:  # any issue, so that the partial index of flagged scores serves every filter
        query = query.filter(sa.text(FLAGGED))
    if issue and issue != "*":
        query = query.filter(QualityScore.missing.contains([f"issue:{issue}"]))
    if source:
        harvest_source = harvest_sources(user, source)
        source_id = harvest_source[0]["id"] if harvest_source else ""
        objects = sa.select(HarvestObject.package_id).where(
            HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True)
        )
        # = ANY(ARRAY(...)): the source's datasets by primary key (IN made a hash join over
        # every score; index smartregion_harvest_object_source_current_idx, a6d3e9f1c7b2)
        query = query.filter(
            QualityScore.package_id == sa.any_(sa.func.array(objects.scalar_subquery()))
        )
    return query


def harvest_sources(user: str, source: str | None = None) -> list[dict[str, Any]]:
    """The harvest sources of the organisations the user curates (sysadmins: all), by title;
    with source (an id or name) that one only, when the user curates it."""
    # from the harvest_source table (dozens of rows), not a type scan of every package
    query = model.Session.query(model.Package.id, model.Package.name, model.Package.title)
    query = query.join(HarvestSource, HarvestSource.id == model.Package.id)
    query = query.filter(model.Package.type == "harvest", model.Package.state == "active")
    curated = policy.curated_organizations(user)
    if curated is not None:
        query = query.filter(model.Package.owner_org.in_(curated or [""]))
    if source:
        query = query.filter(sa.or_(model.Package.id == source, model.Package.name == source))
    return [
        {"id": id_, "name": name, "title": title or name}
        for id_, name, title in query.order_by(model.Package.title, model.Package.name)
    ]


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
    return [
        {
            "title": smartregion_pages_text(page, "title"),
            "name": page.get("slug"),
            "url": tk.h.url_for("smartregion_pages.read", slug=page["slug"]),
        }
        for page in pages
        if page.get("state") == "pending" and page.get("slug")
    ]
