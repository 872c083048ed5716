"""Index of a harvest source's current objects (the /sprava filter of one source's flagged
datasets reads them; ckanext-harvest's index on the source alone reads every object row)

Here, not in the smartregion plugin's migrations: those run before the harvest plugin's,
which create harvest_object.

Revision ID: a6d3e9f1c7b2
Revises: e1a9c4b7f2d6
Create Date: 2026-12-06 17:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a6d3e9f1c7b2"
down_revision = "e1a9c4b7f2d6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("harvest_object"):
        return  # ckanext-harvest not installed: no harvest sources to filter by
    op.execute(
        "CREATE INDEX IF NOT EXISTS smartregion_harvest_object_source_current_idx "
        "ON harvest_object (harvest_source_id, package_id) WHERE current"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS smartregion_harvest_object_source_current_idx")
