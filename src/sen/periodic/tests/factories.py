"""Builders of periodic reporting's test data: a province, its reporters, a form."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sen.core.models import AdministrativeUnit, Agency, AgencyKind, Role, User
from sen.core.periods import add_months
from sen.core.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    MembershipFactory,
    ProvinceFactory,
    UserFactory,
)
from sen.core.timezones import VIETNAM
from sen.periodic.models import ReportForm, ReportingPeriod
from sen.periodic.services import IndicatorSpec, report_form_create

INDICATORS = [
    IndicatorSpec("NN01", "Diện tích lúa gieo cấy", "ha", "decimal", "sum"),
    IndicatorSpec("NN02", "Sản lượng lương thực", "tấn", "decimal", "sum"),
    IndicatorSpec("XH01", "Số lao động được tạo việc làm", "người", "integer", "sum"),
    IndicatorSpec("XH02", "Tỷ lệ hộ nghèo", "%", "decimal", "average"),
]


@dataclass
class World:
    """One province with a provincial committee, two communes and a department; officers
    of each; and a second province with its own administrator."""

    province: AdministrativeUnit
    committee: Agency
    commune_a: Agency
    commune_b: Agency
    department: Agency
    admin: User
    officer_a: User
    officer_b: User
    officer_department: User
    other_admin: User
    other_agency: Agency


def officer_of(agency: Agency, role: str = Role.SPECIALIST, username: str = "") -> User:
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def make_world() -> World:
    province = ProvinceFactory(code="91", name="Tỉnh Sen")
    committee = AgencyFactory(
        code="000.00.00.H91",
        name="Ủy ban nhân dân tỉnh Sen",
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        unit=province,
    )
    commune_a = AgencyFactory(
        code="000.20.01.H91",
        name="UBND xã Hoa Sen",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=CommuneFactory(parent=province, name="Xã Hoa Sen"),
    )
    commune_b = AgencyFactory(
        code="000.20.02.H91",
        name="UBND phường Sen Hồng",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=CommuneFactory(parent=province, name="Phường Sen Hồng"),
    )
    department = AgencyFactory(code="000.12.00.H91", name="Sở Nông nghiệp", unit=province)
    other_province = ProvinceFactory(code="92", name="Tỉnh Khác")
    other_agency = AgencyFactory(
        code="000.00.00.H92",
        name="Ủy ban nhân dân tỉnh Khác",
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        unit=other_province,
    )
    return World(
        province=province,
        committee=committee,
        commune_a=commune_a,
        commune_b=commune_b,
        department=department,
        admin=officer_of(committee, Role.PROVINCE_ADMIN, "quantri.tinh"),
        officer_a=officer_of(commune_a, username="canbo.hoasen"),
        officer_b=officer_of(commune_b, username="canbo.senhong"),
        officer_department=officer_of(department, username="canbo.so"),
        other_admin=officer_of(other_agency, Role.PROVINCE_ADMIN, "quantri.khac"),
        other_agency=other_agency,
    )


def make_form(world: World, **overrides: object) -> ReportForm:
    arguments: dict[str, object] = {
        "province": world.province,
        "code": "KTXH-01",
        "name": "Báo cáo tình hình kinh tế - xã hội",
        "period_kind": "month",
        "due_days": 5,
        "indicators": INDICATORS,
        "reporters": [world.commune_a, world.commune_b, world.department],
        "actor": world.admin,
    }
    arguments.update(overrides)
    return report_form_create(**arguments)  # type: ignore[arg-type]


def make_large_form(world: World) -> ReportForm:
    """Save the world's form KTXH-01 with ten more indicators and eight more communes to
    report: a page of it should cost the queries of the small one."""
    communes = [
        AgencyFactory(
            code=f"000.20.{number:02d}.H91",
            name=f"UBND xã Thử Nghiệm {number}",
            kind=AgencyKind.COMMUNE_COMMITTEE,
            unit=CommuneFactory(parent=world.province),
        )
        for number in range(10, 18)
    ]
    more = [
        IndicatorSpec(f"TN{number:02d}", f"Chỉ tiêu thử {number}", "ha", "decimal", "sum")
        for number in range(10)
    ]
    reporters = [world.commune_a, world.commune_b, world.department, *communes]
    return make_form(world, indicators=[*INDICATORS, *more], reporters=reporters)


def locked_months(form: ReportForm, agency: Agency, count: int) -> None:
    """Give ``agency`` ``count`` months of ``form`` to report, from January 2000, every one
    locked: in bulk, without the opening service and its audit entries."""
    months = [add_months(date(2000, 1, 1), n) for n in range(count)]
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            form=form,
            key=f"{month:%Y-%m}",
            starts_on=month,
            ends_on=add_months(month, 1) - timedelta(days=1),
            due_at=datetime.combine(add_months(month, 1), datetime.min.time(), VIETNAM),
            locked_at=datetime(2026, 1, 1, tzinfo=VIETNAM),
        )
        for month in months
    )
    through = ReportingPeriod.reporters.through
    through.objects.bulk_create(
        through(reportingperiod_id=period.pk, agency_id=agency.pk) for period in periods
    )
