"""Review state and history, metadata-quality scores, link checks

Revision ID: a1f3c2d4e5b6
Revises:
Create Date: 2026-11-30 17:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "a1f3c2d4e5b6"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "smartregion_review_state",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.UnicodeText),
        sa.Column("comment", sa.UnicodeText),
    )
    op.create_index("smartregion_review_state_state_idx", "smartregion_review_state", ["state"])
    op.create_table(
        "smartregion_review_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("from_state", sa.UnicodeText),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("comment", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_smartregion_review_event_package_id", "smartregion_review_event", ["package_id"]
    )
    op.create_table(
        "smartregion_quality",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("owner_org", sa.UnicodeText),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("missing", JSONB, nullable=False),
        sa.Column("broken_links", JSONB, nullable=False),
        sa.Column("computed", sa.DateTime, nullable=False),
        sa.Column("links_checked", sa.DateTime),
    )
    op.create_index("smartregion_quality_score_idx", "smartregion_quality", ["score"])
    op.create_index("ix_smartregion_quality_owner_org", "smartregion_quality", ["owner_org"])
    op.create_table(
        "smartregion_link_check",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("url", sa.UnicodeText),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("message", sa.UnicodeText),
        sa.Column("checked", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_smartregion_link_check_package_id", "smartregion_link_check", ["package_id"]
    )


def downgrade() -> None:
    op.drop_table("smartregion_link_check")
    op.drop_table("smartregion_quality")
    op.drop_table("smartregion_review_event")
    op.drop_table("smartregion_review_state")
