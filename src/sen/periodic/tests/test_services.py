"""Defining forms, opening and locking periods, filling, submitting and correcting reports.

Each denied action is shown to have changed nothing: no row and no audit entry.
"""

from dataclasses import replace
from decimal import Decimal

import pytest

from sen.core.models import Agency, AgencyKind, AuditEntry
from sen.core.tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory
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
    ReportChanged,
)
from sen.periodic.models import Indicator, Report, ReportForm, ReportingPeriod, ReportStatus
from sen.periodic.selectors import ReporterState, reporter_agencies, reporter_state
from sen.periodic.services import (
    IndicatorSpec,
    report_form_update,
    report_save,
    reporting_period_lock,
    reporting_period_open,
    reporting_period_unlock,
)
from sen.periodic.tests.conftest import AFTER_DUE, BEFORE_DUE, MARCH_DUE
from sen.periodic.tests.factories import INDICATORS, make_form, officer_of

pytestmark = pytest.mark.django_db

FULL = {"NN01": "1.250,5", "NN02": "7500", "XH01": "120", "XH02": "3,2"}


# A share that cannot pass 100 %, and one that can (a plan exceeded): only the first has a
# bound, which the province sets; the unit's text bounds nothing.
SHARES = [
    IndicatorSpec("XH02", "Tỷ lệ hộ nghèo", "%", "decimal", "average", max_value=Decimal(100)),
    IndicatorSpec("KH01", "Tỷ lệ hoàn thành kế hoạch thu ngân sách", "%", "decimal", "average"),
]


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def stored_values(report: Report) -> dict[str, Decimal | None]:
    return {row.indicator.code: row.value for row in report.values.select_related("indicator")}


# --- Forms ---------------------------------------------------------------------------------


def test_a_province_admin_defines_a_form_with_its_indicators_and_reporters(world):
    form = make_form(world)

    assert [(i.position, i.code, i.unit, i.aggregation) for i in form.indicators.all()] == [
        (1, "NN01", "ha", "sum"),
        (2, "NN02", "tấn", "sum"),
        (3, "XH01", "người", "sum"),
        (4, "XH02", "%", "average"),
    ]
    assert set(form.reporters.values_list("code", flat=True)) == {
        "000.20.01.H91",
        "000.20.02.H91",
        "000.12.00.H91",
    }
    entry = AuditEntry.objects.get(action="periodic.form.created")
    assert (entry.actor, entry.target_key, entry.data["due_days"]) == (world.admin, "KTXH-01", 5)


@pytest.mark.parametrize("who", ["officer_a", "other_admin"])
def test_only_an_admin_of_the_province_may_define_its_forms(world, who):
    with pytest.raises(NotAllowed):
        make_form(world, actor=getattr(world, who))

    assert not ReportForm.objects.exists()
    assert audit_actions() == []


def test_a_form_with_bad_parts_is_refused_with_every_problem(world):
    indicators = [
        IndicatorSpec("nn 1", "Diện tích", "ha"),
        IndicatorSpec("A", "", "", "text", "max"),
        IndicatorSpec("A", "Trùng", "ha"),
    ]
    with pytest.raises(InvalidForm) as caught:
        make_form(
            world, code="", due_days=61, indicators=indicators, reporters=[world.other_agency]
        )

    fields = [d["field"] for d in caught.value.details]
    assert fields == [
        "code",
        "due_days",
        "indicators[0].code",
        "indicators[1].name",
        "indicators[1].unit",
        "indicators[1].value_type",
        "indicators[1].aggregation",
        "indicators[2].code",
        "reporters",
    ]
    assert not ReportForm.objects.exists()


def fresh(*agencies: Agency) -> list[Agency]:
    """Return ``agencies`` read again, their units not loaded, as a request finds them."""
    by_pk = Agency.objects.in_bulk([agency.pk for agency in agencies])
    return [by_pk[agency.pk] for agency in agencies]


def test_reporters_outside_the_province_or_closed_are_each_refused(world):
    elsewhere = AgencyFactory(
        code="000.20.01.H92",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=CommuneFactory(parent=ProvinceFactory(code="93")),
    )
    closed = AgencyFactory(code="000.13.00.H91", unit=world.province, is_active=False)
    reporters = fresh(world.commune_a, elsewhere, world.other_agency, closed, world.department)

    with pytest.raises(InvalidForm) as caught:
        make_form(world, reporters=reporters)

    refused = [d["message"] for d in caught.value.details if d["field"] == "reporters"]
    assert [message.split()[0] for message in refused] == [
        "000.20.01.H92",
        "000.00.00.H92",
        "000.13.00.H91",
    ]
    assert not ReportForm.objects.exists()


@pytest.mark.parametrize("count", [1, 8])
def test_defining_a_form_takes_as_many_queries_for_one_reporter_as_for_many(
    world, count, django_assert_num_queries
):
    # Given reporters as the API and the form page find them (units not loaded), half of
    # them commune committees whose province lies two units up,
    communes = [
        AgencyFactory(kind=AgencyKind.COMMUNE_COMMITTEE, unit=CommuneFactory(parent=world.province))
        for _ in range(4)
    ]
    departments = [AgencyFactory(unit=world.province) for _ in range(4)]
    chosen = [agency.code for pair in zip(communes, departments, strict=True) for agency in pair]
    reporters, unknown = reporter_agencies(user=world.admin, codes=chosen[:count])
    assert (len(reporters), unknown) == (count, [])

    # when the province defines a form, then the queries do not depend on the reporters:
    # the service's savepoint, the reporters' units with the units above them (one query),
    # the code taken?, the form in its own savepoint (three), the indicators, the reporters
    # (one insert: a new form has none to read first), the audit entry and the service's
    # savepoint released. The admin's provinces were read by reporter_agencies, as in the
    # request that finds the reporters and then defines the form.
    with django_assert_num_queries(10):
        form = make_form(world, reporters=reporters)

    assert form.reporters.count() == count


def test_a_form_code_is_taken_once(world, form):
    with pytest.raises(FormCodeTaken):
        make_form(world, code="ktxh-01")
    assert ReportForm.objects.count() == 1


def test_indicators_change_freely_until_the_first_report_then_freeze(world, form, march):
    shorter = INDICATORS[:2]
    report_form_update(form=form, indicators=shorter, actor=world.admin)
    assert list(form.indicators.values_list("code", flat=True)) == ["NN01", "NN02"]

    report_save(period=march, agency=world.commune_a, values={"NN01": "1"}, actor=world.officer_a)
    with pytest.raises(FormFrozen):
        report_form_update(form=form, indicators=INDICATORS, actor=world.admin)
    with pytest.raises(FormFrozen):
        report_form_update(form=form, period_kind="quarter", actor=world.admin)

    assert list(form.indicators.values_list("code", flat=True)) == ["NN01", "NN02"]
    form.refresh_from_db()
    assert form.period_kind == "month"
    # The name and the deadline rule still change: they do not alter a submitted value.
    report_form_update(form=form, name="Báo cáo KT-XH tháng", due_days=7, actor=world.admin)
    form.refresh_from_db()
    assert (form.name, form.due_days) == ("Báo cáo KT-XH tháng", 7)


def test_a_reporter_may_not_change_the_form(world, form):
    with pytest.raises(NotAllowed):
        report_form_update(form=form, name="Khác", actor=world.officer_a)
    form.refresh_from_db()
    assert form.name == "Báo cáo tình hình kinh tế - xã hội"
    assert audit_actions() == ["periodic.form.created"]


# --- Periods -------------------------------------------------------------------------------


def test_opening_a_period_fixes_its_due_moment_and_reporters(world, form):
    period = reporting_period_open(form=form, key="2026-03", actor=world.admin)

    assert (period.starts_on.isoformat(), period.ends_on.isoformat()) == (
        "2026-03-01",
        "2026-03-31",
    )
    assert period.due_at == MARCH_DUE
    # Later changes of the form do not move a period already opened.
    report_form_update(form=form, due_days=1, reporters=[world.commune_a], actor=world.admin)
    period.refresh_from_db()
    assert period.due_at == MARCH_DUE
    assert period.reporters.count() == 3


def test_a_quarter_due_in_working_days_skips_the_tet_holiday(world):
    form = make_form(world, code="Q-01", period_kind="quarter", due_days=3)
    # Q4 2026 ends on Thursday 31/12; 1/1/2027 is New Year's day: Mon 4, Tue 5, Wed 6/1.
    period = reporting_period_open(form=form, key="2026-Q4", actor=world.admin)
    assert period.due_at.isoformat() == "2027-01-06T17:00:00+07:00"


def test_a_form_due_zero_days_after_is_due_when_its_period_ends(world):
    form = make_form(world, code="N-01", period_kind="year", due_days=0)
    period = reporting_period_open(form=form, key="2026", actor=world.admin)
    # Midnight after 31/12/2026 in Vietnam, whatever the working-day calendar says.
    assert period.due_at.isoformat() == "2027-01-01T00:00:00+07:00"


@pytest.mark.parametrize(("key", "error"), [("2026-Q1", InvalidPeriod), ("2026-03", PeriodExists)])
def test_a_wrong_or_repeated_period_is_refused(world, form, march, key, error):
    with pytest.raises(error):
        reporting_period_open(form=form, key=key, actor=world.admin)
    assert ReportingPeriod.objects.count() == 1


def test_a_period_not_yet_begun_is_not_opened(world, form, clock):
    # On Friday 20/11/2026: November has begun, December has not
    with pytest.raises(InvalidPeriod, match="Kỳ 2026-12 chưa bắt đầu; chỉ mở được kỳ đã bắt đầu"):
        reporting_period_open(form=form, key="2026-12", actor=world.admin)

    opened = reporting_period_open(form=form, key="2026-11", actor=world.admin)

    assert list(ReportingPeriod.objects.values_list("key", flat=True)) == [opened.key]


def test_no_period_opens_on_a_form_out_of_use_or_for_a_reporter(world, form):
    with pytest.raises(NotAllowed):
        reporting_period_open(form=form, key="2026-03", actor=world.officer_a)
    report_form_update(form=form, is_active=False, actor=world.admin)
    with pytest.raises(FormInactive):
        reporting_period_open(form=form, key="2026-03", actor=world.admin)
    assert not ReportingPeriod.objects.exists()


# --- Reports -------------------------------------------------------------------------------


def test_a_commune_drafts_then_submits_its_report_on_time(world, march):
    draft = report_save(
        period=march,
        agency=world.commune_a,
        values={"NN01": "1.250,5"},
        actor=world.officer_a,
        now=BEFORE_DUE,
    )
    assert (draft.status, draft.revision, draft.submitted_at) == (ReportStatus.DRAFT, 1, None)

    submitted = report_save(
        period=march,
        agency=world.commune_a,
        values=FULL,
        submit=True,
        actor=world.officer_a,
        now=BEFORE_DUE,
    )

    assert (submitted.status, submitted.revision) == (ReportStatus.SUBMITTED, 2)
    assert submitted.submitted_at == BEFORE_DUE
    assert reporter_state(submitted, march, BEFORE_DUE) == ReporterState.ON_TIME
    assert stored_values(submitted) == {
        "NN01": Decimal("1250.5"),
        "NN02": Decimal("7500"),
        "XH01": Decimal("120"),
        "XH02": Decimal("3.2"),
    }
    entry = AuditEntry.objects.get(action="periodic.report.submitted")
    assert entry.target_key == "KTXH-01/2026-03/000.20.01.H91"
    assert entry.data["late"] is False
    assert entry.data["changes"]["NN02"] == [None, "7500"]


def test_a_report_submitted_after_the_due_moment_is_late(world, march):
    report = report_save(
        period=march,
        agency=world.commune_a,
        values=FULL,
        submit=True,
        actor=world.officer_a,
        now=AFTER_DUE,
    )
    assert reporter_state(report, march, AFTER_DUE) == ReporterState.LATE
    assert AuditEntry.objects.get(action="periodic.report.submitted").data["late"] is True


def test_a_share_over_its_bound_is_refused_naming_it_and_one_without_a_bound_is_taken(world):
    form = make_form(world, code="TL-01", indicators=SHARES)
    period = reporting_period_open(form=form, key="2026-03", actor=world.admin)

    with pytest.raises(InvalidValues) as caught:
        report_save(
            period=period,
            agency=world.commune_a,
            values={"XH02": "150", "KH01": "150"},
            actor=world.officer_a,
        )
    assert caught.value.details == [
        {"field": "values.XH02", "message": "Tỷ lệ hộ nghèo: không được lớn hơn 100 %."}
    ]
    assert not Report.objects.exists()
    assert "periodic.report.saved" not in audit_actions()

    report = report_save(
        period=period,
        agency=world.commune_a,
        values={"XH02": "100", "KH01": "150"},
        actor=world.officer_a,
    )
    assert stored_values(report) == {"XH02": Decimal(100), "KH01": Decimal(150)}


def test_a_bound_must_be_a_value_its_indicator_could_take(world):
    indicators = [
        IndicatorSpec("A", "Tỷ lệ", "%", max_value=Decimal(-1)),
        IndicatorSpec("B", "Số hộ", "hộ", "integer", max_value=Decimal("99.5")),
        IndicatorSpec("C", "Diện tích", "ha", max_value=Decimal("1.23456")),
        IndicatorSpec("D", "Sản lượng", "tấn", max_value=Decimal("1e30")),
        IndicatorSpec("E", "Tốc độ tăng", "%", allow_negative=True, max_value=Decimal(-1)),
    ]

    with pytest.raises(InvalidForm) as caught:
        make_form(world, indicators=indicators)

    assert caught.value.details == [
        {"field": "indicators[0].max_value", "message": "Giá trị tối đa: không được là số âm."},
        {"field": "indicators[1].max_value", "message": "Giá trị tối đa: hãy nhập một số nguyên."},
        {
            "field": "indicators[2].max_value",
            "message": "Giá trị tối đa: tối đa 4 chữ số sau dấu phẩy.",
        },
        {"field": "indicators[3].max_value", "message": "Giá trị tối đa: số quá lớn."},
    ]
    assert not ReportForm.objects.exists()


def test_a_bound_is_set_until_the_first_report_then_frozen_with_the_indicators(world, form, march):
    bounded = [*INDICATORS[:3], SHARES[0]]
    report_form_update(form=form, indicators=bounded, actor=world.admin)
    entry = AuditEntry.objects.filter(action="periodic.form.updated").get()
    assert entry.data["changes"]["indicators"][1][3]["max_value"] == "100"

    report_save(period=march, agency=world.commune_a, values={"XH02": "3"}, actor=world.officer_a)
    looser = [*INDICATORS[:3], replace(SHARES[0], max_value=None)]
    with pytest.raises(FormFrozen):
        report_form_update(form=form, indicators=looser, actor=world.admin)

    assert Indicator.objects.get(form=form, code="XH02").max_value == Decimal(100)


def test_wrong_values_are_refused_per_indicator_and_nothing_is_saved(world, march):
    with pytest.raises(InvalidValues) as caught:
        report_save(
            period=march,
            agency=world.commune_a,
            values={"NN01": "nhiều", "XH01": "2,5"},
            submit=True,
            actor=world.officer_a,
        )
    assert caught.value.details == [
        {"field": "values.NN01", "message": "Diện tích lúa gieo cấy: hãy nhập một số."},
        {
            "field": "values.NN02",
            "message": "Sản lượng lương thực: cần nhập giá trị trước khi nộp báo cáo.",
        },
        {
            "field": "values.XH01",
            "message": "Số lao động được tạo việc làm: hãy nhập một số nguyên.",
        },
        {
            "field": "values.XH02",
            "message": "Tỷ lệ hộ nghèo: cần nhập giá trị trước khi nộp báo cáo.",
        },
    ]
    assert not Report.objects.exists()
    assert "periodic.report.saved" not in audit_actions()


def test_a_correction_after_submission_is_audited_with_before_and_after(world, march):
    report_save(
        period=march,
        agency=world.commune_a,
        values=FULL,
        submit=True,
        actor=world.officer_a,
        now=BEFORE_DUE,
    )
    colleague = officer_of(world.commune_a, username="lanhdao.hoasen")

    corrected = report_save(
        period=march,
        agency=world.commune_a,
        values={"NN02": "7600"},
        actor=colleague,
        now=AFTER_DUE,
    )

    assert corrected.status == ReportStatus.SUBMITTED
    assert corrected.corrected_at == AFTER_DUE
    # Lateness is judged on the first submission, not on the correction after the due.
    assert reporter_state(corrected, march, AFTER_DUE) == ReporterState.ON_TIME
    entry = AuditEntry.objects.get(action="periodic.report.corrected")
    assert (entry.actor, entry.data["changes"]) == (colleague, {"NN02": ["7500", "7600"]})


def test_a_submitted_report_cannot_lose_a_value(world, march):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    with pytest.raises(InvalidValues):
        report_save(
            period=march, agency=world.commune_a, values={"XH01": None}, actor=world.officer_a
        )
    assert stored_values(Report.objects.get())["XH01"] == Decimal("120")


def test_saving_the_same_values_again_changes_nothing(world, march):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    again = report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    assert again.revision == 1
    assert audit_actions().count("periodic.report.submitted") == 1
    assert "periodic.report.corrected" not in audit_actions()


def test_a_stale_revision_is_refused(world, march):
    report_save(period=march, agency=world.commune_a, values={"NN01": "1"}, actor=world.officer_a)
    with pytest.raises(ReportChanged):
        report_save(
            period=march,
            agency=world.commune_a,
            values={"NN01": "2"},
            actor=world.officer_a,
            expected_revision=0,
        )
    assert stored_values(Report.objects.get())["NN01"] == Decimal("1")


@pytest.mark.parametrize("who", ["officer_b", "admin", "other_admin"])
def test_nobody_else_may_fill_an_agencys_report(world, march, who):
    with pytest.raises(NotAllowed):
        report_save(period=march, agency=world.commune_a, values=FULL, actor=getattr(world, who))
    assert not Report.objects.exists()


def test_an_agency_that_is_not_a_reporter_of_the_period_may_not_report(world, march):
    officer = officer_of(world.committee, username="canbo.tinh")
    with pytest.raises(NotAReporter):
        report_save(period=march, agency=world.committee, values=FULL, actor=officer)
    assert not Report.objects.exists()


def test_a_locked_period_takes_no_submission_nor_correction_until_unlocked(world, march):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    reporting_period_lock(period=march, actor=world.admin)

    with pytest.raises(PeriodLocked):
        report_save(
            period=march, agency=world.commune_a, values={"NN02": "1"}, actor=world.officer_a
        )
    with pytest.raises(PeriodLocked):
        report_save(period=march, agency=world.commune_b, values=FULL, actor=world.officer_b)
    assert stored_values(Report.objects.get())["NN02"] == Decimal("7500")
    assert Report.objects.count() == 1

    reporting_period_unlock(period=march, actor=world.admin)
    report_save(period=march, agency=world.commune_a, values={"NN02": "1"}, actor=world.officer_a)
    assert stored_values(Report.objects.get())["NN02"] == Decimal("1")


def test_only_the_province_locks_a_period(world, march):
    with pytest.raises(NotAllowed):
        reporting_period_lock(period=march, actor=world.officer_a)
    with pytest.raises(NotAllowed):
        reporting_period_lock(period=march, actor=world.other_admin)
    march.refresh_from_db()
    assert march.locked_at is None
    assert "periodic.period.locked" not in audit_actions()


def test_deleting_indicators_of_a_form_in_use_is_impossible(world, march):
    report_save(period=march, agency=world.commune_a, values={"NN01": "1"}, actor=world.officer_a)
    assert Indicator.objects.filter(form=march.form).count() == 4
