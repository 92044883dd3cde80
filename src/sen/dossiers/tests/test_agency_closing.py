"""An agency closes only once nothing is left to it: its open dossiers, its procedures."""

import pytest
from django.test import Client

from sen.catalog.services import procedure_save
from sen.catalog.tests.factories import procedure_data
from sen.core.errors import AgencyInUse
from sen.core.models import Agency, AuditEntry
from sen.core.services import agency_update
from sen.core.tests.adminforms import user_change
from sen.core.tests.factories import AgencyFactory, UserFactory
from sen.dossiers.services import dossier_refuse
from sen.dossiers.tests.factories import officer

pytestmark = pytest.mark.django_db


def test_an_agency_holding_open_dossiers_and_procedures_is_not_closed(centre, submit):
    # Given a dossier submitted to the centre, which implements birth registration
    dossier = submit().dossier

    # When the administrator closes the centre
    with pytest.raises(AgencyInUse) as refused:
        agency_update(agency=centre, actor=None, is_active=False)

    # Then it is refused, naming the dossier and the procedure, and nothing changed
    assert refused.value.status == 409
    assert str(refused.value.message) == (
        "Cơ quan còn thực hiện hoặc giữ một bước của 1 thủ tục đang áp dụng (1.001193): hãy "
        f"sửa các thủ tục này trước. Cơ quan còn 1 hồ sơ đang giải quyết ({dossier.code}): "
        "hãy giải quyết xong trước khi ngừng hoạt động."
    )
    assert Agency.objects.get(pk=centre.pk).is_active
    assert not AuditEntry.objects.filter(action="core.agency.updated").exists()


def test_an_agency_closes_once_its_dossiers_are_decided_and_its_procedures_moved(
    centre, procedure, submit
):
    # Given the centre's one dossier refused, and the procedure moved to another agency
    dossier = submit().dossier
    desk = officer(centre, username="motcua")
    dossier_refuse(dossier=dossier, reason="Sai thẩm quyền", actor=desk, expected_revision=1)
    successor = AgencyFactory(code="000.00.02.H37", unit=centre.unit)
    procedure_save(
        data=procedure_data(
            code=procedure.code,
            implementations=[{"level": "province", "agency": successor.code}],
        ),
        actor=None,
    )

    # When the administrator closes the centre, Then it closes
    closed = agency_update(agency=centre, actor=None, is_active=False)

    assert closed.is_active is False


def test_the_admin_says_why_an_agency_cannot_close(client: Client, centre, submit):
    dossier = submit().dossier
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/core/agency/{centre.pk}/change/",
        {
            "code": centre.code,
            "name": centre.name,
            "kind": centre.kind,
            "unit": str(centre.unit_id),
            "_save": "Lưu",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    assert f"Cơ quan còn 1 hồ sơ đang giải quyết ({dossier.code})" in response.content.decode()
    assert Agency.objects.get(pk=centre.pk).is_active


# --- An officer leaves: the administrator hears of the work left waiting ----------------------


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_locking_the_last_desk_officer_warns_of_the_dossiers_waiting_for_the_desk(
    client: Client, centre, submit
):
    # Given a dossier waiting for intake at the centre, whose one desk officer leaves
    dossier = submit().dossier
    desk = officer(centre, username="motcua")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    # When the administrator locks the officer's account
    data = user_change(desk)
    del data["is_active"]
    response = client.post(f"/admin/core/user/{desk.pk}/change/", data, follow=True)

    # Then the account is locked, and the administrator is told what now waits on no one
    desk.refresh_from_db()
    assert desk.is_active is False
    assert messages_of(response)[0] == (
        "Không còn ai giữ vai trò cán bộ một cửa tại Trung tâm Phục vụ hành chính công tỉnh, "
        f"trong khi 1 hồ sơ đang chờ vai trò này ({dossier.code}): hãy giao vai trò cho một "
        "cán bộ khác."
    )


def test_no_warning_while_another_officer_holds_the_role(client: Client, centre, submit):
    submit()
    desk = officer(centre, username="motcua")
    officer(centre, username="motcua2")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    data = user_change(desk)
    del data["is_active"]
    response = client.post(f"/admin/core/user/{desk.pk}/change/", data, follow=True)

    assert not any("Không còn ai giữ vai trò" in message for message in messages_of(response))
