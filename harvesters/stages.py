"""Stages every smartregion harvester shares: ``validate_config`` with the source's own parser
and a ``gather_stage`` that never raises (a bug or a database failure is logged, rolled back
and stored as a gather error of the job, so the gather consumer stays alive).

``SafeStagesHarvester`` is a base class, not a registered plugin: each harvester subclasses it
together with ``p.SingletonPlugin`` and names its parser, its config error and its gather.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ckan import model
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob


class SafeStagesHarvester(HarvesterBase):
    """``parse_config`` (a staticmethod) raises ``config_error`` naming the wrong key;
    ``gather_job`` does the gather; ``gather_failed_note`` is added to the message of an
    unexpected gather failure (e.g. that nothing was written)."""

    parse_config: Callable[[str | None], Any]
    config_error: type[Exception] = ValueError
    gather_failed_note = ""

    def validate_config(self, config: str | None) -> str | None:
        try:
            self.parse_config(config)
        except self.config_error as error:
            raise ValueError(str(error)) from error
        return config

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        try:
            return self.gather_job(harvest_job)
        except Exception as error:  # a bug or the database: keep the consumer alive
            logging.getLogger(type(self).__module__).exception(
                "Gather of job %s failed", harvest_job.id
            )
            model.Session.rollback()
            message = f"The harvest stopped unexpectedly: {error!r}"
            if self.gather_failed_note:
                message = f"{message}. {self.gather_failed_note}"
            self._save_gather_error(message, harvest_job)
            return []

    def gather_job(self, harvest_job: HarvestJob) -> list[str]:
        raise NotImplementedError
