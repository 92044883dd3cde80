"""Fixtures of the dossiers' tests: a service centre receiving birth registrations online."""

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from sen.catalog.models import Procedure
from sen.core.models import Agency, User
from sen.core.timezones import VIETNAM
from sen.dossiers.services import SubmitResult
from sen.dossiers.tests.factories import birth_procedure, citizen, service_centre, submit_online

# Friday 20 November 2026, 09:00 in Hà Nội.
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def fresh_storage(settings: Any) -> Iterator[None]:
    """Give each test an empty in-memory storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Make ``timezone.now()`` answer ``NOW``."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def centre(db: None) -> Agency:
    return service_centre()


@pytest.fixture
def procedure(centre: Agency) -> Procedure:
    return birth_procedure(agencies=[centre])


@pytest.fixture
def applicant(db: None) -> User:
    return citizen()


@pytest.fixture
def submit(procedure: Procedure, applicant: User) -> Callable[..., SubmitResult]:
    """Return a function submitting a valid birth registration online, with overrides."""

    def submit(**overrides: Any) -> SubmitResult:
        return submit_online(procedure, applicant, **overrides)

    return submit


class CatalogClock:
    """The clock ``sen.dossiers.procedures`` measures its second on, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock_of_the_catalog(monkeypatch: pytest.MonkeyPatch) -> CatalogClock:
    clock = CatalogClock()
    monkeypatch.setattr("sen.dossiers.procedures._clock", clock)
    return clock
