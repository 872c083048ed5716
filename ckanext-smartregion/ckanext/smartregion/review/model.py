"""Tables of the review plugin: each dataset's review state, its history, link checks and
metadata-quality scores (created by the plugin's Alembic migration, never at run time).

No foreign keys to ``package``: the quality row is written from the search-index hook on a
connection of its own, before the dataset's own transaction has committed.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from sqlalchemy import Boolean, Column, DateTime, Index, Integer, UnicodeText
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.smartregion.clock import now

STATES = ("draft", "pending", "approved", "returned")


class ReviewState(tk.BaseModel):
    """The current review state of one dataset in scope."""

    __tablename__ = "smartregion_review_state"

    package_id = Column(UnicodeText, primary_key=True)
    state = Column(UnicodeText, nullable=False)
    updated = Column(DateTime, nullable=False, default=now)
    updated_by = Column(UnicodeText)
    comment = Column(UnicodeText)

    __table_args__ = (Index("smartregion_review_state_state_idx", "state"),)


class ReviewEvent(tk.BaseModel):
    """One step of a dataset's review history: who moved it to which state, when, why."""

    __tablename__ = "smartregion_review_event"

    id = Column(Integer, primary_key=True, autoincrement=True)
    package_id = Column(UnicodeText, nullable=False, index=True)
    from_state = Column(UnicodeText)
    to_state = Column(UnicodeText, nullable=False)
    user_id = Column(UnicodeText)
    comment = Column(UnicodeText)
    created = Column(DateTime, nullable=False, default=now)


class QualityScore(tk.BaseModel):
    """Metadata-quality score of one dataset (0-100) and what is missing or broken."""

    __tablename__ = "smartregion_quality"

    package_id = Column(UnicodeText, primary_key=True)
    owner_org = Column(UnicodeText, index=True)
    score = Column(Integer, nullable=False)
    missing = Column(JSONB, nullable=False, default=list)
    broken_links = Column(JSONB, nullable=False, default=list)
    computed = Column(DateTime, nullable=False, default=now)
    links_checked = Column(DateTime)

    __table_args__ = (
        Index("smartregion_quality_score_idx", "score"),
        Index("smartregion_quality_org_score_idx", "owner_org", "score", "package_id"),
    )


class LinkCheck(tk.BaseModel):
    """The last check of one resource's URL (or uploaded file)."""

    __tablename__ = "smartregion_link_check"

    resource_id = Column(UnicodeText, primary_key=True)
    package_id = Column(UnicodeText, nullable=False, index=True)
    url = Column(UnicodeText)
    ok = Column(Boolean, nullable=False)
    message = Column(UnicodeText)
    checked = Column(DateTime, nullable=False, default=now)
