"""Indexes for the uniqueness checks of the schemas' after-validators

The collection-object check (an inventory number once per institution) and the indicator
check (an indicator code once) look for another live dataset with the same value in
``package.extras``; without an index each check reads the whole package table, which at
100,000 harvested collection objects is tens of milliseconds per record.

Revision ID: c3a8e1f0d2b4
Revises:
Create Date: 2026-11-30 19:50:00
"""

from alembic import op

revision = "c3a8e1f0d2b4"
down_revision = None
branch_labels = None
depends_on = None

INDEXES = {
    "smartregion_package_inventory_number_idx": ("collection-object", "inventory_number"),
    "smartregion_package_indicator_code_idx": ("indicator", "indicator_code"),
}


def upgrade() -> None:
    for name, (dataset_type, extra) in INDEXES.items():
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON package "
            f"((extras ->> '{extra}'), owner_org) WHERE type = '{dataset_type}'"
        )


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
