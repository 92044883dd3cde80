"""The admin pages of units, agencies, users and the audit log."""

import pytest
from django.test import Client

from sen.core.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    AuditEntry,
    Membership,
    Role,
    User,
)
from sen.core.selectors import officer_has_role
from sen.core.services import audit_record
from sen.core.tests.adminforms import membership_form, user_change
from sen.core.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    MembershipFactory,
    ProvinceFactory,
    UserFactory,
)


@pytest.fixture
def root(client: Client, db: None) -> User:
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/core/administrativeunit/",
        "/admin/core/administrativeunit/?q=phu+ly",
        "/admin/core/administrativeunit/?level__exact=district&is_legacy__exact=1",
        "/admin/core/agency/",
        "/admin/core/agency/add/",
        "/admin/core/user/",
        "/admin/core/user/add/",
        "/admin/core/auditentry/",
        "/admin/core/auditentry/?action__exact=core.units.loaded",
    ],
)
def test_the_admin_pages_render_for_a_superuser(client: Client, root: User, url: str) -> None:
    province = ProvinceFactory(code="90")
    agency = AgencyFactory(unit=province)
    MembershipFactory(agency=agency, user=root, role=Role.PROVINCE_ADMIN)
    CommuneFactory(parent=province, name="Phường Phủ Lý")
    ProvinceFactory(code="36", name="Tỉnh Nam Định", is_legacy=True)
    audit_record(actor=root, action="core.units.loaded", target_type="x", target_key="*")

    response = client.get(url)

    assert response.status_code == 200


def test_unit_search_in_the_admin_ignores_diacritics(
    client: Client, root: User, ninh_binh: AdministrativeUnit
) -> None:
    response = client.get("/admin/core/administrativeunit/?q=phu+ly")

    names = sorted(str(unit) for unit in response.context["cl"].result_list)
    assert names == ["Phường Lý Thường Kiệt", "Phường Phủ Lý", "Thành phố Phủ Lý (cũ)"]


def test_units_and_the_audit_log_are_read_only_even_for_a_superuser(
    client: Client, root: User, ninh_binh: AdministrativeUnit
) -> None:
    unit = AdministrativeUnit.objects.get(level="province", code="37", is_legacy=False)
    entry = AuditEntry.objects.get()

    assert client.get("/admin/core/administrativeunit/add/").status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    page = client.get(f"/admin/core/administrativeunit/{unit.pk}/change/")
    assert page.status_code == 200
    assert "Tỉnh Hà Nam (35), Tỉnh Nam Định (36), Tỉnh Ninh Bình (37)" in page.content.decode()
    response = client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "x"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.action == "core.units.loaded"


def test_an_agency_added_in_the_admin_is_created_by_the_service_and_audited(
    client: Client, root: User, ninh_binh: AdministrativeUnit
) -> None:
    response = client.post(
        "/admin/core/agency/add/",
        {
            "code": "000.10.00.H37",
            "name": "Sở Tư pháp",
            "kind": AgencyKind.DEPARTMENT,
            "unit": ninh_binh.pk,
            "parent": "",
            "email": "",
            "phone": "",
            "address": "",
            "is_active": "on",
            "_save": "Lưu",
        },
    )

    assert response.status_code == 302
    agency = Agency.objects.get(code="000.10.00.H37")
    entry = AuditEntry.objects.get(action="core.agency.created")
    assert (entry.actor, entry.target_key) == (root, "000.10.00.H37")
    assert agency.unit == ninh_binh


def test_the_admin_refuses_an_agency_the_service_would_refuse(
    client: Client, root: User, ninh_binh: AdministrativeUnit
) -> None:
    former = AdministrativeUnit.objects.get(level="province", code="36", is_legacy=True)

    response = client.post(
        "/admin/core/agency/add/",
        {
            "code": "000.10.00.H36",
            "name": "Sở Tư pháp Nam Định",
            "kind": AgencyKind.DEPARTMENT,
            "unit": former.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "không còn là đơn vị hành chính" in str(response.context["adminform"].form.errors)
    assert Agency.objects.count() == 0


def test_roles_granted_and_revoked_in_the_agency_page_go_through_the_services(
    client: Client, root: User, ninh_binh: AdministrativeUnit
) -> None:
    agency = AgencyFactory(code="000.10.00.H37", name="Sở Tư pháp", unit=ninh_binh)
    clerk = MembershipFactory(agency=agency, role=Role.CLERK).user
    newcomer = UserFactory(username="chuyenvien.tuphap")
    existing = Membership.objects.get(user=clerk)
    fields = {
        "code": agency.code,
        "name": agency.name,
        "kind": agency.kind,
        "unit": str(ninh_binh.pk),
        "is_active": "on",
        "_save": "Lưu",
    }
    rows = [
        # The clerk's role is revoked (unticked), the newcomer is made a specialist.
        {"id": str(existing.pk), "agency": str(agency.pk), "user": str(clerk.pk), "role": "clerk"},
        {
            "id": "",
            "agency": str(agency.pk),
            "user": str(newcomer.pk),
            "role": "specialist",
            "is_active": "on",
        },
    ]

    response = client.post(
        f"/admin/core/agency/{agency.pk}/change/", {**fields, **membership_form(rows, 1)}
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    assert not officer_has_role(clerk, agency, Role.CLERK)
    assert officer_has_role(newcomer, agency, Role.SPECIALIST)
    assert Membership.objects.filter(user=clerk, is_active=False).count() == 1
    assert sorted(AuditEntry.objects.filter(actor=root).values_list("action", "target_key")) == [
        ("core.membership.granted", "chuyenvien.tuphap"),
        ("core.membership.revoked", clerk.username),
    ]


def test_an_officer_added_in_the_admin_is_created_by_the_service_and_audited(
    client: Client, root: User
) -> None:
    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "motcua.tuphap",
            "full_name": "Lê Thị Hoa",
            "email": "hoa@sen.example",
            "usable_password": "true",
            "password1": "sen-demo-2026",
            "password2": "sen-demo-2026",
            "_save": "Lưu",
        },
    )

    assert response.status_code == 302
    officer = User.objects.get(username="motcua.tuphap")
    assert (officer.full_name, officer.check_password("sen-demo-2026")) == ("Lê Thị Hoa", True)
    entry = AuditEntry.objects.get(action="core.user.created")
    assert (entry.actor, entry.target_key) == (root, "motcua.tuphap")


@pytest.mark.django_db
def test_an_audit_entry_can_be_read_in_the_admin(client: Client, root: User) -> None:
    entry = audit_record(actor=root, action="core.test.done", target_type="x", target_key="k")

    response = client.get(f"/admin/core/auditentry/{entry.pk}/change/")

    assert response.status_code == 200
    assert "core.test.done" in response.content.decode()


# --- What an administrator who is not a superuser may do with accounts ----------------------


@pytest.fixture
def agency_admin(client: Client, ninh_binh: AdministrativeUnit) -> User:
    """The administrator of Sở Tư pháp, made staff with what managing its officers takes,
    signed in; the department has a specialist, another agency an officer, and the province
    a superuser and a citizen."""
    from django.contrib.auth.models import Permission

    department = AgencyFactory(code="000.10.00.H37", name="Sở Tư pháp", unit=ninh_binh)
    other = AgencyFactory(code="000.11.00.H37", name="Sở Y tế", unit=ninh_binh)
    admin = UserFactory(username="quantri.tuphap", is_staff=True)
    MembershipFactory(user=admin, agency=department, role=Role.AGENCY_ADMIN)
    MembershipFactory(
        user=UserFactory(username="chuyenvien.tuphap"), agency=department, role=Role.SPECIALIST
    )
    MembershipFactory(user=UserFactory(username="chuyenvien.yte"), agency=other)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    UserFactory(username="congdan")
    admin.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="core",
            codename__in=[
                "add_user",
                "change_user",
                "view_user",
                "view_agency",
                "change_agency",
                "add_membership",
                "change_membership",
                "view_membership",
            ],
        )
    )
    client.force_login(admin)
    return admin


def test_an_agency_administrator_lists_only_the_officers_of_their_agencies(
    client: Client, agency_admin: User
) -> None:
    response = client.get("/admin/core/user/")

    assert response.status_code == 200
    listed = [user.username for user in response.context["cl"].result_list]
    assert listed == ["chuyenvien.tuphap", "quantri.tuphap"]
    for username in ("root", "congdan", "chuyenvien.yte"):
        user = User.objects.get(username=username)
        assert client.get(f"/admin/core/user/{user.pk}/change/").status_code == 302


def test_an_agency_administrator_cannot_give_themselves_privileges(
    client: Client, agency_admin: User
) -> None:
    # When the agency administrator sends their own account back as a superuser
    page = client.get(f"/admin/core/user/{agency_admin.pk}/change/").content.decode()
    response = client.post(
        f"/admin/core/user/{agency_admin.pk}/change/",
        user_change(agency_admin, is_superuser="on", is_staff="on"),
    )

    # Then the page offered no such box, and the account is as it was
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert response.status_code == 302
    agency_admin.refresh_from_db()
    assert (agency_admin.is_superuser, agency_admin.is_staff) == (False, True)


def test_an_agency_administrator_cannot_set_a_superusers_password(
    client: Client, agency_admin: User
) -> None:
    root = User.objects.get(username="root")
    before = root.password

    page = client.get(f"/admin/core/user/{root.pk}/password/")
    response = client.post(
        f"/admin/core/user/{root.pk}/password/",
        {
            "password1": "chiem-quyen-2026",
            "password2": "chiem-quyen-2026",
            "usable_password": "true",
        },
    )

    assert page.status_code == response.status_code == 404
    root.refresh_from_db()
    assert root.password == before
    assert not AuditEntry.objects.filter(action="core.user.password_set").exists()


def test_a_password_set_in_the_admin_is_recorded(client: Client, agency_admin: User) -> None:
    specialist = User.objects.get(username="chuyenvien.tuphap")

    response = client.post(
        f"/admin/core/user/{specialist.pk}/password/",
        {
            "password1": "mat-khau-moi-2026",
            "password2": "mat-khau-moi-2026",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.check_password("mat-khau-moi-2026")
    entry = AuditEntry.objects.get(action="core.user.password_set")
    assert (entry.actor, entry.target_key) == (agency_admin, "chuyenvien.tuphap")


def _change_and_set_password(client: Client, officer: User) -> list[int]:
    """Open and send the officer's change page and password page; return the statuses."""
    change_page = client.get(f"/admin/core/user/{officer.pk}/change/")
    change = client.post(
        f"/admin/core/user/{officer.pk}/change/",
        user_change(officer, full_name="Tên Bị Sửa", email="chiem@sen.example"),
    )
    password_page = client.get(f"/admin/core/user/{officer.pk}/password/")
    password = client.post(
        f"/admin/core/user/{officer.pk}/password/",
        {
            "password1": "chiem-quyen-2026",
            "password2": "chiem-quyen-2026",
            "usable_password": "true",
        },
    )
    return [r.status_code for r in (change_page, change, password_page, password)]


@pytest.mark.parametrize(
    "elsewhere",
    ["a role in another agency", "a role in a closed agency", "a role in another province"],
)
def test_an_officer_who_also_serves_an_agency_the_administrator_does_not_manage_is_left_alone(
    client: Client, agency_admin: User, elsewhere: str
) -> None:
    # Given a specialist of Sở Tư pháp who also holds a role in an agency its administrator
    # does not administer
    officer = User.objects.get(username="chuyenvien.tuphap")
    if elsewhere == "a role in another agency":
        other = Agency.objects.get(name="Sở Y tế")
    elif elsewhere == "a role in a closed agency":
        other = AgencyFactory(unit=Agency.objects.get(name="Sở Y tế").unit, is_active=False)
    else:
        other = AgencyFactory(unit=ProvinceFactory(code="90"))
    MembershipFactory(user=officer, agency=other, role=Role.LEADER)
    before = User.objects.values().get(pk=officer.pk)
    audited = AuditEntry.objects.count()

    # When the administrator of Sở Tư pháp lists the accounts and tries to change that one
    listed = [user.username for user in client.get("/admin/core/user/").context["cl"].result_list]
    statuses = _change_and_set_password(client, officer)

    # Then it is not listed, its pages are refused, and nothing about it changed
    assert listed == ["quantri.tuphap"]
    assert statuses == [302, 302, 404, 404]
    assert User.objects.values().get(pk=officer.pk) == before
    assert AuditEntry.objects.count() == audited


def test_the_superuser_still_sets_the_password_of_an_officer_of_two_agencies(
    client: Client, agency_admin: User
) -> None:
    officer = User.objects.get(username="chuyenvien.tuphap")
    MembershipFactory(user=officer, agency=Agency.objects.get(name="Sở Y tế"))
    client.force_login(User.objects.get(username="root"))

    response = client.post(
        f"/admin/core/user/{officer.pk}/password/",
        {
            "password1": "mat-khau-moi-2026",
            "password2": "mat-khau-moi-2026",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("mat-khau-moi-2026")


def test_an_officer_moved_here_from_another_agency_is_managed_here_and_no_longer_there(
    client: Client, agency_admin: User
) -> None:
    # Given an officer whose role at Sở Y tế was revoked when they moved to Sở Tư pháp
    officer = User.objects.get(username="chuyenvien.yte")
    Membership.objects.filter(user=officer).update(is_active=False)
    MembershipFactory(user=officer, agency=Agency.objects.get(name="Sở Tư pháp"))
    # and a specialist who moved the other way
    leaver = User.objects.get(username="chuyenvien.tuphap")
    Membership.objects.filter(user=leaver).update(is_active=False)
    MembershipFactory(user=leaver, agency=Agency.objects.get(name="Sở Y tế"))

    # When the administrator of Sở Tư pháp lists the accounts and sets both passwords
    listed = [user.username for user in client.get("/admin/core/user/").context["cl"].result_list]
    statuses = _change_and_set_password(client, officer), _change_and_set_password(client, leaver)

    # Then the newcomer is theirs (a revoked role is only a record), the leaver no longer
    assert listed == ["chuyenvien.yte", "quantri.tuphap"]
    assert statuses == ([200, 302, 200, 302], [302, 302, 404, 404])
    officer.refresh_from_db()
    leaver.refresh_from_db()
    assert officer.check_password("chiem-quyen-2026") and officer.full_name == "Tên Bị Sửa"
    assert leaver.check_password("mat-khau-thu-nghiem") and leaver.full_name != "Tên Bị Sửa"


def test_a_privilege_given_and_taken_back_is_recorded_with_its_values(
    client: Client, root: User
) -> None:
    officer = UserFactory(username="canbo.tinh")

    client.post(
        f"/admin/core/user/{officer.pk}/change/",
        user_change(officer, is_staff="on", is_superuser="on"),
    )
    officer.refresh_from_db()
    client.post(f"/admin/core/user/{officer.pk}/change/", user_change(officer, is_staff="on"))

    entries = AuditEntry.objects.filter(action="core.user.changed").order_by("pk")
    assert [entry.data["privileges"]["is_superuser"] for entry in entries] == [
        {"from": False, "to": True},
        {"from": True, "to": False},
    ]
    assert entries[0].data["privileges"]["is_staff"] == {"from": False, "to": True}


def test_agencies_and_accounts_are_closed_or_locked_never_deleted(
    client: Client, root: User, ninh_binh: AdministrativeUnit
) -> None:
    from django.db.models import ProtectedError

    membership = MembershipFactory(agency=AgencyFactory(unit=ninh_binh), role=Role.CLERK)

    agency_page = client.get(f"/admin/core/agency/{membership.agency_id}/delete/")
    user_page = client.get(f"/admin/core/user/{membership.user_id}/delete/")

    assert (agency_page.status_code, user_page.status_code) == (403, 403)
    with pytest.raises(ProtectedError):
        membership.agency.delete()
    with pytest.raises(ProtectedError):
        membership.user.delete()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_agency_administrator_creates_an_officer_with_a_role_in_their_agency(
    client: Client, agency_admin: User
) -> None:
    department = Agency.objects.get(code="000.10.00.H37")
    other = Agency.objects.get(code="000.11.00.H37")
    account = {
        "username": "motcua.tuphap",
        "full_name": "Lê Thị Hoa",
        "usable_password": "true",
        "password1": "sen-demo-2026",
        "password2": "sen-demo-2026",
        "_save": "Lưu",
    }
    page = client.get("/admin/core/user/add/")
    offered = [agency.code for agency in page.context["adminform"].form.fields["agency"].queryset]
    assert offered == ["000.10.00.H37"]

    # Without a role, or with one in another agency, nothing is created
    without = client.post("/admin/core/user/add/", account)
    elsewhere = client.post(
        "/admin/core/user/add/", {**account, "agency": str(other.pk), "role": Role.SPECIALIST}
    )
    assert without.status_code == elsewhere.status_code == 200
    assert not User.objects.filter(username="motcua.tuphap").exists()

    # With its first role in their agency, the account is theirs to manage
    created = client.post(
        "/admin/core/user/add/",
        {**account, "agency": str(department.pk), "role": Role.ONE_STOP_OFFICER},
    )
    assert created.status_code == 302
    officer = User.objects.get(username="motcua.tuphap")
    assert officer_has_role(officer, department, Role.ONE_STOP_OFFICER)
    assert client.get(f"/admin/core/user/{officer.pk}/change/").status_code == 200


def test_an_agency_administrator_cannot_give_a_citizen_a_role(
    client: Client, agency_admin: User
) -> None:
    # A hand-made row of the agency's roles naming a citizen's account
    department = Agency.objects.get(code="000.10.00.H37")
    citizen = User.objects.get(username="congdan")
    held = list(department.memberships.values_list("pk", flat=True))
    rows = [
        {
            "id": str(pk),
            "agency": str(department.pk),
            "user": str(m.user_id),
            "role": m.role,
            "is_active": "on",
        }
        for pk, m in ((m.pk, m) for m in department.memberships.all())
    ]
    rows.append(
        {
            "agency": str(department.pk),
            "user": str(citizen.pk),
            "role": "specialist",
            "is_active": "on",
        }
    )
    response = client.post(
        f"/admin/core/agency/{department.pk}/change/",
        {
            "code": department.code,
            "name": department.name,
            "kind": department.kind,
            "unit": str(department.unit_id),
            "is_active": "on",
            "_save": "Lưu",
            **membership_form(rows, len(held)),
        },
    )

    # Then the page says so and the citizen holds no role
    assert response.status_code == 200
    assert "Bạn không quản lý tài khoản congdan" in response.content.decode()
    assert not Membership.objects.filter(user=citizen).exists()


def test_a_role_without_its_agency_is_refused_by_the_creation_form(
    client: Client, root: User
) -> None:
    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "motcua.tuphap",
            "full_name": "Lê Thị Hoa",
            "usable_password": "true",
            "password1": "sen-demo-2026",
            "password2": "sen-demo-2026",
            "role": Role.SPECIALIST,
            "_save": "Lưu",
        },
    )

    assert response.status_code == 200
    assert "Cần chọn cả cơ quan và vai trò đầu tiên của cán bộ." in response.content.decode()
    assert not User.objects.filter(username="motcua.tuphap").exists()
