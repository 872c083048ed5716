"""Stages every smartregion harvester shares: ``validate_config`` with the source's own parser
and the organisation rights of the user saving it (source_owner.py), a ``gather_stage`` that
parses the source's configuration (a wrong one is the job's gather error) and never raises (a
bug or a database failure is logged, rolled back and stored as a gather error of the job, so
the gather consumer stays alive), and what the gather stages write: a gather error, a harvest
object.

``SafeStagesHarvester`` is a base class, not a registered plugin: each harvester subclasses it
together with ``p.SingletonPlugin`` (registering ``source_owner.actions`` through
``tk.blanket.actions``) and names its parser, its config error and its gather.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectExtra

from ckanext.smartregion import clock
from ckanext.smartregion.harvesters import source_owner


class SafeStagesHarvester(HarvesterBase):
    """``parse_config`` (a staticmethod) raises ``config_error`` naming the wrong key;
    ``gather_job`` does the gather with the parsed configuration; ``gather_failed_note`` is
    added to the message of an unexpected gather failure (e.g. that nothing was written);
    ``organizations_named`` and ``creates_organizations`` say what of a parsed configuration
    the saving user must be allowed."""

    parse_config: Callable[[str | None], Any]
    config_error: type[Exception] = ValueError
    gather_failed_note = ""

    def validate_config(self, config: str | None) -> str | None:
        try:
            parsed = self.parse_config(config)
        except self.config_error as error:
            raise ValueError(str(error)) from error
        source_owner.check_save(
            self.organizations_named(parsed), self.creates_organizations(parsed)
        )
        return config

    def organizations_named(self, parsed: Any) -> dict[str, list[str]]:
        """Config key → the organisations (names) the configuration writes into."""
        return {}

    def creates_organizations(self, parsed: Any) -> str | None:
        """The config key that makes the harvester create organisations, if it is on."""
        return None

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        try:
            try:
                config = self.parse_config(harvest_job.source.config)
            except self.config_error as error:
                gather_error(harvest_job, f"The source configuration is wrong: {error}")
                return []
            return self.gather_job(harvest_job, config)
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

    def gather_job(self, harvest_job: HarvestJob, config: Any) -> list[str]:
        raise NotImplementedError

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        """Nothing to fetch: the gather brought every record (the catalogue harvesters fetch)."""
        return True


def gather_error(job: HarvestJob, message: str) -> None:
    """The job's gather error, after dropping what the gather had not committed."""
    model.Session.rollback()
    HarvestGatherError.create(message=message, job=job)


def new_object(
    job: HarvestJob,
    guid: str,
    content: str | None,
    state: str,
    report_status: str | None,
    package_id: str | None = None,
    extras: dict[str, str] | None = None,
) -> str:
    """The id of a new harvest object of the job (added and flushed, not committed; finished
    now unless WAITING), with its extras."""
    now = clock.now()
    object_id = str(uuid.uuid4())
    model.Session.add(
        HarvestObject(
            id=object_id,
            guid=guid,
            content=content,
            state=state,
            report_status=report_status,
            current=False,
            gathered=now,
            import_finished=now if state != "WAITING" else None,
            job=job,
            source=job.source,
            package_id=package_id,
        )
    )
    model.Session.flush()
    for key, value in (extras or {}).items():
        model.Session.add(
            HarvestObjectExtra(
                id=str(uuid.uuid4()), harvest_object_id=object_id, key=key, value=value
            )
        )
    return object_id


@dataclass
class Previous:
    """What the last harvest left of a record: its content hash and its live dataset."""

    content_hash: str
    package_id: str


def previous_state(source_id: str) -> dict[str, Previous]:
    """guid → content hash and live dataset of the source's current objects."""
    rows = (
        model.Session.query(HarvestObject.guid, HarvestObject.package_id, HarvestObjectExtra.value)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .outerjoin(
            HarvestObjectExtra,
            sa.and_(
                HarvestObjectExtra.harvest_object_id == HarvestObject.id,
                HarvestObjectExtra.key == "content_hash",
            ),
        )
        .filter(
            HarvestObject.harvest_source_id == source_id,
            HarvestObject.current.is_(True),
            model.Package.state == "active",
        )
    )
    return {guid: Previous(digest or "", package_id) for guid, package_id, digest in rows}
