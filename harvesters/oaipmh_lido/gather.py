"""The gather stage: read the OAI-PMH list into harvest objects, page by page.

Each page's records become harvest objects in one bulk insert. A record whose LIDO is
byte-for-byte what the current dataset came from is stored as "not modified" without being
queued; deleted records, and (after a complete full harvest) records gone from the source,
are queued for withdrawal unless the source shrank below the configured threshold.
Nothing here raises: every failure is a gather error, and what was gathered before it is
still imported.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from ckan import model
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectExtra
from lxml import etree

from ckanext.smartregion import clock
from ckanext.smartregion.harvesters.http import Fetcher
from ckanext.smartregion.harvesters.oaipmh_lido import source_config
from ckanext.smartregion.harvesters.oaipmh_lido.oai import OaiClient, OaiError, OaiPageError, Record
from ckanext.smartregion.harvesters.stages import Previous, gather_error, previous_state

log = logging.getLogger(__name__)

ACTIVE, DELETED, MISSING = "active", "deleted", "missing"
BATCH_SIZE = 100  # harvest objects imported together (batch.py); one queue message each
BATCHED = "BATCHED"  # the state of an object waiting for its batch's leader (never queued)
MEMBERS_KEY = "batch_members"  # the leader's extra: the ids of the other objects


@dataclass
class GatherResult:
    queued: list[str] = field(default_factory=list)  # the batches' leaders
    to_import: int = 0
    unchanged: int = 0
    seen_active: int = 0
    complete: bool = True


def gather(job: HarvestJob, config: source_config.SourceConfig) -> list[str]:
    source = job.source
    fetcher = Fetcher()
    try:
        client = OaiClient(fetcher, config.base_url or source.url)
        try:
            repository = client.identify()
        except (OaiError, OaiPageError) as error:
            gather_error(job, f"The repository did not identify itself: {error}")
            return []
        since = _incremental_from(job, repository) if config.incremental else None
        collector = _Collector(
            job, previous_state(source.id), config.source_system or repository.name or source.url
        )
        result = collector.result
        pages = 0
        for set_spec in config.sets or (None,):
            try:
                for page in client.list_records(config.metadata_prefix, set_spec, since):
                    pages += 1
                    collector.add(page.records)
                    log.info(
                        "Job %s: page %s, %s records so far (of %s)",
                        job.id,
                        pages,
                        len(collector.seen),
                        page.complete_list_size or "?",
                    )
                    if _limit_reached(job, config, pages, len(collector.seen)):
                        result.complete = False
                        break
            except (OaiError, OaiPageError) as error:
                gather_error(
                    job,
                    f"{error}. The records of earlier pages are imported; "
                    "no dataset was withdrawn. The next harvest starts again from the "
                    "last successful one.",
                )
                result.complete = False
            if not result.complete:
                break
        if result.complete and since is None:
            collector.withdraw_missing(config.withdraw_threshold)
    finally:
        fetcher.close()
    log.info(
        "Job %s gathered: %s to import in %s batches, %s unchanged, %s seen (from=%s)",
        job.id,
        result.to_import,
        len(result.queued),
        result.unchanged,
        len(collector.seen),
        since or "full",
    )
    return result.queued


def _limit_reached(
    job: HarvestJob, config: source_config.SourceConfig, pages: int, records: int
) -> bool:
    for value, limit, what in (
        (pages, config.max_pages, "pages"),
        (records, config.max_records, "records"),
    ):
        if limit and value >= limit:
            gather_error(
                job,
                f"Warning: stopped after {value} {what}, the source's limit "
                f"(limits.max_{what}); the rest was not read and nothing was withdrawn.",
            )
            return True
    return False


def _incremental_from(job: HarvestJob, repository) -> str | None:
    """The start of the source's last job that finished without gather errors, in the
    repository's granularity; None (a full harvest) when there is none."""
    last = (
        model.Session.query(HarvestJob.gather_started)
        .filter(
            HarvestJob.source_id == job.source_id,
            HarvestJob.id != job.id,
            HarvestJob.status == "Finished",
            HarvestJob.gather_started.isnot(None),
        )
        .filter(~sa.exists().where(HarvestGatherError.harvest_job_id == HarvestJob.id))
        .order_by(HarvestJob.gather_started.desc())
        .first()
    )
    return repository.datestamp(last[0]) if last else None


class _Collector:
    def __init__(self, job: HarvestJob, previous: dict[str, Previous], source_system: str) -> None:
        self.job = job
        self.previous = previous
        self.source_system = source_system
        self.seen: set[str] = set()
        self.result = GatherResult()

    def add(self, records: list[Record]) -> None:
        objects: list[dict] = []
        extras: list[dict] = []
        for record in records:
            if not record.identifier or record.identifier in self.seen:
                continue  # an identifier listed twice (e.g. in two sets) is harvested once
            self.seen.add(record.identifier)
            previous = self.previous.get(record.identifier)
            if record.deleted:
                if previous:
                    self._queue(
                        objects,
                        extras,
                        record.identifier,
                        None,
                        {"status": DELETED, "datestamp": record.datestamp},
                        previous,
                    )
                continue
            self.result.seen_active += 1
            content = (
                etree.tostring(record.metadata, encoding="unicode")
                if record.metadata is not None
                else ""
            )
            content_hash = hashlib.sha256(content.encode()).hexdigest()
            if previous and previous.content_hash == content_hash:
                self._unchanged(objects, record.identifier, previous)
                continue
            self._queue(
                objects,
                extras,
                record.identifier,
                content,
                {
                    "status": ACTIVE,
                    "datestamp": record.datestamp,
                    "content_hash": content_hash,
                    "source_system": self.source_system,
                },
                previous,
            )
        self._save(objects, extras)

    def withdraw_missing(self, threshold: float) -> None:
        missing = [guid for guid in self.previous if guid not in self.seen]
        if not missing:
            return
        held = len(self.previous)
        if self.result.seen_active < threshold * held:
            gather_error(
                self.job,
                f"Warning: the source returned {self.result.seen_active} records, fewer than "
                f"{threshold:.0%} of the {held} harvested before; the {len(missing)} missing were "
                "NOT withdrawn. If the source really removed them, lower limits.withdraw_threshold "
                "for one harvest; otherwise check the source.",
            )
            return
        objects: list[dict] = []
        extras: list[dict] = []
        for guid in missing:
            self._queue(objects, extras, guid, None, {"status": MISSING}, self.previous[guid])
        self._save(objects, extras)

    def _queue(
        self,
        objects: list[dict],
        extras: list[dict],
        guid: str,
        content: str | None,
        values: dict[str, str],
        previous: Previous | None,
    ) -> None:
        object_id = str(uuid.uuid4())
        objects.append(
            self._row(
                object_id,
                guid,
                content,
                "WAITING",
                None,
                previous.package_id if previous and values["status"] != ACTIVE else None,
            )
        )
        extras.extend(
            {"id": str(uuid.uuid4()), "harvest_object_id": object_id, "key": key, "value": value}
            for key, value in values.items()
            if value
        )

    def _unchanged(self, objects: list[dict], guid: str, previous: Previous) -> None:
        objects.append(
            self._row(
                str(uuid.uuid4()), guid, None, "COMPLETE", "not modified", previous.package_id
            )
        )
        self.result.unchanged += 1

    def _row(
        self,
        object_id: str,
        guid: str,
        content: str | None,
        state: str,
        report_status: str | None,
        package_id: str | None,
    ) -> dict:
        now = clock.now()
        return {
            "id": object_id,
            "guid": guid,
            "content": content,
            "state": state,
            "report_status": report_status,
            "package_id": package_id,
            "current": False,
            "gathered": now,
            "retry_times": 0,
            "harvest_job_id": self.job.id,
            "harvest_source_id": self.job.source_id,
            "import_finished": now if state == "COMPLETE" else None,
        }

    def _save(self, objects: list[dict], extras: list[dict]) -> None:
        """Stores the objects; of the ones to import, each run of BATCH_SIZE is queued as one
        message, its first object (the leader) naming the others (state BATCHED)."""
        waiting = [row for row in objects if row["state"] == "WAITING"]
        self.result.to_import += len(waiting)
        for start in range(0, len(waiting), BATCH_SIZE):
            leader, *members = waiting[start : start + BATCH_SIZE]
            for member in members:
                member["state"] = BATCHED
            extras.append(
                {
                    "id": str(uuid.uuid4()),
                    "harvest_object_id": leader["id"],
                    "key": MEMBERS_KEY,
                    "value": ",".join(member["id"] for member in members),
                }
            )
            self.result.queued.append(leader["id"])
        if objects:
            model.Session.bulk_insert_mappings(HarvestObject, objects)
            model.Session.bulk_insert_mappings(HarvestObjectExtra, extras)
        model.Session.commit()
