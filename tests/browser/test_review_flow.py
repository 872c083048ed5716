"""A steward publishes an indicator in a real browser: logs in, creates it through the dataset
form, uploads its values, submits it for review; the public cannot see it until the
coordinator (the organisation's admin) logs in and approves it."""

from __future__ import annotations

from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests.browser.content import PASSWORD
from tests.browser.ui import login

TITLE = "Počet nabíjecích stanic (testovací data)"
NAME = "pocet-nabijecich-stanic-test"
CODE = "2.2-09"
VALUES_CSV = "období;hodnota\n2022;10\n2023;14\n2024;21\n"


def test_steward_creates_uploads_submits_and_coordinator_approves(
    portal_content, new_page, screenshots, tmp_path
):
    organization = portal_content.organization
    steward = ckan_factories.User(name="spravce-dat", password=PASSWORD, image_url="")
    coordinator = ckan_factories.User(name="koordinator", password=PASSWORD, image_url="")
    for user, capacity in ((steward, "editor"), (coordinator, "admin")):
        call_action(
            "organization_member_create",
            context={"user": portal_content.sysadmin["name"]},
            id=organization["id"],
            username=user["name"],
            role=capacity,
        )

    # The steward logs in and fills in the indicator form.
    page = new_page()
    login(page, steward["name"], screenshots, "steward")
    page.goto("/indicator/new")
    page.locator("#field-title").fill(TITLE)
    page.evaluate(f"() => {{ document.querySelector('#field-name').value = '{NAME}' }}")
    page.locator("#field-indicator_code").fill(CODE)
    page.locator("#field-notes").fill("Počet veřejných nabíjecích stanic v kraji (testovací data).")
    page.locator("#field-unit").fill("ks")
    page.locator("#field-direction").select_option("higher_is_better")
    page.locator("#field-specific_objectives").select_option("2.2")
    page.locator("#field-periodicity").select_option("ANNUAL")
    page.locator("#field-organizations").select_option(organization["id"])
    screenshots(page, "steward-indicator-form")
    page.locator("button[name=save]").click()
    page.wait_for_url("**/resource/new")

    # Second step of the form: the source table as the first resource, then finish.
    source = tmp_path / "zdrojova-tabulka.csv"
    source.write_text(VALUES_CSV, encoding="utf-8")
    # core's Upload button (an inline onclick in CKAN 2.12, assets/csp-compat.js under the CSP)
    with page.expect_file_chooser() as chooser:
        page.locator("#resource-upload-button").click()
    chooser.value.set_files(source)
    assert page.locator("#resource-url-upload").is_checked()
    page.locator("#field-name").fill("Zdrojová tabulka")
    screenshots(page, "steward-resource-form")
    page.locator("button[name=save][value=go-metadata]").click()
    page.wait_for_url(f"**/indicator/{NAME}")
    screenshots(page, "steward-indicator-created")
    assert page.locator("[data-test=review-state]").get_attribute("data-state") == "draft"

    # Values uploaded on the indicator page with its "Nahrát hodnoty" button.
    page.get_by_role("link", name="Nahrát hodnoty").click()
    page.wait_for_url(f"**/ukazatel/{CODE}/nahrat")
    page.locator("#upload").set_input_files(source)
    screenshots(page, "steward-upload-values")
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(f"**/indicator/{NAME}")
    screenshots(page, "steward-values-uploaded")
    periods = page.locator("table.smartregion-values tbody tr td:first-child").all_inner_texts()
    assert [period.strip() for period in periods] == ["2022", "2023", "2024"]

    # Submitted for review: still private, invisible to the public.
    page.locator("[data-test=review-submit]").click()
    page.wait_for_url(f"**/indicator/{NAME}")
    screenshots(page, "steward-submitted")
    assert page.locator("[data-test=review-state]").get_attribute("data-state") == "pending"
    assert page.locator("[data-test=review-approve]").count() == 0

    public = new_page()
    assert public.goto(f"/indicator/{NAME}").status == 404
    screenshots(public, "anonymous-pending-404")
    public.goto("/dataset/?q=nabíjecích")
    screenshots(public, "anonymous-search-pending")
    assert public.locator("#content").get_by_role("link", name=TITLE).count() == 0

    # The coordinator finds it on the steward dashboard and approves it.
    coordinator_page = new_page()
    login(coordinator_page, coordinator["name"], screenshots, "coordinator")
    coordinator_page.goto("/sprava")
    screenshots(coordinator_page, "coordinator-dashboard")
    coordinator_page.locator("#content").get_by_role("link", name=TITLE).first.click()
    coordinator_page.wait_for_url(f"**/indicator/{NAME}")
    coordinator_page.locator("[data-test=review-comment]").fill("Hodnoty odpovídají zdroji.")
    screenshots(coordinator_page, "coordinator-review-box")
    coordinator_page.locator("[data-test=review-approve]").click()
    coordinator_page.wait_for_url(f"**/indicator/{NAME}")
    screenshots(coordinator_page, "coordinator-approved")
    review_state = coordinator_page.locator("[data-test=review-state]")
    assert review_state.get_attribute("data-state") == "approved"

    # Now public: found by search, its page and values open to anyone.
    public.goto("/dataset/?q=nabíjecích")
    screenshots(public, "anonymous-search-approved")
    public.locator("#content").get_by_role("link", name=TITLE).click()
    public.wait_for_url(f"**/indicator/{NAME}")
    screenshots(public, "anonymous-indicator-public")
    assert public.locator("h1").first.inner_text().strip() == TITLE
    public_periods = public.locator("table.smartregion-values tbody tr td:first-child")
    assert [period.strip() for period in public_periods.all_inner_texts()] == [
        "2022",
        "2023",
        "2024",
    ]
    assert public.locator("[data-test=review-submit], [data-test=review-approve]").count() == 0
