"""Tables of the content pages: the current version of each page and every saved revision
(created by the migration in migration/smartregion_pages/, never at run time)."""

from __future__ import annotations

import uuid

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.model import Session

from ckanext.smartregion.clock import now

KINDS = ("about", "plan", "area", "news")
STATES = ("draft", "pending", "published")


def _id() -> str:
    return str(uuid.uuid4())


class SmartRegionPage(tk.BaseModel):
    """A content page: its newest text in Czech and English and its workflow state."""

    __tablename__ = "smartregion_pages"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_id)
    slug = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    kind = sa.Column(sa.UnicodeText, nullable=False)
    area_code = sa.Column(sa.UnicodeText)
    title_cs = sa.Column(sa.UnicodeText, nullable=False)
    title_en = sa.Column(sa.UnicodeText, nullable=False, default="")
    body_cs = sa.Column(sa.UnicodeText, nullable=False, default="")
    body_en = sa.Column(sa.UnicodeText, nullable=False, default="")
    state = sa.Column(sa.UnicodeText, nullable=False, default="draft")
    author_id = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=now)
    modified = sa.Column(sa.DateTime, nullable=False, default=now)
    published = sa.Column(sa.DateTime)

    @classmethod
    def by_slug(cls, slug: str) -> SmartRegionPage | None:
        return Session.query(cls).filter(cls.slug == slug).one_or_none()

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "slug": self.slug,
            "kind": self.kind,
            "area_code": self.area_code,
            "title_cs": self.title_cs,
            "title_en": self.title_en,
            "body_cs": self.body_cs,
            "body_en": self.body_en,
            "state": self.state,
            "author_id": self.author_id,
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
            "published": self.published.isoformat() if self.published else None,
        }


class SmartRegionPageRevision(tk.BaseModel):
    """One saved version of a page: who did what (save, submit, publish, return), when, with
    the full text as it then stood."""

    __tablename__ = "smartregion_pages_revision"
    __table_args__ = (
        sa.UniqueConstraint("page_id", "number", name="smartregion_pages_revision_number_uq"),
    )

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_id)
    page_id = sa.Column(
        sa.UnicodeText,
        sa.ForeignKey("smartregion_pages.id", ondelete="CASCADE"),
        nullable=False,
    )
    number = sa.Column(sa.Integer, nullable=False)
    action = sa.Column(sa.UnicodeText, nullable=False)
    state = sa.Column(sa.UnicodeText, nullable=False)
    title_cs = sa.Column(sa.UnicodeText, nullable=False)
    title_en = sa.Column(sa.UnicodeText, nullable=False)
    body_cs = sa.Column(sa.UnicodeText, nullable=False)
    body_en = sa.Column(sa.UnicodeText, nullable=False)
    user_id = sa.Column(sa.UnicodeText)
    comment = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=now)

    @classmethod
    def of_page(cls, page_id: str) -> list[SmartRegionPageRevision]:
        return Session.query(cls).filter(cls.page_id == page_id).order_by(cls.number.desc()).all()

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "page_id": self.page_id,
            "number": self.number,
            "action": self.action,
            "state": self.state,
            "title_cs": self.title_cs,
            "title_en": self.title_en,
            "body_cs": self.body_cs,
            "body_en": self.body_en,
            "user_id": self.user_id,
            "comment": self.comment,
            "created": self.created.isoformat(),
        }
