"""Content pages and their revisions.

Revision ID: 5a1c0e2b7d10
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "5a1c0e2b7d10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "smartregion_pages",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("slug", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("area_code", sa.UnicodeText),
        sa.Column("title_cs", sa.UnicodeText, nullable=False),
        sa.Column("title_en", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("body_cs", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("body_en", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("author_id", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("published", sa.DateTime),
    )
    op.create_index("smartregion_pages_kind_state_idx", "smartregion_pages", ["kind", "state"])
    op.create_table(
        "smartregion_pages_revision",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "page_id",
            sa.UnicodeText,
            sa.ForeignKey("smartregion_pages.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("title_cs", sa.UnicodeText, nullable=False),
        sa.Column("title_en", sa.UnicodeText, nullable=False),
        sa.Column("body_cs", sa.UnicodeText, nullable=False),
        sa.Column("body_en", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("comment", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.UniqueConstraint("page_id", "number", name="smartregion_pages_revision_number_uq"),
    )


def downgrade():
    op.drop_table("smartregion_pages_revision")
    op.drop_table("smartregion_pages")
