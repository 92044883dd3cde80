"""The dossiers' read selectors and the receipt data built from what they read."""

from datetime import datetime
from decimal import Decimal

import pytest

from sen.core.errors import NotAllowed
from sen.core.models import AuditEntry, Role
from sen.core.timezones import VIETNAM
from sen.dossiers.errors import DossierNotFound
from sen.dossiers.models import Dossier
from sen.dossiers.permissions import step_holder
from sen.dossiers.selectors import (
    PERSONAL_DATA_READ,
    QueueCount,
    dossier_get_for_applicant,
    dossier_get_for_officer,
    officer_queue,
)
from sen.dossiers.services import dossier_complete_step
from sen.dossiers.slipdata import SlipNotAvailable, receipt_slip_data
from sen.dossiers.slips import ComponentLine
from sen.dossiers.tests.conftest import NOW
from sen.dossiers.tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(frozen_now: datetime) -> World:
    return World()


def test_an_official_read_returns_the_dossier_and_records_who_read_it(world):
    dossier = world.receive(world.submit())

    read = dossier_get_for_officer(code=dossier.code, user=world.desk)

    assert read.applicant_id_number == "037190001234"
    entry = AuditEntry.objects.get(action=PERSONAL_DATA_READ)
    assert (entry.actor, entry.target_key, entry.data) == (
        world.desk,
        dossier.code,
        {"purpose": "detail"},
    )


def test_the_officer_read_brings_what_the_officers_pages_show_in_six_queries(
    world, django_assert_num_queries
):
    """Given a dossier at the justice department's step, an officer's read costs the dossier
    with its current step, the access check, the record of the read, its events, files and
    results; who acts on it now and what it holds then cost nothing more."""
    received = world.receive(world.submit())
    dossier_complete_step(dossier=received, actor=world.desk, expected_revision=2)

    with django_assert_num_queries(6):
        read = dossier_get_for_officer(code=received.code, user=world.specialist)

    with django_assert_num_queries(0):
        assert step_holder(read) == (Role.SPECIALIST, world.partner)
        assert step_holder(read)[1].name == "Sở Tư pháp"
        assert [item.component.name for item in read.files.all()] == [
            "Tờ khai đăng ký khai sinh",
            "Văn bản ủy quyền",
        ]
        assert [event.action for event in read.events.all()] == [
            "submit",
            "receive",
            "complete_step",
        ]
        assert list(read.results.all()) == []


@pytest.mark.parametrize("who", ["applicant", "outsider", "stranger"])
def test_only_officials_of_the_agencies_at_work_pass_the_officer_read(world, who):
    dossier = world.submit()

    with pytest.raises(DossierNotFound) as raised:
        dossier_get_for_officer(code=dossier.code, user=getattr(world, who))

    assert str(raised.value) == f"Không tìm thấy hồ sơ có mã {dossier.code}."
    assert not AuditEntry.objects.filter(action=PERSONAL_DATA_READ).exists()


@pytest.mark.parametrize("who", ["desk", "stranger", None])
def test_the_applicant_read_is_for_the_applicant_only(world, who):
    dossier = world.submit()
    assert dossier_get_for_applicant(code=dossier.code, user=world.applicant) == dossier

    with pytest.raises(DossierNotFound):
        dossier_get_for_applicant(code=dossier.code, user=getattr(world, who) if who else None)
    assert not AuditEntry.objects.filter(action=PERSONAL_DATA_READ).exists()


def test_a_user_without_a_role_has_no_queue(world):
    with pytest.raises(NotAllowed):
        officer_queue(user=world.applicant)


def test_due_soon_uses_the_given_moment(world):
    received = world.receive(world.submit())  # due Monday 23/11 09:00

    on_friday = officer_queue(user=world.desk, due_within_days=1, now=NOW).dossiers
    on_monday_late = officer_queue(
        user=world.desk, due_within_days=5, now=datetime(2026, 11, 23, 9, 1, tzinfo=VIETNAM)
    ).dossiers
    overdue = officer_queue(
        user=world.desk, overdue=True, now=datetime(2026, 11, 23, 9, 1, tzinfo=VIETNAM)
    ).dossiers

    assert list(on_friday) == [received]
    assert list(on_monday_late) == []
    assert list(overdue) == [received]


def test_the_receipt_data_lists_the_components_received_and_the_register_entry(world):
    dossier = world.receive(world.submit())
    read = dossier_get_for_officer(code=dossier.code, user=world.desk, purpose="receipt_slip")

    slip = receipt_slip_data(
        read, tracking_url="https://sen.example.vn/tra-cuu/000.00.01.H37-261120-0001/"
    )

    assert slip.code == "000.00.01.H37-261120-0001"
    assert (slip.procedure_code, slip.procedure_name) == ("1.001193", "Đăng ký khai sinh")
    assert slip.components == (
        ComponentLine(name="Tờ khai đăng ký khai sinh", photocopies=1),
        ComponentLine(name="Văn bản ủy quyền", photocopies=1),
    )
    assert (slip.sets, slip.legal_days) == (1, Decimal("1"))
    assert (slip.received_at, slip.due_at) == (NOW, datetime(2026, 11, 23, 9, tzinfo=VIETNAM))
    assert slip.applicant.full_name == "Trần Thị Bình"
    assert slip.agency.name == "Trung tâm Phục vụ hành chính công tỉnh"
    # Online, the applicant chose nothing: the result comes electronically
    assert slip.result_place == ("Tài khoản của người nộp trên Cổng Dịch vụ công (kết quả điện tử)")
    # At the desk of the receiving agency, its address
    Dossier.objects.filter(pk=dossier.pk).update(result_delivery="desk")
    dossier.refresh_from_db()
    assert receipt_slip_data(dossier, tracking_url=slip.tracking_url).result_place == (
        "Trung tâm Phục vụ hành chính công tỉnh, Số 2 đường Lê Hồng Phong, phường Hoa Lư"
    )
    assert (slip.register_book, slip.register_number) == ("26/000.00.01.H37", "0001")
    assert slip.receiver_name == "Lê Văn Tiếp"
    assert slip.tracking_url == "https://sen.example.vn/tra-cuu/000.00.01.H37-261120-0001/"


def test_there_is_no_receipt_data_before_the_dossier_is_received(world):
    dossier = world.submit()
    read = dossier_get_for_applicant(code=dossier.code, user=world.applicant)

    with pytest.raises(SlipNotAvailable):
        receipt_slip_data(
            read, tracking_url="https://sen.example.vn/tra-cuu/000.00.01.H37-261120-0001/"
        )


def test_the_queue_count_is_exact_up_to_its_cap_and_says_more_beyond(world):
    # Given three dossiers at the officer's agency
    for _ in range(3):
        world.submit()

    # Then a cap at or above three counts them exactly; a cap of two says "more than two"
    queued = officer_queue(user=world.desk)
    assert queued.count() == QueueCount(value=3, capped=False)
    assert queued.count(cap=3) == QueueCount(value=3, capped=False)
    assert queued.count(cap=2) == QueueCount(value=2, capped=True)
    # And the filters count as they list
    assert officer_queue(user=world.desk, status="received").count() == QueueCount(0, False)
