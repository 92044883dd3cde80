"""The demo organisation: the province of Ninh Bình, its agencies, demo officers and citizen.

Used by ``sen seed_demo_org`` and ``sen demo``. Every demo account is listed here
(``OFFICERS`` and ``CITIZENS``), so that the login table printed by ``sen demo`` names each
account a newcomer can sign in with; the demo dossiers only use them. Ninh Bình (current
code 37) absorbed Nam Định and Hà Nam on 1 July 2025. Idempotent: a second run creates
nothing and writes no audit entry; existing accounts keep their passwords.
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sen.core.errors import DemoDataRefused, UnitsNotLoaded
from sen.core.models import AdministrativeUnit, Agency, AgencyKind, Membership, Role, User
from sen.core.selectors import unit_get, units_loaded
from sen.core.services import agency_create, membership_grant, officer_create

DEMO_PASSWORD = "sen-demo-2026"  # noqa: S105 - published on purpose: a demo, not a secret
PROVINCE_CODE = "37"
PROVINCIAL_COMMITTEE = "000.00.00.H37"

# (code, name, kind); departments hang under the provincial committee.
PROVINCIAL_AGENCIES = [
    (PROVINCIAL_COMMITTEE, "Ủy ban nhân dân tỉnh Ninh Bình", AgencyKind.PROVINCIAL_COMMITTEE),
    (
        "000.00.01.H37",
        "Trung tâm Phục vụ hành chính công tỉnh Ninh Bình",
        AgencyKind.PUBLIC_SERVICE_CENTRE,
    ),
    ("000.10.00.H37", "Sở Tư pháp", AgencyKind.DEPARTMENT),
    ("000.11.00.H37", "Sở Xây dựng", AgencyKind.DEPARTMENT),
    ("000.12.00.H37", "Sở Nông nghiệp và Môi trường", AgencyKind.DEPARTMENT),
    ("000.13.00.H37", "Sở Tài chính", AgencyKind.DEPARTMENT),
    ("000.14.00.H37", "Sở Y tế", AgencyKind.DEPARTMENT),
    ("000.15.00.H37", "Sở Giáo dục và Đào tạo", AgencyKind.DEPARTMENT),
    ("000.16.00.H37", "Sở Nội vụ", AgencyKind.DEPARTMENT),
    ("000.17.00.H37", "Công an tỉnh Ninh Bình", AgencyKind.DEPARTMENT),
    ("000.18.00.H37", "Sở Văn hóa, Thể thao và Du lịch", AgencyKind.DEPARTMENT),
    ("000.19.00.H37", "Thuế tỉnh Ninh Bình", AgencyKind.DEPARTMENT),
]

# (agency code, commune name): a ward of the former Nam Định city, one of the former Hà Nam
# city of Phủ Lý, and a rural commune of the former Ninh Bình, all current units of 37.
COMMUNE_AGENCIES = [
    ("000.20.01.H37", "Phường Nam Định"),
    ("000.20.02.H37", "Phường Phủ Lý"),
    ("000.20.03.H37", "Xã Gia Viễn"),
]

# (username, full name, agency code, role)
OFFICERS = [
    ("quantri", "Nguyễn Văn An", PROVINCIAL_COMMITTEE, Role.PROVINCE_ADMIN),
    ("lanhdao.tinh", "Lương Văn Thành", PROVINCIAL_COMMITTEE, Role.LEADER),
    ("quantri.tuphap", "Trần Thị Bình", "000.10.00.H37", Role.AGENCY_ADMIN),
    ("motcua.tuphap", "Lê Thị Hoa", "000.10.00.H37", Role.ONE_STOP_OFFICER),
    ("chuyenvien.tuphap", "Phạm Văn Minh", "000.10.00.H37", Role.SPECIALIST),
    ("lanhdao.tuphap", "Hoàng Văn Đức", "000.10.00.H37", Role.LEADER),
    ("vanthu.tuphap", "Vũ Thị Lan", "000.10.00.H37", Role.CLERK),
    ("motcua.namdinh", "Đặng Thị Mai", "000.20.01.H37", Role.ONE_STOP_OFFICER),
    ("chuyenvien.namdinh", "Bùi Văn Nam", "000.20.01.H37", Role.SPECIALIST),
    ("lanhdao.namdinh", "Đỗ Văn Hùng", "000.20.01.H37", Role.LEADER),
    ("vanthu.namdinh", "Ngô Thị Thu", "000.20.01.H37", Role.CLERK),
    # The Phủ Lý ward's desk, and the specialists a land registration is handed to (liên
    # thông), for the demo dossiers.
    ("motcua.phuly", "Trịnh Thị Ngọc", "000.20.02.H37", Role.ONE_STOP_OFFICER),
    ("chuyenvien.phuly", "Lý Văn Tùng", "000.20.02.H37", Role.SPECIALIST),
    ("lanhdao.phuly", "Phan Văn Thắng", "000.20.02.H37", Role.LEADER),
    ("chuyenvien.moitruong", "Đinh Văn Khoa", "000.12.00.H37", Role.SPECIALIST),
    ("chuyenvien.thue", "Cao Thị Yến", "000.19.00.H37", Role.SPECIALIST),
]
SUPERUSERS = {"quantri"}

# (username, full name, email, phone): citizens' accounts, without any role; the demo
# dossiers of ``congdan`` are the ones a newcomer sees under "my dossiers".
CITIZENS = [
    ("congdan", "Nguyễn Thị Hương", "huong.nguyen@example.vn", "0912000101"),
]
_USERNAMES = [officer[0] for officer in OFFICERS] + [citizen[0] for citizen in CITIZENS]


@dataclass(frozen=True)
class DemoLogin:
    """One row of the login table: an account, its password and one of its roles.

    A citizen's row has the role "Công dân" and no agency.
    """

    username: str
    password: str
    full_name: str
    role: str
    agency: str


def _commune_agency_name(unit: AdministrativeUnit) -> str:
    # "Phường Nam Định" → "Ủy ban nhân dân phường Nam Định": the type is lower-cased mid-name.
    place = unit.name.split(" ", 1)[1] if " " in unit.name else unit.name
    if unit.division_type == "đặc khu":
        place = unit.name.removeprefix("Đặc khu ")
    return f"Ủy ban nhân dân {unit.division_type} {place}"


def _commune(name: str, province: AdministrativeUnit) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.filter(
        parent=province, level="commune", is_legacy=False, name=name
    ).first()
    if unit is None:
        message = _("Không có %(name)s trong dữ liệu của tỉnh %(province)s.")
        raise UnitsNotLoaded(message % {"name": name, "province": province.name})
    return unit


def require_demo_data_allowed() -> None:
    """Raise ``DemoDataRefused`` unless the installation takes demo data (``SEN_DEMO_DATA``):
    the demo accounts' password is published, and their dossiers are invented."""
    if not settings.SEN_DEMO_DATA:
        raise DemoDataRefused(
            _(
                "Bản cài đặt này không nhận dữ liệu trình diễn (SEN_DEMO_DATA tắt, như khi vận "
                "hành): tài khoản trình diễn có mật khẩu công khai. Dùng một cơ sở dữ liệu "
                "riêng cho trình diễn, hoặc đặt SEN_DEMO_DATA=1 cho bản cài đặt tập huấn."
            )
        )


@transaction.atomic
def seed_demo_org(*, password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    """Create the demo agencies and officers if missing; return the login table.

    Raise ``DemoDataRefused`` where demo data is not taken, ``UnitsNotLoaded`` when the
    administrative units are not in the database.
    """
    require_demo_data_allowed()
    if not units_loaded():
        raise UnitsNotLoaded(_("Chưa có dữ liệu đơn vị hành chính. Chạy `sen load_units` trước."))
    province = unit_get(level="province", code=PROVINCE_CODE)
    agencies = {agency.code: agency for agency in Agency.objects.filter(code__endswith=".H37")}

    def ensure(code: str, name: str, kind: str, unit: AdministrativeUnit) -> Agency:
        if code not in agencies:
            parent = agencies[PROVINCIAL_COMMITTEE] if code != PROVINCIAL_COMMITTEE else None
            agencies[code] = agency_create(
                code=code, name=name, kind=kind, unit=unit, parent=parent, actor=None
            )
        return agencies[code]

    for code, name, kind in PROVINCIAL_AGENCIES:
        ensure(code, name, kind, province)
    for code, commune_name in COMMUNE_AGENCIES:
        unit = _commune(commune_name, province)
        ensure(code, _commune_agency_name(unit), AgencyKind.COMMUNE_COMMITTEE, unit)

    users = {user.username: user for user in User.objects.filter(username__in=_USERNAMES)}
    logins: list[DemoLogin] = []
    for username, full_name, agency_code, role in OFFICERS:
        user = users.get(username)
        if user is None:
            user = users[username] = officer_create(
                username=username,
                full_name=full_name,
                email=f"{username}@ninhbinh.sen.example",
                password=password,
                is_superuser=username in SUPERUSERS,
                actor=None,
            )
        agency = agencies[agency_code]
        if not Membership.objects.filter(
            user=user, agency=agency, role=role, is_active=True
        ).exists():
            membership_grant(user=user, agency=agency, role=role, actor=None)
        logins.append(
            DemoLogin(
                username=username,
                password=password,
                full_name=user.full_name,
                role=str(Role(role).label),
                agency=agency.name,
            )
        )
    for username, full_name, email, phone in CITIZENS:
        user = users.get(username)
        if user is None:
            # A citizen's account has no role; officer_create makes any account.
            user = users[username] = officer_create(
                username=username,
                full_name=full_name,
                email=email,
                phone=phone,
                password=password,
                actor=None,
            )
        logins.append(_citizen_login(user, password))
    return logins


def _citizen_login(user: User, password: str) -> DemoLogin:
    return DemoLogin(
        username=user.username,
        password=password,
        full_name=user.full_name,
        role=str(_("Công dân")),
        agency="—",
    )


def demo_logins(*, password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    """Return the login table of the demo accounts present in the database, without
    creating anything (rows of accounts or roles that are missing are left out)."""
    users = {user.username: user for user in User.objects.filter(username__in=_USERNAMES)}
    held = {
        (m.user.username, m.agency.code, m.role): m.agency.name
        for m in Membership.objects.filter(
            user__username__in=_USERNAMES, is_active=True
        ).select_related("user", "agency")
    }
    officers = [
        DemoLogin(
            username=username,
            password=password,
            full_name=users[username].full_name,
            role=str(Role(role).label),
            agency=held[(username, agency_code, role)],
        )
        for username, _full_name, agency_code, role in OFFICERS
        if (username, agency_code, role) in held
    ]
    citizens = [
        _citizen_login(users[username], password)
        for username, *_details in CITIZENS
        if username in users
    ]
    return officers + citizens


class _Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def print_demo_logins(stream: _Writer) -> None:
    """Write the demo login table to ``stream`` (a command's ``self.stdout`` or a file)."""
    logins = demo_logins()
    if not logins:
        stream.write(_("Chưa có tài khoản mẫu. Chạy `sen seed_demo_org`.") + "\n")
        return
    stream.write(
        _("Tài khoản mẫu (mật khẩu chung %(password)s):") % {"password": DEMO_PASSWORD} + "\n"
    )
    stream.write(login_table(logins) + "\n")


def login_table(logins: list[DemoLogin]) -> str:
    """Return the logins as an aligned text table with a Vietnamese header."""
    header = (_("Tên đăng nhập"), _("Mật khẩu"), _("Họ và tên"), _("Vai trò"), _("Cơ quan"))
    rows = [header, *((x.username, x.password, x.full_name, x.role, x.agency) for x in logins)]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
