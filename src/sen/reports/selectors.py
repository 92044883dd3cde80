"""Reads of the reports app: the index, its groups and plain statistics of a unit and period.

For the API, the exports and the operations dashboard (IOC). Every figure comes from the
monthly counters: a province's from ``ProvinceMonth`` and ``ProvinceProcedureMonth``, a
commune's or an agency's from ``AgencyMonth`` and ``ProcedureMonth``. What depends on the
moment comes from counters too: the dossiers in progress now are the sum of ``open_delta``
over all months; the overdue now are those less the open dossiers not late yet, counted by
``OpenLateDay`` for the days after today and, for today and those never late while open,
read from the open rows of ``DossierFact`` by a partial index (``_not_late_now``). A report
is a handful of queries over a few hundred rows, whatever the number of dossiers. Access is
checked by ``sen.reports.access`` before these are called; they take a resolved
``ReportUnit``.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from sen.core.models import Agency, UnitLevel
from sen.core.periods import VIETNAM, Period, add_months, month_of
from sen.core.timezones import start_of_day
from sen.reports.access import ReportUnit
from sen.reports.facts import COUNTERS
from sen.reports.indicators import Group, Unfinished, index_groups, index_total, statistics
from sen.reports.models import (
    AgencyMonth,
    DossierFact,
    OpenLateDay,
    ProcedureMonth,
    ProvinceMonth,
    ProvinceProcedureMonth,
)

FLOW_COUNTERS = tuple(name for name in COUNTERS if not name.startswith("open_"))


@dataclass(frozen=True)
class ProcedureLine:
    """The statistics of one procedure version in a report."""

    code: str
    version: int
    name: str
    field_code: str
    field_name: str
    counters: dict[str, int]


@dataclass(frozen=True)
class IndicatorReport:
    """The index of a unit for a period, its groups, statistics and breakdowns."""

    unit: ReportUnit
    period: Period
    judged_at: datetime  # the period's end, or now for a period not over
    index: Decimal | None
    max_score: Decimal
    groups: list[Group]
    statistics: dict[str, Any]
    in_progress_now: int
    overdue_now: int
    procedures: list[ProcedureLine] = field(default_factory=list)

    def fields(self) -> list[dict[str, Any]]:
        """Return the statistics summed by field (lĩnh vực), by field name."""
        totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for line in self.procedures:
            for name, value in line.counters.items():
                totals[(line.field_code, line.field_name)][name] += value
        return [
            {"code": code, "name": name, "counters": dict(values)}
            for (code, name), values in sorted(totals.items(), key=lambda item: item[0][1])
        ]


def _months(unit: ReportUnit) -> QuerySet[Any]:
    """Return the monthly counters of ``unit``: its province's row, or its agencies'."""
    if unit.kind == "province":
        return ProvinceMonth.objects.filter(province_id=unit.unit_id)
    return AgencyMonth.objects.filter(agency_id__in=unit.agency_ids)


def _procedure_months(unit: ReportUnit) -> QuerySet[Any]:
    """Return the monthly counters by procedure of ``unit``."""
    if unit.kind == "province":
        return ProvinceProcedureMonth.objects.filter(province_id=unit.unit_id)
    return ProcedureMonth.objects.filter(agency_id__in=unit.agency_ids)


def _counter_sums(period: Period) -> dict[str, Any]:
    """Return the sums of one report: the period's flows, the unfinished at its end, and the
    dossiers in progress now (``open_delta`` over all months)."""
    in_period = Q(month__gte=period.first, month__lte=period.last)
    up_to_end = Q(month__lte=period.last)
    sums: dict[str, Any] = {name: Sum(name, filter=in_period, default=0) for name in FLOW_COUNTERS}
    sums["open_end"] = Sum("open_delta", filter=up_to_end, default=0)
    sums["open_late_end"] = Sum("open_late_delta", filter=up_to_end, default=0)
    sums["open_now"] = Sum("open_delta", default=0)
    return sums


def _period_counters(unit: ReportUnit, period: Period) -> tuple[dict[str, int], Unfinished, int]:
    """Return the flows of the period, the unfinished dossiers at its end and the dossiers in
    progress now: one query."""
    row = _months(unit).aggregate(**_counter_sums(period))
    unfinished = Unfinished(total=row.pop("open_end"), late=row.pop("open_late_end"))
    return row, unfinished, row.pop("open_now")


def _not_late_now(agency_ids: tuple[int, ...], now: datetime, group: str) -> dict[Any, int]:
    """Return the dossiers open and not late at ``now``, by ``group`` (a path from the agency).

    The overdue now are the dossiers in progress (``open_delta`` summed) less these: those
    becoming late after today (``OpenLateDay``, a month or two of rows), plus, from the open
    rows of ``DossierFact`` by their partial index, those never late while open (the clock
    stopped in time) and those becoming late later today. Two queries, whatever the number
    of dossiers long overdue.
    """
    today = now.astimezone(VIETNAM).date()
    tomorrow = start_of_day(today + timedelta(days=1))
    found: dict[Any, int] = defaultdict(int)
    after_today = (
        OpenLateDay.objects.filter(agency_id__in=agency_ids, day__gt=today, open__gt=0)
        .values(group)
        .annotate(count=Sum("open"))
        .order_by()
    )
    open_facts = DossierFact.objects.filter(
        agency_id__in=agency_ids, received_at__isnull=False, finished_at__isnull=True
    )
    # Two ranges of the partial index, as a union: an OR would read every open row.
    never, later_today = (
        open_facts.filter(condition).values(group).annotate(count=Count("*")).order_by()
        for condition in (Q(late_from__isnull=True), Q(late_from__gte=now, late_from__lt=tomorrow))
    )
    for rows in (after_today, never.union(later_today, all=True)):
        for row in rows:
            found[row[group]] += row["count"]
    return found


def not_late_now(*, unit: ReportUnit, now: datetime) -> dict[int, int]:
    """Return the dossiers of ``unit`` open and not late at ``now``, by agency id: two queries.

    The report, the trend, the agencies' ranking and the overdue by agency all start from
    these; a caller reading several of them for one unit and moment (the IOC board) reads
    them once and passes them as ``not_late``.
    """
    return _not_late_now(unit.agency_ids, now, "agency_id")


def _open_now(
    unit: ReportUnit, now: datetime, in_progress: int, not_late: Mapping[int, int] | None
) -> Unfinished:
    """Return the dossiers of ``unit`` in progress and overdue at ``now``."""
    if not_late is None:
        not_late = not_late_now(unit=unit, now=now)
    return Unfinished(in_progress, in_progress - sum(not_late.values()))


def _judged(
    period: Period, now: datetime, *, at_end: Unfinished, open_now: Unfinished
) -> tuple[Unfinished, datetime]:
    """Return the unfinished dossiers ``period`` is judged by, and the moment they are judged
    at: its end, or now for a period not over yet."""
    if period.end > now:
        return open_now, now
    return at_end, period.end


@dataclass(frozen=True)
class _Score:
    """A unit's index for a period, its groups and plain statistics."""

    index: Decimal | None
    max_score: Decimal
    groups: list[Group]
    statistics: dict[str, Any]


def _score(
    counters: Mapping[str, int], unfinished: Unfinished, online_procedures: tuple[int, int]
) -> _Score:
    """Return the index of a unit and period from its flows and its unfinished dossiers."""
    groups = index_groups(counters, unfinished, online_procedures=online_procedures)
    index, max_score = index_total(groups)
    return _Score(index, max_score, groups, statistics(counters, unfinished))


def _procedure_lines(unit: ReportUnit, period: Period) -> list[ProcedureLine]:
    rows = (
        _procedure_months(unit)
        .filter(month__gte=period.first, month__lte=period.last)
        .values(
            "procedure_id",
            "procedure__code",
            "procedure__version",
            "procedure__name",
            "procedure__field__code",
            "procedure__field__name",
        )
        .annotate(**{f"sum_{name}": Sum(name) for name in FLOW_COUNTERS})
        .order_by("procedure__code", "procedure__version")
    )
    return [
        ProcedureLine(
            code=row["procedure__code"],
            version=row["procedure__version"],
            name=row["procedure__name"],
            field_code=row["procedure__field__code"],
            field_name=row["procedure__field__name"],
            counters={name: row[f"sum_{name}"] for name in FLOW_COUNTERS},
        )
        for row in rows
    ]


def _online_procedures(lines: list[ProcedureLine]) -> tuple[int, int]:
    """Return (procedures with an online service that got an online dossier, that got any)."""
    offered = [line for line in lines if line.counters["online_capable"] > 0]
    online = [line for line in offered if line.counters["online_capable_online"] > 0]
    return len(online), len(offered)


def indicator_report(
    *, unit: ReportUnit, period: Period, now: datetime, not_late: Mapping[int, int] | None = None
) -> IndicatorReport:
    """Return the index of ``unit`` for ``period``, with groups, statistics and breakdowns.

    Unfinished dossiers are judged at the period's end; for a period not over yet, now.
    Four queries: the unit's monthly counters (flows of the period; summed from the start,
    the unfinished at its end and in progress now), the overdue now (two, none when
    ``not_late`` is given, see ``not_late_now``), and the procedures' counters of the period.
    """
    counters, at_end, in_progress = _period_counters(unit, period)
    open_now = _open_now(unit, now, in_progress, not_late)
    unfinished, judged_at = _judged(period, now, at_end=at_end, open_now=open_now)
    lines = _procedure_lines(unit, period)
    score = _score(counters, unfinished, _online_procedures(lines))
    return IndicatorReport(
        unit=unit,
        period=period,
        judged_at=judged_at,
        index=score.index,
        max_score=score.max_score,
        groups=score.groups,
        statistics=score.statistics,
        in_progress_now=open_now.total,
        overdue_now=open_now.late,
        procedures=lines,
    )


# --- For the operations dashboard (IOC) ------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    month: date
    index: Decimal | None
    max_score: Decimal
    groups: dict[str, Decimal | None]
    received: int
    resolved: int
    on_time_rate: Decimal | None


def index_trend(
    *,
    unit: ReportUnit,
    now: datetime,
    months: int = 12,
    not_late: Mapping[int, int] | None = None,
) -> list[TrendPoint]:
    """Return the index of ``unit`` for each of the last ``months`` months, oldest first.

    Each month's groups are scored as a one-month report (unfinished dossiers judged at the
    month's end, or now for the current month). Four queries: the unit's counters by month
    (all months up to now, for the running count of unfinished dossiers), the procedures'
    online counters by month, and the overdue now (two, none when ``not_late`` is given).
    """
    last = month_of(now)
    first = add_months(last, 1 - months)
    per_month = {
        row["month"]: row
        for row in _months(unit)
        .filter(month__lte=last)
        .values("month")
        .annotate(**{name: Sum(name) for name in COUNTERS})
        .order_by("month")
    }
    online = _online_procedures_by_month(unit, first, last)
    in_progress = sum(row["open_delta"] for row in per_month.values())
    open_now = _open_now(unit, now, in_progress, not_late)
    points = []
    running = Unfinished(0, 0)
    for month in sorted(m for m in per_month if m < first):
        running = _carried(running, per_month[month])
    month = first
    while month <= last:
        row = per_month.get(month) or dict.fromkeys(COUNTERS, 0)
        running = _carried(running, row)
        counters = {name: row[name] for name in FLOW_COUNTERS}
        one_month = Period(key=f"{month:%Y-%m}", kind="month", first=month, last=month)
        unfinished, _judged_at = _judged(one_month, now, at_end=running, open_now=open_now)
        score = _score(counters, unfinished, online.get(month, (0, 0)))
        points.append(
            TrendPoint(
                month=month,
                index=score.index,
                max_score=score.max_score,
                groups={group.code: group.score for group in score.groups},
                received=counters["received"],
                resolved=counters["resolved"],
                on_time_rate=score.statistics["on_time_rate"],
            )
        )
        month = add_months(month, 1)
    return points


def _carried(running: Unfinished, row: dict[str, Any]) -> Unfinished:
    return Unfinished(running.total + row["open_delta"], running.late + row["open_late_delta"])


def _online_procedures_by_month(
    unit: ReportUnit, first: date, last: date
) -> dict[date, tuple[int, int]]:
    rows = _procedure_months(unit).filter(month__gte=first, month__lte=last)
    return _online_procedures_by(rows, "month")


def _online_procedures_by(rows: QuerySet[Any], group: str) -> dict[Any, tuple[int, int]]:
    """Return, by ``group``, (procedures offering an online service that got an online
    dossier, that got any) among the procedure months ``rows``: one query, counted by the
    database (a month's counters are never negative, so a sum is positive when a month is)."""
    offered = rows.filter(online_capable__gt=0)
    found = (
        offered.values(group)
        .annotate(
            online=Count("procedure_id", distinct=True, filter=Q(online_capable_online__gt=0)),
            offered=Count("procedure_id", distinct=True),
        )
        .order_by()
    )
    return {row[group]: (row["online"], row["offered"]) for row in found}


@dataclass(frozen=True)
class RankingLine:
    code: str
    name: str
    index: Decimal | None
    max_score: Decimal
    received: int
    resolved: int
    on_time_rate: Decimal | None
    overdue_now: int


def _ranking(
    unit: ReportUnit,
    period: Period,
    now: datetime,
    group: str,
    label: dict[Any, tuple[str, str]],
    not_late: Mapping[Any, int] | None = None,
) -> list[RankingLine]:
    rows = (
        AgencyMonth.objects.filter(agency_id__in=unit.agency_ids)
        .values(group)
        .annotate(**_counter_sums(period), seen=Count("pk", filter=Q(month__lte=period.last)))
        .order_by(group)
    )
    if not_late is None:
        not_late = _not_late_now(unit.agency_ids, now, group)
    online = _online_procedures_by(
        ProcedureMonth.objects.filter(
            agency_id__in=unit.agency_ids, month__gte=period.first, month__lte=period.last
        ),
        group,
    )
    lines = []
    for row in rows:
        key = row[group]
        if key not in label or not row["seen"]:
            continue
        open_now = Unfinished(row["open_now"], row["open_now"] - not_late.get(key, 0))
        at_end = Unfinished(row["open_end"], row["open_late_end"])
        unfinished, _judged_at = _judged(period, now, at_end=at_end, open_now=open_now)
        counters = {name: row[name] for name in FLOW_COUNTERS}
        score = _score(counters, unfinished, online.get(key, (0, 0)))
        code, name = label[key]
        lines.append(
            RankingLine(
                code=code,
                name=name,
                index=score.index,
                max_score=score.max_score,
                received=counters["received"],
                resolved=counters["resolved"],
                on_time_rate=score.statistics["on_time_rate"],
                overdue_now=open_now.late,
            )
        )
    # Scored units first, best first; then by code.
    lines.sort(key=lambda line: (line.index is None, -(line.index or 0), line.code))
    return lines


def agency_ranking(
    *, unit: ReportUnit, period: Period, now: datetime, not_late: Mapping[int, int] | None = None
) -> list[RankingLine]:
    """Return the agencies of ``unit`` with their index for ``period``, best first.

    Agencies without any dossier counted by the period's end are left out. Five queries
    (three when ``not_late`` is given, see ``not_late_now``).
    """
    label = {
        pk: (code, name)
        for pk, code, name in Agency.objects.filter(pk__in=unit.agency_ids).values_list(
            "pk", "code", "name"
        )
    }
    return _ranking(unit, period, now, "agency_id", label, not_late)


def commune_ranking(*, unit: ReportUnit, period: Period, now: datetime) -> list[RankingLine]:
    """Return the communes of ``unit`` (a province) with their index for ``period``, best first.

    A commune's figures are those of the agencies in it (usually its people's committee).
    Five queries.
    """
    label = {
        pk: (code, name)
        for pk, code, name in Agency.objects.filter(
            pk__in=unit.agency_ids, unit__level=UnitLevel.COMMUNE
        ).values_list("unit_id", "unit__code", "unit__name")
    }
    return _ranking(unit, period, now, "agency__unit_id", label)


@dataclass(frozen=True)
class OverdueLine:
    agency_code: str
    agency_name: str
    in_progress: int
    overdue: int


def overdue_by_agency(
    *, unit: ReportUnit, now: datetime, not_late: Mapping[int, int] | None = None
) -> list[OverdueLine]:
    """Return, for each agency of ``unit`` with dossiers in progress, how many are overdue now.

    Most overdue first. Three queries: the agencies' counters (in progress now) and the
    overdue now (two, none when ``not_late`` is given). The drill-down to the list is the
    officers' queue (``GET /api/v1/dossiers/queue?overdue=true``).
    """
    rows = (
        AgencyMonth.objects.filter(agency_id__in=unit.agency_ids)
        .values("agency_id", "agency__code", "agency__name")
        .annotate(total=Sum("open_delta"))
        .filter(total__gt=0)
        .order_by()
    )
    if not_late is None:
        not_late = not_late_now(unit=unit, now=now)
    lines = [
        OverdueLine(
            row["agency__code"],
            row["agency__name"],
            row["total"],
            row["total"] - not_late.get(row["agency_id"], 0),
        )
        for row in rows
    ]
    lines.sort(key=lambda line: (-line.overdue, line.agency_code))
    return lines


__all__ = [
    "IndicatorReport",
    "OverdueLine",
    "ProcedureLine",
    "RankingLine",
    "TrendPoint",
    "agency_ranking",
    "commune_ranking",
    "index_trend",
    "indicator_report",
    "not_late_now",
    "overdue_by_agency",
]
