"""Quality scores computed together (a bulk import's batch): the scores stored when the block
ends equal the ones indexing stores one by one, and a failed block stores none."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.lib.search import rebuild

from ckanext.smartregion.review import quality
from ckanext.smartregion.review.model import QualityScore
from tests.review.conftest import new_dataset

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def _scores() -> dict[str, tuple[int, list[str]]]:
    model.Session.expire_all()
    return {row.package_id: (row.score, row.missing) for row in model.Session.query(QualityScore)}


def _forget_all() -> None:
    model.Session.query(QualityScore).delete()
    model.Session.commit()


def test_scores_stored_together_equal_those_stored_one_by_one(team):
    sparse = new_dataset(team, team.sysadmin)
    rich = new_dataset(team, team.sysadmin, ruian=[], contact_name="Odbor dopravy")
    one_by_one = _scores()
    assert set(one_by_one) == {sparse["id"], rich["id"]}
    _forget_all()

    with quality.scored_together():
        for dataset in (sparse, rich):
            rebuild(dataset["id"])
        assert _scores() == {}  # nothing until the block ends

    assert _scores() == one_by_one


def test_a_failed_block_stores_no_score(team):
    dataset = new_dataset(team, team.sysadmin)
    _forget_all()

    with pytest.raises(RuntimeError), quality.scored_together():
        rebuild(dataset["id"])
        raise RuntimeError("the bulk write failed")

    assert _scores() == {}


def _computed() -> dict[str, object]:
    model.Session.expire_all()
    return {row.package_id: row.computed for row in model.Session.query(QualityScore)}


def test_indexing_again_writes_only_a_changed_score(team):
    """A rebuild indexes every dataset with the score it already has: that row is not
    written again (its time stays), a dataset whose score changed is."""
    same = new_dataset(team, team.sysadmin)
    changed = new_dataset(team, team.sysadmin)
    before = _computed()
    stored = _scores()

    model.Session.execute(
        QualityScore.__table__.update()
        .where(QualityScore.package_id == changed["id"])
        .values(score=0, missing=[])
    )
    model.Session.commit()
    for dataset in (same, changed):
        rebuild(dataset["id"])
    with quality.scored_together():
        for dataset in (same, changed):
            rebuild(dataset["id"])

    after = _computed()
    assert after[same["id"]] == before[same["id"]]
    assert after[changed["id"]] > before[changed["id"]]
    assert _scores() == stored
