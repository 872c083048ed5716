"""Index of the flagged datasets' quality scores (the /sprava filter of harvest problems)

The filter reads the scores whose missing items name a harvest issue (``issue:<field>``);
without the index every view counts them over the whole score table (100,000 rows).

Revision ID: e1a9c4b7f2d6
Revises: d2c5f8a3b9e1
Create Date: 2026-12-06 17:15:00
"""

from alembic import op

revision = "e1a9c4b7f2d6"
down_revision = "d2c5f8a3b9e1"
branch_labels = None
depends_on = None

# the predicate of review/listing.py's FLAGGED (the planner uses the index when they match)
FLAGGED = """missing @? '$[*] ? (@ starts with "issue:")'"""


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS smartregion_quality_flagged_idx ON smartregion_quality "
        f"(owner_org, score, package_id) WHERE {FLAGGED}"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS smartregion_quality_flagged_idx")
