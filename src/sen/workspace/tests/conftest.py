"""Fixtures of the workspace pages: a service centre, a department and their officers.

The procedure (birth registration) takes 1.5 working days in three steps: the one-stop
desk (2 hours), the specialist of Sở Tư pháp (1 day, an inter-agency hand-off) and the
leader of the centre (2 hours).
"""

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sen.catalog.models import Procedure
from sen.core.models import Agency, Role
from sen.core.tests.factories import AgencyFactory
from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.tests.factories import (
    APPLICANT,
    citizen,
    officer,
    service_centre,
    three_step_birth_procedure,
    upload,
)

FORM = {"ho_ten": "Trần Văn Con"}


@pytest.fixture(autouse=True)
def fresh_storage(settings: Any) -> Iterator[None]:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield


@pytest.fixture
def centre(db: None) -> Agency:
    return service_centre()


@pytest.fixture
def department(db: None) -> Agency:
    return AgencyFactory(name="Sở Tư pháp")


@pytest.fixture
def procedure(centre: Agency, department: Agency) -> Procedure:
    return three_step_birth_procedure(centre=centre, department=department)


@pytest.fixture
def people(centre: Agency, department: Agency) -> SimpleNamespace:
    elsewhere = AgencyFactory(name="Ủy ban nhân dân phường khác")
    return SimpleNamespace(
        desk=officer(centre, username="motcua", full_name="Lê Thị Hoa"),
        desk2=officer(centre, username="motcua2", full_name="Ngô Văn Hai"),
        leader=officer(centre, Role.LEADER, username="lanhdao", full_name="Hoàng Văn Đức"),
        clerk=officer(centre, Role.CLERK, username="vanthu"),
        specialist=officer(department, Role.SPECIALIST, username="chuyenvien"),
        other_desk=officer(elsewhere, username="motcuakhac"),
        applicant=citizen(username="congdan"),
    )


@pytest.fixture
def submit(procedure: Procedure, people: SimpleNamespace) -> Callable[..., Dossier]:
    """Return a function submitting a valid birth registration online."""

    def submit(**overrides: Any) -> Dossier:
        arguments: dict[str, Any] = {
            "procedure_code": procedure.code,
            "channel": "online",
            "applicant": people.applicant,
            "applicant_details": dict(APPLICANT),
            "form_data": dict(FORM),
            "files": [upload()],
            "actor": people.applicant,
        }
        arguments.update(overrides)
        return services.dossier_submit(**arguments).dossier

    return submit


@pytest.fixture
def submitted(submit: Callable[..., Dossier], clock: Any) -> Dossier:
    return submit()


@pytest.fixture
def received(submitted: Dossier, people: SimpleNamespace) -> Dossier:
    return services.dossier_receive(dossier=submitted, actor=people.desk, expected_revision=1)


@pytest.fixture
def walk_in_ready(submit: Callable[..., Dossier], clock: Any, people: SimpleNamespace) -> Dossier:
    """A dossier entered at the desk for an applicant without an account, taken through
    every step by the services to its result ready."""
    dossier = submit(channel="desk", applicant=None, actor=people.desk)
    services.dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    for revision, actor in ((2, people.desk), (3, people.specialist)):
        services.dossier_complete_step(dossier=dossier, actor=actor, expected_revision=revision)
    services.dossier_attach_result(
        dossier=dossier, upload=upload(position=0), actor=people.leader, expected_revision=4
    )
    services.dossier_complete_step(dossier=dossier, actor=people.leader, expected_revision=5)
    return fresh(dossier)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)
