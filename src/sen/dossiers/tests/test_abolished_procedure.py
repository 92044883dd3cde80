"""Dossiers of an abolished procedure: none is taken from then on; those taken go on."""

import pytest

from sen.catalog.selectors import ProcedureAbolished
from sen.catalog.services import procedure_abolish
from sen.dossiers.models import Dossier
from sen.dossiers.services import dossier_receive
from sen.dossiers.tests.factories import officer

pytestmark = pytest.mark.django_db

BASIS = "Quyết định số 123/QĐ-BTP ngày 01/11/2026"


def test_no_dossier_is_taken_for_an_abolished_procedure_and_those_taken_go_on(
    centre, procedure, submit
):
    # Given a dossier submitted, then the procedure abolished
    taken = submit().dossier
    procedure_abolish(code=procedure.code, basis=BASIS, actor=None)

    # When a citizen submits another, Then it is refused with the act, and nothing is made
    with pytest.raises(ProcedureAbolished) as refused:
        submit()
    assert refused.value.status == 410
    assert f"Thủ tục {procedure.code} đã bị bãi bỏ từ ngày" in str(refused.value.message)
    assert BASIS in str(refused.value.message)
    assert list(Dossier.objects.values_list("pk", flat=True)) == [taken.pk]

    # while the dossier taken before is received under its version
    received = dossier_receive(dossier=taken, actor=officer(centre), expected_revision=1)
    assert (received.status, received.procedure_id) == ("received", procedure.pk)
