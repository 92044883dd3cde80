"""Fixtures shared by every app's tests."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone, translation

from sen.core.demo import seed_demo_org
from sen.core.management.commands.demo import DEMO_CATALOG
from sen.core.services import units_load
from sen.dossiers.demo import seed_demo_dossiers
from sen.dossiers.procedures import catalog_cache_clear
from sen.tests.browser import CHROMIUM, Visit
from sen.tests.clock import Clock
from sen.workdays.selectors import calendar_cache_clear


@pytest.fixture(autouse=True)
def _fresh_working_calendar() -> Iterator[None]:
    """Drop calendars cached in this process: they would outlive a test's rolled-back data."""
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Start each test in the site's language (Vietnamese): a request in English earlier
    in the same thread leaves English active, and messages checked in Vietnamese would
    then come out translated."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_catalog_cache() -> Iterator[None]:
    """Drop what this process remembers of the catalog (procedure versions, which is
    current, agencies), for the same reason."""
    catalog_cache_clear()
    yield
    catalog_cache_clear()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freeze ``timezone.now()`` at Friday 20/11/2026 09:00 in Vietnam; return the clock,
    which moves it (``clock(at(23, 14))``) and reads it (``clock.now``)."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo province (Ninh Bình) with its agencies, officers, catalog and dossiers, as
    ``sen demo`` seeds it, for the browser tests that walk through it (in a transaction of
    its own: the live server's thread must see it)."""
    units_load(province_codes=["37"])
    seed_demo_org()
    call_command("load_catalog", str(DEMO_CATALOG), verbosity=0)
    seed_demo_dossiers()


@pytest.fixture
def browser(monkeypatch) -> Iterator[Visit]:
    """A Vietnamese-speaking page of headless Chromium that records console errors, for the
    tests marked ``browser`` of every app (their helpers are in ``sen.tests.browser``)."""
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
            # The test's own database calls made while Playwright's loop runs in this
            # thread get a connection of their own; close it here, or PostgreSQL keeps
            # its session and cannot drop the test database at the end.
            connections.close_all()
            context.close()
            browser.close()
