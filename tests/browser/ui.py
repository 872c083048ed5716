"""Steps the browser tests share: logging in through the login form."""

from __future__ import annotations

from tests.browser.content import PASSWORD


def login(page, user_name: str, screenshots, who: str) -> None:
    """Logs in with username and password on /user/login, as a person would."""
    page.goto("/user/login")
    page.locator("#field-login").fill(user_name)
    page.locator("#field-password").fill(PASSWORD)
    screenshots(page, f"{who}-login")
    page.locator("#field-password").press("Enter")
    page.wait_for_url(lambda url: "/user/login" not in url)
    assert page.locator("form[action*='logout']").count() == 1, f"{who} is not logged in"
