"""Fixtures of the tests of a dossier taken through a procedure with an inter-agency step:
its actions through the API and the services, who may do what, its slips and its emails.

The procedure (birth registration) takes 1.5 working days in three steps: the one-stop desk
of the provincial service centre (2 hours), the specialist of the justice department (1 day,
an inter-agency hand-off) and the leader of the centre (2 hours). The dossier is submitted
online on Friday 20/11/2026 at 09:00 (``submitted``), and each fixture after that takes it
one state further: received at 09:00, it is due on Monday 23/11/2026 at 14:00. The helpers
post to its actions. A module that needs other people keeps its own ``people`` and says how
they differ.

In this package's conftest, not the dossiers' one, because there ``procedure`` is the
procedure of one working day at the centre alone that most modules submit to.
"""

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from sen.core.models import Role
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.models import Dossier
from sen.dossiers.services import dossier_attach_result, dossier_complete_step, dossier_receive
from sen.dossiers.tests.factories import citizen, officer, three_step_birth_procedure, upload
from sen.tests.clock import at

URL = "/api/v1/dossiers"
CODE = "000.00.01.H37-261120-0001"
MISSING = [{"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}]


@pytest.fixture
def department(db: None):
    return AgencyFactory(code="000.00.12.H37", name="Sở Tư pháp")


@pytest.fixture
def procedure(centre, department):
    return three_step_birth_procedure(centre=centre, department=department)


@pytest.fixture
def people(centre, department, applicant):
    return SimpleNamespace(
        desk=officer(centre, username="motcua", full_name="Lê Văn Tiếp"),
        specialist=officer(department, Role.SPECIALIST, username="chuyenvien"),
        leader=officer(centre, Role.LEADER, username="lanhdao", full_name="Phạm Thị Duyệt"),
        applicant=applicant,
        stranger=citizen(username="nguoila"),
        outsider=officer(AgencyFactory(code="000.00.13.H37"), username="songoai"),
    )


@pytest.fixture
def submitted(submit, clock, people) -> Dossier:
    """A dossier submitted online on Friday 20/11/2026 at 09:00 (revision 1)."""
    return submit().dossier


@pytest.fixture
def received(submitted, people) -> Dossier:
    """The dossier received at the desk at 09:00 (revision 2)."""
    return dossier_receive(dossier=submitted, actor=people.desk, expected_revision=1)


@pytest.fixture
def at_specialist(received, clock, people) -> Dossier:
    """The dossier handed to the justice department's specialist at 10:00 (revision 3)."""
    clock(at(20, 10))
    return dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)


@pytest.fixture
def at_leader(at_specialist, clock, people) -> Dossier:
    """The dossier at the leader's step, its result attached, on Monday (revision 5)."""
    clock(at(23, 9))
    dossier_complete_step(dossier=at_specialist, actor=people.specialist, expected_revision=3)
    dossier_attach_result(
        dossier=at_specialist,
        upload=upload(name="trich-luc.pdf", position=0),
        actor=people.leader,
        expected_revision=4,
    )
    return Dossier.objects.get(pk=at_specialist.pk)


@pytest.fixture
def result_ready(at_leader, clock, people) -> Dossier:
    """The leader approved at 10:00 on Monday (revision 6)."""
    clock(at(23, 10))
    return dossier_complete_step(dossier=at_leader, actor=people.leader, expected_revision=5)


@pytest.fixture
def walk_in_ready(submitted, submit, clock, people) -> Dossier:
    """A dossier entered at the desk for an applicant without an account on Friday
    20/11/2026 at 09:00, after the online one (``submitted``, whose code is ``CODE``), and
    taken through every step to its result ready on Monday at 10:00 (revision 6)."""
    dossier = submit(channel="desk", applicant=None, actor=people.desk).dossier
    dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    clock(at(20, 10))
    dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=2)
    clock(at(23, 9))
    dossier_complete_step(dossier=dossier, actor=people.specialist, expected_revision=3)
    dossier_attach_result(
        dossier=dossier,
        upload=upload(name="trich-luc.pdf", position=0),
        actor=people.leader,
        expected_revision=4,
    )
    clock(at(23, 10))
    dossier_complete_step(dossier=dossier, actor=people.leader, expected_revision=5)
    return Dossier.objects.get(pk=dossier.pk)


def as_user(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(user: Any, action: str, body: Any) -> Any:
    """POST ``body`` as JSON to the dossier's ``action`` as ``user``."""
    data = body if isinstance(body, str) else json.dumps(body)
    return as_user(user).post(f"{URL}/{CODE}/{action}", data, content_type="application/json")
