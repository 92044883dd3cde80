"""Demo dossiers for ``sen seed_demo_dossiers`` and ``sen demo``: every state of a dossier.

About thirty dossiers of the demo catalog, in the demo province of Ninh Bình: at Sở Tư pháp,
at the ward committees of Nam Định and Phủ Lý, and one procedure handed between agencies
(liên thông) through Sở Nông nghiệp và Môi trường and Thuế tỉnh. They are submitted online
by the demo citizen ``congdan`` or at the desk, and driven only through the services of
``sen.dossiers.services`` and ``sen.dossiers.ratings`` with the demo officers as actors, so
that their events, step records, clock stops and audit entries are what the platform itself
writes.

So that deadlines have passed, each service runs "as of" a moment of the last three weeks of
working time (``as_of``). That is only for seeding demo history: the platform never moves
its clock. For the same reason the applicants are not told: the seeding runs inside
``notices_withheld()``, so it leaves no notice in the outbox and no task in the queue for a
worker to send weeks late.

Idempotent: demo dossiers are recognised by their applicants' (fictional) CCCD numbers; when
any exists, nothing is added.
"""

import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.catalog.selectors import procedure_get
from sen.core.demo import CITIZENS, require_demo_data_allowed
from sen.core.errors import UnitsNotLoaded
from sen.core.models import Agency, Membership, Role, User
from sen.dossiers.models import Dossier
from sen.dossiers.ratings import CRITERIA, dossier_rate
from sen.dossiers.services import (
    PaperHandedIn,
    SubmittedFile,
    dossier_apologize,
    dossier_complete_step,
    dossier_generate_result,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
    dossier_stop,
    dossier_submit,
    dossier_submit_supplement,
    dossier_withdraw,
    notices_withheld,
)
from sen.workdays.selectors import calendar_for
from sen.workdays.services import due_moment

JUSTICE = "000.10.00.H37"  # Sở Tư pháp
ENVIRONMENT = "000.12.00.H37"  # Sở Nông nghiệp và Môi trường
TAX = "000.19.00.H37"  # Thuế tỉnh Ninh Bình
NAM_DINH = "000.20.01.H37"  # Ủy ban nhân dân phường Nam Định
PHU_LY = "000.20.02.H37"  # Ủy ban nhân dân phường Phủ Lý

# The demo citizen's account comes with the demo organisation (``sen.core.demo.CITIZENS``),
# as every demo login does; here it gets an identity and dossiers.
[(CITIZEN_USERNAME, CITIZEN_NAME, _CITIZEN_EMAIL, _CITIZEN_PHONE)] = CITIZENS


@dataclass(frozen=True)
class Person:
    """A fictional applicant. CCCD numbers follow the real layout (province of birth, sex and
    century, year of birth) but their serials are 000xxx, which no real card bears."""

    name: str
    id_number: str
    phone: str
    email: str
    address: str
    birth_date: str

    def details(self) -> dict[str, str]:
        return {
            "name": self.name,
            "id_number": self.id_number,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
        }


CITIZEN = Person(
    CITIZEN_NAME,
    "036190000101",
    _CITIZEN_PHONE,
    _CITIZEN_EMAIL,
    "Số 15 đường Trần Hưng Đạo, phường Nam Định, tỉnh Ninh Bình",
    "1990-03-12",
)
PEOPLE = [
    Person(
        "Trần Văn Quang",
        "036085000102",
        "0983000102",
        "quang.tran@example.vn",
        "Số 8 phố Hàng Tiện, phường Nam Định, tỉnh Ninh Bình",
        "1985-07-02",
    ),
    Person(
        "Lê Thị Thanh Tâm",
        "035192000103",
        "0904000103",
        "tam.le@example.vn",
        "Số 21 đường Lê Hoàn, phường Phủ Lý, tỉnh Ninh Bình",
        "1992-11-20",
    ),
    Person(
        "Phạm Minh Tuấn",
        "037088000104",
        "0868000104",
        "tuan.pham@example.vn",
        "Thôn Đông Xá, xã Gia Viễn, tỉnh Ninh Bình",
        "1988-01-15",
    ),
    Person(
        "Hoàng Thị Lan Anh",
        "036195000105",
        "0977000105",
        "lananh.hoang@example.vn",
        "Số 40 đường Hùng Vương, phường Nam Định, tỉnh Ninh Bình",
        "1995-05-30",
    ),
    Person(
        "Vũ Đức Thịnh",
        "035079000106",
        "0915000106",
        "thinh.vu@example.vn",
        "Số 3 đường Biên Hòa, phường Phủ Lý, tỉnh Ninh Bình",
        "1979-09-09",
    ),
    Person(
        "Đỗ Thị Hồng Nhung",
        "036198000107",
        "0336000107",
        "nhung.do@example.vn",
        "Số 102 đường Giải Phóng, phường Nam Định, tỉnh Ninh Bình",
        "1998-12-01",
    ),
]
DEMO_ID_NUMBERS = [CITIZEN.id_number, *(person.id_number for person in PEOPLE)]

# Working hours of the demo history: the moment ``WINDOW_HOURS`` is (about) now.
WINDOW_HOURS = 120


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    """Make ``django.utils.timezone.now()`` answer ``moment`` inside the block.

    Only for seeding demo history (placing a service call in the past so that deadlines
    have passed); never used by the platform itself.
    """
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def minimal_pdf(title: str) -> bytes:
    """Return a valid one-page PDF showing ``title`` (ASCII) in Helvetica."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _pdf(name: str, title: str, position: int | None) -> SubmittedFile:
    content = minimal_pdf(title)
    return SubmittedFile(position=position, name=name, stream=BytesIO(content), size=len(content))


# --- E-forms of the procedures used -----------------------------------------------------------


def _form(code: str, person: Person, *, on: date) -> dict[str, Any]:
    """Return a valid e-form of procedure ``code`` filled in by ``person`` on day ``on``
    (a birth or a death is never after the day it is declared)."""
    if code == "1.001193":  # Đăng ký khai sinh
        return {
            "ho_ten_tre": "Trần Gia Bảo",
            "gioi_tinh": "Nam",
            "ngay_sinh": (on - timedelta(days=33)).isoformat(),
            "noi_sinh": "Bệnh viện Phụ sản Nam Định",
            "dan_toc": "Kinh",
            "quoc_tich": "Việt Nam",
            "ho_ten_me": person.name,
            "quan_he_voi_tre": "Mẹ",
            "so_dien_thoai": person.phone,
        }
    if code == "1.000656":  # Đăng ký khai tử
        return {
            "ho_ten_nguoi_chet": "Trần Văn Lộc",
            "ngay_chet": (on - timedelta(days=26)).isoformat(),
            "noi_chet": "Tại nhà riêng",
            "ho_ten_nguoi_yeu_cau": person.name,
            "quan_he_voi_nguoi_chet": "Con",
            "so_dien_thoai": person.phone,
        }
    if code == "2.000635":  # Cấp bản sao Trích lục hộ tịch
        return {
            "ho_ten_nguoi_yeu_cau": person.name,
            "so_cccd": person.id_number,
            "loai_trich_luc": "Khai sinh",
            "ho_ten_nguoi_duoc_cap": person.name,
            "so_luong_ban_sao": 2,
            "hinh_thuc_nhan": "Bản giấy",
        }
    if code == "1.004873":  # Cấp Giấy xác nhận tình trạng hôn nhân
        return {
            "ho_ten_nguoi_yeu_cau": person.name,
            "ngay_sinh": person.birth_date,
            "so_cccd": person.id_number,
            "noi_cu_tru": person.address,
            "tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai",
            "muc_dich_su_dung": "Đăng ký kết hôn",
        }
    if code == "1.004222":  # Đăng ký tạm trú
        return {
            "ho_ten_nguoi_yeu_cau": person.name,
            "so_cccd": person.id_number,
            "dia_chi_tam_tru": "Số 7 ngõ 15 đường Văn Cao, phường Nam Định, tỉnh Ninh Bình",
            "thoi_han_tam_tru_thang": 12,
            "ly_do_tam_tru": "Lao động",
            "so_dien_thoai": person.phone,
        }
    if code == "1.012766":  # Đăng ký đất đai lần đầu
        return {
            "ho_ten_nguoi_su_dung_dat": person.name,
            "so_cccd": person.id_number,
            "dia_chi_thua_dat": "Thôn Vị Khê, phường Nam Định, tỉnh Ninh Bình",
            "so_thua_dat": "125",
            "so_to_ban_do": "18",
            "dien_tich_m2": 150.5,
            "muc_dich_su_dung": "Đất ở tại đô thị",
            "so_dien_thoai": person.phone,
        }
    raise ValueError(code)


RESULT_TITLES = {
    "1.001193": "Giấy khai sinh",
    "1.000656": "Trích lục khai tử",
    "2.000635": "Bản sao trích lục hộ tịch",
    "1.004873": "Giấy xác nhận tình trạng hôn nhân",
    "1.004222": "Xác nhận thông tin về cư trú",
    "1.012766": "Giấy chứng nhận quyền sử dụng đất",
}

# --- The stories ------------------------------------------------------------------------------

# One dossier each: (procedure code, receiving agency, applicant: None for the demo citizen
# online, else the index of a person in PEOPLE submitting at the desk, [(working hour, what)]).
# Hours count from the start of the demo history (about three weeks ago, ``WINDOW_HOURS``
# being now); the first entry is the submission. What: "receive", "step" (the holder
# completes the current step, the leader attaching the result first), "ask" (supplement
# requested), "supply" (supplement given), "refuse", "withdraw", "stop", "apologize",
# "return:<method>", "rate:<n>" (every criterion scored n).
Story = tuple[str, str, int | None, list[tuple[float, str]]]

FULL = ["step", "step", "step", "step"]


def _flow(start: float, actions: Sequence[str], every: float = 1) -> list[tuple[float, str]]:
    return [(start + index * every, action) for index, action in enumerate(actions)]


STORIES: list[Story] = [
    # Returned on time, one of them rated.
    ("1.001193", NAM_DINH, None, _flow(2, ["submit", "receive", *FULL, "return:electronic"])),
    ("2.000635", JUSTICE, None, _flow(10, ["submit", "receive", *FULL, "return:post", "rate:1"])),
    ("1.001193", PHU_LY, 1, _flow(14, ["submit", "receive", *FULL, "return:desk"])),
    # Returned, finished late (the specialist took two days).
    ("1.000656", NAM_DINH, 0, [(20, "submit"), (20, "receive"), (21, "step"), (36, "step"),
    *_flow(38, ["step", "step", "return:desk"])]),
    # Returned after a supplement asked during processing: the clock stopped meanwhile.
    ("1.004873", NAM_DINH, None, [(23, "submit"), (24, "receive"), (26, "step"), (30, "ask"),
    (38, "supply"), *_flow(44, ["step", "step", "step", "return:electronic", "rate:2"])]),
    # Returned with an apology and a new appointment, finished late. The procedure takes one
    # working day and the apology comes at the latest the day before the due day: at receipt.
    ("2.000635", JUSTICE, 2, [(30, "submit"), (30, "receive"), (30, "step"), (30, "apologize"),
    *_flow(45, ["step", "step", "step", "return:desk"])]),
    # Returned, rated low: late.
    ("1.004222", PHU_LY, None, [(40, "submit"), (41, "receive"), (43, "step"),
    *_flow(70, ["step", "step", "step", "return:electronic", "rate:0"])]),
    # Result ready.
    ("1.001193", NAM_DINH, 3, _flow(100, ["submit", "receive", *FULL])),
    ("2.000635", JUSTICE, None, _flow(104, ["submit", "receive", *FULL])),
    ("1.004222", NAM_DINH, 4, [(60, "submit"), (60, "receive"), (62, "step"),
    *_flow(90, ["step", "step", "step"])]),  # late
    # Submitted, waiting for intake.
    ("1.001193", NAM_DINH, None, [(117, "submit")]),
    ("2.000635", JUSTICE, None, [(116, "submit")]),
    ("1.004873", PHU_LY, None, [(112, "submit")]),
    # Supplement requested at intake, and during processing (the clock stopped).
    ("1.004873", NAM_DINH, None, [(100, "submit"), (102, "ask")]),
    ("1.004222", PHU_LY, 1, [(96, "submit"), (96, "receive"), (97, "step"), (101, "ask")]),
    # Supplemented at intake, then received: at the specialist.
    ("1.001193", NAM_DINH, None, [(110, "submit"), (110.5, "ask"), (112, "supply"),
    (113, "receive"), (114, "step")]),
    # Received, at the desk's first step; one on time, one past its due moment.
    ("1.001193", NAM_DINH, 5, [(115, "submit"), (115, "receive")]),
    ("2.000635", JUSTICE, 0, [(70, "submit"), (70, "receive")]),  # late, still open
    # Processing: on time at the specialist; late at the leader; late with an apology.
    ("1.004222", NAM_DINH, 2, [(105, "submit"), (105, "receive"), (106, "step")]),
    ("1.000656", NAM_DINH, None, [(59, "submit"), (60, "receive"), (61, "step"),
    (66, "step")]),
    ("1.004873", PHU_LY, 4, [(85, "submit"), (85, "receive"), (86, "step"),
    (100, "apologize")]),
    # Inter-agency (liên thông): at Sở Nông nghiệp và Môi trường, then at Thuế tỉnh.
    ("1.012766", NAM_DINH, 3, [(4, "submit"), (4, "receive"), (10, "step"), (45, "step")]),
    ("1.012766", PHU_LY, None, [(5, "submit"), (6, "receive"), (12, "step"), (40, "step"),
    (80, "step")]),
    # Refused at intake.
    ("1.001193", NAM_DINH, None, [(40, "submit"), (41, "refuse")]),
    ("2.000635", JUSTICE, None, [(70, "submit"), (71, "refuse")]),
    # Withdrawn by the applicant: once received, once while asked for a supplement.
    ("1.004873", NAM_DINH, None, [(44, "submit"), (45, "receive"), (47, "withdraw")]),
    ("1.004222", PHU_LY, None, [(80, "submit"), (81, "ask"), (90, "withdraw")]),
    # Stopped by a leader: once processing, once waiting for a supplement.
    ("1.000656", NAM_DINH, 5, [(30, "submit"), (30, "receive"), (31, "step"), (35, "stop")]),
    ("2.000635", JUSTICE, None, [(50, "submit"), (51, "receive"), (52, "step"), (54, "ask"),
    (62, "stop")]),
]  # fmt: skip

SUPPLEMENT_ITEMS = [
    {"name": "Bản chụp giấy tờ tùy thân", "reason": "Ảnh chụp bị mờ, không đọc được số"}
]
REASONS = {
    "refuse": "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận",
    "withdraw": "Tôi cần bổ sung thêm giấy tờ và sẽ nộp lại hồ sơ sau",
    "stop": "Người yêu cầu đề nghị dừng giải quyết để hoàn thiện giấy tờ gốc",
    "apologize": "Cần xác minh thông tin với cơ quan đăng ký trước đây",
}
RATING_COMMENTS = {
    2: "Cán bộ hướng dẫn tận tình, trả kết quả sớm.",
    1: "",
    0: "Trả kết quả chậm so với ngày hẹn.",
}


@dataclass(frozen=True)
class DemoDossiersReport:
    """What a seeding did: how many dossiers it created and how many exist in each state."""

    created: int
    by_status: dict[str, int]


def demo_dossiers() -> Any:
    """Return the demo dossiers (a queryset), recognised by their applicants' CCCD numbers."""
    return Dossier.objects.filter(applicant_id_number__in=DEMO_ID_NUMBERS)


def _status_counts() -> dict[str, int]:
    counts = Counter(demo_dossiers().values_list("status", flat=True))
    return dict(sorted(counts.items()))


def _demo_accounts() -> tuple[User, dict[tuple[str, str], User]]:
    """Return the demo citizen and the officer acting for each (agency code, role).

    Both come from ``sen seed_demo_org``: the officers from the active demo memberships.
    Raise ``UnitsNotLoaded`` when the demo organisation is missing.
    """
    agencies = set(
        Agency.objects.filter(code__in=(JUSTICE, ENVIRONMENT, TAX, NAM_DINH, PHU_LY)).values_list(
            "code", flat=True
        )
    )
    citizen = User.objects.filter(username=CITIZEN_USERNAME).first()
    if len(agencies) < 5 or citizen is None:
        raise UnitsNotLoaded(_("Chưa có cơ quan mẫu. Chạy `sen seed_demo_org` trước."))
    officers: dict[tuple[str, str], User] = {}
    for membership in (
        Membership.objects.filter(is_active=True, agency__code__endswith=".H37")
        .select_related("user", "agency")
        .order_by("pk")
    ):
        officers.setdefault((membership.agency.code, membership.role), membership.user)
    return citizen, officers


def _timeline(now: datetime) -> Callable[[float], datetime]:
    """Return the moment of a working hour of the demo history, ``WINDOW_HOURS`` being now.

    The history starts three weeks (or more, around long holidays) before ``now`` and
    moves on working time of the common calendar.
    """
    calendar = calendar_for(years=range(now.year - 1, now.year + 1))
    day = calendar.days_to_time(1)
    origin = now - timedelta(days=21)
    while calendar.working_time_between(origin, now) < day * (WINDOW_HOURS // 8):
        origin -= timedelta(days=7)
    spare = calendar.working_time_between(origin, now) - day * (WINDOW_HOURS // 8)
    spare_days = Decimal(spare // timedelta(seconds=1)) / Decimal(day // timedelta(seconds=1))

    def moment(hour: float) -> datetime:
        days = spare_days + Decimal(str(hour)) / Decimal(8)
        at = due_moment(start=origin, days=days)
        return min(at, now)

    return moment


class _Seeder:
    def __init__(self, citizen: User, officers: dict[tuple[str, str], User], now: datetime):
        self.citizen = citizen
        self.officers = officers
        self.moment = _timeline(now)

    def officer(self, agency: Agency | str, role: str) -> User:
        code = agency if isinstance(agency, str) else agency.code
        try:
            return self.officers[(code, role)]
        except KeyError:
            raise UnitsNotLoaded(
                _("Thiếu cán bộ mẫu (%(role)s, %(agency)s). Chạy `sen seed_demo_org` trước.")
                % {"role": role, "agency": code}
            ) from None

    def tell_together(self, stories: Sequence[Story]) -> None:
        """Tell ``stories`` side by side, every event of every story in time order.

        Told one after another, a story told later would receive its dossier earlier than
        the stories before it and take a later number in the agency's register
        (``register_number``, drawn at receipt), as no desk ever does.
        """
        timeline = sorted(
            (hour, index, position)
            for index, story in enumerate(stories)
            for position, (hour, _action) in enumerate(story[3])
        )
        dossiers: dict[int, Dossier] = {}
        for hour, index, position in timeline:
            story = stories[index]
            if position == 0:
                dossiers[index] = self.submit(story, at=hour)
                continue
            with as_of(self.moment(hour)):
                self.act(dossiers[index], story[3][position][1])

    def submit(self, story: Story, *, at: float) -> Dossier:
        """Submit the story's dossier at hour ``at`` of the demo history."""
        code, agency_code, person_index, script = story
        procedure = procedure_get(code=code)
        person = CITIZEN if person_index is None else PEOPLE[person_index]
        online = person_index is None
        assert script[0][1] == "submit"  # noqa: S101 - a programming error in STORIES
        components = procedure.components.all()
        files = [
            _pdf(f"thanh-phan-{c.position}.pdf", f"Ho so mau - thanh phan {c.position}", c.position)
            for c in components
            if c.upload_required
        ]
        multiple = len(procedure.implementations.all()) != 1 or any(
            i.agency is None for i in procedure.implementations.all()
        )
        with as_of(self.moment(at)):
            dossier = dossier_submit(
                procedure_code=code,
                channel="online" if online else "desk",
                applicant=self.citizen if online else None,
                applicant_details=person.details(),
                form_data=_form(code, person, on=timezone.localdate()),
                files=files,
                # What the desk counted on paper: what the catalog asks.
                papers=[] if online else [PaperHandedIn.asked_by(c) for c in components],
                agency_code=agency_code if multiple else None,
                actor=self.citizen if online else self.officer(agency_code, Role.ONE_STOP_OFFICER),
            ).dossier
        return dossier

    def act(self, dossier: Dossier, action: str) -> None:
        dossier = Dossier.objects.select_related("current_step__agency", "agency").get(
            pk=dossier.pk
        )
        revision = dossier.revision
        desk = self.officer(dossier.agency, Role.ONE_STOP_OFFICER)
        leader = self.officer(dossier.agency, Role.LEADER)
        verb, _sep, argument = action.partition(":")
        if verb == "receive":
            dossier_receive(dossier=dossier, actor=desk, expected_revision=revision)
        elif verb == "step":
            step = dossier.current_step
            if step is None:  # never: a received dossier is at a step
                raise ValueError(dossier.code)
            holder = self.officer(step.agency or dossier.agency, step.role)
            if step.role == Role.LEADER and not dossier.results.exists():
                # Drafted in Sen, as an officer without a signed scan at hand would.
                title = RESULT_TITLES[dossier.procedure.code]
                dossier_generate_result(
                    dossier=dossier,
                    title=title,
                    content=(
                        f"Xét hồ sơ {dossier.code} của Ông/Bà {dossier.applicant_name} đề nghị "
                        f"giải quyết thủ tục “{dossier.procedure.name}”.\n"
                        f"Cấp {title[:1].lower()}{title[1:]} cho Ông/Bà {dossier.applicant_name} "
                        "theo hồ sơ đã nộp.\n"
                        "Văn bản này là dữ liệu trình diễn của Sen, không có giá trị pháp lý."
                    ),
                    actor=holder,
                    expected_revision=revision,
                )
                revision += 1
            dossier_complete_step(
                dossier=dossier, comment="", actor=holder, expected_revision=revision
            )
        elif verb == "ask":
            step = dossier.current_step
            asker = desk
            if dossier.status == "processing" and step is not None:
                asker = self.officer(step.agency or dossier.agency, step.role)
            dossier_request_supplement(
                dossier=dossier, items=SUPPLEMENT_ITEMS, actor=asker, expected_revision=revision
            )
        elif verb == "supply":
            # The one paper asked for (SUPPLEMENT_ITEMS), sent by its number in the request.
            paper = replace(_pdf("bo-sung.pdf", "Giay to bo sung", None), requested=1)
            dossier_submit_supplement(
                dossier=dossier, files=[paper], actor=self.citizen, expected_revision=revision
            )
        elif verb == "refuse":
            dossier_refuse(
                dossier=dossier, reason=REASONS["refuse"], actor=desk, expected_revision=revision
            )
        elif verb == "withdraw":
            dossier_withdraw(
                dossier=dossier,
                reason=REASONS["withdraw"],
                actor=self.citizen,
                expected_revision=revision,
            )
        elif verb == "stop":
            dossier_stop(
                dossier=dossier, reason=REASONS["stop"], actor=leader, expected_revision=revision
            )
        elif verb == "apologize":
            if dossier.due_at is None:  # never: apologies come after receipt
                raise ValueError(dossier.code)
            dossier_apologize(
                dossier=dossier,
                reason=REASONS["apologize"],
                new_due_at=due_moment(start=dossier.due_at, days=2, agency=dossier.agency),
                actor=leader,
                expected_revision=revision,
            )
        elif verb == "return":
            dossier_return_result(
                dossier=dossier,
                method=argument,
                postal_tracking_number="EB000123456VN" if argument == "post" else None,
                actor=desk,
                expected_revision=revision,
            )
        elif verb == "rate":
            score = int(argument)
            dossier_rate(
                dossier=dossier,
                scores={criterion.code: score for criterion in CRITERIA},
                comment=RATING_COMMENTS[score],
                actor=self.citizen,
            )
        else:
            raise ValueError(action)


# The first action of each kind of ending, as the stories write them.
ENDING_ACTIONS = ("return:", "refuse", "withdraw", "stop")


def replay_demo_history(*, months: int, seed: int) -> list[int]:
    """Tell again, in each of the ``months`` − 1 months before now, a varying share of the
    demo stories that end (returned, refused, withdrawn, stopped); return how many each
    month, the latest month first.

    A history for the indicators' trends, written by the services with the demo's own
    people and procedures, only earlier (``scripts/ioc_screenshots.py``). Needs the demo
    dossiers (``seed_demo_dossiers``). The same ``seed`` tells the same history.
    """
    ending = [story for story in STORIES if any(a.startswith(ENDING_ACTIONS) for _, a in story[3])]
    citizen, officers = _demo_accounts()
    chance = random.Random(seed)  # noqa: S311 - demo shares, not secrets
    now = timezone.now()
    told = []
    for back in range(1, months):
        stories = chance.sample(ending, chance.randint(len(ending) // 2, len(ending)))
        with transaction.atomic(), notices_withheld():
            teller = _Seeder(citizen, officers, now - timedelta(days=30 * back))
            teller.tell_together(stories)
        told.append(len(stories))
    return told


@transaction.atomic
def seed_demo_dossiers() -> DemoDossiersReport:
    """Create the demo dossiers if missing.

    Needs the demo organisation with its officers and citizen (``sen seed_demo_org``) and
    the demo catalog; raise
    ``UnitsNotLoaded`` or ``ProcedureNotFound`` otherwise. When demo dossiers already
    exist, create nothing. Raise ``DemoDataRefused`` where demo data is not taken.
    """
    require_demo_data_allowed()
    if demo_dossiers().exists():
        return DemoDossiersReport(created=0, by_status=_status_counts())
    citizen, officers = _demo_accounts()
    seeder = _Seeder(citizen, officers, timezone.now())
    with notices_withheld():
        seeder.tell_together(STORIES)
    return DemoDossiersReport(created=len(STORIES), by_status=_status_counts())
