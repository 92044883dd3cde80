"""Reads of periodic reporting, each with its access check.

Who sees what:

* a provincial administrator (or a superuser) manages the forms of their province and sees
  every period, report and total of them;
* a leader of the province's people's committee (the province's leaders, who watch its
  figures on the dashboard) reads the same, forms, periods, reports, totals and exports,
  and changes nothing: no form, no period opened or locked, no report;
* an officer with any active role in a reporting agency sees the forms and periods their
  agency reports on, and their agency's reports, never another agency's.

Anyone else is answered "not found", as for a form or period that does not exist.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.db.models import Case, Count, Q, QuerySet, TextChoices, Value, When, Window
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sen.core.models import Agency
from sen.core.selectors import (
    AnyUser,
    agencies_visible_to,
    officer_agencies,
    officer_roles,
    province_admin_unit_ids,
    province_leader_unit_ids,
    province_leadership,
)
from sen.core.text import typed_code
from sen.periodic.errors import FormNotFound, PeriodNotFound, ReportNotFound
from sen.periodic.models import (
    Indicator,
    Report,
    ReportForm,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
)
from sen.periodic.values import IndicatorRule, aggregate


def _is_superuser(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_active and getattr(user, "is_superuser", False))


def managed_province_ids(user: AnyUser | None) -> set[int] | None:
    """Return the provinces whose forms ``user`` manages; ``None`` means all (superuser)."""
    if _is_superuser(user):
        return None
    return province_admin_unit_ids(user)


def manages_form(user: AnyUser | None, form: ReportForm) -> bool:
    """Return whether ``user`` may define ``form``, open and lock its periods, see all of it."""
    provinces = managed_province_ids(user)
    return provinces is None or form.province_id in provinces


def read_province_ids(user: AnyUser | None) -> set[int] | None:
    """Return the provinces whose forms ``user`` reads in full (periods, every reporter's
    report, totals, exports): those they manage and those whose people's committee they
    lead; ``None`` means all (superuser). No query once the user's provinces are known."""
    provinces = managed_province_ids(user)
    if provinces is None:
        return None
    return provinces | province_leader_unit_ids(user)


def reads_form(user: AnyUser | None, form: ReportForm) -> bool:
    """Return whether ``user`` reads all of ``form``: manages it or leads its province."""
    provinces = read_province_ids(user)
    return provinces is None or form.province_id in provinces


def forms_visible_to(user: AnyUser | None) -> QuerySet[ReportForm]:
    """Return the forms ``user`` manages, reads as a leader of the province, or reports on,
    by code."""
    forms = ReportForm.objects.select_related("province")
    provinces = read_province_ids(user)
    if provinces is None:
        return forms.order_by("code")
    mine = officer_agencies(user).values("pk")
    reporting = Q(reporters__in=mine) | Q(periods__reporters__in=mine)
    ids = ReportForm.objects.filter(Q(province_id__in=provinces) | reporting).values("pk")
    return forms.filter(pk__in=ids).order_by("code")


def form_get(*, user: AnyUser | None, code: str) -> ReportForm:
    """Return the form ``code`` if ``user`` may see it, else raise ``FormNotFound``."""
    form = forms_visible_to(user).filter(code=typed_code(code)).first()
    if form is None:
        raise FormNotFound(_("Không tìm thấy biểu mẫu báo cáo %(code)s.") % {"code": code})
    return form


def form_indicators(form: ReportForm) -> list[Indicator]:
    """Return the form's indicators in order."""
    return list(form.indicators.order_by("position"))


def form_is_frozen(form: ReportForm) -> bool:
    """Return whether ``form`` has a report, draft or submitted: its indicators and period
    kind may no longer change (docs/adr, "frozen report forms"). One query."""
    return Report.objects.filter(period__form=form).exists()


def reporter_choices(*, user: AnyUser | None, province_id: int) -> QuerySet[Agency]:
    """Return the active agencies of a province that ``user`` may name as reporters (its
    provincial agencies and commune committees), by name."""
    in_province = Q(unit_id=province_id) | Q(unit__parent_id=province_id)
    return agencies_visible_to(user).filter(in_province, is_active=True).order_by("name")


def indicator_rules(indicators: list[Indicator]) -> list[IndicatorRule]:
    return [
        IndicatorRule(
            code=i.code,
            name=i.name,
            value_type=i.value_type,
            allow_negative=i.allow_negative,
            max_value=i.max_value,
            unit=i.unit,
        )
        for i in indicators
    ]


def _period_not_found(code: str, key: str) -> PeriodNotFound:
    message = _("Không tìm thấy kỳ báo cáo %(key)s của biểu mẫu %(code)s.")
    return PeriodNotFound(message % {"key": key, "code": code})


def period_get(*, user: AnyUser | None, code: str, key: str) -> ReportingPeriod:
    """Return the period ``key`` of form ``code`` if ``user`` reads the whole form
    (``reads_form``) or one of their agencies must report for the period; otherwise raise
    ``PeriodNotFound``."""
    period = (
        ReportingPeriod.objects.select_related("form", "form__province")
        .filter(form__code=typed_code(code), key=typed_code(key))
        .first()
    )
    if period is None:
        raise _period_not_found(code, key)
    if reads_form(user, period.form):
        return period
    if not period.reporters.filter(pk__in=officer_agencies(user).values("pk")).exists():
        raise _period_not_found(code, key)
    return period


def periods_of_form(form: ReportForm) -> QuerySet[ReportingPeriod]:
    """Return the form's periods, newest first (callers check access to the form)."""
    return form.periods.order_by("-starts_on")


def reporting_agencies_of(user: AnyUser | None, period: ReportingPeriod) -> list[Agency]:
    """Return the agencies ``user`` may report for in ``period`` (those they work in)."""
    return list(period.reporters.filter(pk__in=officer_agencies(user).values("pk")))


def works_in_reporting(user: AnyUser | None) -> bool:
    """Return whether the periodic pages are for ``user``: an officer with a role in an
    active agency, or a superuser. A citizen is not; the roles are read once a request."""
    return _is_superuser(user) or bool(officer_roles(user))


def has_periodic_work(user: AnyUser | None) -> bool:
    """Return whether periodic reporting has something for ``user``: one of their agencies
    reports on a form in use or on an open period, or they lead the people's committee of
    a province that has forms (its leaders read them). One query (none for a user without
    agencies is still one)."""
    mine = officer_agencies(user).values("pk")
    led = province_leadership(user).values("unit_id")
    work = (
        Q(is_active=True, reporters__in=mine)
        | Q(periods__reporters__in=mine)
        | Q(province_id__in=led)
    )
    return ReportForm.objects.filter(work).exists()


def may_report_for(user: AnyUser | None, agency: Agency) -> bool:
    """Return whether ``user`` may fill and submit ``agency``'s reports (any active role)."""
    return officer_agencies(user).filter(pk=agency.pk).exists()


class ReporterState(TextChoices):
    """Where a reporter stands for a period (stable codes used by the API and exports).

    Listed worst first, the order in which pages and counts show them.
    """

    OVERDUE = "overdue", gettext_lazy("Quá hạn, chưa nộp")
    MISSING = "missing", gettext_lazy("Chưa nộp")
    LATE = "late", gettext_lazy("Đã nộp trễ hạn")
    ON_TIME = "on_time", gettext_lazy("Đã nộp đúng hạn")


class ReportProgress(StrEnum):
    """How far a reporter's report for a period is (stable codes used by the API): not
    started while it has none, else the report's status."""

    NOT_STARTED = "not_started"
    DRAFT = ReportStatus.DRAFT.value
    SUBMITTED = ReportStatus.SUBMITTED.value


def report_progress(report: Report | None) -> ReportProgress:
    """Return how far ``report`` (None: none made yet) is."""
    return ReportProgress.NOT_STARTED if report is None else ReportProgress(report.status)


def reporter_state(report: Report | None, period: ReportingPeriod, now: datetime) -> ReporterState:
    """Return whether a report is in on time or late, or missing before or after the due."""
    if report is not None and report.status == ReportStatus.SUBMITTED and report.submitted_at:
        return ReporterState.LATE if report.submitted_at > period.due_at else ReporterState.ON_TIME
    return ReporterState.OVERDUE if now > period.due_at else ReporterState.MISSING


@dataclass
class ReportRead:
    """A report as a reader sees it: the values by indicator code, and what they may do."""

    period: ReportingPeriod
    agency: Agency
    report: Report | None
    indicators: list[Indicator]
    values: dict[str, Decimal | None]
    may_edit: bool
    state: ReporterState  # where the report stands against the due moment


def report_agency_get(
    *, user: AnyUser | None, period: ReportingPeriod, agency_code: str
) -> tuple[Agency, bool]:
    """Return the reporter ``agency_code`` of ``period`` and whether ``user`` works in it.

    Its own officers and the form's readers (``reads_form``) may see its report; others,
    and agencies that are not reporters of the period, get ``ReportNotFound``. Does not
    read the report.
    """
    agency = period.reporters.filter(code=agency_code.strip()).first()
    not_found = ReportNotFound(
        _("Không tìm thấy báo cáo của đơn vị %(agency)s cho kỳ %(key)s.")
        % {"agency": agency_code, "key": period.key}
    )
    if agency is None:
        raise not_found
    works_there = may_report_for(user, agency)
    if not works_there and not reads_form(user, period.form):
        raise not_found
    return agency, works_there


def report_get(
    *,
    user: AnyUser | None,
    period: ReportingPeriod,
    agency_code: str,
    now: datetime | None = None,
) -> ReportRead:
    """Return ``agency_code``'s report for ``period`` (``report`` is ``None`` if not begun)
    and where it stands at ``now``.

    Its own officers may read and edit it; the form's managers and the province's leaders
    may read it. Others, and agencies that are not reporters of the period, get
    ``ReportNotFound``.
    """
    agency, may_edit = report_agency_get(user=user, period=period, agency_code=agency_code)
    report = Report.objects.filter(period=period, agency=agency).first()
    indicators = form_indicators(period.form)
    values: dict[str, Decimal | None] = {i.code: None for i in indicators}
    if report is not None:
        code_of = {i.pk: i.code for i in indicators}  # in hand: no join to the indicators
        for row in ReportValue.objects.filter(report=report):
            values[code_of[row.indicator_id]] = row.value
    return ReportRead(
        period=period,
        agency=agency,
        report=report,
        indicators=indicators,
        values=values,
        may_edit=may_edit and not period.is_locked,
        state=reporter_state(report, period, now or timezone.now()),
    )


# --- Who has reported, and the totals ------------------------------------------------------


@dataclass
class ReporterRow:
    agency: Agency
    state: ReporterState
    report: Report | None

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def has_draft(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.DRAFT


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[Decimal | None]  # one per reporter, in the order of the overview's reporters
    total: Decimal | None
    reported: int  # how many reporters gave a value


@dataclass
class PeriodOverview:
    """Everything the province sees of a period: who reported, and the figures."""

    period: ReportingPeriod
    now: datetime
    reporters: list[ReporterRow]
    indicators: list[IndicatorRow]
    counts: dict[ReporterState, int] = field(default_factory=dict)

    @property
    def submitted(self) -> int:
        return self.counts.get(ReporterState.ON_TIME, 0) + self.counts.get(ReporterState.LATE, 0)


def period_overview(
    *, user: AnyUser | None, period: ReportingPeriod, now: datetime | None = None
) -> PeriodOverview:
    """Return who has reported for ``period`` and the totals of the submitted reports.

    Only the form's readers see it, its managers and the province's leaders
    (``PeriodNotFound`` for others). Reporters come by
    agency code; drafts count as not submitted and their values stay out of the totals.
    Four queries, whatever the number of reporters and indicators.
    """
    if not reads_form(user, period.form):
        raise _period_not_found(period.form.code, period.key)
    now = now or timezone.now()
    agencies = list(period.reporters.order_by("code"))
    reports = {r.agency_id: r for r in Report.objects.filter(period=period)}
    rows = [
        ReporterRow(
            agency, reporter_state(reports.get(agency.pk), period, now), reports.get(agency.pk)
        )
        for agency in agencies
    ]
    # The reports are in hand: map a value's report to its agency without joining them again.
    submitted = {r.pk: r.agency_id for r in reports.values() if r.status == ReportStatus.SUBMITTED}
    cells: dict[tuple[int, int], Decimal | None] = {
        (submitted[row.report_id], row.indicator_id): row.value
        for row in ReportValue.objects.filter(report_id__in=submitted)
    }
    indicator_rows = []
    for indicator in form_indicators(period.form):
        values = [cells.get((agency.pk, indicator.pk)) for agency in agencies]
        indicator_rows.append(
            IndicatorRow(
                indicator=indicator,
                values=values,
                total=aggregate(values, indicator.aggregation),
                reported=sum(value is not None for value in values),
            )
        )
    counts = Counter(row.state for row in rows)
    return PeriodOverview(
        period=period, now=now, reporters=rows, indicators=indicator_rows, counts=dict(counts)
    )


@dataclass
class Assignment:
    """One report an officer's agency owes: the period, the agency and where it stands."""

    period: ReportingPeriod
    agency: Agency
    report: Report | None
    state: ReporterState

    @property
    def state_label(self) -> str:
        return str(self.state.label)


@dataclass(frozen=True)
class AssignmentPage:
    """One page of the reports an officer's agencies owe or have made, and how many in all."""

    count: int
    assignments: list[Assignment]

    def __len__(self) -> int:
        return len(self.assignments)


def assignments_of(
    *, user: AnyUser | None, page_size: int, page: int = 1, now: datetime | None = None
) -> AssignmentPage:
    """Return page ``page`` (from 1) of the reports the user's agencies owe or have made,
    ``page_size`` to a page: unlocked periods first, then by due moment, latest first, then
    by agency. Three queries (the count comes with the page); a page past the end costs a
    count more."""
    now = now or timezone.now()
    agencies = {a.pk: a for a in officer_agencies(user)}
    if not agencies:
        return AssignmentPage(0, [])
    through = ReportingPeriod.reporters.through
    owed = through.objects.filter(agency_id__in=agencies)
    # Ordered in full before the cut, so that an open period is never cut for locked ones.
    unlocked_first = Case(When(reportingperiod__locked_at=None, then=Value(0)), default=Value(1))
    start = (page - 1) * page_size
    links = list(
        owed.select_related("reportingperiod", "reportingperiod__form")
        .annotate(total=Window(Count("pk")))
        .order_by(unlocked_first, "-reportingperiod__due_at", "agency_id")[
            start : start + page_size
        ]
    )
    if not links:
        return AssignmentPage(0 if start == 0 else owed.count(), [])
    period_ids = {link.reportingperiod_id for link in links}
    reports = {
        (r.period_id, r.agency_id): r
        for r in Report.objects.filter(period_id__in=period_ids, agency_id__in=agencies)
    }
    found = []
    for link in links:
        period = link.reportingperiod
        report = reports.get((period.pk, link.agency_id))
        state = reporter_state(report, period, now)
        found.append(Assignment(period, agencies[link.agency_id], report, state))
    # Every row carries the count of all (the window), annotated above.
    return AssignmentPage(links[0].total, found)  # type: ignore[attr-defined]


def reporter_agencies(*, user: AnyUser | None, codes: list[str]) -> tuple[list[Agency], list[str]]:
    """Return the agencies of ``codes`` that ``user`` can see, and the codes not found."""
    wanted = [code.strip() for code in codes]
    found = {a.code: a for a in agencies_visible_to(user).filter(code__in=wanted)}
    return [found[c] for c in wanted if c in found], [c for c in wanted if c not in found]
