"""Writes of periodic reporting: forms, periods, reports.

Every write runs in one transaction with its audit entry. ``actor=None`` is the system (a
management command, the demo seed). Forms and periods are the province's: only a provincial
administrator of the form's province (or a superuser) may change them. A report is its
agency's: only an officer with an active role in the agency may fill, submit or correct it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.core.models import AdministrativeUnit, Agency, UnitLevel, User
from sen.core.periods import Period
from sen.core.selectors import province_of
from sen.core.services import audit_record
from sen.core.text import typed_code
from sen.periodic.errors import (
    FormCodeTaken,
    FormFrozen,
    FormInactive,
    InvalidForm,
    InvalidPeriod,
    InvalidValues,
    NotAllowed,
    NotAReporter,
    PeriodExists,
    PeriodLocked,
    PeriodNotLocked,
    ReportChanged,
)
from sen.periodic.models import (
    Indicator,
    Report,
    ReportForm,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
    code_validator,
)
from sen.periodic.periods import InvalidPeriodKey, PeriodKind, key_example, period_from_key
from sen.periodic.selectors import (
    ReporterState,
    form_indicators,
    form_is_frozen,
    indicator_rules,
    manages_form,
    may_report_for,
    reporter_state,
)
from sen.periodic.values import (
    Aggregation,
    IndicatorRule,
    ValueProblem,
    ValueType,
    parse_value,
    parse_values,
    plain_decimal,
)
from sen.workdays.services import due_moment

MAX_DUE_DAYS = 60
MAX_INDICATORS = 200


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator as the province defines it."""

    code: str
    name: str
    unit: str
    value_type: str = ValueType.DECIMAL
    aggregation: str = Aggregation.SUM
    allow_negative: bool = False
    # The largest value a reporter may enter (a share that cannot pass 100 %); None: any.
    max_value: Decimal | None = None

    @classmethod
    def of(cls, indicator: Indicator) -> "IndicatorSpec":
        """Return the spec ``indicator`` was defined from."""
        return cls(
            code=indicator.code,
            name=indicator.name,
            unit=indicator.unit,
            value_type=indicator.value_type,
            aggregation=indicator.aggregation,
            allow_negative=indicator.allow_negative,
            max_value=indicator.max_value,
        )


def _problem(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def _check_code(value: str) -> bool:
    try:
        code_validator(value)
    except ValidationError:
        return False
    return True


def _indicator_problems(indicators: Sequence[IndicatorSpec]) -> list[dict[str, str]]:
    problems = []
    if not indicators:
        problems.append(_problem("indicators", _("Biểu mẫu cần ít nhất một chỉ tiêu.")))
    if len(indicators) > MAX_INDICATORS:
        message = _("Biểu mẫu có tối đa %(n)d chỉ tiêu.") % {"n": MAX_INDICATORS}
        problems.append(_problem("indicators", message))
    seen: set[str] = set()
    for number, spec in enumerate(indicators):
        where = f"indicators[{number}]"
        if not _check_code(spec.code):
            message = _("Mã chỉ tiêu %(code)s gồm chữ in hoa không dấu, số và . _ -.")
            problems.append(_problem(f"{where}.code", message % {"code": spec.code}))
        elif spec.code in seen:
            message = _("Mã chỉ tiêu %(code)s bị trùng.") % {"code": spec.code}
            problems.append(_problem(f"{where}.code", message))
        seen.add(spec.code)
        if not spec.name.strip() or len(spec.name) > 255:
            message = _("Cần tên chỉ tiêu (tối đa 255 ký tự).")
            problems.append(_problem(f"{where}.name", message))
        if not spec.unit.strip() or len(spec.unit) > 40:
            message = _("Cần đơn vị tính (tối đa 40 ký tự), ví dụ ha, tấn, người.")
            problems.append(_problem(f"{where}.unit", message))
        if spec.value_type not in ValueType.values:
            message = _("Kiểu giá trị là integer (số nguyên) hoặc decimal (số thập phân).")
            problems.append(_problem(f"{where}.value_type", message))
        if spec.aggregation not in Aggregation.values:
            message = _("Cách tổng hợp là sum (cộng) hoặc average (bình quân).")
            problems.append(_problem(f"{where}.aggregation", message))
        if spec.max_value is not None:
            # The bound must be a value the indicator could take: of its type, within what
            # a value may be, and not negative unless its values may be.
            rule = IndicatorRule(
                code=spec.code,
                name=_("Giá trị tối đa"),
                value_type=spec.value_type,
                allow_negative=spec.allow_negative,
            )
            bound = parse_value(spec.max_value, rule)
            if isinstance(bound, ValueProblem):
                problems.append(_problem(f"{where}.max_value", bound.message))
    return problems


def _reporter_problems(
    province: AdministrativeUnit, reporters: Sequence[Agency]
) -> list[dict[str, str]]:
    # One query for every reporter's unit and the two units above it (commune, district,
    # province), so that finding the province does not read each agency's unit in turn.
    units = AdministrativeUnit.objects.select_related("parent__parent").in_bulk(
        {agency.unit_id for agency in reporters}
    )
    problems = []
    for agency in reporters:
        if province_of(units[agency.unit_id]).pk != province.pk or not agency.is_active:
            message = _("%(agency)s không phải cơ quan đang hoạt động của tỉnh.")
            problems.append(_problem("reporters", message % {"agency": agency.code}))
    return problems


def _require_manager(actor: User | None, form: ReportForm) -> None:
    if actor is not None and not manages_form(actor, form):
        raise NotAllowed(_("Chỉ quản trị cấp tỉnh của tỉnh ban hành biểu mẫu được làm việc này."))


def _create_indicators(form: ReportForm, indicators: Sequence[IndicatorSpec]) -> None:
    """Create ``form``'s indicators in order; it has none: it is new, or they were deleted."""
    Indicator.objects.bulk_create(
        Indicator(
            form=form,
            position=position,
            code=spec.code,
            name=spec.name.strip(),
            unit=spec.unit.strip(),
            value_type=spec.value_type,
            aggregation=spec.aggregation,
            allow_negative=spec.allow_negative,
            max_value=spec.max_value,
        )
        for position, spec in enumerate(indicators, start=1)
    )


def _indicators_data(indicators: Sequence[IndicatorSpec]) -> list[dict[str, Any]]:
    return [{**asdict(spec), "max_value": plain_decimal(spec.max_value)} for spec in indicators]


@transaction.atomic
def report_form_create(
    *,
    province: AdministrativeUnit,
    code: str,
    name: str,
    period_kind: str,
    due_days: int,
    indicators: Sequence[IndicatorSpec],
    reporters: Sequence[Agency],
    actor: User | None,
) -> ReportForm:
    """Define a report form of ``province``: its indicators, period, deadline and reporters."""
    code = typed_code(code)
    form = ReportForm(
        code=code, name=name.strip(), province=province, period_kind=period_kind, due_days=due_days
    )
    _require_manager(actor, form)
    problems = _form_problems(form) + _indicator_problems(indicators)
    if province.level != UnitLevel.PROVINCE or province.is_legacy:
        problems.append(_problem("province", _("Biểu mẫu do một tỉnh hiện hành ban hành.")))
    else:
        problems += _reporter_problems(province, reporters)
    if problems:
        raise InvalidForm(_("Biểu mẫu chưa hợp lệ."), details=problems)
    taken = FormCodeTaken(_("Đã có biểu mẫu mã %(code)s.") % {"code": code})
    if ReportForm.objects.filter(code=code).exists():
        raise taken
    try:
        with transaction.atomic():  # another request may take the code meanwhile
            form.save()
    except IntegrityError:
        raise taken from None
    _create_indicators(form, indicators)
    form.reporters.add(*reporters)
    audit_record(
        actor=actor,
        action="periodic.form.created",
        target=form,
        data={
            "name": form.name,
            "province": province.audit_key,
            "period_kind": period_kind,
            "due_days": due_days,
            "indicators": _indicators_data(indicators),
            "reporters": sorted(a.code for a in reporters),
        },
    )
    return form


def _form_problems(form: ReportForm) -> list[dict[str, str]]:
    problems = []
    if not _check_code(form.code):
        message = _("Mã biểu mẫu gồm chữ in hoa không dấu, số và . _ -, ví dụ KTXH-01.")
        problems.append(_problem("code", message))
    if not form.name or len(form.name) > 255:
        problems.append(_problem("name", _("Cần tên biểu mẫu (tối đa 255 ký tự).")))
    if form.period_kind not in PeriodKind.values:
        message = _("Kỳ báo cáo là month (tháng), quarter (quý) hoặc year (năm).")
        problems.append(_problem("period_kind", message))
    if not isinstance(form.due_days, int) or not 0 <= form.due_days <= MAX_DUE_DAYS:
        message = _("Hạn nộp từ 0 đến %(n)d ngày làm việc sau ngày cuối kỳ.")
        problems.append(_problem("due_days", message % {"n": MAX_DUE_DAYS}))
    return problems


@transaction.atomic
def report_form_update(
    *,
    form: ReportForm,
    actor: User | None,
    name: str | None = None,
    due_days: int | None = None,
    is_active: bool | None = None,
    reporters: Sequence[Agency] | None = None,
    period_kind: str | None = None,
    indicators: Sequence[IndicatorSpec] | None = None,
) -> ReportForm:
    """Change a form. Name, deadline rule, reporters and whether it is in use may change at
    any time: they apply to periods opened afterwards. The indicators and the period kind
    may change only while the form has no report (``FormFrozen`` after): a submitted value
    must keep meaning what it meant. Writes no audit entry when nothing changed.
    """
    locked = ReportForm.objects.select_for_update().get(pk=form.pk)
    _require_manager(actor, locked)
    changes: dict[str, Any] = {}
    if name is not None and name.strip() != locked.name:
        changes["name"] = [locked.name, name.strip()]
        locked.name = name.strip()
    if due_days is not None and due_days != locked.due_days:
        changes["due_days"] = [locked.due_days, due_days]
        locked.due_days = due_days
    if is_active is not None and is_active != locked.is_active:
        changes["is_active"] = [locked.is_active, is_active]
        locked.is_active = is_active
    if period_kind is not None and period_kind != locked.period_kind:
        changes["period_kind"] = [locked.period_kind, period_kind]
        locked.period_kind = period_kind
    current = [IndicatorSpec.of(indicator) for indicator in form_indicators(locked)]
    new_indicators = list(indicators) if indicators is not None else None
    if new_indicators is not None and new_indicators != current:
        changes["indicators"] = [_indicators_data(current), _indicators_data(new_indicators)]
    old_reporters = set(locked.reporters.values_list("code", flat=True))
    if reporters is not None and {a.code for a in reporters} != old_reporters:
        changes["reporters"] = [sorted(old_reporters), sorted(a.code for a in reporters)]
    if not changes:
        return locked
    if ("indicators" in changes or "period_kind" in changes) and form_is_frozen(locked):
        message = _(
            "Biểu mẫu %(code)s đã có báo cáo nên không đổi được chỉ tiêu hay kỳ báo cáo. "
            "Hãy tạo biểu mẫu mới và ngừng áp dụng biểu mẫu này."
        )
        raise FormFrozen(message % {"code": locked.code})
    problems = _form_problems(locked)
    if new_indicators is not None:
        problems += _indicator_problems(new_indicators)
    if reporters is not None:
        problems += _reporter_problems(locked.province, reporters)
    if problems:
        raise InvalidForm(_("Biểu mẫu chưa hợp lệ."), details=problems)
    locked.save()
    if "indicators" in changes and new_indicators is not None:
        locked.indicators.all().delete()
        _create_indicators(locked, new_indicators)
    if "reporters" in changes and reporters is not None:
        locked.reporters.set(reporters)
    audit_record(
        actor=actor, action="periodic.form.updated", target=locked, data={"changes": changes}
    )
    return locked


# --- Periods -------------------------------------------------------------------------------


def due_for(*, period: Period, due_days: int) -> datetime:
    """Return the due moment of ``period`` with a rule of ``due_days`` working days after
    it: the close of the last of those days; the period's end (midnight after its last
    day) when ``due_days`` is 0."""
    if due_days == 0:
        return period.end
    return due_moment(start=period.end, days=due_days)


@transaction.atomic
def reporting_period_open(*, form: ReportForm, key: str, actor: User | None) -> ReportingPeriod:
    """Open a period of ``form`` for its reporters; its due moment and reporters are fixed
    now, from the form's deadline rule, the working-day calendar and its reporter list."""
    locked = ReportForm.objects.select_for_update().get(pk=form.pk)
    _require_manager(actor, locked)
    if not locked.is_active:
        message = _("Biểu mẫu %(code)s đã ngừng áp dụng.") % {"code": locked.code}
        raise FormInactive(message)
    try:
        period = period_from_key(locked.period_kind, key)
    except InvalidPeriodKey:
        message = _("Kỳ %(key)s không hợp lệ cho biểu mẫu báo cáo theo %(kind)s; ví dụ %(ex)s.")
        raise InvalidPeriod(
            message
            % {
                "key": key,
                "kind": str(PeriodKind(locked.period_kind).label).lower(),
                "ex": key_example(locked.period_kind),
            }
        ) from None
    if period.start > timezone.now():
        # Figures of a period not yet begun would be guesses, counted as sent on time.
        message = _("Kỳ %(key)s chưa bắt đầu; chỉ mở được kỳ đã bắt đầu.")
        raise InvalidPeriod(message % {"key": period.key})
    if locked.periods.filter(key=period.key).exists():
        message = _("Kỳ %(key)s của biểu mẫu %(code)s đã được mở.")
        raise PeriodExists(message % {"key": period.key, "code": locked.code})
    reporters = list(locked.reporters.filter(is_active=True))
    if not reporters:
        raise InvalidForm(_("Biểu mẫu chưa có đơn vị báo cáo nào."))
    opened = ReportingPeriod.objects.create(
        form=locked,
        key=period.key,
        starts_on=period.first,
        ends_on=period.last_day,
        due_at=due_for(period=period, due_days=locked.due_days),
    )
    opened.reporters.set(reporters)
    audit_record(
        actor=actor,
        action="periodic.period.opened",
        target=opened,
        data={
            "due_at": opened.due_at.isoformat(),
            "reporters": sorted(a.code for a in reporters),
        },
    )
    return opened


def _set_lock(period: ReportingPeriod, *, lock: bool, actor: User | None) -> ReportingPeriod:
    locked = ReportingPeriod.objects.select_for_update().select_related("form").get(pk=period.pk)
    _require_manager(actor, locked.form)
    if lock and locked.is_locked:
        raise PeriodLocked(_("Kỳ báo cáo %(key)s đã khóa.") % {"key": locked.key})
    if not lock and not locked.is_locked:
        raise PeriodNotLocked(_("Kỳ báo cáo %(key)s chưa khóa.") % {"key": locked.key})
    locked.locked_at = timezone.now() if lock else None
    locked.save(update_fields=["locked_at"])
    action = "periodic.period.locked" if lock else "periodic.period.unlocked"
    audit_record(actor=actor, action=action, target=locked)
    period.locked_at = locked.locked_at
    return locked


@transaction.atomic
def reporting_period_lock(*, period: ReportingPeriod, actor: User | None) -> ReportingPeriod:
    """Lock a period: its figures are final; no report of it may be submitted or changed."""
    return _set_lock(period, lock=True, actor=actor)


@transaction.atomic
def reporting_period_unlock(*, period: ReportingPeriod, actor: User | None) -> ReportingPeriod:
    """Unlock a period so that reporters may submit or correct again."""
    return _set_lock(period, lock=False, actor=actor)


# --- Reports -------------------------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    period: ReportingPeriod,
    agency: Agency,
    values: Mapping[str, Any],
    actor: User | None,
    submit: bool = False,
    expected_revision: int | None = None,
    now: datetime | None = None,
) -> Report:
    """Save ``agency``'s report for ``period``: a draft, a submission, or a correction.

    ``values`` maps indicator codes to numbers (or text such as "1.234,5"); an indicator
    left out keeps its value. A draft may be partial; a submitted report, and every
    correction of it, needs every indicator. Corrections are allowed until the province
    locks the period, each audited with the values before and after. With
    ``expected_revision``, refuse (``ReportChanged``) if someone saved the report since.
    Saving the same values again changes nothing and writes no audit entry.
    """
    now = now or timezone.now()
    locked_period = (
        ReportingPeriod.objects.select_for_update().select_related("form").get(pk=period.pk)
    )
    if actor is not None and not may_report_for(actor, agency):
        raise NotAllowed(_("Bạn không làm việc tại %(agency)s.") % {"agency": agency.name})
    if not locked_period.reporters.filter(pk=agency.pk).exists():
        message = _("%(agency)s không phải đơn vị báo cáo của kỳ %(key)s.")
        raise NotAReporter(message % {"agency": agency.name, "key": locked_period.key})
    if locked_period.is_locked:
        message = _("Kỳ báo cáo %(key)s đã khóa số liệu; không nộp hay sửa được nữa.")
        raise PeriodLocked(message % {"key": locked_period.key})
    report = Report.objects.select_for_update().filter(period=locked_period, agency=agency).first()
    if expected_revision is not None and (report.revision if report else 0) != expected_revision:
        message = _("Báo cáo vừa được người khác cập nhật; hãy tải lại và nhập lại.")
        raise ReportChanged(message)
    indicators = form_indicators(locked_period.form)
    # The rows are read once: for the values before, and to update them in place below.
    existing = {row.indicator_id: row for row in report.values.all()} if report else {}
    old = {i.code: existing[i.pk].value if i.pk in existing else None for i in indicators}
    was_submitted = report is not None and report.status == ReportStatus.SUBMITTED
    merged_raw: dict[str, Any] = {code: value for code, value in old.items()}
    merged_raw.update(values)
    parsed = parse_values(merged_raw, indicator_rules(indicators), complete=submit or was_submitted)
    if parsed.problems:
        details = [problem.as_detail() for problem in parsed.problems]
        raise InvalidValues(_("Có giá trị chỉ tiêu chưa hợp lệ."), details=details)
    diff = {
        code: [plain_decimal(old[code]), plain_decimal(new)]
        for code, new in parsed.values.items()
        if old[code] != new
    }
    submitting = submit and not was_submitted
    if report is not None and not diff and not submitting:
        return report
    if report is None:
        report = Report(period=locked_period, agency=agency)
    else:
        # Already read above; the audit key below needs them and must not read them again.
        report.period, report.agency = locked_period, agency
    if submitting:
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
        action = "periodic.report.submitted"
    elif was_submitted:
        report.corrected_at = now
        action = "periodic.report.corrected"
    else:
        action = "periodic.report.saved"
    report.revision += 1
    report.updated_at = now
    report.updated_by = actor
    report.save()
    by_code = {i.code: i for i in indicators}
    new_rows: list[ReportValue] = []
    changed_rows: list[ReportValue] = []
    for code, value in parsed.values.items():
        indicator = by_code[code]
        current = existing.get(indicator.pk)
        if current is None:
            new_rows.append(ReportValue(report=report, indicator=indicator, value=value))
        elif current.value != value:
            current.value = value
            changed_rows.append(current)
    ReportValue.objects.bulk_create(new_rows)
    if changed_rows:
        ReportValue.objects.bulk_update(changed_rows, ["value"])
    data: dict[str, Any] = {"revision": report.revision, "changes": diff}
    if submitting:
        data["late"] = reporter_state(report, locked_period, now) == ReporterState.LATE
    audit_record(actor=actor, action=action, target=report, data=data)
    return report
