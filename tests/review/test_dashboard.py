"""The steward dashboard /sprava: pending datasets, harvest errors and quality scores of
what the user curates, worst first."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError

from ckanext.smartregion.review import harvest_errors, listing, views
from ckanext.smartregion.review.issues import HARVEST_ISSUES
from tests.review.conftest import SCOPE, new_dataset, review, web_user

pytestmark = [SCOPE, pytest.mark.usefixtures("with_plugins")]


def _page(app, user, url="/sprava") -> BeautifulSoup:
    return BeautifulSoup(app.get(url, headers=web_user(user)).body, "html.parser")


def test_login_is_required(app, team):
    response = app.get("/sprava", status=None, follow_redirects=False)
    assert response.status_code == 302
    assert "/user/login" in response.headers["Location"]


def test_pending_rows_link_to_the_datasets_of_the_users_organizations(app, team):
    dataset = new_dataset(team, team.steward, name="ceka-sada")
    review("submit", team.steward, id=dataset["id"])
    new_dataset(team, team.steward, name="koncept-sada")  # a draft is not pending

    rows = _page(app, team.approver).select('[data-test="review-pending-row"]')
    assert len(rows) == 1
    assert rows[0].a["href"].endswith("/dataset/ceka-sada")
    assert team.steward["name"] in rows[0].get_text()
    assert _page(app, team.sysadmin).select('[data-test="review-pending-row"]')
    assert not _page(app, team.outsider).select('[data-test="review-pending-row"]')


def test_quality_scores_worst_first_with_what_to_fix(app, team):
    complete = new_dataset(
        team,
        team.approver,
        name="uplna-sada",
        private=False,
        eurovoc_concepts=["http://eurovoc.europa.eu/100141"],
        temporal_start="2024-01-01",
        contact_name="Odbor dopravy",
        contact_email="doprava@example.cz",
        documentation="https://example.cz/dokumentace",
        specific_objectives=["2.1"],
        license_id="cc-by",
    )
    sparse = new_dataset(team, team.approver, name="chude-metadata", private=False)

    rows = _page(app, team.steward).select('[data-test="review-quality-row"]')
    names = [row.a["href"].rsplit("/", 1)[-1] for row in rows]
    assert names == ["chude-metadata", "uplna-sada"]
    scores = [int(row["data-score"]) for row in rows]
    assert scores[0] < scores[1] <= 100
    assert "contact_email" in rows[0].get_text()
    assert "doporučené" not in rows[0].get_text()  # the test portal speaks English
    assert "recommended: contact_email" in rows[0].get_text()
    # the missing items of the complete one: only the distribution it has not got
    found = listing.quality_list(team.steward["name"], {"limit": 1, "offset": 1})
    assert found["count"] == 2
    assert [r["name"] for r in found["results"]] == [complete["name"]]
    assert found["results"][0]["missing"] == [
        "recommended:resources",
        "recommended:resources.format",
    ]
    assert listing.quality_list(team.outsider["name"], {})["count"] == 0
    call_action("package_delete", context={"user": team.approver["name"]}, id=sparse["name"])
    left = listing.quality_list(team.steward["name"], {})
    assert [r["name"] for r in left["results"]] == ["uplna-sada"]


def _source_with_errors(team, name: str, title: str, object_errors: int) -> dict:
    """A harvest source of the team's organisation whose last job had a gather error and
    `object_errors` object errors (an earlier job's error is not counted)."""
    source = call_action(
        "harvest_source_create",
        context={"user": team.sysadmin["name"], "ignore_auth": False},
        name=name,
        title=title,
        url=f"http://{name}.example.cz/oai",
        source_type="smartregion_probe",
        owner_org=team.organization["id"],
    )
    earlier = HarvestJob(source_id=source["id"], status="Finished")
    earlier.save()
    HarvestGatherError(harvest_job_id=earlier.id, message="Starší chyba").save()
    job = HarvestJob(source_id=source["id"], status="Finished")
    job.save()
    HarvestGatherError(harvest_job_id=job.id, message="OAI-PMH: badResumptionToken").save()
    for number in range(object_errors):
        harvest_object = HarvestObject(
            job=job, harvest_source_id=source["id"], guid=f"oai:{name}:{number}"
        )
        harvest_object.report_status = "errored"
        harvest_object.save()
        HarvestObjectError(
            object=harvest_object, message="Chybí inventární číslo", stage="Import"
        ).save()
    model.Session.commit()
    return source


def test_harvest_errors_are_counted_and_a_jobs_messages_shown_when_opened(app, team):
    source = _source_with_errors(team, "muzeum-zdroj", "Muzeum – zdroj", object_errors=1)

    section = _page(app, team.steward).select_one('[data-test="review-harvest-errors"]')
    text = section.get_text(" ", strip=True)
    assert "Muzeum – zdroj" in text
    assert "2 errors in the last job" in text
    assert "badResumptionToken" not in text  # messages are loaded only when asked
    opened = section.select_one('[data-test="review-harvest-open"]')["href"]
    assert f"chyby={source['id']}" in opened

    section = _page(app, team.steward, opened).select_one('[data-test="review-harvest-errors"]')
    messages = section.select_one('[data-test="review-harvest-messages"]')
    assert [li.get_text(strip=True) for li in messages.select("li")] == [
        "OAI-PMH: badResumptionToken",
        "oai:muzeum-zdroj:0: Chybí inventární číslo",
    ]
    other = ckan_factories.User()
    ckan_factories.Organization(users=[{"name": other["name"], "capacity": "editor"}])
    section = _page(app, other, opened).select_one('[data-test="review-harvest-errors"]')
    assert "Muzeum" not in section.get_text()
    assert "badResumptionToken" not in section.get_text()


def test_sources_with_harvest_errors_are_paged_most_errors_first(app, team, monkeypatch):
    monkeypatch.setattr(harvest_errors, "PAGE_SIZE", 1)
    _source_with_errors(team, "mene-chyb", "Méně chyb", object_errors=1)
    _source_with_errors(team, "vice-chyb", "Více chyb", object_errors=3)

    first = _page(app, team.approver)
    sources = first.select('[data-test="review-harvest-source"]')
    assert [s.a.get_text(strip=True) for s in sources] == ["Více chyb"]
    assert "Harvest errors (2)" in first.select_one("#harvest-heading").get_text()
    following = first.select_one('nav[aria-label="Harvest error pages"] a')["href"]
    second = _page(app, team.approver, following)
    sources = second.select('[data-test="review-harvest-source"]')
    assert [s.a.get_text(strip=True) for s in sources] == ["Méně chyb"]


def test_content_pages_pending_review_are_listed(app, team):
    sysadmin = {"user": team.sysadmin["name"]}
    call_action(
        "smartregion_page_create",
        context=dict(sysadmin),
        slug="akcni-plan-navrh",
        kind="plan",
        title_cs="Akční plán – návrh",
    )
    call_action("smartregion_page_submit", context=dict(sysadmin), id="akcni-plan-navrh")
    call_action(
        "smartregion_page_create", context=dict(sysadmin), slug="zverejnena", kind="news",
        title_cs="Zveřejněná aktualita", body_cs="Text",
    )  # fmt: skip
    call_action("smartregion_page_publish", context=dict(sysadmin), id="zverejnena")

    section = _page(app, team.sysadmin).select_one('[data-test="review-pending-pages"]')
    links = [(a.get_text(strip=True), a["href"]) for a in section.select("a")]
    assert links == [("Akční plán – návrh", "/stranky/akcni-plan-navrh")]
    section = _page(app, team.outsider).select_one('[data-test="review-pending-pages"]')
    assert not section.select("a")  # not a steward: the published page is no pending one


def test_the_pending_count_stops_at_the_dashboards_limit(app, team, monkeypatch):
    for _ in range(3):
        review("submit", team.steward, id=new_dataset(team, team.steward)["id"])
    monkeypatch.setattr(views, "COUNT_LIMIT", 2)

    page = _page(app, team.approver)
    assert "Waiting for review (2+)" in page.select_one("#pending-heading").get_text()
    assert len(page.select('[data-test="review-pending-row"]')) == 3
    listed = review("list", team.approver, state="pending")
    assert (listed["count"], listed["count_more"]) == (3, False)
    listed = review("list", team.approver, state="pending", count_limit=3)
    assert (listed["count"], listed["count_more"]) == (3, False)


def _flagged(team, organization: str, name: str, fields: list[str]) -> dict:
    """A dataset as a harvest stores it: with an issue for each of fields."""
    found = [
        {
            "field": field,
            "kind": "substituted",
            "problem": "chybí",
            "fix": "doplňte",
            "harvest_job": None,
        }
        for field in fields
    ]
    return call_action(
        "package_create",
        context={"user": team.sysadmin["name"], HARVEST_ISSUES: True},
        type="dataset",
        name=name,
        title=f"Sada {name}",
        notes="Popis.",
        owner_org=organization,
        tags=[{"name": "doprava"}],
        themes=["TRAN"],
        frequency="ANNUAL",
        quality_issues=found,
    )


def _quality_rows(app, user, query: str) -> list[str]:
    page = _page(app, user, f"/sprava?{query}")
    links = page.select('[data-test="review-quality-row"] a')
    return sorted(str(a["href"]).rsplit("/", 1)[-1] for a in links)


def test_flagged_datasets_filtered_by_problem_and_source_of_what_the_user_curates(
    app, team, monkeypatch
):
    other = ckan_factories.Organization()["id"]
    own = team.organization["id"]
    _flagged(team, own, "bez-popisu", ["notes"])
    from_source = _flagged(team, own, "bez-popisu-a-temat", ["notes", "themes"])
    _flagged(team, own, "bez-problemu", [])
    _flagged(team, other, "cizi-bez-popisu", ["notes"])
    source = _source_with_errors(team, "lkod-zdroj", "LKOD", object_errors=0)
    job = model.Session.query(HarvestJob).filter_by(source_id=source["id"]).first()
    HarvestObject(job=job, harvest_source_id=source["id"], guid="lkod:1", current=True,
                  package_id=from_source["id"]).save()  # fmt: skip

    both = ["bez-popisu", "bez-popisu-a-temat"]
    assert _quality_rows(app, team.approver, "problem=notes") == both
    assert _quality_rows(app, team.approver, "problem=*") == both
    assert _quality_rows(app, team.approver, "problem=themes") == ["bez-popisu-a-temat"]
    assert _quality_rows(app, team.approver, "zdroj=lkod-zdroj") == ["bez-popisu-a-temat"]
    assert _quality_rows(app, team.sysadmin, "problem=notes") == [*both, "cizi-bez-popisu"]
    assert _quality_rows(app, team.outsider, "problem=*") == []
    assert _quality_rows(app, team.outsider, "zdroj=lkod-zdroj") == []
    options = _page(app, team.outsider).select("#filter-source option")
    assert [o["value"] for o in options] == [""]  # not the source of an organisation not his

    monkeypatch.setattr(views, "QUALITY_PAGE_SIZE", 1)
    page = _page(app, team.approver, "/sprava?problem=notes")
    following = page.select_one('nav[aria-label="Quality pages"] a')["href"]
    assert "problem=notes" in following
    assert len(_page(app, team.approver, following).select('[data-test="review-quality-row"]')) == 1
