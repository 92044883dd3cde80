"""A one-stop shop for the citizen pages' tests: a service centre, its officers, a citizen,
a birth registration with an e-form, and dossiers driven through the dossiers' services.

Fixtures are imported by ``conftest.py``. Time is frozen by the shared ``clock`` fixture
(``sen/conftest.py``) so that due moments and lateness are the same on every run.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from sen.catalog.models import Procedure
from sen.catalog.tests.factories import FieldFactory, make_procedure
from sen.core.models import Agency, Role, User
from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.ratings import dossier_rate
from sen.dossiers.tests.factories import PDF, citizen, officer, service_centre
from sen.tests.clock import Clock

EFORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "Tờ khai đăng ký khai sinh",
    "required": ["ho_ten", "gioi_tinh", "ngay_sinh", "so_cccd_me"],
    "properties": {
        "ho_ten": {
            "type": "string",
            "title": "Họ, chữ đệm và tên của trẻ",
            "maxLength": 100,
            # Not drawn as an HTML constraint: only the service checks it.
            "minLength": 2,
            "propertyOrder": 1,
        },
        "gioi_tinh": {
            "type": "string",
            "title": "Giới tính",
            "enum": ["Nam", "Nữ"],
            "propertyOrder": 2,
        },
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date", "propertyOrder": 3},
        "so_cccd_me": {
            "type": "string",
            "title": "Số định danh cá nhân của người mẹ",
            "pattern": "^[0-9]{12}$",
            "propertyOrder": 4,
        },
        "so_ban_sao": {
            "type": "integer",
            "title": "Số bản sao",
            "minimum": 1,
            "maximum": 20,
            "default": 1,
            "propertyOrder": 5,
        },
        "can_nang_kg": {
            "type": "number",
            "title": "Cân nặng khi sinh (kg)",
            "minimum": 0,
            "propertyOrder": 6,
        },
        "email_lien_he": {
            "type": "string",
            "title": "Thư điện tử liên hệ",
            "format": "email",
            "propertyOrder": 7,
        },
        "nhan_ban_dien_tu": {
            "type": "boolean",
            "title": "Nhận thêm bản điện tử",
            "propertyOrder": 8,
        },
        "me": {
            "type": "object",
            "title": "Thông tin người mẹ",
            "propertyOrder": 9,
            "required": ["ho_ten_me"],
            "properties": {"ho_ten_me": {"type": "string", "title": "Họ và tên mẹ"}},
        },
    },
}
# A filled e-form as the service stores it.
FORM_DATA = {
    "ho_ten": "Trần Văn Con",
    "gioi_tinh": "Nam",
    "ngay_sinh": "2026-11-10",
    "so_cccd_me": "037190001234",
}
APPLICANT_DETAILS = {
    "name": "Trần Thị Bình",
    "id_number": "037190001234",
    "phone": "0912345678",
    "email": "binh@example.vn",
    "address": "Số 5 đường Lê Lợi, phường Hoa Lư",
}


@dataclass
class OneStop:
    """Who and what the citizen pages' tests work with."""

    centre: Agency
    procedure: Procedure
    applicant: User
    stranger: User
    desk: User
    specialist: User
    leader: User

    # --- Driving a dossier through the services, as the officers' pages would -------------

    def submit(self, *, applicant: User | None = None, **overrides: Any) -> Dossier:
        who = applicant or self.applicant
        arguments: dict[str, Any] = {
            "procedure_code": self.procedure.code,
            "channel": "online",
            "applicant": who,
            "applicant_details": dict(APPLICANT_DETAILS),
            "form_data": dict(FORM_DATA),
            "files": [pdf_upload()],
            "actor": who,
        }
        arguments.update(overrides)
        return services.dossier_submit(**arguments).dossier

    def receive(self, dossier: Dossier) -> Dossier:
        return services.dossier_receive(
            dossier=dossier, actor=self.desk, expected_revision=fresh(dossier).revision
        )

    def ask_supplement(self, dossier: Dossier) -> Dossier:
        items = [{"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ, không đọc được."}]
        return services.dossier_request_supplement(
            dossier=dossier, items=items, actor=self.desk, expected_revision=fresh(dossier).revision
        )

    def complete_step(self, dossier: Dossier, actor: User) -> Dossier:
        return services.dossier_complete_step(
            dossier=dossier, actor=actor, expected_revision=fresh(dossier).revision
        )

    def result_ready(self, dossier: Dossier) -> Dossier:
        """Take a received dossier through its three steps, with a result attached."""
        self.complete_step(dossier, self.desk)
        self.complete_step(dossier, self.specialist)
        services.dossier_attach_result(
            dossier=dossier,
            upload=pdf_upload("giay-khai-sinh.pdf", content=PDF + b"% result\n"),
            actor=self.leader,
            expected_revision=fresh(dossier).revision,
        )
        return self.complete_step(dossier, self.leader)

    def returned(self, dossier: Dossier) -> Dossier:
        return services.dossier_return_result(
            dossier=dossier,
            method="electronic",
            actor=self.desk,
            expected_revision=fresh(dossier).revision,
        )

    def rate(self, dossier: Dossier) -> None:
        scores = {"total_time": 2, "contacts": 2, "attitude": 2, "on_time": 2, "information": 1}
        dossier_rate(dossier=dossier, scores=scores, actor=self.applicant)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def pdf_upload(
    name: str = "to-khai.pdf", *, content: bytes = PDF, position: int = 1
) -> services.SubmittedFile:
    return services.SubmittedFile(
        position=position, name=name, stream=io.BytesIO(content), size=len(content)
    )


@pytest.fixture
def empty_storage(settings: Any) -> Iterator[None]:
    """Give each test an empty in-memory storage for the dossiers' files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield


@pytest.fixture
def one_stop(db: None, clock: Clock, empty_storage: None) -> OneStop:
    """A service centre taking birth registrations online, its officers and two citizens."""
    centre = service_centre()
    FieldFactory(code="ho-tich", name="Hộ tịch")
    procedure = make_procedure(
        implementations=[{"level": "province", "agency": centre.code}],
        processing_days="1",
        form_schema=EFORM,
    )
    return OneStop(
        centre=centre,
        procedure=procedure,
        applicant=citizen(
            username="congdan", full_name="Trần Thị Bình", email="binh@example.vn", phone=""
        ),
        stranger=citizen(username="nguoila", full_name="Người Lạ"),
        desk=officer(centre, username="motcua", full_name="Lê Thị Hoa"),
        specialist=officer(centre, Role.SPECIALIST, username="chuyenvien", full_name="Phạm Minh"),
        leader=officer(centre, Role.LEADER, username="lanhdao", full_name="Hoàng Văn Đức"),
    )
