"""A citizen finds a procedure in a real browser (headless Chromium through Playwright).

Uses the system Chromium and never downloads one; skips when it is missing. Set
``SEN_SCREENSHOT_DIR`` to keep screenshots of the pages it visits.
"""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
NARROW_PHONE = {"width": 360, "height": 780}


@dataclass
class Visit:
    """A browser page and the errors its console reported (CSP violations show up there)."""

    page: Any
    console_errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture
def browser(monkeypatch) -> Iterator[Visit]:
    """A Vietnamese-speaking page of headless Chromium that records console errors."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (/usr/bin/chromium): browser test skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the database calls Django
    # makes here (fixtures, live server setup) are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        # Without a locale Chromium asks for English and Django would answer in English.
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(5_000)
        visit = Visit(page=page)
        page.on("console", visit.on_console)
        page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
        try:
            yield visit
        finally:
            context.close()
            browser.close()


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def screenshot(page, name: str) -> None:
    directory = os.environ.get("SEN_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def test_citizen_finds_birth_registration_without_diacritics_and_reads_its_page(
    live_server, transactional_db, catalog, browser
):
    page = browser.page

    # Given the home page
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    # the stylesheet loaded under the Content-Security-Policy
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    screenshot(page, "home")
    # the first Tab lands on the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    # When the citizen types without diacritics and submits with the keyboard
    search = page.get_by_label("Tìm thủ tục hành chính")
    search.fill("dang ky khai sinh")
    search.press("Enter")
    page.wait_for_url("**/thu-tuc/?q=dang+ky+khai+sinh")

    # Then birth registration comes first
    first = page.locator(".result__title a").first
    assert first.inner_text() == "Đăng ký khai sinh"
    screenshot(page, "list")

    # And its page tells the code, the legal time and the fee
    first.click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    summary = page.locator(".summary").inner_text()
    assert "3 ngày làm việc" in summary
    assert "50.000 đồng" in summary
    assert "1.001193" in page.locator(".procedure__code").inner_text()
    screenshot(page, "procedure")

    # And on a 360 px wide phone no page scrolls sideways
    page.set_viewport_size(NARROW_PHONE)
    assert not scrolls_sideways(page)
    screenshot(page, "procedure-360")
    for path in ("/", "/thu-tuc/?q=dang+ky"):
        page.goto(f"{live_server.url}{path}")
        assert not scrolls_sideways(page), path
    screenshot(page, "list-360")

    # And nothing was refused by the Content-Security-Policy or failed in the console
    assert browser.console_errors == []
