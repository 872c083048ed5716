"""The reindex's planned navl validation (search_index/validation.py): CKAN's results, a plan
made once per schema and data shape, and no stale plan for a schema changed after its use."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.lib.navl import dictization_functions as navl
from ckan.lib.navl.validators import ignore_missing, not_empty, unicode_safe

from ckanext.smartregion.search_index import validation

# three shapes: two tags, no tags and a key the schema lacks, one (empty) tag
DATA: list[dict[str, Any]] = [
    {"title": "Sklenice", "tags": [{"name": "sklo"}, {"name": "email"}]},
    {"title": "", "tags": [], "inventory": "S-1"},
    {"title": "Mince", "tags": [{"name": ""}]},
]


def _schema() -> dict[str, Any]:
    """A new schema at every call, equal to the last one (as scheming's show schema is)."""
    return {
        "title": [not_empty, unicode_safe],
        "notes": [ignore_missing],
        "tags": {"name": [not_empty, unicode_safe]},
        "__extras": [ignore_missing],
    }


@pytest.fixture(autouse=True)
def _request(app):
    with app.flask_app.test_request_context():  # the validators' messages are translated
        yield


def test_planned_validation_gives_navls_results_and_sees_a_changed_schema():
    expected = [navl.validate(data, _schema(), {}) for data in DATA]
    schema = _schema()
    with validation.planned():
        planned = [navl.validate(data, schema, {}) for data in DATA + DATA]
        schema["notes"] = [not_empty]  # changed after its first use
        changed = navl.validate(DATA[0], schema, {})

    assert planned == expected + expected
    assert expected[1][1]["title"] == ["Missing value"]  # what is compared is really there
    assert changed == navl.validate(DATA[0], schema, {})
    assert changed[1] == {"notes": ["Missing value"]}


def test_a_plan_is_made_once_per_schema_and_data_shape(monkeypatch):
    made = []
    make_full_schema = navl.make_full_schema

    def counted(data: dict, schema: dict) -> dict:
        made.append(frozenset(data))
        return make_full_schema(data, schema)

    monkeypatch.setattr(navl, "make_full_schema", counted)
    with validation.planned():
        for _ in range(3):
            for data in DATA:
                navl.validate(data, _schema(), {})

    assert len(made) == len(set(made)) == len(DATA)
