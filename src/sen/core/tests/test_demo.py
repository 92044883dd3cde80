"""The demo organisation of Ninh Bình (``sen seed_demo_org``)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sen.core.demo import (
    DEMO_PASSWORD,
    demo_logins,
    print_demo_logins,
    require_demo_data_allowed,
)
from sen.core.models import AdministrativeUnit, Agency, AuditEntry, Membership, Role, User
from sen.core.selectors import officer_has_role
from sen.core.services import audit_record


def seed() -> str:
    out = StringIO()
    call_command("seed_demo_org", stdout=out)
    return out.getvalue()


def test_the_demo_province_has_its_agencies_and_officers(ninh_binh: AdministrativeUnit) -> None:
    seed()

    agencies = {a.code: a for a in Agency.objects.select_related("unit", "parent")}
    assert sorted(agencies) == [
        "000.00.00.H37",
        "000.00.01.H37",
        "000.10.00.H37",
        "000.11.00.H37",
        "000.12.00.H37",
        "000.13.00.H37",
        "000.14.00.H37",
        "000.15.00.H37",
        "000.16.00.H37",
        "000.17.00.H37",
        "000.18.00.H37",
        "000.19.00.H37",
        "000.20.01.H37",
        "000.20.02.H37",
        "000.20.03.H37",
    ]
    committee = agencies["000.00.00.H37"]
    assert (committee.name, committee.kind, committee.unit, committee.parent) == (
        "Ủy ban nhân dân tỉnh Ninh Bình",
        "provincial_committee",
        ninh_binh,
        None,
    )
    justice = agencies["000.10.00.H37"]
    assert (justice.name, justice.kind, justice.parent) == ("Sở Tư pháp", "department", committee)
    assert agencies["000.19.00.H37"].name == "Thuế tỉnh Ninh Bình"
    centre = agencies["000.00.01.H37"]
    assert (centre.kind, centre.name) == (
        "service_centre",
        "Trung tâm Phục vụ hành chính công tỉnh Ninh Bình",
    )
    communes = [
        (a.name, a.kind, a.unit.code, a.unit.parent_id == ninh_binh.pk)
        for code, a in sorted(agencies.items())
        if code.startswith("000.20.")
    ]
    assert communes == [
        ("Ủy ban nhân dân phường Nam Định", "commune_committee", "13666", True),
        ("Ủy ban nhân dân phường Phủ Lý", "commune_committee", "13291", True),
        ("Ủy ban nhân dân xã Gia Viễn", "commune_committee", "14464", True),
    ]

    quantri = User.objects.get(username="quantri")
    assert (quantri.full_name, quantri.is_staff, quantri.is_superuser) == (
        "Nguyễn Văn An",
        True,
        True,
    )
    assert quantri.check_password(DEMO_PASSWORD)
    assert officer_has_role(quantri, committee, Role.PROVINCE_ADMIN)
    assert officer_has_role(User.objects.get(username="quantri.tuphap"), justice, Role.AGENCY_ADMIN)
    for prefix, role in [
        ("motcua", Role.ONE_STOP_OFFICER),
        ("chuyenvien", Role.SPECIALIST),
        ("lanhdao", Role.LEADER),
        ("vanthu", Role.CLERK),
    ]:
        officer = User.objects.get(username=f"{prefix}.tuphap")
        assert officer_has_role(officer, justice, role)
        assert not officer.is_staff
        ward_officer = User.objects.get(username=f"{prefix}.namdinh")
        assert officer_has_role(ward_officer, agencies["000.20.01.H37"], role)


def test_the_command_prints_the_logins(ninh_binh: AdministrativeUnit) -> None:
    lines = seed().splitlines()

    assert lines[0].split() == [
        "Tên",
        "đăng",
        "nhập",
        "Mật",
        "khẩu",
        "Họ",
        "và",
        "tên",
        "Vai",
        "trò",
        "Cơ",
        "quan",
    ]
    assert lines[2].split() == [
        "quantri", "sen-demo-2026", "Nguyễn", "Văn", "An", "Quản", "trị", "cấp", "tỉnh",
        "Ủy", "ban", "nhân", "dân", "tỉnh", "Ninh", "Bình",
    ]  # fmt: skip
    assert len(lines) == 19  # header, rule, sixteen officers, one citizen
    assert lines[-1].split() == [
        "congdan", "sen-demo-2026", "Nguyễn", "Thị", "Hương", "Công", "dân", "—",
    ]  # fmt: skip


def test_every_demo_account_is_in_the_printed_table_with_its_role_and_agency(
    ninh_binh: AdministrativeUnit,
) -> None:
    # Given the demo organisation, when its logins are printed,
    text = seed()

    # then each account that can sign in is there, each officer once per role and agency.
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD), user.username
        assert f"{user.username} " in text, user.username
    for membership in Membership.objects.select_related("user", "agency"):
        row = next(
            line
            for line in text.splitlines()
            if line.startswith(f"{membership.user.username} ")
            and str(Role(membership.role).label) in line
        )
        assert row.endswith(membership.agency.name)
    citizen = User.objects.get(username="congdan")
    assert not Membership.objects.filter(user=citizen).exists()


def test_seeding_twice_changes_nothing(ninh_binh: AdministrativeUnit) -> None:
    first = seed()
    User.objects.filter(username="motcua.tuphap").update(full_name="Lê Thị Hoa (đã sửa)")
    counts = (Agency.objects.count(), User.objects.count(), Membership.objects.count())
    entries = AuditEntry.objects.count()

    second = seed()

    assert (Agency.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert AuditEntry.objects.count() == entries
    assert len(second.splitlines()) == len(first.splitlines())
    # Existing accounts are left as they are, not reset to the demo values.
    assert "Lê Thị Hoa (đã sửa)" in second
    assert User.objects.get(username="motcua.tuphap").check_password(DEMO_PASSWORD)


def test_a_revoked_demo_role_is_given_back(ninh_binh: AdministrativeUnit) -> None:
    seed()
    Membership.objects.filter(user__username="vanthu.namdinh").update(is_active=False)

    seed()

    assert Membership.objects.get(user__username="vanthu.namdinh").is_active is True


@pytest.mark.django_db
def test_seeding_without_the_units_fails_with_a_clear_message() -> None:
    with pytest.raises(CommandError, match="sen load_units"):
        seed()

    assert Agency.objects.count() == 0
    assert User.objects.count() == 0


def test_the_logins_can_be_printed_again_without_seeding(ninh_binh: AdministrativeUnit) -> None:
    out = StringIO()
    print_demo_logins(out)
    assert out.getvalue() == "Chưa có tài khoản mẫu. Chạy `sen seed_demo_org`.\n"

    seed()
    out = StringIO()
    print_demo_logins(out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Tài khoản mẫu (mật khẩu chung sen-demo-2026):"
    assert len(lines) == 20
    assert [login.username for login in demo_logins()][:3] == [
        "quantri",
        "lanhdao.tinh",
        "quantri.tuphap",
    ]


def test_a_quiet_seed_prints_nothing(ninh_binh: AdministrativeUnit) -> None:
    out = StringIO()
    call_command("seed_demo_org", verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert User.objects.filter(username="quantri").exists()


@pytest.mark.parametrize(
    "command", ["demo", "seed_demo_org", "seed_demo_dossiers", "seed_demo_periodic"]
)
def test_an_installation_without_demo_data_refuses_every_demo_command(
    ninh_binh: AdministrativeUnit, settings, command: str
) -> None:
    # Given production settings (SEN_DEMO_DATA off): the demo accounts' password is public
    settings.SEN_DEMO_DATA = False

    with pytest.raises(CommandError, match="không nhận dữ liệu trình diễn"):
        call_command(command, stdout=StringIO())

    assert not User.objects.exists() and not Agency.objects.exists()


def test_asking_whether_demo_data_is_taken_reads_no_database() -> None:
    # `sen demo` asks before it creates the SQLite file's folder: a query there failed with
    # "unable to open database file" on a fresh clone. Without the database fixtures,
    # pytest-django refuses any query here.
    require_demo_data_allowed()


def test_flush_is_refused_where_the_installation_keeps_its_data(db, settings) -> None:
    # Given an installation that refuses demo data (production), with an audit entry
    settings.SEN_DEMO_DATA = False
    audit_record(actor=None, action="core.test.kept", target_type="x", target_key="1")

    # When someone runs `sen flush`, Then it refuses and the audit log is still there
    with pytest.raises(CommandError, match="flush sẽ xoá sạch mọi bảng, cả nhật ký kiểm toán"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.filter(action="core.test.kept").exists()
