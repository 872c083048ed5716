"""Fixtures of the browser tests: a real CKAN web process on the test slot's databases, Debian's
headless Chromium driven by Playwright, screenshots kept in the test artifacts, and the
content every flow starts from (seeded through the real actions after clean_datastore)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk

from tests.browser.content import PortalContent, seed_portal_content
from tests.browser.live_server import LiveServer
from tests.conftest import _artifacts_dir

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium calls home, and this closed network refuses
# those connections. Playwright's launch() gives every run a fresh temporary user-data-dir.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def live_server() -> Iterator[LiveServer]:
    """`ckan run` on a free port with the slot's configuration, CSRF protection on, Czech by
    default and the portal's review scope (see live_server.REVIEW_SCOPE); it and the browser
    stop once the browser tests are done, before the rest of the suite runs."""
    server = LiveServer(Path(tk.config["__file__"]), _artifacts_dir() / "browser").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. Install it as root: "
            "apt-get install -y chromium (deployment/install.sh does it on `make test`)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


class Screenshots:
    """Numbered full-page screenshots of one test in <artifacts>/screenshots/<test>/."""

    def __init__(self, folder: Path):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder = folder
        self.count = 0
        self.pages: list = []

    def __call__(self, page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"smartregion_report_{report.when}", report)
    return report


@pytest.fixture
def screenshots(request) -> Screenshots:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    return Screenshots(_artifacts_dir() / "screenshots" / name)


# Every frame reports the policy's refusals as events (a refused inline handler, eval, frame,
# image ...); the console carries them to the test. Init scripts run outside the page's CSP.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.documentURI}`
  + ` (${e.sourceFile || "?"}:${e.lineNumber})`));
"""


def _is_csp_violation(text: str) -> bool:
    return text.startswith(("CSP violation:", "Refused to")) or "Content Security Policy" in text


@pytest.fixture
def new_page(request, browser, live_server, screenshots):
    """Opens a page in a browser context of its own (its own cookies: one per user), Czech
    locale; requests anywhere but the live server are refused and listed in page.outside.
    A Content-Security-Policy violation in any of its frames fails the test."""
    contexts, violations = [], []

    def open_page(locale: str = "cs-CZ"):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(30_000)  # a guard against hangs on a busy machine
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.outside = []
        page.csp_violations = violations  # a test that provokes one removes it from the list
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if _is_csp_violation(message.text)
                else None
            ),
        )

        def refuse_outside(route):
            if route.request.url.startswith(live_server.url):
                return route.continue_()
            page.outside.append(route.request.url)
            return route.abort()

        page.route("**/*", refuse_outside)
        screenshots.pages.append(page)
        return page

    yield open_page
    report = getattr(request.node, "smartregion_report_call", None)
    if report is not None and report.failed:  # what each browser showed when the test failed
        for number, page in enumerate(screenshots.pages):
            if not page.is_closed():
                screenshots(page, f"failure-{number}")
    for context in contexts:
        context.close()
    if report is not None and report.passed:
        assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def portal_content(clean_datastore, live_server, monkeypatch) -> PortalContent:
    """The records are made here but indexed with the URLs the live server shows (package_show
    answers from the index), so this process uses the server's site URL while it seeds."""
    monkeypatch.setitem(tk.config, "ckan.site_url", live_server.url)
    return seed_portal_content()
