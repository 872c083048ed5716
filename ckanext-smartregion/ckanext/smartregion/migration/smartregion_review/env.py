"""Alembic environment of the smartregion_review plugin, with a version table of its own."""

from ckanext.smartregion.migration.hand_written_env import run

run(__file__)
