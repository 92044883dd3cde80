"""Fixtures shared by every app's tests."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

from sen.dossiers.procedures import procedure_cache_clear
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
def _fresh_procedure_versions() -> Iterator[None]:
    """Drop procedure versions cached in this process, for the same reason."""
    procedure_cache_clear()
    yield
    procedure_cache_clear()
