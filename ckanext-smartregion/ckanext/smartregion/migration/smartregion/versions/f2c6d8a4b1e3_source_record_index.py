"""Index of harvested datasets by their source record (the record's identity)

record_identity.dataset_of looks a record's identity up as a dataset's
``harvest_source_record`` when no harvest object has it (a deleted and re-created source):
without the index each look-up reads the whole package table (132 ms at 120,000 packages).

Revision ID: f2c6d8a4b1e3
Revises: e4b7a9c1d3f5
Create Date: 2026-12-06 17:25:00
"""

from alembic import op

revision = "f2c6d8a4b1e3"
down_revision = "e4b7a9c1d3f5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS smartregion_package_source_record_idx ON package "
        "((extras ->> 'harvest_source_record')) WHERE type = 'dataset'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS smartregion_package_source_record_idx")
