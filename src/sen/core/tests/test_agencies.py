"""Creating and changing agencies (agency_create, agency_update)."""

from typing import Any

import pytest

from sen.core.errors import (
    AgencyCodeImmutable,
    AgencyCodeTaken,
    AgencyHasActiveChildren,
    AgencyNameRequired,
    AgencyParentInvalid,
    AgencyUnitLegacy,
    AgencyUnitLevelMismatch,
    InvalidAgencyCode,
    InvalidAgencyKind,
    InvalidEmail,
    NotAllowed,
)
from sen.core.models import AdministrativeUnit, Agency, AgencyKind, AuditEntry, Role, User
from sen.core.selectors import audit_for
from sen.core.services import agency_create, agency_update
from sen.core.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    MembershipFactory,
    ProvinceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def province() -> AdministrativeUnit:
    return ProvinceFactory(code="90", name="Tỉnh Thử")


@pytest.fixture
def commune(province: AdministrativeUnit) -> AdministrativeUnit:
    return CommuneFactory(code="90001", name="Xã Thử", parent=province)


@pytest.fixture
def committee(province: AdministrativeUnit) -> Agency:
    return AgencyFactory(
        code="000.00.00.H90",
        name="Ủy ban nhân dân tỉnh Thử",
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        unit=province,
    )


@pytest.fixture
def province_admin(committee: Agency) -> User:
    user = UserFactory(username="quantri")
    MembershipFactory(user=user, agency=committee, role=Role.PROVINCE_ADMIN)
    return user


def create(**overrides: Any) -> Agency:
    arguments = {
        "code": "000.10.00.H90",
        "name": "Sở Tư pháp",
        "kind": AgencyKind.DEPARTMENT,
        "actor": None,
    }
    return agency_create(**{**arguments, **overrides})


def test_a_provincial_administrator_creates_a_department_and_it_is_audited(
    province: AdministrativeUnit, committee: Agency, province_admin: User
) -> None:
    agency = create(unit=province, parent=committee, actor=province_admin, email="stp@thu.vn")

    assert (agency.code, agency.name, agency.kind, agency.unit, agency.parent) == (
        "000.10.00.H90",
        "Sở Tư pháp",
        "department",
        province,
        committee,
    )
    entry = audit_for(target_type="core.agency", target_key="000.10.00.H90").get()
    assert (entry.actor, entry.action) == (province_admin, "core.agency.created")
    assert entry.data == {
        "name": "Sở Tư pháp",
        "kind": "department",
        "unit": "province:90",
        "parent": "000.00.00.H90",
    }


def test_a_commune_committee_serves_a_commune(commune: AdministrativeUnit) -> None:
    agency = create(
        code="000.20.01.H90", name="UBND xã Thử", kind=AgencyKind.COMMUNE_COMMITTEE, unit=commune
    )

    assert agency.unit == commune


@pytest.mark.parametrize(
    ("overrides", "error", "code"),
    [
        ({"code": "000.10.00.h90"}, InvalidAgencyCode, "invalid_agency_code"),
        ({"code": "00.10.00.H90"}, InvalidAgencyCode, "invalid_agency_code"),
        ({"code": ""}, InvalidAgencyCode, "invalid_agency_code"),
        ({"name": "   "}, AgencyNameRequired, "agency_name_required"),
        ({"kind": "ministry"}, InvalidAgencyKind, "invalid_agency_kind"),
        ({"email": "không phải thư"}, InvalidEmail, "invalid_email"),
    ],
)
def test_a_malformed_agency_is_refused_and_nothing_is_written(
    province: AdministrativeUnit, overrides: dict[str, Any], error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as caught:
        create(unit=province, **overrides)

    assert caught.value.code == code  # type: ignore[attr-defined]
    assert Agency.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_an_agency_cannot_serve_a_legacy_unit(province: AdministrativeUnit) -> None:
    former = ProvinceFactory(code="36", name="Tỉnh Nam Định", is_legacy=True)

    with pytest.raises(AgencyUnitLegacy):
        create(unit=former)

    assert Agency.objects.count() == 0


def test_a_commune_committee_cannot_serve_a_province(province: AdministrativeUnit) -> None:
    with pytest.raises(AgencyUnitLevelMismatch) as caught:
        create(code="000.20.01.H90", kind=AgencyKind.COMMUNE_COMMITTEE, unit=province)

    assert caught.value.code == "agency_unit_level_mismatch"
    assert Agency.objects.count() == 0


@pytest.mark.parametrize(
    "kind",
    [AgencyKind.DEPARTMENT, AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.PUBLIC_SERVICE_CENTRE],
)
def test_a_provincial_agency_cannot_serve_a_commune(commune: AdministrativeUnit, kind: str) -> None:
    with pytest.raises(AgencyUnitLevelMismatch):
        create(kind=kind, unit=commune)

    assert Agency.objects.count() == 0


def test_another_kind_of_agency_may_serve_either_level(
    province: AdministrativeUnit, commune: AdministrativeUnit
) -> None:
    create(code="000.30.00.H90", kind=AgencyKind.OTHER, unit=province)
    create(code="000.30.01.H90", kind=AgencyKind.OTHER, unit=commune)

    assert Agency.objects.count() == 2


def test_a_taken_code_is_refused(province: AdministrativeUnit, committee: Agency) -> None:
    with pytest.raises(AgencyCodeTaken) as caught:
        create(code="000.00.00.H90", unit=province)

    assert caught.value.status == 409
    assert Agency.objects.count() == 1


def test_a_parent_in_another_province_is_refused(province: AdministrativeUnit) -> None:
    elsewhere = AgencyFactory(code="000.00.00.H91", unit=ProvinceFactory(code="91"))

    with pytest.raises(AgencyParentInvalid):
        create(unit=province, parent=elsewhere)

    assert Agency.objects.count() == 1


def test_an_officer_who_is_no_provincial_administrator_cannot_create_an_agency(
    province: AdministrativeUnit, committee: Agency
) -> None:
    agency_admin = UserFactory()
    MembershipFactory(user=agency_admin, agency=committee, role=Role.AGENCY_ADMIN)

    with pytest.raises(NotAllowed) as caught:
        create(unit=province, actor=agency_admin)

    assert (caught.value.code, caught.value.status) == ("permission_denied", 403)
    assert Agency.objects.count() == 1
    assert AuditEntry.objects.count() == 0


def test_the_administrator_of_another_province_cannot_create_an_agency_here(
    province: AdministrativeUnit,
) -> None:
    other = AgencyFactory(code="000.00.00.H91", unit=ProvinceFactory(code="91"))
    admin = UserFactory()
    MembershipFactory(user=admin, agency=other, role=Role.PROVINCE_ADMIN)

    with pytest.raises(NotAllowed):
        create(unit=province, actor=admin)

    assert not Agency.objects.filter(code="000.10.00.H90").exists()


def test_an_agency_administrator_renames_their_agency(committee: Agency) -> None:
    department = AgencyFactory(
        code="000.10.00.H90", name="Sở Tư Pháp", parent=committee, unit=committee.unit
    )
    admin = UserFactory()
    MembershipFactory(user=admin, agency=department, role=Role.AGENCY_ADMIN)

    agency_update(agency=department, actor=admin, name="Sở Tư pháp", phone="02283000000")

    department.refresh_from_db()
    assert (department.name, department.phone) == ("Sở Tư pháp", "02283000000")
    entry = audit_for(target_type="core.agency", target_key="000.10.00.H90").get()
    assert (entry.actor, entry.action) == (admin, "core.agency.updated")
    assert entry.data == {
        "changes": {"name": ["Sở Tư Pháp", "Sở Tư pháp"], "phone": ["", "02283000000"]}
    }


def test_an_agency_administrator_cannot_move_or_close_their_agency(committee: Agency) -> None:
    department = AgencyFactory(code="000.10.00.H90", unit=committee.unit)
    admin = UserFactory()
    MembershipFactory(user=admin, agency=department, role=Role.AGENCY_ADMIN)

    with pytest.raises(NotAllowed):
        agency_update(agency=department, actor=admin, is_active=False)
    with pytest.raises(NotAllowed):
        agency_update(agency=department, actor=admin, parent=committee)

    department.refresh_from_db()
    assert (department.is_active, department.parent) == (True, None)
    assert AuditEntry.objects.count() == 0


def test_an_officer_of_the_agency_cannot_change_it(committee: Agency) -> None:
    specialist = UserFactory()
    MembershipFactory(user=specialist, agency=committee, role=Role.SPECIALIST)

    with pytest.raises(NotAllowed):
        agency_update(agency=committee, actor=specialist, name="Đổi tên")

    committee.refresh_from_db()
    assert committee.name == "Ủy ban nhân dân tỉnh Thử"


def test_a_provincial_administrator_moves_a_department_under_the_committee(
    committee: Agency, province_admin: User
) -> None:
    department = AgencyFactory(code="000.10.00.H90", unit=committee.unit)

    agency_update(agency=department, actor=province_admin, parent=committee)

    department.refresh_from_db()
    assert department.parent == committee
    entry = audit_for(target_type="core.agency", target_key="000.10.00.H90").get()
    assert entry.data == {"changes": {"parent": [None, "000.00.00.H90"]}}


def test_an_agency_cannot_become_its_own_ancestor(committee: Agency) -> None:
    department = AgencyFactory(code="000.10.00.H90", unit=committee.unit, parent=committee)
    office = AgencyFactory(code="000.10.01.H90", unit=committee.unit, parent=department)

    with pytest.raises(AgencyParentInvalid):
        agency_update(agency=committee, actor=None, parent=office)
    with pytest.raises(AgencyParentInvalid):
        agency_update(agency=committee, actor=None, parent=committee)

    committee.refresh_from_db()
    assert committee.parent is None


def test_the_code_of_an_agency_never_changes(committee: Agency) -> None:
    with pytest.raises(AgencyCodeImmutable):
        agency_update(agency=committee, actor=None, code="000.00.09.H90")

    assert Agency.objects.get().code == "000.00.00.H90"


def test_an_update_may_not_break_the_unit_rules(
    committee: Agency, commune: AdministrativeUnit
) -> None:
    with pytest.raises(AgencyUnitLevelMismatch):
        agency_update(agency=committee, actor=None, unit=commune)

    committee.refresh_from_db()
    assert committee.unit.code == "90"


def test_an_agency_with_active_sub_agencies_cannot_be_closed(committee: Agency) -> None:
    AgencyFactory(code="000.10.00.H90", unit=committee.unit, parent=committee)

    with pytest.raises(AgencyHasActiveChildren):
        agency_update(agency=committee, actor=None, is_active=False)

    committee.refresh_from_db()
    assert committee.is_active is True


def test_an_update_that_changes_nothing_writes_no_audit_entry(committee: Agency) -> None:
    agency_update(agency=committee, actor=None, name="Ủy ban nhân dân tỉnh Thử")

    assert AuditEntry.objects.count() == 0


def test_an_unknown_field_is_a_programming_error(committee: Agency) -> None:
    with pytest.raises(TypeError, match="colour"):
        agency_update(agency=committee, actor=None, colour="đỏ")
