"""Quality scores listed per organisation, worst first, from one index

Revision ID: b7e4d9a1c2f3
Revises: a1f3c2d4e5b6
Create Date: 2026-11-30 17:05:00
"""

from alembic import op

revision = "b7e4d9a1c2f3"
down_revision = "a1f3c2d4e5b6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "smartregion_quality_org_score_idx",
        "smartregion_quality",
        ["owner_org", "score", "package_id"],
    )


def downgrade() -> None:
    op.drop_index("smartregion_quality_org_score_idx", "smartregion_quality")
