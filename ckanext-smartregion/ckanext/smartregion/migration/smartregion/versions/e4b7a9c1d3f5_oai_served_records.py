"""OAI-PMH provider: the records it has served (persistent deleted records) and its ordering

``smartregion_oai_served`` keeps every collection object the provider has served, so one that
is later deleted, withdrawn or made private is reported with status="deleted". The partial
index on ``(metadata_modified, id)`` of collection objects is the provider's order: a page of a
list after a resumption token is an index range scan, not a sort of every object.

Revision ID: e4b7a9c1d3f5
Revises: c3a8e1f0d2b4
Create Date: 2026-12-06 14:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e4b7a9c1d3f5"
down_revision = "c3a8e1f0d2b4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "smartregion_oai_served",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("first_served", sa.DateTime, nullable=False),
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS smartregion_package_oai_order_idx ON package "
        "(metadata_modified, id) WHERE type = 'collection-object'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS smartregion_package_oai_order_idx")
    op.drop_table("smartregion_oai_served")
