"""Reads of periodic reporting that the pages and the API share."""

import pytest

from sen.core.tests.factories import MembershipFactory
from sen.periodic.models import ReportForm
from sen.periodic.selectors import assignments_of, period_get
from sen.periodic.services import reporting_period_lock, reporting_period_open
from sen.periodic.tests.conftest import AFTER_DUE
from sen.periodic.tests.factories import World, make_form

pytestmark = pytest.mark.django_db


def listed(world: World, page_size: int, page: int = 1) -> list[str]:
    found = assignments_of(user=world.officer_a, now=AFTER_DUE, page=page, page_size=page_size)
    return [assignment.period.key for assignment in found.assignments]


def test_the_reports_owed_are_cut_after_their_order_open_periods_first(world, form: ReportForm):
    # Given four months opened for the commune, the three latest locked and December 2025
    # still open (its report not in yet),
    periods = {
        key: reporting_period_open(form=form, key=key, actor=world.admin)
        for key in ("2025-12", "2026-01", "2026-02", "2026-03")
    }
    for key in ("2026-01", "2026-02", "2026-03"):
        reporting_period_lock(period=periods[key], actor=world.admin)

    # when a page holds fewer than all of them, then the pages follow the whole list's order:
    # the open period first, then the latest due first.
    assert listed(world, page_size=10) == ["2025-12", "2026-03", "2026-02", "2026-01"]
    assert listed(world, page_size=3) == ["2025-12", "2026-03", "2026-02"]
    assert listed(world, page_size=3, page=2) == ["2026-01"]
    assert listed(world, page_size=1) == ["2025-12"]
    assert listed(world, page_size=3, page=3) == []


def test_every_page_says_how_many_reports_are_owed_in_all(world, form: ReportForm):
    for key in ("2026-01", "2026-02", "2026-03"):
        reporting_period_open(form=form, key=key, actor=world.admin)

    pages = [
        assignments_of(user=world.officer_a, now=AFTER_DUE, page=page, page_size=2)
        for page in (1, 2, 3)
    ]

    assert [(page.count, len(page.assignments)) for page in pages] == [(3, 2), (3, 1), (3, 0)]


def test_an_officer_of_two_reporters_sees_both_in_agency_order_for_each_period(
    world, form: ReportForm, django_assert_num_queries
):
    # Given an officer of both communes and two open months,
    MembershipFactory(user=world.officer_a, agency=world.commune_b)
    for key in ("2026-02", "2026-03"):
        reporting_period_open(form=form, key=key, actor=world.admin)

    # when the first three are listed, then the latest month comes with both communes,
    # in three queries: the agencies, the periods with their forms and the count of all,
    # the reports.
    with django_assert_num_queries(3):
        found = assignments_of(user=world.officer_a, now=AFTER_DUE, page_size=3)

    assert found.count == 4
    assert [(a.period.key, a.agency.code) for a in found.assignments] == [
        ("2026-03", "000.20.01.H91"),
        ("2026-03", "000.20.02.H91"),
        ("2026-02", "000.20.01.H91"),
    ]


def test_someone_without_a_reporting_agency_owes_nothing(world, form: ReportForm):
    reporting_period_open(form=form, key="2026-03", actor=world.admin)

    for user in (world.other_admin, None):
        found = assignments_of(user=user, now=AFTER_DUE, page_size=100)
        assert (found.count, found.assignments) == (0, [])


def test_a_quarter_opened_as_typed_is_found_as_typed(world):
    form = make_form(world, code="Q-01", period_kind="quarter")
    opened = reporting_period_open(form=form, key="2026-q1", actor=world.admin)

    found = period_get(user=world.admin, code="q-01", key=" 2026-q1 ")

    assert (opened.key, found) == ("2026-Q1", opened)
