"""The agencies, people and procedures of the tests that read dossiers (the API's reads and
the read selectors): a centre receiving birth registrations, verified by the justice
department at their second step, and an unrelated construction department."""

from typing import Any

from sen.catalog.tests.factories import make_procedure, one_step
from sen.core.models import Role
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.models import Dossier
from sen.dossiers.services import dossier_receive, dossier_submit
from sen.dossiers.tests.factories import (
    APPLICANT,
    FORM,
    birth_procedure,
    citizen,
    officer,
    service_centre,
    upload,
)


class World:
    """The agencies, people and procedures of the read tests."""

    def __init__(self) -> None:
        self.centre = service_centre(address="Số 2 đường Lê Hồng Phong, phường Hoa Lư")
        # The justice department verifies birth registrations (a step of the procedure).
        self.partner = AgencyFactory(code="000.00.12.H37", name="Sở Tư pháp")
        self.other = AgencyFactory(code="000.00.13.H37", name="Sở Xây dựng")
        steps = [
            {
                "name": "Tiếp nhận",
                "role": "one_stop",
                "agency": None,
                "duration": "1",
                "unit": "hours",
            },
            {
                "name": "Thẩm định",
                "role": "specialist",
                "agency": self.partner.code,
                "duration": "7",
                "unit": "hours",
            },
        ]
        self.birth = birth_procedure(agencies=[self.centre], steps=steps)
        self.three_days = make_procedure(
            code="1.000003",
            name="Cấp bản sao trích lục hộ tịch",
            processing_days="3",
            steps=one_step("3"),
            implementations=[{"level": "province", "agency": self.centre.code}],
        )
        self.elsewhere = make_procedure(
            code="1.000009",
            name="Cấp giấy phép xây dựng",
            implementations=[{"level": "province", "agency": self.other.code}],
        )
        self.applicant = citizen(username="congdan")
        self.stranger = citizen(username="nguoila")
        self.desk = officer(self.centre, username="motcua", full_name="Lê Văn Tiếp")
        self.specialist = officer(self.partner, Role.SPECIALIST, username="tuphap")
        self.outsider = officer(self.other, username="xaydung")

    def submit(self, procedure: Any = None, applicant: Any = None) -> Dossier:
        """Submit a valid dossier online (birth registration unless told)."""
        procedure = procedure or self.birth
        applicant = applicant or self.applicant
        result = dossier_submit(
            procedure_code=procedure.code,
            channel="online",
            applicant=applicant,
            applicant_details=dict(APPLICANT),
            form_data=dict(FORM),
            files=[upload(), upload(name="uy-quyen.pdf", position=2)],
            actor=applicant,
        )
        return result.dossier

    def receive(self, dossier: Dossier, actor: Any = None) -> Dossier:
        return dossier_receive(
            dossier=dossier, actor=actor or self.desk, expected_revision=dossier.revision
        )
