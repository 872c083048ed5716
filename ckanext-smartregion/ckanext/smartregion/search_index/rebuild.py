"""The rebuild: batches of datasets indexed by worker processes into a new Solr core (or
SolrCloud collection), what changed meanwhile indexed again, then the new index switched in
under the live name (search answers from the old index until the switch). With filters, or
--in-place, the live core is updated where it is."""

from __future__ import annotations

import datetime
import multiprocessing
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartregion.search_index import documents, selection, solr
from ckanext.smartregion.search_index import switch as switches
from ckanext.smartregion.search_index.checkpoint import Checkpoint
from ckanext.smartregion.search_index.progress import Progress, duration

# metadata_modified is written with the clock of the CKAN process that changed the dataset;
# a change this much older than the database's clock at the start is still indexed again.
CLOCK_MARGIN = datetime.timedelta(minutes=5)
COMMIT_EVERY = 30.0  # seconds between Solr commits that let the checkpoint move on
PROGRESS_EVERY = 5.0  # seconds between progress lines


class ReindexError(Exception):
    """The rebuild stopped; the message says why and what to do."""


@dataclass
class Options:
    filters: selection.Filters
    checkpoint: Path
    workers: int
    batch_size: int
    in_place: bool = False
    restart: bool = False
    keep_old: bool = False
    force: bool = False
    commit_every: float = COMMIT_EVERY
    progress_every: float = PROGRESS_EVERY


@dataclass
class BatchResult:
    first: str
    last: str
    indexed: int
    deleted: int
    failures: dict[str, str] = field(default_factory=dict)
    versions: dict[str, datetime.datetime] = field(default_factory=dict)


def index_batch(core: solr.Core, package_ids: list[str]) -> BatchResult:
    """Builds the batch's documents and sends them to the core (no commit)."""
    built = documents.build(package_ids)
    solr.add(core, built.docs)
    solr.delete(core, built.deletions)
    model.Session.remove()  # the batch's objects leave the session
    return BatchResult(
        package_ids[0],
        package_ids[-1],
        len(built.docs),
        len(built.deletions),
        built.failures,
        built.versions,
    )


def _worker_started() -> None:
    """A forked worker opens connections of its own (database, DataStore, Solr) instead of
    sharing its parent's sockets, and ends on SIGTERM whatever its parent catches: the pool
    stops its workers with SIGTERM, and a parent that catches it without exiting (an RQ
    jobs worker does: a warm shut-down) would leave a worker blocked on the task queue and
    the pool waiting for it forever."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    model.Session.remove()
    model.meta.engine.dispose(close=False)
    try:
        from ckanext.datastore.backend import postgres as datastore
    except ImportError:
        pass
    else:
        for engine in datastore._engines.values():
            engine.dispose(close=False)
    solr.forget_connections()


def _work(job: tuple[solr.Core, list[str]]) -> BatchResult:
    return index_batch(*job)


class Rebuild:
    def __init__(self, options: Options, echo: Callable[[str], None]) -> None:
        self.options = options
        self.echo = echo
        self.failures: dict[str, str] = {}
        # what each document of this run was built from: a catch-up skips what is unchanged
        self.versions: dict[str, datetime.datetime] = {}

    def run(self) -> None:
        options = self.options
        live = solr.live_core()
        swap = not options.in_place and not options.filters
        switch = switches.for_live(live) if swap else None
        checkpoint = self._checkpoint(live, switch)
        target = live.sibling(checkpoint.target)
        ids = selection.package_ids(options.filters)
        todo = checkpoint.pending(ids)
        where = f"a new {switch.kind} {target.name}" if switch else f"the live index {live.name}"
        self.echo(f"indexing {len(ids):,} datasets ({options.filters.describe()}) into {where}")
        if len(todo) < len(ids):
            self.echo(f"  resuming: {len(ids) - len(todo):,} were indexed by the previous run")
        progress = Progress(
            len(ids), self.echo, options.progress_every, already_done=len(ids) - len(todo)
        )
        self._index(target, todo, checkpoint, progress)
        self.echo(progress.summary())
        if self.failures and not options.force:
            raise ReindexError(self._failure_report())
        since = checkpoint.started - CLOCK_MARGIN
        if switch:
            self._catch_up(target, since, orphans=True)
            solr.commit(target)
            switched = selection.database_now()
            previous = switch.switch(target)  # the live name now serves the new index
            self.echo(f"{switch.kind} {target.name} switched in as {live.name}")
            self._catch_up(live, switched - CLOCK_MARGIN, orphans=True)
            solr.commit(live)
            if options.keep_old:
                self.echo(f"the previous index is kept as {switch.kind} {previous}")
            else:
                switch.remove(previous)
                self.echo(f"the previous index ({switch.kind} {previous}) is removed")
        else:
            self._catch_up(live, since, orphans=not options.filters)
            solr.commit(live)
        checkpoint.remove()
        if self.failures:
            self.echo(self._failure_report())

    def _checkpoint(self, live: solr.Core, switch: switches.Switch | None) -> Checkpoint:
        """The interrupted run's checkpoint when this run is the same one, else a new one
        (and, for a switch, the new core or collection)."""
        swap = switch is not None
        options = self.options
        found = Checkpoint.load(options.checkpoint)
        if found is not None:
            same = (
                found.live == live.name
                and found.filters == options.filters.describe()
                and (found.target != found.live) == swap
            )
            if not same and not options.restart:
                raise ReindexError(
                    tk._(
                        "An interrupted rebuild ({filters}, into core {core}) is recorded in "
                        "{path}: run it again with the same options to resume it, or add "
                        "--restart to drop it."
                    ).format(filters=found.filters, core=found.target, path=options.checkpoint)
                )
            target = live.sibling(found.target)
            if options.restart or (switch and not switch.exists(target)):
                if switch and found.target != found.live and switch.exists(target):
                    switch.remove(target.name)
                    self.echo(f"dropped {switch.kind} {target.name} of the interrupted rebuild")
                found.remove()
            else:
                return found
        started = selection.database_now()
        target = live
        if switch:
            self._refuse_shared_core(live)
            target = live.sibling(f"{live.name}_reindex_{started:%Y%m%d%H%M%S}")
            switch.create(target)
        checkpoint = Checkpoint(
            path=options.checkpoint,
            live=live.name,
            target=target.name,
            started=started,
            filters=options.filters.describe(),
        )
        checkpoint.save()
        return checkpoint

    @staticmethod
    def _refuse_shared_core(live: solr.Core) -> None:
        others = solr.count(live, fq=f'-site_id:"{tk.config["ckan.site_id"]}"')
        if others:
            raise ReindexError(
                tk._(
                    "Solr core {core} also holds {count} documents of other CKAN sites, which a "
                    "new core would not have: rebuild it in place (--in-place)."
                ).format(core=live.name, count=others)
            )

    def _index(
        self, target: solr.Core, todo: list[str], checkpoint: Checkpoint, progress: Progress
    ) -> None:
        jobs = [(target, batch) for batch in selection.batches(todo, self.options.batch_size)]
        ranges: list[tuple[str, str]] = []
        failed: list[str] = []
        committed = time.monotonic()
        for result in self._results(jobs):
            progress.advance(result.indexed, result.deleted, len(result.failures))
            self.failures.update(result.failures)
            self.versions.update(result.versions)
            ranges.append((result.first, result.last))
            failed += result.failures
            if time.monotonic() - committed >= self.options.commit_every:
                self._commit(target, checkpoint, ranges, failed)
                ranges, failed, committed = [], [], time.monotonic()
        self._commit(target, checkpoint, ranges, failed)

    def _results(self, jobs: list[tuple[solr.Core, list[str]]]) -> Iterator[BatchResult]:
        if self.options.workers <= 1 or len(jobs) <= 1:
            yield from map(_work, jobs)
            return
        model.Session.remove()
        context = multiprocessing.get_context("fork")  # the workers inherit the loaded CKAN
        with context.Pool(self.options.workers, initializer=_worker_started) as pool:
            yield from pool.imap_unordered(_work, jobs)
            pool.close()  # all done: the workers end on their own (terminate is for errors)
            pool.join()

    @staticmethod
    def _commit(
        target: solr.Core, checkpoint: Checkpoint, ranges: list[tuple[str, str]], failed: list[str]
    ) -> None:
        """Solr keeps what it was sent (hard commit), then the checkpoint says so."""
        if not ranges:
            return
        solr.commit(target, open_searcher=False)
        checkpoint.mark_done(ranges, failed)
        checkpoint.save()

    def _catch_up(self, core: solr.Core, since: datetime.datetime, orphans: bool) -> None:
        """Indexes again what changed at or after ``since`` (unless its document was built
        from that very version) and, with orphans, removes what is indexed but no longer
        belongs in the index (purged or deleted datasets)."""
        started = time.monotonic()
        changed = [
            package_id
            for package_id, modified in selection.changed_since(since).items()
            if self.versions.get(package_id) != modified
        ]
        indexed = deleted = 0
        for batch in selection.batches(changed, self.options.batch_size):
            result = index_batch(core, batch)
            indexed, deleted = indexed + result.indexed, deleted + result.deleted
            self.failures.update(result.failures)
            self.versions.update(result.versions)
        if orphans:
            solr.commit(core)  # the listing sees every document sent so far
            site = tk.config["ckan.site_id"]
            stale = solr.indexed_ids(core, f'+site_id:"{site}"') - selection.indexable_ids()
            solr.delete(core, documents.deletions(sorted(stale)))
            deleted += len(stale)
        self.echo(
            f"  changes since {since:%H:%M:%S} UTC into {core.name}: {indexed:,} indexed, "
            f"{deleted:,} removed ({duration(time.monotonic() - started)})"
        )

    def _failure_report(self) -> str:
        lines = [f"{len(self.failures):,} datasets could not be indexed:"]
        lines += [f"  {package_id}: {error}" for package_id, error in self.failures.items()][:20]
        if len(self.failures) > 20:
            lines.append(f"  ... and {len(self.failures) - 20:,} more (see the log)")
        lines.append(
            "Fix them and run the command again (it resumes, retrying them), or add --force "
            "to finish without them."
        )
        return "\n".join(lines)
