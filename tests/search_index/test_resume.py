"""An interrupted rebuild resumes where Solr had committed its batches; datasets that could
not be indexed stop the switch and are retried by the next run."""

from __future__ import annotations

import pytest
from ckan import model
from sqlalchemy import text

from tests import factories
from tests.search_index.conftest import (
    cores,
    interrupt_rebuild_at_its_second_batch,
    live_name,
    rebuild_cores,
    run_rebuild,
    solr_documents,
)

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), pytest.mark.stack]


def test_an_interrupted_rebuild_resumes_where_it_stopped(tmp_path):
    glasses = [factories.CollectionObject(title=f"Sklenice {n}") for n in range(7)]
    folder_before = cores()[live_name()]
    interrupt_rebuild_at_its_second_batch(tmp_path)
    assert cores()[live_name()] == folder_before  # nothing switched
    [building] = rebuild_cores()
    lines: list[str] = []

    run_rebuild(tmp_path, lines.append)

    output = "\n".join(lines)
    assert "resuming: 2 were indexed by the previous run" in output  # the first batch
    assert "5 datasets indexed" in output
    assert f"core {building} switched in" in output  # the same core, filled further
    assert set(solr_documents()) == {glass["id"] for glass in glasses}
    assert rebuild_cores() == set()
    assert not (tmp_path / "reindex.json").exists()


def _set_created(package_id: str, value: str | None) -> None:
    model.Session.execute(
        text("UPDATE package SET metadata_created = :value WHERE id = :id"),
        {"value": value, "id": package_id},
    )
    model.Session.commit()


def test_a_dataset_that_cannot_be_indexed_stops_the_switch_and_is_retried(reindex):
    glasses = [factories.CollectionObject(title=f"Sklenice {n}") for n in range(4)]
    broken = factories.Dataset(title="Poškozený záznam")
    _set_created(broken["id"], None)  # CKAN's index_package cannot index it
    folder_before = cores()[live_name()]

    failed = reindex("--batch-size", "2")

    assert failed.exit_code == 1
    assert f"1 datasets could not be indexed:\n  {broken['id']}: TypeError" in failed.output
    assert "--force" in failed.output
    assert cores()[live_name()] == folder_before  # search still answers from the old index

    _set_created(broken["id"], "2026-01-01 10:00:00")
    fixed = reindex("--batch-size", "2")

    assert fixed.exit_code == 0, fixed.output
    assert "resuming: 4 were indexed by the previous run" in fixed.output
    assert "1 datasets indexed" in fixed.output
    documents = solr_documents()
    assert set(documents) == {d["id"] for d in [*glasses, broken]}
    assert documents[broken["id"]]["metadata_created"] == "2026-01-01T10:00:00Z"
    assert rebuild_cores() == set()
