"""A procedure the competent authority abolished takes no new dossier; those taken go on."""

import pytest

from sen.catalog.models import Procedure
from sen.catalog.selectors import ProcedureAbolished
from sen.catalog.services import procedure_abolish, procedure_save
from sen.catalog.tests.factories import UserFactory, make_procedure, procedure_data
from sen.core.errors import NotAllowed
from sen.core.models import AuditEntry
from sen.errors import InvalidInput

pytestmark = pytest.mark.django_db

BASIS = "Quyết định số 123/QĐ-BTP ngày 01/11/2026 của Bộ Tư pháp"


def test_an_abolished_procedure_leaves_the_catalog_and_says_why_where_it_was(client, refs):
    procedure = make_procedure()

    abolished = procedure_abolish(code=procedure.code, basis=f"  {BASIS} ", actor=None)

    # Its version is kept, no longer current, with when and by what it was abolished
    assert (abolished.pk, abolished.is_current, abolished.abolition_basis) == (
        procedure.pk,
        False,
        BASIS,
    )
    entry = AuditEntry.objects.get(action="catalog.procedure.abolished")
    assert entry.data == {"version": 1, "basis": BASIS}
    # The public list no longer shows it; its page and the API answer 410 with the act
    listing = client.get("/thu-tuc/").content.decode()
    page = client.get(f"/thu-tuc/{procedure.code}/")
    api = client.get(f"/api/v1/procedures/{procedure.code}")
    client.force_login(UserFactory(username="congdan"))
    apply = client.get(f"/thu-tuc/{procedure.code}/nop-ho-so/")
    assert procedure.name not in listing
    assert page.status_code == apply.status_code == 410
    assert "Thủ tục đã bị bãi bỏ" in page.content.decode()
    assert BASIS in page.content.decode() and BASIS in apply.content.decode()
    assert api.status_code == 410
    assert api.json()["error"]["code"] == "procedure_abolished"


def test_saving_an_abolished_code_again_makes_a_new_current_version(refs):
    procedure = make_procedure()
    procedure_abolish(code=procedure.code, basis=BASIS, actor=None)

    restored = procedure_save(data=procedure_data(), actor=None)

    assert (restored.version, restored.is_current) == (2, True)
    assert Procedure.objects.get(pk=procedure.pk).abolished_at is not None


@pytest.mark.parametrize(
    ("basis", "error", "message"),
    [
        ("   ", InvalidInput, "Hãy ghi văn bản bãi bỏ thủ tục"),
        ("x" * 501, InvalidInput, "Văn bản bãi bỏ dài quá 500 ký tự."),
    ],
)
def test_an_abolition_without_its_act_is_refused_and_changes_nothing(refs, basis, error, message):
    procedure = make_procedure()

    with pytest.raises(error, match=message):
        procedure_abolish(code=procedure.code, basis=basis, actor=None)

    assert Procedure.objects.get(pk=procedure.pk).is_current
    assert not AuditEntry.objects.filter(action="catalog.procedure.abolished").exists()


def test_only_who_may_change_the_catalog_abolishes(refs):
    procedure = make_procedure()
    clerk = UserFactory(username="xem", is_staff=True)

    with pytest.raises(NotAllowed):
        procedure_abolish(code=procedure.code, basis=BASIS, actor=clerk)

    assert Procedure.objects.get(pk=procedure.pk).is_current


def test_abolishing_twice_says_it_is_abolished_already(refs):
    procedure = make_procedure()
    procedure_abolish(code=procedure.code, basis=BASIS, actor=None)

    with pytest.raises(ProcedureAbolished, match="đã bị bãi bỏ từ ngày"):
        procedure_abolish(code=procedure.code, basis=BASIS, actor=None)


def test_the_administrator_abolishes_from_the_procedures_page(admin_client, refs):
    procedure = make_procedure()
    change = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/change/").content.decode()

    empty = admin_client.post(f"/admin/catalog/procedure/{procedure.pk}/abolish/", {"basis": ""})
    done = admin_client.post(
        f"/admin/catalog/procedure/{procedure.pk}/abolish/", {"basis": BASIS}, follow=True
    )

    assert f"/admin/catalog/procedure/{procedure.pk}/abolish/" in change
    assert empty.status_code == 200 and "errorlist" in empty.content.decode()
    assert "Đã bãi bỏ thủ tục 1.001193: từ nay không nhận hồ sơ mới." in done.content.decode()
    assert "Thủ tục đã bị bãi bỏ ngày" in done.content.decode()
    assert Procedure.objects.get(pk=procedure.pk).is_current is False
