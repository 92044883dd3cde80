"""Fixtures of the reports' tests: the dossiers' world (a centre receiving birth registrations,
three internal steps, officers), and what the indicators' pages and API show: a dossier
resolved early and one overdue, a leader of the provincial committee. The clock the tests
move is the shared ``clock`` fixture (``sen/conftest.py``)."""

from types import SimpleNamespace

import pytest

from sen.core.models import AgencyKind, Role
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.services import dossier_attach_result, dossier_complete_step, dossier_receive
from sen.dossiers.tests import conftest as dossier_fixtures
from sen.dossiers.tests.factories import citizen, officer, three_step_birth_procedure, upload
from sen.tests.clock import at

# The dossiers' fixtures, shared: in-memory storage, the centre, the applicant, submit().
VIETNAM = dossier_fixtures.VIETNAM
fresh_storage = dossier_fixtures.fresh_storage
centre = dossier_fixtures.centre
applicant = dossier_fixtures.applicant
submit = dossier_fixtures.submit


@pytest.fixture
def department(centre):
    return AgencyFactory(name="Sở Tư pháp", unit=centre.unit)


@pytest.fixture
def procedure(centre, department):
    """Birth registration in 1.5 working days: desk (2 h), specialist (1 day), leader (2 h)."""
    return three_step_birth_procedure(centre=centre, department=department)


@pytest.fixture
def people(centre, department, applicant):
    return SimpleNamespace(
        desk=officer(centre, username="motcua"),
        specialist=officer(department, Role.SPECIALIST, username="chuyenvien"),
        leader=officer(centre, Role.LEADER, username="lanhdao"),
        applicant=applicant,
        stranger=citizen(username="nguoila"),
    )


@pytest.fixture
def finished_and_open(submit, clock, people):
    """One dossier resolved early on Friday 20/11, one received Monday 23/11 and overdue
    since Wednesday 25/11 14:00; the clock then stands at Monday 30/11 09:00.

    Return the open one."""
    first = dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    clock(at(20, 10))
    first = dossier_complete_step(dossier=first, actor=people.desk, expected_revision=2)
    clock(at(20, 11))
    first = dossier_complete_step(dossier=first, actor=people.specialist, expected_revision=3)
    clock(at(20, 11, 30))
    dossier_attach_result(
        dossier=first, upload=upload(name="kq.pdf"), actor=people.leader, expected_revision=4
    )
    dossier_complete_step(dossier=first, actor=people.leader, expected_revision=5)
    clock(at(23, 9))
    late = dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    clock(at(30, 9))
    return late


@pytest.fixture
def provincial_leader(centre):
    """A leader of the provincial people's committee: reads the whole province, holds no role
    in the centre or the department."""
    committee = AgencyFactory(
        kind=AgencyKind.PROVINCIAL_COMMITTEE, unit=centre.unit, name="Ủy ban nhân dân tỉnh"
    )
    return officer(committee, Role.LEADER, username="lanhdaotinh")
