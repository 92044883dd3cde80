"""The applicant's downloads by number (``sen.dossiers.citizen``): the bad numbers and readers."""

import pytest

from sen.core.models import Role
from sen.dossiers import citizen
from sen.dossiers.errors import DossierNotFound
from sen.dossiers.services import (
    dossier_attach_result,
    dossier_complete_step,
    dossier_receive,
    dossier_return_result,
)
from sen.dossiers.tests.factories import PDF, birth_procedure, officer, upload
from sen.dossiers.tests.factories import citizen as citizen_account

pytestmark = pytest.mark.django_db

STEPS = [
    {"name": "Tiếp nhận", "role": "one_stop", "agency": None, "duration": "2", "unit": "hours"},
    {"name": "Phê duyệt", "role": "leader", "agency": None, "duration": "6", "unit": "hours"},
]


@pytest.fixture
def procedure(centre):
    return birth_procedure(agencies=[centre], processing_days="1", steps=STEPS)


def test_the_applicant_gets_each_file_by_its_number_and_nothing_past_it(submit, applicant):
    dossier = submit().dossier

    found = citizen.applicant_file(code=dossier.code, user=applicant, number=1)

    assert found.dossier_id == dossier.pk
    # Zero and negative numbers reach the function (the URL converter accepts 0): they must
    # be "not found", not a negative slice of the query.
    for number in (0, -1, 2):
        with pytest.raises(DossierNotFound):
            citizen.applicant_file(code=dossier.code, user=applicant, number=number)


def test_no_one_but_the_applicant_gets_a_file(submit, centre):
    dossier = submit().dossier
    desk = officer(centre, username="motcua")
    stranger = citizen_account(username="nguoila")

    for reader in (None, stranger, desk):
        with pytest.raises(DossierNotFound):
            citizen.applicant_file(code=dossier.code, user=reader, number=1)


def test_a_result_is_downloadable_only_once_returned_and_by_its_number(submit, applicant, centre):
    desk = officer(centre, username="motcua")
    leader = officer(centre, Role.LEADER, username="lanhdao")
    dossier = submit().dossier
    dossier_receive(dossier=dossier, actor=desk, expected_revision=1)
    dossier_complete_step(dossier=dossier, actor=desk, expected_revision=2)
    dossier_attach_result(
        dossier=dossier, upload=upload(PDF, "kq.pdf"), actor=leader, expected_revision=3
    )
    dossier_complete_step(dossier=dossier, actor=leader, expected_revision=4)

    # Result ready, not yet returned: it may still change, the applicant gets nothing.
    assert citizen.applicant_results(dossier=dossier) == []
    with pytest.raises(DossierNotFound):
        citizen.applicant_result_file(code=dossier.code, user=applicant, number=1)

    dossier_return_result(dossier=dossier, method="electronic", actor=desk, expected_revision=5)
    dossier.refresh_from_db()

    result = citizen.applicant_result_file(code=dossier.code, user=applicant, number=1)
    assert citizen.applicant_results(dossier=dossier) == [result]
    for number in (0, -1, 2):
        with pytest.raises(DossierNotFound):
            citizen.applicant_result_file(code=dossier.code, user=applicant, number=number)
    with pytest.raises(DossierNotFound):
        citizen.applicant_result_file(code=dossier.code, user=desk, number=1)
