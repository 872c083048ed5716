"""What the public does in a real browser: from the home page through search and a facet to a
dataset and the download of its file, in Czech and then in English; and by keyboard alone."""

from __future__ import annotations

import re

from tests.browser.content import DOWNLOAD_CSV


def test_search_facet_dataset_download_then_english(portal_content, new_page, screenshots):
    dataset, indicator = portal_content.dataset, portal_content.indicator
    page = new_page()

    page.goto("/")
    screenshots(page, "home")
    assert page.locator("html").get_attribute("lang") == "cs-CZ"

    page.locator("#field-sitewide-search").fill("testovací")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dataset/?\?q=testovac"))
    screenshots(page, "search-results")
    results = page.locator("#content")
    assert results.get_by_role("link", name=dataset["title"]).count() == 1
    assert results.get_by_role("link", name=indicator["title"]).count() == 1

    page.locator(".nav-facet a", has_text="Datová sada").first.click()
    page.wait_for_url(re.compile(r"dataset_type=dataset"))
    screenshots(page, "facet-dataset-type")
    assert results.get_by_role("link", name=dataset["title"]).count() == 1
    assert results.get_by_role("link", name=indicator["title"]).count() == 0

    results.get_by_role("link", name=dataset["title"]).click()
    page.wait_for_url(f"**/dataset/{dataset['name']}")
    screenshots(page, "dataset")
    assert page.locator("h1").first.inner_text().strip() == dataset["title"]

    resource = portal_content.resource
    page.locator(".resource-item a.heading", has_text=resource["name"]).click()
    page.wait_for_url(f"**/resource/{resource['id']}")
    screenshots(page, "resource")
    download = page.locator("a.resource-url-analytics").first
    href = download.get_attribute("href")
    assert href.endswith("/navstevnost.csv"), href
    response = page.request.get(href)
    assert response.status == 200
    assert response.body() == DOWNLOAD_CSV

    page.locator("[data-test=lang-switch]").click()
    page.wait_for_url(re.compile(r"/en/"))
    screenshots(page, "resource-english")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[data-test=lang-switch]").inner_text().strip() == "Česky"
    assert page.get_by_role("link", name="Datasets").first.is_visible()

    assert page.outside == [], "the pages asked for something outside the portal"


def test_keyboard_reaches_skip_link_and_search_and_submits(portal_content, new_page, screenshots):
    page = new_page()
    page.goto("/")

    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == "#content", "the first Tab stop is the skip link"
    screenshots(page, "skip-link-focused")
    assert page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 }"
    ), "the focused skip link shows a visible outline"

    for _ in range(40):  # Tab on until the search box has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == "q":
            break
    else:
        raise AssertionError("40 Tab presses did not reach the search box")
    screenshots(page, "search-focused")
    assert page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)"
        " || s.boxShadow !== 'none' }"
    ), "the focused search box shows a visible focus ring"

    page.keyboard.type("energie")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dataset/?\?q=energie"))
    screenshots(page, "search-submitted")
    assert (
        page.locator("#content")
        .get_by_role("link", name=portal_content.indicator["title"])
        .is_visible()
    )
