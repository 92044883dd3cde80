"""Builders for the dossiers' tests: a procedure handled by one agency, files, applicants.

Procedures are made through the catalog's service (``sen.catalog.tests.factories``), agencies,
users and memberships with core's factories.
"""

import io
import json
from typing import Any

from sen.catalog.models import Procedure
from sen.catalog.tests.factories import FieldFactory, make_procedure
from sen.core.models import Agency, AgencyKind, Role, User
from sen.core.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from sen.dossiers.services import SubmitResult, SubmittedFile, dossier_submit

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

SERVICE_CENTRE_CODE = "000.00.01.H37"

APPLICANT = {
    "name": "Trần Thị Bình",
    "id_number": "037190001234",
    "phone": "0912345678",
    "email": "binh@example.vn",
    "address": "Phường Hoa Lư, tỉnh Ninh Bình",
}
FORM = {"ho_ten": "Trần Văn Con"}


def service_centre(**overrides: Any) -> Agency:
    """Return the province's public service centre (000.00.01.H37)."""
    values: dict[str, Any] = {
        "code": SERVICE_CENTRE_CODE,
        "name": "Trung tâm Phục vụ hành chính công tỉnh",
        "kind": AgencyKind.PUBLIC_SERVICE_CENTRE,
    }
    values.update(overrides)
    agency: Agency = AgencyFactory(**values)
    return agency


def birth_procedure(*, agencies: list[Agency], **overrides: Any) -> Procedure:
    """Save birth registration (1.001193) handled by ``agencies`` at province level."""
    FieldFactory(code="ho-tich", name="Hộ tịch")
    implementations = [{"level": "province", "agency": agency.code} for agency in agencies]
    overrides.setdefault("implementations", implementations)
    return make_procedure(**overrides)


def three_step_birth_procedure(*, centre: Agency, department: Agency) -> Procedure:
    """Save birth registration in 1.5 working days, received by ``centre``: its desk
    (2 hours), ``department``'s specialist (1 day), its leader (2 hours)."""
    steps = [
        {"name": "Tiếp nhận", "role": "one_stop", "agency": None, "duration": "2", "unit": "hours"},
        {
            "name": "Thẩm định",
            "role": "specialist",
            "agency": department.code,
            "duration": "1",
            "unit": "days",
        },
        {"name": "Phê duyệt", "role": "leader", "agency": None, "duration": "2", "unit": "hours"},
    ]
    return birth_procedure(agencies=[centre], processing_days="1.5", steps=steps)


def officer(agency: Agency, role: str = Role.ONE_STOP_OFFICER, **fields: Any) -> User:
    """Return a user holding ``role`` in ``agency``."""
    user: User = UserFactory(**fields)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def citizen(**fields: Any) -> User:
    """Return a citizen account (a user without roles)."""
    fields.setdefault("username", "congdan")
    user: User = UserFactory(**fields)
    return user


def upload(content: bytes = PDF, name: str = "to-khai.pdf", position: int = 1) -> SubmittedFile:
    """Return a file as the submission service receives it, for component ``position``."""
    return SubmittedFile(
        position=position, name=name, stream=io.BytesIO(content), size=len(content)
    )


def payload(**overrides: Any) -> str:
    """Return the JSON ``payload`` part of an online submission through the API (birth
    registration, ``APPLICANT``, ``FORM``), with ``overrides`` of its keys."""
    data = {"procedure": "1.001193", "applicant": dict(APPLICANT), "form": dict(FORM)}
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def submit_online(procedure: Procedure, applicant: User, /, **overrides: Any) -> SubmitResult:
    """Submit a valid dossier for ``procedure`` online as ``applicant``, with ``overrides``
    of ``dossier_submit``'s arguments."""
    arguments: dict[str, Any] = {
        "procedure_code": procedure.code,
        "channel": "online",
        "applicant": applicant,
        "applicant_details": dict(APPLICANT),
        "form_data": dict(FORM),
        "files": [upload()],
        "actor": applicant,
    }
    arguments.update(overrides)
    return dossier_submit(**arguments)
