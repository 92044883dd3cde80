"""Reading dossiers through the API: "my dossiers", one dossier, the queue, the receipt slip.

Who may read: the applicant their own; an official of the receiving agency or of an agency
of one of the procedure's steps. Everyone else gets 404, as for an unknown code, and leaves
no trace. Each official's read of the applicant's personal data is in the audit log.
"""

import hashlib
from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sen.api import api
from sen.core.models import AuditEntry, Role
from sen.core.timezones import VIETNAM
from sen.dossiers.models import Dossier
from sen.dossiers.permissions import actions_allowed
from sen.dossiers.services import (
    dossier_complete_step,
    dossier_refuse,
    dossier_request_supplement,
)
from sen.dossiers.slips import format_moment
from sen.dossiers.states import Action
from sen.dossiers.tests.factories import PDF, birth_procedure, officer
from sen.dossiers.tests.pdf import pdf_text
from sen.dossiers.tests.state import written_state
from sen.dossiers.tests.world import World

pytestmark = pytest.mark.django_db

URL = "/api/v1/dossiers"
CODE = "000.00.01.H37-261120-0001"
PERSONAL_DATA_READ = "dossiers.dossier.personal_data_read"
NOT_FOUND = {
    "error": {
        "code": "dossier_not_found",
        "message": f"Không tìm thấy hồ sơ có mã {CODE}.",
    }
}
PROCEDURE = {"code": "1.001193", "name": "Đăng ký khai sinh", "version": 1}
CENTRE = {"code": "000.00.01.H37", "name": "Trung tâm Phục vụ hành chính công tỉnh"}


@pytest.fixture
def world(frozen_now: datetime) -> World:
    return World()


def as_user(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def reads() -> list[tuple[str, str, dict[str, Any]]]:
    """Return the personal-data reads recorded: (actor, dossier code, data)."""
    entries = AuditEntry.objects.filter(action=PERSONAL_DATA_READ).order_by("id")
    return [(entry.actor_label, entry.target_key, entry.data) for entry in entries]


def set_now(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- One dossier --------------------------------------------------------------------------


def detail_body(viewer: str, actor: str | None, allowed: list[str]) -> dict[str, Any]:
    return {
        "code": CODE,
        "status": "received",
        "status_label": "Đã tiếp nhận",
        "national_status": 2,
        "channel": "online",
        "national_channel": 2,
        "procedure": PROCEDURE,
        "agency": CENTRE,
        "submitted_at": "2026-11-20T09:00:00+07:00",
        "received_at": "2026-11-20T09:00:00+07:00",
        "due_at": "2026-11-23T09:00:00+07:00",
        "finished_at": None,
        "overdue": False,
        "viewer": viewer,
        "revision": 2,
        "supplement_count": 0,
        "timeliness": "in_time",
        "result_delivery": "electronic",
        # The first dossier the centre received in 2026: its slip prints "26/…", "0001".
        "register_book": "26/000.00.01.H37",
        "register_number": 1,
        "legal_basis": "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP",
        "applicant": {
            "name": "Trần Thị Bình",
            "id_number": "037190001234",
            "phone": "0912345678",
            "email": "binh@example.vn",
            "address": "Phường Hoa Lư, tỉnh Ninh Bình",
        },
        "form_data": {"ho_ten": "Trần Văn Con"},
        # what this reader may do now, as their page offers it
        "allowed_actions": allowed,
        "steps": [
            {
                "name": "Tiếp nhận",
                "agency": "Trung tâm Phục vụ hành chính công tỉnh",
                "started_at": "2026-11-20T09:00:00+07:00",
                "due_at": "2026-11-20T10:00:00+07:00",
                "finished_at": None,
                "timeliness": "in_time",
            }
        ],
        "events": [
            {
                "sequence": 1,
                "action": "submit",
                "label": "Nộp hồ sơ",
                "at": "2026-11-20T09:00:00+07:00",
                "from_status": None,
                "status": "submitted",
                "actor": "congdan" if actor else None,
                "comment": "",
                "data": {"channel": "online"},
            },
            {
                "sequence": 2,
                "action": "receive",
                "label": "Tiếp nhận hồ sơ",
                "at": "2026-11-20T09:00:00+07:00",
                "from_status": "submitted",
                "status": "received",
                "actor": actor,
                "comment": "",
                "data": {},
            },
        ],
        "files": [
            {
                "number": 1,
                "component_position": 1,
                "component_name": "Tờ khai đăng ký khai sinh",
                "requested_item": None,
                "name": "to-khai.pdf",
                "content_type": "application/pdf",
                "size": len(PDF),
                "sha256": hashlib.sha256(PDF).hexdigest(),
            },
            {
                "number": 2,
                "component_position": 2,
                "component_name": "Văn bản ủy quyền",
                "requested_item": None,
                "name": "uy-quyen.pdf",
                "content_type": "application/pdf",
                "size": len(PDF),
                "sha256": hashlib.sha256(PDF).hexdigest(),
            },
        ],
        # Received, not processed: no result yet, for anyone.
        "results": [],
        # Sent online: nothing on paper.
        "papers": [],
    }


def test_the_applicant_reads_their_own_dossier_and_no_read_is_recorded(
    world, django_assert_num_queries
):
    world.receive(world.submit())
    client = as_user(world.applicant)

    # session, user, dossier, events, files, components, the reader's roles (for what they
    # may do), steps
    with django_assert_num_queries(8):
        response = client.get(f"{URL}/{CODE}")

    assert response.status_code == 200, response.content
    assert response.json() == detail_body("applicant", actor=None, allowed=["withdraw"])
    assert reads() == []


def test_an_officer_of_the_receiving_agency_reads_the_dossier_and_the_read_is_recorded(
    world, django_assert_num_queries
):
    world.receive(world.submit())
    client = as_user(world.desk)

    # session, user, dossier, access check, audit entry, events, files, components, the
    # reader's roles (for what they may do), steps
    with django_assert_num_queries(10):
        response = client.get(f"{URL}/{CODE}")

    assert response.status_code == 200, response.content
    assert response.json() == detail_body(
        "officer", actor="motcua", allowed=["complete_step", "apologize"]
    )
    assert reads() == [("motcua", CODE, {"purpose": "detail"})]
    entry = AuditEntry.objects.get(action=PERSONAL_DATA_READ)
    assert (entry.actor, entry.target_type) == (world.desk, "dossiers.dossier")


def test_an_officer_of_an_agency_of_a_procedure_step_reads_the_dossier_once_it_came_there(world):
    dossier = world.receive(world.submit())
    # Received, the dossier is still at the desk: the justice department reads nothing yet
    early = as_user(world.specialist).get(f"{URL}/{CODE}")
    assert (early.status_code, early.json()) == (404, NOT_FOUND)
    assert reads() == []
    dossier_complete_step(dossier=dossier, actor=world.desk, expected_revision=dossier.revision)

    first = as_user(world.specialist).get(f"{URL}/{CODE}")
    second = as_user(world.specialist).get(f"{URL}/{CODE}")

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["viewer"] == "officer"
    # Every read is recorded, not only the first.
    assert reads() == [("tuphap", CODE, {"purpose": "detail"})] * 2


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_anyone_else_gets_404_as_for_an_unknown_code_and_nothing_is_recorded(world, who):
    world.receive(world.submit())
    before = written_state()

    response = as_user(getattr(world, who)).get(f"{URL}/{CODE}")
    unknown = as_user(getattr(world, who)).get(f"{URL}/000.00.01.H37-261120-0009")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "dossier_not_found"
    assert written_state() == before
    assert reads() == []


def test_an_officer_whose_role_ended_gets_404(world):
    world.receive(world.submit())
    world.desk.memberships.update(is_active=False)
    before = written_state()

    response = as_user(world.desk).get(f"{URL}/{CODE}")

    assert response.status_code == 404
    assert written_state() == before


def test_reading_a_dossier_needs_a_signed_in_user(world):
    world.submit()
    before = written_state()

    response = as_user(None).get(f"{URL}/{CODE}")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert written_state() == before


def test_the_public_tracking_read_records_no_personal_data_read(world):
    world.submit()

    response = as_user(None).get(f"/api/v1/tracking/{CODE}")

    assert response.status_code == 200
    assert reads() == []


# --- My dossiers --------------------------------------------------------------------------


def test_a_citizen_lists_their_own_dossiers_newest_first(
    world, monkeypatch, django_assert_num_queries
):
    first = world.submit()
    set_now(monkeypatch, datetime(2026, 11, 20, 10, 30, tzinfo=VIETNAM))
    second = world.submit(procedure=world.three_days)
    world.submit(applicant=world.stranger)
    client = as_user(world.applicant)

    # session, user, count, page
    with django_assert_num_queries(4):
        response = client.get(f"{URL}/mine")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (2, 1, 20)
    assert [item["code"] for item in body["results"]] == [second.code, first.code]
    assert body["results"][0] == {
        "code": "000.00.01.H37-261120-0002",
        "status": "submitted",
        "status_label": "Chờ tiếp nhận",
        "national_status": 1,
        "channel": "online",
        "national_channel": 2,
        "procedure": {"code": "1.000003", "name": "Cấp bản sao trích lục hộ tịch", "version": 1},
        "agency": CENTRE,
        "submitted_at": "2026-11-20T10:30:00+07:00",
        "received_at": None,
        "due_at": None,
        "finished_at": None,
        "overdue": False,
    }
    assert reads() == []


def test_my_dossiers_pages(world):
    codes = [world.submit().code for _ in range(3)]

    response = as_user(world.applicant).get(f"{URL}/mine?page=2&page_size=2")

    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (3, 2, 2)
    # Same submission moment: the later number first.
    assert [item["code"] for item in body["results"]] == [codes[0]]


def test_a_citizen_without_dossiers_gets_an_empty_list_and_anonymous_gets_401(world):
    world.submit()

    mine = as_user(world.stranger).get(f"{URL}/mine")
    anonymous = as_user(None).get(f"{URL}/mine")

    assert mine.json() == {"count": 0, "page": 1, "page_size": 20, "results": []}
    assert anonymous.status_code == 401


def test_the_queue_document_says_where_its_list_stops():
    """ADR 0011: the queue lists its first 1,000 dossiers, and a page past them is empty. A
    client paging through it must learn that from the document, not from an empty page."""
    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][f"{URL}/queue"]["get"]
    [page] = [p for p in operation["parameters"] if p["name"] == "page"]

    assert "The list stops at the first 1,000 dossiers" in operation["description"]
    assert "`count_capped` true" in operation["description"]
    assert "Danh sách dừng ở 1.000 hồ sơ đầu tiên" in page["description"]
    assert page["schema"]["maximum"] == 1_000_000  # the bound of every list (ADR 0013)


@pytest.mark.parametrize(
    "query", ["page=0", "page_size=101", "page=x", "page=1000001", f"page={10**20}"]
)
def test_bad_paging_answers_400(world, query):
    mine = as_user(world.applicant).get(f"{URL}/mine?{query}")
    queue = as_user(world.desk).get(f"{URL}/queue?{query}")

    for response in (mine, queue):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_input"


# --- The queue ----------------------------------------------------------------------------


@pytest.fixture
def queue(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, Dossier]:
    """Four dossiers at the centre and one elsewhere, seen on Wednesday 25/11/2026 at 10:00.

    Received Friday 20/11 09:00: a one-day birth registration due Monday 23/11 09:00
    (overdue by Wednesday) and a three-day copy due Thursday 26/11 09:00 on the working
    calendar; one waiting for intake; one refused.
    """
    late = world.receive(world.submit())
    waiting = world.submit()
    soon = world.receive(world.submit(procedure=world.three_days))
    refused = world.submit()
    dossier_refuse(dossier=refused, reason="Sai thủ tục", actor=world.desk, expected_revision=1)
    elsewhere = world.submit(procedure=world.elsewhere)
    set_now(monkeypatch, datetime(2026, 11, 25, 10, 0, tzinfo=VIETNAM))
    assert (late.due_at, soon.due_at) == (
        datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM),
        datetime(2026, 11, 26, 9, 0, tzinfo=VIETNAM),
    )
    return {
        "late": late,
        "waiting": waiting,
        "soon": soon,
        "refused": refused,
        "elsewhere": elsewhere,
    }


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["results"]]


def test_the_queue_holds_the_agencys_open_dossiers_by_due_moment_with_undated_ones_last(
    world, queue
):
    """The work still to do: the refused dossier is finished and left out (its status
    reaches it, see the filters below)."""
    response = as_user(world.desk).get(f"{URL}/queue")

    assert codes(response) == [queue["late"].code, queue["soon"].code, queue["waiting"].code]
    body = response.json()
    assert (body["count"], body["count_capped"]) == (3, False)
    assert body["results"][0] == {
        "code": queue["late"].code,
        "status": "received",
        "status_label": "Đã tiếp nhận",
        "national_status": 2,
        "channel": "online",
        "national_channel": 2,
        "procedure": PROCEDURE,
        "agency": CENTRE,
        "submitted_at": "2026-11-20T09:00:00+07:00",
        "received_at": "2026-11-20T09:00:00+07:00",
        "due_at": "2026-11-23T09:00:00+07:00",
        "finished_at": None,
        "overdue": True,
        "applicant_name": "Trần Thị Bình",
    }
    # The queue shows the name only; reading CCCD and address is the detail's business.
    assert "037190001234" not in response.content.decode()
    assert reads() == []


def test_another_agencys_officer_sees_only_their_own_agencys_dossiers(world, queue):
    response = as_user(world.outsider).get(f"{URL}/queue")
    assert codes(response) == [queue["elsewhere"].code]
    # No query parameter widens the queue to the agency that received the others.
    asked = as_user(world.outsider).get(f"{URL}/queue?agency={world.centre.code}")
    assert codes(asked) == [queue["elsewhere"].code]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("overdue=true", ["late"]),
        ("due_within_days=1", ["soon"]),
        ("due_within_days=0", []),
        ("due_within_days=", ["late", "soon", "waiting"]),
        ("status=", ["late", "soon", "waiting"]),
        ("status=submitted", ["waiting"]),
        ("status=refused", ["refused"]),
        ("procedure=1.000003", ["soon"]),
        ("procedure=1.001193&status=received", ["late"]),
        ("procedure=9.999999", []),
        ("overdue=true&procedure=1.000003", []),
    ],
)
def test_the_queue_filters(world, queue, query, expected):
    response = as_user(world.desk).get(f"{URL}/queue?{query}")
    assert codes(response) == [queue[name].code for name in expected]
    assert response.json()["count"] == len(expected)


@pytest.fixture
def turns(world: World) -> dict[str, Dossier]:
    """Open dossiers of the centre, each waiting for one move, and whose move it is."""
    world.centre_specialist = officer(world.centre, Role.SPECIALIST, username="chuyenvien")
    waiting = world.submit()
    # The birth registration's first step is the centre's one-stop step (a step naming no
    # agency belongs to the receiving agency); its second, the justice department's.
    at_desk_step = world.receive(world.submit())
    at_partner = world.receive(world.submit())
    dossier_complete_step(dossier=at_partner, actor=world.desk, expected_revision=2)
    # The copy's one step is a specialist's of the receiving agency.
    at_specialist = world.receive(world.submit(procedure=world.three_days))
    ready = world.receive(world.submit(procedure=world.three_days))
    dossier_complete_step(dossier=ready, actor=world.centre_specialist, expected_revision=2)
    with_applicant = world.submit()
    dossier_request_supplement(
        dossier=with_applicant,
        items=[{"name": "Tờ khai", "reason": "Thiếu chữ ký của người khai"}],
        actor=world.desk,
        expected_revision=1,
    )
    return {
        "waiting": waiting,
        "at_desk_step": at_desk_step,
        "at_partner": at_partner,
        "at_specialist": at_specialist,
        "ready": ready,
        "with_applicant": with_applicant,
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # The desk receives, and acts on its own step. (The result ready to hand back is
        # over for the queue, and reached by its status: below.)
        ("desk", ["at_desk_step", "waiting"]),
        ("centre_specialist", ["at_specialist"]),
        # The justice department's specialist, at the inter-agency step only.
        ("specialist", ["at_partner"]),
        ("outsider", []),
    ],
)
def test_my_turn_keeps_the_dossiers_whose_next_move_is_the_officers(world, turns, who, expected):
    response = as_user(getattr(world, who)).get(f"{URL}/queue?my_turn=true")

    assert sorted(codes(response)) == sorted(turns[name].code for name in expected)
    assert response.json()["count"] == len(expected)


# The actions that move a dossier on; the others (a supplement asked, an apology, a stop,
# a refusal) can be taken on dossiers that wait for someone else.
MOVES = {Action.RECEIVE, Action.COMPLETE_STEP, Action.ATTACH_RESULT, Action.RETURN_RESULT}


@pytest.mark.parametrize("who", ["desk", "centre_specialist", "specialist", "outsider"])
def test_my_turn_agrees_with_the_actions_each_officer_may_take(world, turns, who):
    user = getattr(world, who)
    client = as_user(user)
    listed = codes(client.get(f"{URL}/queue?my_turn=true"))
    listed += codes(client.get(f"{URL}/queue?my_turn=true&status=result_ready"))

    movable = [
        dossier.code
        for dossier in Dossier.objects.filter(pk__in=[d.pk for d in turns.values()])
        if MOVES & set(actions_allowed(dossier=dossier, user=user))
    ]

    assert sorted(listed) == sorted(movable)


def test_without_my_turn_the_queue_still_holds_every_open_dossier_of_the_agency(world, turns):
    everything = as_user(world.desk).get(f"{URL}/queue")
    not_mine = as_user(world.desk).get(f"{URL}/queue?my_turn=false")

    open_dossiers = [dossier for name, dossier in turns.items() if name != "ready"]
    assert sorted(codes(everything)) == sorted(dossier.code for dossier in open_dossiers)
    assert sorted(codes(not_mine)) == sorted(codes(everything))


def test_my_turn_that_is_not_a_yes_or_no_is_refused_by_its_name(world, turns):
    response = as_user(world.desk).get(f"{URL}/queue?my_turn=perhaps")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert [detail["field"] for detail in error["details"]] == ["my_turn"]


def test_my_turn_combines_with_the_other_filters(world, turns):
    desk = as_user(world.desk)
    received = desk.get(f"{URL}/queue?my_turn=true&status=received")
    to_return = desk.get(f"{URL}/queue?my_turn=true&status=result_ready")
    births = desk.get(f"{URL}/queue?my_turn=true&procedure=1.001193")
    for_the_specialist = as_user(world.centre_specialist).get(
        f"{URL}/queue?my_turn=true&status=result_ready"
    )

    assert codes(received) == [turns["at_desk_step"].code]
    assert codes(to_return) == [turns["ready"].code]
    assert codes(births) == [turns["at_desk_step"].code, turns["waiting"].code]
    assert codes(for_the_specialist) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đăng ký khai sinh", ["late", "waiting"]),
        ("dang ky khai sinh", ["late", "waiting"]),
        ("ĐĂNG KÝ KHAI SINH", ["late", "waiting"]),
        ("khai si", ["late", "waiting"]),
        ("1.001193", ["late", "waiting"]),
        ("  1.001193  ", ["late", "waiting"]),
        # Two procedures at the centre are in the field Hộ tịch: both are listed.
        ("ho tich", ["late", "soon", "waiting"]),
        # "Cấp" also names the building permit, which only the other agency receives.
        ("cấp", ["soon"]),
        ("giay phep xay dung", []),
        ("khai tu", []),
        ("   ", ["late", "soon", "waiting"]),
        ("", ["late", "soon", "waiting"]),
        ("x" * 200, []),
    ],
)
def test_the_queue_filters_by_procedure_code_or_words_of_its_name(world, queue, text, expected):
    response = as_user(world.desk).get(f"{URL}/queue", {"procedure": text})

    assert codes(response) == [queue[name].code for name in expected]
    assert response.json()["count"] == len(expected)


def test_a_procedure_named_lists_only_the_officers_own_agencys_dossiers(world, queue):
    client = as_user(world.outsider)

    births = client.get(f"{URL}/queue", {"procedure": "dang ky khai sinh"})
    issued = client.get(f"{URL}/queue", {"procedure": "cap"})

    assert codes(births) == []
    assert codes(issued) == [queue["elsewhere"].code]


def test_the_procedure_filter_keeps_the_dossiers_of_every_version(world, queue):
    # Given birth registration amended (version 2) after the centre's dossiers came in
    steps = [
        {"name": "Giải quyết", "role": "one_stop", "agency": None, "duration": "8", "unit": "hours"}
    ]
    amended = birth_procedure(
        agencies=[world.centre], name="Đăng ký khai sinh cho trẻ em", steps=steps
    )
    newer = world.submit()
    assert (amended.version, queue["late"].procedure.version) == (2, 1)

    # When the officer asks by the current name and by the code
    by_name = as_user(world.desk).get(f"{URL}/queue", {"procedure": "khai sinh tre em"})
    by_code = as_user(world.desk).get(f"{URL}/queue", {"procedure": "1.001193"})

    # Then both versions' dossiers are listed
    expected = [queue["late"].code, queue["waiting"].code, newer.code]
    assert codes(by_name) == expected
    assert codes(by_code) == expected


def test_a_procedure_filter_naming_too_many_procedures_answers_400(world, queue, monkeypatch):
    monkeypatch.setattr("sen.dossiers.selectors.MAX_QUEUE_PROCEDURES", 1)
    client = as_user(world.desk)

    one = client.get(f"{URL}/queue", {"procedure": "khai sinh"})
    two = client.get(f"{URL}/queue", {"procedure": "ho tich"})

    assert codes(one) == [queue["late"].code, queue["waiting"].code]
    assert two.status_code == 400
    assert two.json() == {
        "error": {
            "code": "procedure_filter_too_broad",
            "message": (
                "Quá nhiều thủ tục khớp với “ho tich”; hãy gõ thêm từ trong tên thủ tục, "
                "hoặc nhập mã thủ tục."
            ),
        }
    }


def test_a_procedure_filter_with_a_nul_character_answers_400(world, queue):
    response = as_user(world.desk).get(f"{URL}/queue?procedure=khai%00sinh")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"


def test_due_soon_counts_working_days_so_a_weekend_is_skipped(world, queue, monkeypatch):
    # Friday 20/11 at 10:00: one working day reaches Monday 10:00 (Monday 09:00 is in),
    # not Saturday.
    set_now(monkeypatch, datetime(2026, 11, 20, 10, 0, tzinfo=VIETNAM))

    response = as_user(world.desk).get(f"{URL}/queue?due_within_days=1")

    assert codes(response) == [queue["late"].code]


@pytest.mark.parametrize(
    "query",
    [
        "status=late",
        "due_within_days=-1",
        "due_within_days=61",
        "due_within_days=mai",
        "overdue=maybe",
        "page=0",
        "page=hai",
        f"procedure={'x' * 201}",
    ],
)
def test_bad_queue_filters_answer_400(world, query):
    response = as_user(world.desk).get(f"{URL}/queue?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_the_queue_is_for_officers(world, queue):
    citizen_answer = as_user(world.applicant).get(f"{URL}/queue")
    anonymous = as_user(None).get(f"{URL}/queue")

    assert citizen_answer.status_code == 403
    assert citizen_answer.json()["error"]["code"] == "permission_denied"
    assert anonymous.status_code == 401


@pytest.mark.parametrize("count", [1, 30])
def test_the_queue_costs_the_same_queries_for_1_or_30_dossiers(
    world, count, django_assert_num_queries
):
    for _ in range(count):
        world.receive(world.submit())
    client = as_user(world.desk)

    # session, user, the officer's agencies, the capped count and the page (with procedure
    # and agency)
    with django_assert_num_queries(5):
        response = client.get(f"{URL}/queue?page_size=100")

    assert len(codes(response)) == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_queue_by_procedure_name_costs_one_query_more_for_1_or_30_dossiers(
    world, count, django_assert_num_queries
):
    for _ in range(count):
        world.receive(world.submit())
    world.receive(world.submit(procedure=world.three_days))
    client = as_user(world.desk)

    # session, user, the officer's agencies, the procedures named, the capped count and
    # the page (with procedure and agency)
    with django_assert_num_queries(6):
        response = client.get(f"{URL}/queue", {"procedure": "khai sinh", "page_size": 100})
    # Naming no procedure, the queue is neither counted nor read
    with django_assert_num_queries(4):
        unknown = client.get(f"{URL}/queue", {"procedure": "khai tu"})

    assert len(codes(response)) == count
    assert response.json()["count"] == count
    assert codes(unknown) == []


# --- The receipt slip ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "recorded"),
    [("applicant", []), ("desk", [("motcua", CODE, {"purpose": "receipt_slip"})])],
)
def test_the_receipt_slip_is_a_pdf_with_the_code_procedure_due_moment_and_applicant(
    world, who, recorded
):
    dossier = world.receive(world.submit())

    response = as_user(getattr(world, who)).get(f"{URL}/{CODE}/slips/receipt.pdf")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{CODE}-phieu-tiep-nhan.pdf"'
    text = pdf_text(response.content)
    assert dossier.due_at is not None
    for expected in (
        CODE,
        "Đăng ký khai sinh",
        format_moment(dossier.due_at),
        "09 giờ 00 phút, ngày 23/11/2026",
        "Trần Thị Bình",
        "Lê Văn Tiếp",
        f"26/{world.centre.code}",
    ):
        assert expected in text
    assert reads() == recorded


def test_the_receipt_slip_is_not_available_before_the_dossier_is_received(world):
    world.submit()
    before = written_state()

    response = as_user(world.applicant).get(f"{URL}/{CODE}/slips/receipt.pdf")

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "slip_not_available",
            "message": f"Hồ sơ {CODE} chưa được tiếp nhận nên chưa có giấy tiếp nhận.",
        }
    }
    assert written_state() == before


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_the_receipt_slip_of_someone_elses_dossier_is_not_found(world, who):
    world.receive(world.submit())
    before = written_state()

    response = as_user(getattr(world, who)).get(f"{URL}/{CODE}/slips/receipt.pdf")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert written_state() == before


def test_the_receipt_slip_needs_a_signed_in_user(world):
    world.receive(world.submit())
    response = as_user(None).get(f"{URL}/{CODE}/slips/receipt.pdf")
    assert response.status_code == 401
