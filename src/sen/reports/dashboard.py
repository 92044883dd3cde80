"""Reads of the operations dashboard (IOC): what a reader may pick, the board, the drill-down.

Built on the public selectors of ``sen.reports.selectors`` (index, trend, rankings, overdue
by agency) and the reading rules of ``sen.reports.access``. ``dashboard_for_reader`` answers
the IOC page and ``GET /api/v1/indicators/dashboard`` alike, so that the page's first
render and its refreshes show the same figures; ``overdue_dossiers_for_reader`` lists the
dossiers behind an "overdue now" count.

The drill-down shows what the public tracking page shows of a dossier (its code, procedure,
state, dates) and nothing of the applicant: a provincial leader reads the indicators of
every agency without holding a role in it, and so may not read applicants' personal data.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.core.models import Agency, UnitLevel
from sen.core.periods import Period, PeriodError, add_months, month_of, parse_period, period_label
from sen.core.selectors import AnyUser
from sen.dossiers.states import DossierStatus
from sen.reports.access import (
    ReaderScope,
    ReportUnit,
    reader_scope,
    unit_for_reader,
)
from sen.reports.errors import InvalidPeriod
from sen.reports.indicators import to_float
from sen.reports.models import DossierFact
from sen.reports.selectors import (
    IndicatorReport,
    OverdueLine,
    RankingLine,
    TrendPoint,
    agency_ranking,
    commune_ranking,
    index_trend,
    indicator_report,
    not_late_now,
    overdue_by_agency,
)

RECENT_MONTHS = 12
RECENT_QUARTERS = 5
RECENT_YEARS = 3


# --- What a reader may pick ------------------------------------------------------------------


@dataclass(frozen=True)
class UnitChoice:
    """A unit the reader may open: ``code`` as ``resolve_unit`` reads it, and its name."""

    kind: str  # "province", "commune" or "agency"
    code: str
    name: str


def readable_units(scope: ReaderScope) -> list[UnitChoice]:
    """Return the units ``scope`` may read that have agencies: provinces, communes, agencies.

    Provinces first, then communes, then agencies, each by name. One query (none for an
    empty scope).
    """
    if not (scope.everything or scope.provinces or scope.communes or scope.agencies):
        return []
    agencies = Agency.objects.all()
    if not scope.everything:
        agencies = agencies.filter(
            Q(unit_id__in=scope.provinces)
            | Q(unit__parent_id__in=scope.provinces)
            | Q(unit_id__in=scope.communes)
            | Q(pk__in=scope.agencies)
        )
    rows = agencies.values_list(
        "code",
        "name",
        "unit_id",
        "unit__code",
        "unit__name",
        "unit__level",
        "unit__parent_id",
        "unit__parent__code",
        "unit__parent__name",
    )
    provinces: dict[str, str] = {}
    communes: dict[str, str] = {}
    found: list[UnitChoice] = []
    for code, name, unit_id, unit_code, unit_name, level, parent_id, parent_code, parent in rows:
        if level == UnitLevel.PROVINCE:
            if scope.everything or unit_id in scope.provinces:
                provinces[unit_code] = unit_name
        elif level == UnitLevel.COMMUNE:
            if scope.everything or parent_id in scope.provinces:
                provinces[parent_code] = parent
            if scope.everything or parent_id in scope.provinces or unit_id in scope.communes:
                communes[unit_code] = unit_name
        found.append(UnitChoice("agency", code, name))
    by_name = lambda choice: (choice.name, choice.code)  # noqa: E731 - a sort key
    return [
        *sorted((UnitChoice("province", c, n) for c, n in provinces.items()), key=by_name),
        *sorted((UnitChoice("commune", c, n) for c, n in communes.items()), key=by_name),
        *sorted(found, key=by_name),
    ]


@dataclass(frozen=True)
class PeriodChoice:
    key: str
    label: str


def recent_periods(now: datetime) -> list[PeriodChoice]:
    """Return the periods offered in the picker: recent months, then quarters, then years."""
    month = month_of(now)
    keys = [f"{m.year}-{m.month:02d}" for m in (add_months(month, -i) for i in range(12))]
    quarter_start = add_months(month, -((month.month - 1) % 3))
    keys += [
        f"{q.year}-Q{(q.month + 2) // 3}"
        for q in (add_months(quarter_start, -3 * i) for i in range(RECENT_QUARTERS))
    ]
    keys += [str(month.year - i) for i in range(RECENT_YEARS)]
    return [PeriodChoice(key, period_label(parse_period(key))) for key in keys]


def dashboard_period(text: str, now: datetime) -> Period:
    """Return the period written ``text``; raise ``InvalidPeriod`` if unreadable or not begun."""
    try:
        period = parse_period(text)
    except PeriodError:
        raise InvalidPeriod(
            _("Kỳ báo cáo không hợp lệ: ghi tháng 2026-11, quý 2026-Q4 hoặc năm 2026.")
        ) from None
    if period.start > now:
        raise InvalidPeriod(_("Kỳ báo cáo %(period)s chưa bắt đầu.") % {"period": period.key})
    return period


def default_unit(choices: list[UnitChoice]) -> str:
    """Return the widest unit the reader may open (the first choice); "" if none."""
    return choices[0].code if choices else ""


# --- The board -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    """Everything the IOC shows for a unit and period, as of ``now``."""

    report: IndicatorReport
    period_label: str
    trend: list[TrendPoint]
    agencies: list[RankingLine]
    communes: list[RankingLine]
    overdue: list[OverdueLine]
    now: datetime


def dashboard_for_reader(
    *,
    user: AnyUser | None,
    unit: str,
    period: str,
    now: datetime | None = None,
    scope: ReaderScope | None = None,
) -> Dashboard:
    """Return the board of the unit written ``unit`` for ``period`` if ``user`` may read it.

    ``scope`` is ``user``'s reader scope when the caller has it already. Raise
    ``InvalidPeriod``, ``InvalidUnit``, ``ReportUnitNotFound`` or ``NotAllowed``. The
    rankings of agencies and communes come for units with several agencies and for a
    province. Queries: the reader's scope (2, none when given), the unit (1, or 2 for a
    commune or a province), the open dossiers not late now (2, shared by the figures below),
    the report (2), the trend (2), the agencies' ranking (3), the communes' (5), the overdue
    by agency (1): the same for any number of dossiers.
    """
    moment = now or timezone.now()
    when = dashboard_period(period, moment)
    target = unit_for_reader(text=unit, user=user, scope=scope)
    # Read once for the report, the trend, the agencies and the overdue: the same figure.
    not_late = not_late_now(unit=target, now=moment)
    return Dashboard(
        report=indicator_report(unit=target, period=when, now=moment, not_late=not_late),
        period_label=period_label(when),
        trend=index_trend(unit=target, now=moment, months=RECENT_MONTHS, not_late=not_late),
        agencies=(
            agency_ranking(unit=target, period=when, now=moment, not_late=not_late)
            if len(target.agency_ids) > 1
            else []
        ),
        communes=(
            commune_ranking(unit=target, period=when, now=moment)
            if target.kind == "province"
            else []
        ),
        overdue=overdue_by_agency(unit=target, now=moment, not_late=not_late),
        now=moment,
    )


def _ranking(lines: list[RankingLine]) -> list[dict[str, Any]]:
    return [
        {
            "code": line.code,
            "name": line.name,
            "index": to_float(line.index),
            "max_score": float(line.max_score),
            "received": line.received,
            "resolved": line.resolved,
            "on_time_rate": to_float(line.on_time_rate),
            "overdue_now": line.overdue_now,
        }
        for line in lines
    ]


def dashboard_payload(board: Dashboard) -> dict[str, Any]:
    """Return the board as JSON-ready data: the API's answer and the page's charts' data."""
    report = board.report
    stats = report.statistics
    channels = stats["received_by_channel"]
    return {
        "unit": {"kind": report.unit.kind, "code": report.unit.code, "name": report.unit.name},
        "period": {"key": report.period.key, "label": board.period_label},
        "judged_at": timezone.localtime(report.judged_at).isoformat(),
        "generated_at": timezone.localtime(board.now).isoformat(),
        "index": to_float(report.index),
        "max_score": float(report.max_score),
        "groups": [
            {
                "code": group.code,
                "name": group.name,
                "max_points": float(group.max_points),
                "score": to_float(group.score),
                "max_score": float(group.max_score),
            }
            for group in report.groups
        ],
        "figures": {
            "received": stats["received"],
            "resolved": stats["resolved"],
            "on_time": stats["early"] + stats["on_time"],
            "early": stats["early"],
            "late": stats["late"],
            "on_time_rate": to_float(stats["on_time_rate"]),
            "in_progress_now": report.in_progress_now,
            "overdue_now": report.overdue_now,
            "received_desk": channels["desk"],
            "received_online": channels["online"],
            "received_post": channels["post"],
        },
        "trend": [
            {
                "month": f"{point.month.year}-{point.month.month:02d}",
                "label": f"{point.month.month:02d}/{point.month.year}",
                "index": to_float(point.index),
                "max_score": float(point.max_score),
                "received": point.received,
                "resolved": point.resolved,
                "on_time_rate": to_float(point.on_time_rate),
            }
            for point in board.trend
        ],
        "agencies": _ranking(board.agencies),
        "communes": _ranking(board.communes),
        "overdue": [
            {
                "agency_code": line.agency_code,
                "agency_name": line.agency_name,
                "in_progress": line.in_progress,
                "overdue": line.overdue,
            }
            for line in board.overdue
        ],
    }


# --- The drill-down --------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueDossiers:
    """The dossiers of ``unit`` overdue now (a queryset of rows, most overdue first)."""

    unit: ReportUnit
    rows: QuerySet[DossierFact, Any]  # rows as dicts of the fields listed below
    linkable_agencies: frozenset[str]  # codes of the agencies whose dossiers the reader opens


def overdue_dossiers_for_reader(
    *, user: AnyUser | None, unit: str, now: datetime | None = None
) -> OverdueDossiers:
    """Return the dossiers of the unit written ``unit`` that are overdue now, for a reader.

    Overdue as the indicators count it (``overdue_by_agency``): received, not finished, past
    the due moment set by law (moved by supplement waits, never by an apology's new
    appointment). Each row holds the dossier's public code, procedure, state and dates, no
    personal data. Raise ``InvalidUnit``, ``ReportUnitNotFound`` or ``NotAllowed``.
    Queries: the reader's scope (2), the unit (1 or 2); the rows are one query (and their
    count one more).
    """
    moment = now or timezone.now()
    scope = reader_scope(user)
    target = unit_for_reader(text=unit, user=user, scope=scope)
    rows = (
        DossierFact.objects.filter(
            agency_id__in=target.agency_ids,
            received_at__isnull=False,
            finished_at__isnull=True,
            late_from__lt=moment,
        )
        .values(
            "received_at",
            "original_due_at",
            "late_from",
            "agency",
            "agency__code",
            "agency__name",
            "procedure__code",
            "procedure__name",
            # The dossier's public business key and state, as on the tracking page.
            "dossier__code",
            "dossier__status",
        )
        .order_by("late_from", "dossier_id")
    )
    linkable = frozenset(code for pk, code in scope.agencies.items() if pk in target.agency_ids)
    return OverdueDossiers(unit=target, rows=rows, linkable_agencies=linkable)


def status_label(status: str) -> str:
    """Return the Vietnamese name of a dossier's state."""
    try:
        return str(DossierStatus(status).label)
    except ValueError:
        return status


__all__ = [
    "Dashboard",
    "OverdueDossiers",
    "PeriodChoice",
    "UnitChoice",
    "dashboard_for_reader",
    "dashboard_payload",
    "dashboard_period",
    "default_unit",
    "overdue_dossiers_for_reader",
    "readable_units",
    "recent_periods",
    "status_label",
]
