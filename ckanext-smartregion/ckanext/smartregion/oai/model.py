"""The records the provider has served: they stay as deleted records once they stop being live.

OAI-PMH's deletedRecord=persistent means an aggregator that harvested a record learns when it
goes (deleted, withdrawn in review, made private, its institution opted out). A record that was
never served is nobody's to forget: a private draft never appears, not even as deleted. The
table is created by the smartregion plugin's Alembic migration, never at run time.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from sqlalchemy import Column, DateTime, UnicodeText

from ckanext.smartregion.clock import now


class ServedRecord(tk.BaseModel):
    """One collection object the provider has served live at least once."""

    __tablename__ = "smartregion_oai_served"

    package_id = Column(UnicodeText, primary_key=True)
    first_served = Column(DateTime, nullable=False, default=now)
