"""Alembic environment of the smartregion plugin (its indexes), with a version table of its own."""

from ckanext.smartregion.migration.hand_written_env import run

run(__file__)
