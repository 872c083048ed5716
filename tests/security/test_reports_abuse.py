"""The reports' pages and files for anonymous visitors: rendered once per data version (a
repeated request renders nothing), rendered again when the data changes, and only for the
action plan's years."""

from __future__ import annotations

import logging
import shutil

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.reports import cache
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")


@pytest.fixture
def indicator():
    shutil.rmtree(cache.directory(), ignore_errors=True)
    energy = factories.Indicator(
        indicator_code="2.1-01", title="Spotřeba energie", specific_objectives=["2.1"]
    )
    factories.upload_values(energy, [{"period": "2024", "value": 92}])
    return energy


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def renders():
    """The renderings made so far, as (format, language) pairs, from the cache's log (the
    test configuration does not propagate ckanext's records to pytest's caplog, and its
    logging set-up disables the loggers of modules imported before it)."""
    logger, handler = logging.getLogger(cache.__name__), _Records()
    level, disabled = logger.level, logger.disabled
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.disabled = False

    def made() -> list[tuple[str, str]]:
        return [
            (record.args[2], record.args[3])
            for record in handler.records
            if record.msg.startswith("report %s %s rendered")
        ]

    yield made
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.disabled = disabled


def test_a_repeated_request_renders_nothing(app, indicator, renders):
    first = app.get("/akcni-plan/zpravy/vyrocni/2025.pdf")
    second = app.get("/akcni-plan/zpravy/vyrocni/2025.pdf")
    pages = [app.get("/cs_CZ/akcni-plan/zpravy/vyrocni/2025").body for _ in range(2)]
    english = app.get("/en/akcni-plan/zpravy/vyrocni/2025").body
    json_files = [app.get("/akcni-plan/zpravy/vyrocni/2025.json").data for _ in range(2)]

    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert all("Spotřeba energie" in page for page in pages)
    assert "Spotřeba energie" in english
    assert json_files[0] == json_files[1]
    assert renders() == [("pdf", "en"), ("page", "cs_CZ"), ("page", "en"), ("json", "any")]


def test_a_changed_value_or_indicator_renders_the_report_again(app, indicator, renders):
    def latest() -> list:
        report = app.get("/akcni-plan/zpravy/vyrocni/2025.json").json
        return [(e["title"], e["progress"]["latest_value"]) for e in report["outside_areas"]] + [
            (e["title"], e["progress"]["latest_value"])
            for area in report["areas"]
            for e in area["indicators"]
        ]

    before = latest()
    factories.upload_values(indicator, [{"period": "2025", "value": 70}])
    after_value = latest()
    call_action(
        "package_patch",
        context={"user": ckan_factories.Sysadmin()["name"]},
        id=indicator["id"],
        title="Spotřeba energie v budovách",
    )
    after_title = latest()
    again = latest()

    assert before == [("Spotřeba energie", 92.0)]
    assert after_value == [("Spotřeba energie", 70.0)]
    assert after_title == again == [("Spotřeba energie v budovách", 70.0)]
    assert renders() == [("json", "any")] * 3
    # the cache keeps the newest version of each rendering only
    assert len(list(cache.directory().glob("annual-2025-json-any-*"))) == 1


@pytest.mark.parametrize("year", [1900, 2023, 2027, 99999])
def test_years_outside_the_plan_are_not_found(app, indicator, renders, year):
    for kind in ("vyrocni", "monitorovaci"):
        for suffix in ("", ".pdf", ".json"):
            response = app.get(f"/akcni-plan/zpravy/{kind}/{year}{suffix}")
            assert response.status_code == 404, (kind, year, suffix)
    assert app.post(f"/akcni-plan/zpravy/vyrocni/{year}/zverejnit").status_code == 404
    assert renders() == []


def test_an_unknown_format_renders_nothing(app, indicator, renders):
    assert app.get("/akcni-plan/zpravy/vyrocni/2025.docx").status_code == 404
    assert renders() == []
