"""Czech-aware search: the Czech queries of corpus.py find their record among the first
ten results of package_search (Czech analysis of text_cs), which CKAN's English analysis
alone does not."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action

from ckanext.smartregion import search_language
from tests import factories
from tests.search_language.corpus import QUERIES, RECORDS


@pytest.fixture(scope="module")
def corpus(reset_db, reset_index, migrate_db_for) -> None:
    """The records of corpus.py, indexed once for the module."""
    import ckan.plugins
    from ckan.cli.db import _get_pending_plugins
    from ckan.lib import search

    ckan.plugins.load_all()
    reset_db()
    reset_index()
    for plugin in _get_pending_plugins():
        migrate_db_for(plugin)
    # one Solr commit at the end instead of one per record, as a bulk import does
    tk.config["ckan.search.solr_commit"] = False
    for name, (title, notes, keywords) in RECORDS.items():
        factories.Dataset(
            name=name,
            title=title,
            notes=notes,
            tags=[{"name": keyword} for keyword in keywords],
        )
    search.commit()


def _found(query: str, **params) -> list[str]:
    result = call_action("package_search", q=query, rows=10, fl="name", **params)
    return [row["name"] for row in result["results"]]


def _misses(**params) -> list[str]:
    return [query for query, expected in QUERIES if expected not in _found(query, **params)]


@pytest.mark.usefixtures("corpus", "with_plugins")
def test_every_czech_query_finds_its_record_in_the_first_ten():
    assert len(QUERIES) >= 40
    assert search_language.core_has_language_fields()

    misses = _misses()

    assert not misses, f"recall@10 {1 - len(misses) / len(QUERIES):.2f}; missed: {misses}"


@pytest.mark.usefixtures("corpus", "with_plugins")
def test_english_analysis_alone_misses_the_declined_forms():
    """CKAN's query fields (English Snowball): the figures bench/search_quality.py prints."""
    misses = _misses(qf=search_language.CKAN_QUERY_FIELDS)

    assert len(misses) >= len(QUERIES) // 3, misses
    assert "Libercem" in misses and "muzea" in misses
