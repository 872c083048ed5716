"""A harvested record's problems are stored as a code and parameters beside the English text,
and shown to its stewards in the page's language; a problem stored before the codes is shown
as stored."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.record_issues import RecordIssues
from ckanext.smartregion.review.issues import HARVEST_ISSUES
from tests.review.conftest import web_user

OLD = {"field": "contact_email", "kind": "missing", "problem": "an old stored text",
       "fix": "an old stored fix", "harvest_job": None}  # fmt: skip


@pytest.fixture
def flagged(clean_db) -> tuple[dict, dict]:
    """(a sysadmin, a dataset flagged with a coded licence problem and an old-style one)."""
    sysadmin = ckan_factories.Sysadmin()
    issues = RecordIssues("job-1")
    issues.add("terms_of_use", "licence_unmapped", {"licence": "Vlastní"}, blocks_catalogue=True)
    dataset = call_action(
        "package_create",
        context={"user": sysadmin["name"], HARVEST_ISSUES: True},
        type="dataset",
        name="sada-s-problemy",
        title="Sada s problémy",
        notes="Popis.",
        owner_org=ckan_factories.Organization()["id"],
        tags=[{"name": "doprava"}],
        themes=["TRAN"],
        frequency="ANNUAL",
        quality_issues=[*issues.items, OLD],
    )
    return sysadmin, dataset


def _rows(app, sysadmin: dict, url: str) -> dict[str, str]:
    page = BeautifulSoup(app.get(url, headers=web_user(sysadmin)).body, "html.parser")
    rows = page.select('[data-test="quality-issue"]')
    return {
        str(row["data-field"]): " | ".join(cell.get_text(" ", strip=True) for cell in row("td"))
        for row in rows
    }


@pytest.mark.usefixtures("with_plugins")
def test_a_flag_is_stored_with_its_code_and_shown_in_the_pages_language(app, flagged):
    sysadmin, dataset = flagged
    coded = next(i for i in dataset["quality_issues"] if i["field"] == "terms_of_use")
    assert coded["code"] == "licence_unmapped"
    assert coded["params"] == {"licence": "Vlastní"}
    assert coded["problem"].startswith("the licence 'Vlastní' has no mapping")

    czech = _rows(app, sysadmin, f"/cs_CZ/dataset/{dataset['name']}")
    english = _rows(app, sysadmin, f"/en/dataset/{dataset['name']}")

    assert "licenci 'Vlastní' nelze převést na čtyřdílné podmínky užití" in czech["terms_of_use"]
    assert "uveďte podmínky užití každé distribuce" in czech["terms_of_use"]
    assert "the licence 'Vlastní' has no mapping" in english["terms_of_use"]
    assert "state the terms of use of each distribution" in english["terms_of_use"]
    for shown in (czech, english):
        assert "an old stored text | an old stored fix" in shown["contact_email"]
