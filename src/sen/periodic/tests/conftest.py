"""Fixtures of periodic reporting's tests."""

from datetime import datetime

import pytest

from sen.core.timezones import VIETNAM
from sen.periodic.models import ReportForm, ReportingPeriod
from sen.periodic.services import reporting_period_open
from sen.periodic.tests.factories import World, make_form, make_world

# March 2026 ends on Tuesday 31/3; the fifth working day after it is Tuesday 7/4,
# so a monthly form due 5 working days after the period is due at its close, 17:00.
MARCH_DUE = datetime(2026, 4, 7, 17, 0, tzinfo=VIETNAM)
BEFORE_DUE = datetime(2026, 4, 3, 10, 0, tzinfo=VIETNAM)
AFTER_DUE = datetime(2026, 4, 9, 10, 0, tzinfo=VIETNAM)


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def form(world: World) -> ReportForm:
    return make_form(world)


@pytest.fixture
def march(world: World, form: ReportForm) -> ReportingPeriod:
    return reporting_period_open(form=form, key="2026-03", actor=world.admin)
