"""The Solr documents of a batch of datasets: CKAN's own index_package (every
before_dataset_index hook included) on the bulk dictize's package_show dicts, with a stand-in
for the Solr connection that collects what CKAN would send, and the hooks' per-dataset
look-ups answered once per batch."""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from ckan import common, logic, model
from ckan.lib.search import index as ckan_index

from ckanext.smartregion import bulk_dictize
from ckanext.smartregion.search_index import harvest_info, validation

log = logging.getLogger(__name__)


@dataclass
class Documents:
    docs: list[dict[str, Any]] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)  # CKAN's delete queries
    failures: dict[str, str] = field(default_factory=dict)  # dataset id → error
    # dataset id → the metadata_modified the document was built from (a catch-up skips it)
    versions: dict[str, datetime.datetime] = field(default_factory=dict)


class _Collector:
    """Stands in for the pysolr connection index_package and delete_package get from
    make_connection: keeps what they would send."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents

    def add(self, docs: list[dict[str, Any]], commit: bool = False) -> None:
        self.documents.docs.extend(docs)

    def delete(self, q: str, commit: bool = False) -> None:
        self.documents.deletions.append(q)


@contextmanager
def collected(documents: Documents) -> Iterator[None]:
    """Within it, CKAN's PackageSearchIndex sends nothing to Solr: its documents and delete
    queries go to ``documents`` (ckan.lib.search.index of CKAN 2.12 opens its connection
    through the module's make_connection for every dataset)."""
    make_connection = ckan_index.make_connection
    ckan_index.make_connection = lambda *args, **kwargs: _Collector(documents)
    try:
        yield
    finally:
        ckan_index.make_connection = make_connection


@contextmanager
def memoised(owner: Any, name: str) -> Iterator[None]:
    """Within it, ``owner.name(argument)`` is computed once per argument; calls with other
    arguments (none, several, keywords) go to the function as they are."""
    original = getattr(owner, name)
    results: dict[Any, Any] = {}

    def once(*args: Any, **kwargs: Any) -> Any:
        if kwargs or len(args) != 1:
            return original(*args, **kwargs)
        if args[0] not in results:
            results[args[0]] = original(args[0])
        return results[args[0]]

    setattr(owner, name, once)
    try:
        yield
    finally:
        setattr(owner, name, original)


def messages_translated_once() -> contextlib.AbstractContextManager[None]:
    """Within it, a message without variables is translated once: the show schemas'
    validation translates errors that package_show discards (scheming's show schema leaves
    each extra's key and value empty: ~22 "Missing value" per collection object), 13 µs
    each through flask-babel's per-call look-ups, 0.3 of the 3.9 ms CPU a dataset took
    (bench/reindex.py, 2026-12). A batch is built in one request context, so in one
    language. CKAN 2.12's ``_`` calls ``ckan.common.flask_ugettext`` at every call."""
    return memoised(common, "flask_ugettext")


def dcat_schemas_once() -> contextlib.AbstractContextManager[None]:
    """Within it, ckanext-dcat's after_dataset_show and before_dataset_index hooks get each
    dataset type's scheming schema once: they ask for it through the
    scheming_dataset_schema_show action at every call (get_or_bust's validation included),
    0.2 ms per dataset (cProfile, 2026-12); the schemas are the configuration's."""
    try:
        from ckanext.dcat import plugins as dcat
    except ImportError:
        return contextlib.nullcontext()
    return memoised(dcat, "_get_dataset_schema")


@contextmanager
def batch_hooks(package_ids: list[str]) -> Iterator[None]:
    """The index hooks' look-ups answered once for the batch: ckanext-harvest's harvest
    object (one query), ckanext-dcat's schemas and the review plugin's quality scores (stored
    together when the batch ends: one query and one upsert)."""
    with ExitStack() as stack:
        stack.enter_context(harvest_info.answered(package_ids))
        stack.enter_context(dcat_schemas_once())
        from ckan.plugins import plugin_loaded

        if plugin_loaded("smartregion_review"):
            from ckanext.smartregion.review.quality import scored_together

            stack.enter_context(scored_together())
        yield


def deletions(package_ids: list[str]) -> list[str]:
    """CKAN's delete queries for the datasets (delete_package's)."""
    documents = Documents()
    with collected(documents):
        index = ckan_index.PackageSearchIndex()
        for package_id in package_ids:
            index.delete_package({"id": package_id})
    return documents.deletions


def build(package_ids: list[str]) -> Documents:
    """The documents of the datasets (and CKAN's delete queries for those it keeps out of
    the index: deleted ones, and ids no longer in the database); a dataset that fails is
    reported in ``failures`` and the others are built."""
    documents = Documents()
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(package_ids)).all()
    found = {package.id for package in packages}
    documents.versions = {package.id: package.metadata_modified for package in packages}
    index = ckan_index.PackageSearchIndex()
    with (
        collected(documents),
        messages_translated_once(),
        validation.planned(),
        batch_hooks(list(found)),
    ):
        for package_id in package_ids:
            if package_id not in found:  # purged since it was listed
                index.delete_package({"id": package_id})
        try:
            shown = bulk_dictize.package_show_dicts({"ignore_auth": True}, packages)
        except Exception:  # one broken dataset: find it, index the others
            log.exception("bulk dictize of %d datasets failed; one by one", len(packages))
            shown = [None] * len(packages)
        for package, both in zip(packages, shown, strict=True):
            try:
                if both is None:
                    logic.index_update_package({"ignore_auth": True}, package.id, True)
                else:
                    logic.index_update_package_dicts(both, defer_commit=True)
            except Exception as error:  # CKAN's rebuild --force: report, carry on
                log.exception("dataset %s could not be indexed", package.id)
                documents.failures[package.id] = f"{type(error).__name__}: {error}"
                del documents.versions[package.id]
    return documents
