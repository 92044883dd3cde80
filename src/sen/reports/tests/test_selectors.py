"""The reports' selectors read counters: "now" figures, a province's own rows, few queries."""

from datetime import timedelta

import pytest

from sen.core.periods import parse_period
from sen.dossiers.services import dossier_receive, dossier_withdraw
from sen.reports.access import resolve_unit
from sen.reports.selectors import (
    agency_ranking,
    commune_ranking,
    index_trend,
    indicator_report,
    overdue_by_agency,
)
from sen.tests.clock import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_yesterday_today_and_later(submit, clock, people):
    """Three received dossiers: due the day before "now", due earlier today, due later.

    Return (the moment to judge at, the dossiers)."""
    clock(at(23, 8))
    first = dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    clock(at(24, 8))
    second = dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    clock(at(25, 14))
    third = dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    now = second.original_due_at + timedelta(minutes=1)
    # What the fixture promises, whatever the working-time rules make of the receipts.
    assert first.original_due_at.date() < now.date() == second.original_due_at.date()
    assert third.original_due_at > now
    clock(now)
    return now, (first, second, third)


def test_overdue_now_counts_the_days_before_today_and_today_up_to_now(
    due_yesterday_today_and_later, centre, django_assert_num_queries
):
    """Given dossiers due yesterday, earlier today and later,
    when the agency's report for the month is read,
    then three are in progress and two overdue, in four queries."""
    now, _dossiers = due_yesterday_today_and_later
    unit = resolve_unit(centre.code)

    with django_assert_num_queries(4):
        report = indicator_report(unit=unit, period=parse_period("2026-11"), now=now)

    assert (report.in_progress_now, report.overdue_now) == (3, 2)
    assert report.statistics["unfinished_late_at_end"] == 2


def test_a_dossier_finished_leaves_the_overdue_now(
    due_yesterday_today_and_later, people, centre, django_assert_num_queries
):
    """Given the dossier due yesterday withdrawn,
    when the overdue by agency is read, then one of two in progress is overdue."""
    now, (first, _second, _third) = due_yesterday_today_and_later
    dossier_withdraw(dossier=first, reason="Không cần nữa", actor=people.applicant)
    unit = resolve_unit(centre.code)

    with django_assert_num_queries(3):
        lines = overdue_by_agency(unit=unit, now=now)

    assert [(line.agency_code, line.in_progress, line.overdue) for line in lines] == [
        (centre.code, 2, 1)
    ]


def test_a_province_reads_its_own_counters_alike(
    due_yesterday_today_and_later, centre, django_assert_num_queries
):
    """Given the dossiers of an agency of the province,
    when the province's report is read, then it shows the agency's figures, by procedure too,
    in four queries."""
    now, _dossiers = due_yesterday_today_and_later
    period = parse_period("2026-11")
    agency = indicator_report(unit=resolve_unit(centre.code), period=period, now=now)
    unit = resolve_unit(centre.unit.code)

    with django_assert_num_queries(4):
        province = indicator_report(unit=unit, period=period, now=now)

    assert province.unit.kind == "province"
    assert province.statistics == agency.statistics
    assert (province.in_progress_now, province.overdue_now) == (3, 2)
    assert [line.counters for line in province.procedures] == [
        line.counters for line in agency.procedures
    ]


def test_the_ranking_and_the_trend_agree_with_the_report(
    due_yesterday_today_and_later, centre, django_assert_num_queries
):
    """Given the dossiers of the province's one agency,
    when the agencies are ranked and the trend is read for the province,
    then the agency's line and the current month's point show the report's figures."""
    now, _dossiers = due_yesterday_today_and_later
    period = parse_period("2026-11")
    report = indicator_report(unit=resolve_unit(centre.code), period=period, now=now)
    province = resolve_unit(centre.unit.code)

    with django_assert_num_queries(5):
        lines = agency_ranking(unit=province, period=period, now=now)
    with django_assert_num_queries(4):
        trend = index_trend(unit=province, now=now, months=3)
    with django_assert_num_queries(5):
        communes = commune_ranking(unit=province, period=period, now=now)

    assert [(line.code, line.index, line.received, line.overdue_now) for line in lines] == [
        (centre.code, report.index, 3, 2)
    ]
    assert report.index is not None
    assert [point.month.month for point in trend] == [9, 10, 11]
    assert (trend[-1].index, trend[-1].received) == (report.index, 3)
    assert communes == []  # the agency sits at the province's level, in no commune


def test_a_month_over_is_judged_at_its_end_alike_by_the_report_the_ranking_and_the_trend(
    submit, clock, people, centre
):
    """Given a dossier received on the last day of November, due in December and still open,
    and one received in mid-December, not due yet, when November is read then, the report,
    the agencies' ranking and the trend's November judge the first at November's end, in
    time, while the figures of now count it overdue; December, not over, is judged now (the
    second in time) by the report and the trend alike."""
    clock(at(30, 9))
    first = dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    clock(at(15, 8, month=12))
    second = dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    now = at(15, 9, month=12)
    assert at(1, 0, month=12) < first.original_due_at < now < second.original_due_at
    november, december = parse_period("2026-11"), parse_period("2026-12")
    assert second.original_due_at < december.end  # late at December's end, not now
    province = resolve_unit(centre.unit.code)

    report = indicator_report(unit=province, period=november, now=now)
    [line] = agency_ranking(unit=province, period=november, now=now)
    trend = {point.month.month: point for point in index_trend(unit=province, now=now, months=2)}
    current = indicator_report(unit=province, period=december, now=now)

    assert report.judged_at == november.end and current.judged_at == now
    assert report.statistics["unfinished_late_at_end"] == 0
    assert (report.in_progress_now, report.overdue_now, line.overdue_now) == (2, 1, 1)
    assert report.index is not None and current.index is not None
    assert report.index > current.index  # in time at November's end, late now
    assert line.index == trend[11].index == report.index
    assert trend[12].index == current.index
