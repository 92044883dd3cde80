"""Reads of periodic reporting that the pages and the API share."""

import pytest

from sen.core.tests.factories import MembershipFactory
from sen.periodic.models import ReportForm
from sen.periodic.selectors import assignments_of, period_get
from sen.periodic.services import reporting_period_lock, reporting_period_open
from sen.periodic.tests.conftest import AFTER_DUE
from sen.periodic.tests.factories import World, make_form

pytestmark = pytest.mark.django_db


def listed(world: World, limit: int) -> list[str]:
    found = assignments_of(user=world.officer_a, now=AFTER_DUE, limit=limit)
    return [assignment.period.key for assignment in found]


def test_the_reports_owed_are_cut_after_their_order_open_periods_first(world, form: ReportForm):
    # Given four months opened for the commune, the three latest locked and December 2025
    # still open (its report not in yet),
    periods = {
        key: reporting_period_open(form=form, key=key, actor=world.admin)
        for key in ("2025-12", "2026-01", "2026-02", "2026-03")
    }
    for key in ("2026-01", "2026-02", "2026-03"):
        reporting_period_lock(period=periods[key], actor=world.admin)

    # when the list holds fewer than all of them, then it is the head of the whole list:
    # the open period first, then the latest due first.
    assert listed(world, limit=10) == ["2025-12", "2026-03", "2026-02", "2026-01"]
    assert listed(world, limit=3) == ["2025-12", "2026-03", "2026-02"]
    assert listed(world, limit=1) == ["2025-12"]


def test_an_officer_of_two_reporters_sees_both_in_agency_order_for_each_period(
    world, form: ReportForm, django_assert_num_queries
):
    # Given an officer of both communes and two open months,
    MembershipFactory(user=world.officer_a, agency=world.commune_b)
    for key in ("2026-02", "2026-03"):
        reporting_period_open(form=form, key=key, actor=world.admin)

    # when the first three are listed, then the latest month comes with both communes,
    # in three queries: the agencies, the periods with their forms, the reports.
    with django_assert_num_queries(3):
        found = assignments_of(user=world.officer_a, now=AFTER_DUE, limit=3)

    assert [(a.period.key, a.agency.code) for a in found] == [
        ("2026-03", "000.20.01.H91"),
        ("2026-03", "000.20.02.H91"),
        ("2026-02", "000.20.01.H91"),
    ]


def test_someone_without_a_reporting_agency_owes_nothing(world, form: ReportForm):
    reporting_period_open(form=form, key="2026-03", actor=world.admin)

    assert assignments_of(user=world.other_admin, now=AFTER_DUE) == []
    assert assignments_of(user=None, now=AFTER_DUE) == []


def test_a_quarter_opened_as_typed_is_found_as_typed(world):
    form = make_form(world, code="Q-01", period_kind="quarter")
    opened = reporting_period_open(form=form, key="2026-q1", actor=world.admin)

    found = period_get(user=world.admin, code="q-01", key=" 2026-q1 ")

    assert (opened.key, found) == ("2026-Q1", opened)
