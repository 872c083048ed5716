"""Review comments out of the activity stream (they stay in smartregion_review_event)

The approvers' comments are written for the stewards; stored in an activity's data they
were public with the approval of a public dataset. The activities keep the step; the
stream shows the comment from the review history, to the stewards only.

Revision ID: d2c5f8a3b9e1
Revises: b7e4d9a1c2f3
Create Date: 2026-12-06 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d2c5f8a3b9e1"
down_revision = "b7e4d9a1c2f3"
branch_labels = None
depends_on = None

REVIEW_ACTIVITIES = tuple(
    f"smartregion review {state} package" for state in ("draft", "pending", "approved", "returned")
)


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("activity"):
        return  # ckanext-activity not installed (yet): nothing was ever recorded
    op.get_bind().execute(
        sa.text(
            "UPDATE activity SET data = ((data::jsonb) - 'comment')::text "
            "WHERE activity_type IN :types AND (data::jsonb) ? 'comment'"
        ).bindparams(sa.bindparam("types", expanding=True)),
        {"types": list(REVIEW_ACTIVITIES)},
    )


def downgrade() -> None:
    """Nothing to put back: the comments stay in smartregion_review_event."""
