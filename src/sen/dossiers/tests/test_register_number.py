"""The number a dossier gets in its agency's register (số thứ tự, Sổ theo dõi hồ sơ) when
the one-stop desk receives it: one book per agency and year of receipt, numbered in order of
receipt, printed on the receipt slip and in the register so that one finds the other.

The centre (000.00.01.H37) receives birth registrations; the construction department
(000.00.13.H37) receives building permits at its own desk.
"""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sen.core.errors import NotAllowed
from sen.dossiers.errors import DossierConflict
from sen.dossiers.models import Dossier, RegisterSequence
from sen.dossiers.register import register_data, register_dossiers
from sen.dossiers.selectors import dossier_get_for_officer
from sen.dossiers.services import (
    _transitions,
    dossier_receive,
    dossier_request_supplement,
    dossier_submit_supplement,
)
from sen.dossiers.slipdata import receipt_slip_data
from sen.dossiers.tests.factories import upload
from sen.dossiers.tests.pdf import codes_joined, pdf_text
from sen.dossiers.tests.state import written_state
from sen.dossiers.tests.world import World
from sen.tests.clock import at, vietnam_time

pytestmark = pytest.mark.django_db

TRACKING = "https://sen.example.vn/tra-cuu/x/"


@pytest.fixture
def world(clock) -> World:
    return World()


def entry(dossier: Dossier) -> tuple[int | None, int | None]:
    """Return the dossier's register year and number as stored."""
    fresh = Dossier.objects.get(pk=dossier.pk)
    return fresh.register_year, fresh.register_number


def slip_number(world: World, dossier: Dossier) -> tuple[str, str]:
    """Return the register book and number the dossier's receipt slip prints."""
    read = dossier_get_for_officer(code=dossier.code, user=world.desk, purpose="receipt_slip")
    slip = receipt_slip_data(read, tracking_url=TRACKING)
    return slip.register_book, slip.register_number


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Drawing the number -------------------------------------------------------------------


def test_dossiers_received_on_different_days_get_different_numbers_on_their_slips(world, clock):
    # Given two dossiers submitted on different days, each the first of its day (0001)
    first = world.receive(world.submit())
    clock(at(23, 9))
    second = world.receive(world.submit())
    assert (first.code[-4:], second.code[-4:]) == ("0001", "0001")

    # Then the register numbers them 1 and 2, and their slips say so: one entry each.
    assert (entry(first), entry(second)) == ((2026, 1), (2026, 2))
    assert slip_number(world, first) == ("26/000.00.01.H37", "0001")
    assert slip_number(world, second) == ("26/000.00.01.H37", "0002")


def test_the_number_follows_the_order_of_receipt_not_of_submission(world, clock):
    earlier, later = world.submit(), world.submit()

    clock(at(20, 10))
    world.receive(later)
    clock(at(20, 11))
    world.receive(earlier)

    assert (entry(later), entry(earlier)) == ((2026, 1), (2026, 2))


def test_the_book_is_the_year_of_receipt_in_vietnam_and_restarts_at_one(world, clock):
    # Given a dossier received at 23:30 on 31/12 and one at 00:30 on 1/1 in Vietnam, both
    # still 31/12 in UTC
    clock(vietnam_time(2026, 12, 31, 20))
    dossiers = [world.submit() for _ in range(3)]
    clock(vietnam_time(2026, 12, 31, 23, 30))
    last_of_2026 = [world.receive(dossier) for dossier in dossiers[:2]]
    clock(vietnam_time(2027, 1, 1, 0, 30))
    first_of_2027 = world.receive(dossiers[2])

    # Then the first of 2027 opens the 2027 book at 1, and its slip names that book.
    assert [entry(dossier) for dossier in last_of_2026] == [(2026, 1), (2026, 2)]
    assert entry(first_of_2027) == (2027, 1)
    assert slip_number(world, first_of_2027) == ("27/000.00.01.H37", "0001")
    assert set(RegisterSequence.objects.values_list("year", "last")) == {(2026, 2), (2027, 1)}


def test_each_agency_keeps_its_own_book(world):
    centre = [world.receive(world.submit()) for _ in range(2)]
    elsewhere = world.receive(world.submit(world.elsewhere), actor=world.outsider)

    assert [entry(dossier) for dossier in centre] == [(2026, 1), (2026, 2)]
    assert entry(elsewhere) == (2026, 1)
    assert Dossier.objects.get(pk=elsewhere.pk).register_book == "26/000.00.13.H37"


def test_a_dossier_completed_before_intake_is_entered_once_when_received(world, clock):
    # Given a dossier whose supplement the desk asked for at intake, before receiving it
    dossier = world.submit()
    dossier_request_supplement(
        dossier=dossier,
        items=[{"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}],
        actor=world.desk,
        expected_revision=1,
    )
    clock(at(23, 9))
    dossier_submit_supplement(
        dossier=dossier, files=[upload()], actor=world.applicant, expected_revision=2
    )
    # (the book records receipts: nothing is entered until then)
    assert entry(dossier) == (None, None)
    assert not RegisterSequence.objects.exists()

    # When the desk receives it
    world.receive(Dossier.objects.get(pk=dossier.pk))

    # Then it has one entry, the first of the book.
    assert entry(dossier) == (2026, 1)
    assert RegisterSequence.objects.get().last == 1


def test_the_draw_is_one_statement_of_the_receipt(world):
    dossier = world.submit()
    table = RegisterSequence._meta.db_table

    with CaptureQueriesContext(connection) as queries:
        world.receive(dossier)

    # INSERT … ON CONFLICT DO UPDATE … RETURNING: no read first, no second write.
    touching = [q["sql"].split()[0] for q in queries.captured_queries if table in q["sql"]]
    assert touching == ["INSERT"]
    assert entry(dossier) == (2026, 1)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    # PostgreSQL's driver has no lastrowid: Django's own inserts need RETURNING there.
    reason="the path without RETURNING is SQLite's before 3.35",
)
def test_without_returning_the_numbers_are_drawn_all_the_same(world, monkeypatch):
    # SQLite before 3.35 has no INSERT … RETURNING: both sequences take the portable path.
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)

    dossiers = [world.receive(world.submit()) for _ in range(3)]

    assert [dossier.code[-4:] for dossier in dossiers] == ["0001", "0002", "0003"]
    assert [entry(dossier) for dossier in dossiers] == [(2026, 1), (2026, 2), (2026, 3)]


# --- Nothing drawn for nothing ------------------------------------------------------------


def test_a_refused_receipt_draws_no_number(world):
    dossier = world.submit()
    world.receive(world.submit())
    before = written_state()

    # A stale revision, another agency's officer, a dossier received already
    with pytest.raises(DossierConflict):
        dossier_receive(dossier=dossier, actor=world.desk, expected_revision=7)
    with pytest.raises(NotAllowed):
        dossier_receive(dossier=dossier, actor=world.outsider, expected_revision=1)

    assert written_state() == before
    assert world.receive(dossier).register_number == 2


def test_a_receipt_rolled_back_after_the_draw_gives_its_number_back(world, monkeypatch):
    dossier = world.submit()
    before = written_state()

    def broken(**kwargs):
        raise RuntimeError("the audit log is unreachable")

    # The audit entry is written after the number is drawn.
    monkeypatch.setattr(_transitions, "audit_record", broken)
    with pytest.raises(RuntimeError):
        world.receive(dossier)

    assert written_state() == before
    monkeypatch.undo()
    assert world.receive(Dossier.objects.get(pk=dossier.pk)).register_number == 1


# --- Where the number is read ---------------------------------------------------------------


def test_the_register_prints_the_number_the_slip_gave(world, clock):
    # Given a dossier received on Friday 20/11 and one on Monday 23/11
    world.receive(world.submit())
    clock(at(23, 9))
    monday = world.receive(world.submit())

    # When the desk prints Monday's register
    response = as_user(world.desk).get(
        "/api/v1/dossiers/register",
        {"agency": world.centre.code, "from": "2026-11-23", "to": "2026-11-23"},
    )

    # Then Monday's dossier is on it as the book's entry 0002, as on its slip, not as line 1.
    assert response.status_code == 200, response.content
    text = codes_joined(pdf_text(response.content))
    assert "Quyển số: 26/000.00.01.H37" in text
    assert f"0002 {monday.code} Đăng ký khai sinh" in text
    assert slip_number(world, monday)[1] == "0002"


def test_the_register_lists_its_entries_in_the_books_order(world):
    # Given two dossiers received in the same instant, the later submitted first
    earlier, later = world.submit(), world.submit()
    world.receive(later)
    world.receive(earlier)

    read = register_dossiers(
        user=world.desk,
        agency_code=world.centre.code,
        start=date(2026, 11, 20),
        end=date(2026, 11, 20),
    )
    lines = register_data(read, now=at(20, 10)).lines

    # Then the register lists them by number, as the book holds them.
    assert [(line.number, line.code) for line in lines] == [
        ("0001", later.code),
        ("0002", earlier.code),
    ]


def test_a_register_across_two_years_prints_each_number_with_its_books_year(world, clock):
    clock(vietnam_time(2026, 12, 31, 10))
    world.receive(world.submit())
    clock(vietnam_time(2027, 1, 4, 10))
    world.receive(world.submit())

    read = register_dossiers(
        user=world.desk,
        agency_code=world.centre.code,
        start=date(2026, 12, 1),
        end=date(2027, 1, 31),
    )
    register = register_data(read, now=vietnam_time(2027, 2, 1, 8))

    assert [line.number for line in register.lines] == ["26/0001", "27/0001"]
    assert register.book == ""


def test_the_officers_dossier_page_shows_the_register_entry(world, clock):
    pending = world.submit()
    clock(at(23, 9))
    received = world.receive(world.submit())
    client = as_user(world.desk)

    html = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()
    waiting = client.get(f"/can-bo/ho-so/{pending.code}/").content.decode()

    assert "<dt>Sổ theo dõi hồ sơ</dt><dd>Quyển số 26/000.00.01.H37, số thứ tự 0001</dd>" in html
    assert "<dt>Sổ theo dõi hồ sơ</dt>" not in waiting


# --- Dossiers received before the register had numbers -------------------------------------


def test_the_migration_numbers_the_dossiers_received_before_it_in_order_of_receipt(world, clock):
    # Given dossiers received at two desks over two years, and one never received
    clock(vietnam_time(2026, 12, 30, 9))
    first, second, third = (world.submit() for _ in range(3))
    never = world.submit()
    building = world.submit(world.elsewhere)
    clock(vietnam_time(2026, 12, 30, 10))
    world.receive(second)
    clock(vietnam_time(2026, 12, 30, 11))
    world.receive(first)
    world.receive(building, actor=world.outsider)
    clock(vietnam_time(2027, 1, 1, 0, 15))  # 31/12 in UTC
    world.receive(third)
    # ... as they were before the register had numbers
    Dossier.objects.update(register_year=None, register_number=None)
    RegisterSequence.objects.all().delete()

    # When the migration numbers them
    migration = importlib.import_module("sen.dossiers.migrations.0009_register_number")
    migration.number_received(apps, None)

    # Then each agency's book of each year is numbered in order of receipt
    assert [entry(d) for d in (second, first, third)] == [(2026, 1), (2026, 2), (2027, 1)]
    assert entry(building) == (2026, 1)
    assert entry(never) == (None, None)
    # and the next receipt continues the book.
    clock(vietnam_time(2027, 1, 4, 9))
    assert world.receive(world.submit()).register_number == 2
