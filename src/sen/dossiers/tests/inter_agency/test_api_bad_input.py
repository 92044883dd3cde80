"""Bad input to the actions on a dossier (everything but submission, which test_api.py and
test_submit.py cover): each answer is a 4xx with a stable code, and nothing is written: no
event, audit entry, notice, clock stop, step record, file, result, stored file or
indicator counter.

The procedure and the dossiers in each state come from this package's conftest: received on
Friday 20/11/2026 at 09:00, the dossier is due on Monday 23/11/2026 at 14:00.
"""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.dossiers.services import MAX_FILE_BYTES, dossier_request_supplement, dossier_stop
from sen.dossiers.tests.factories import JPEG, PDF
from sen.dossiers.tests.inter_agency.conftest import CODE, MISSING, URL, as_user, post
from sen.dossiers.tests.state import written_state

pytestmark = pytest.mark.django_db


def error_of(response: Any) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    return error


def multipart(user: Any, action: str, fields: dict[str, Any], code: str = CODE) -> Any:
    return as_user(user).post(f"{URL}/{code}/{action}", fields)


# --- Values of the wrong type or out of range ---------------------------------------------------

WRONG_VALUES = [
    ("receive", "submitted", "desk", {"expected_revision": 0}, "body.expected_revision"),
    ("request-supplement", "submitted", "desk", {"items": "Giấy chứng sinh"}, "body.items"),
    ("request-supplement", "submitted", "desk", {"items": [{"name": 5}]}, "body.items.0.name"),
    ("refuse", "submitted", "desk", {"reason": None}, "body.reason"),
    ("refuse", "submitted", "desk", {"reason": "x" * 2001}, "body.reason"),
    ("complete-step", "received", "desk", {"comment": ["Chuyển"]}, "body.comment"),
    ("apologize", "received", "leader", {"reason": "Chậm"}, "body.new_due_at"),
    (
        "apologize",
        "received",
        "leader",
        {"reason": "Chậm", "new_due_at": "30/11/2026 16:00"},
        "body.new_due_at",
    ),
    # A number of seconds since 1970: pydantic's lax mode read it as a moment.
    (
        "apologize",
        "received",
        "leader",
        {"reason": "Chậm", "new_due_at": 1796029200},  # 30/11/2026 16:00 in Vietnam
        "body.new_due_at",
    ),
    ("return", "result_ready", "desk", {"method": 1}, "body.method"),
    (
        "return",
        "result_ready",
        "desk",
        {"method": "post", "postal_tracking_number": "E" * 51},
        "body.postal_tracking_number",
    ),
    ("withdraw", "submitted", "applicant", {"reason": {"text": "Nộp nhầm"}}, "body.reason"),
]


@pytest.mark.parametrize(("action", "state", "who", "fields", "field"), WRONG_VALUES)
def test_a_value_of_the_wrong_type_or_out_of_range_is_named_and_changes_nothing(
    request, people, action, state, who, fields, field
):
    revision = request.getfixturevalue(state).revision
    before = written_state()

    response = post(getattr(people, who), action, {"expected_revision": revision, **fields})

    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "invalid_input"
    assert field in [detail["field"] for detail in error_of(response)["details"]]
    assert written_state() == before


# --- Text that shows nothing ----------------------------------------------------------------------

# Zero-width space, word joiner, BOM, right-to-left override and spaces: no slip can be
# written from it, and a supplement request or an apology can be made only once.
INVISIBLE = "\u200b \u2060\ufeff\u202e "

INVISIBLE_TEXT = [
    ("refuse", "submitted", "desk", {"reason": INVISIBLE}, "refusal_reason_required"),
    (
        "request-supplement",
        "submitted",
        "desk",
        {"items": [{"name": INVISIBLE, "reason": "Bản chụp mờ"}]},
        "invalid_supplement_request",
    ),
    (
        "apologize",
        "received",
        "leader",
        {"reason": INVISIBLE, "new_due_at": "2026-11-30T16:00:00+07:00"},
        "reason_required",
    ),
    ("stop", "received", "leader", {"reason": INVISIBLE}, "reason_required"),
    ("withdraw", "submitted", "applicant", {"reason": INVISIBLE}, "reason_required"),
]


@pytest.mark.parametrize(("action", "state", "who", "fields", "code"), INVISIBLE_TEXT)
def test_a_reason_or_a_paper_of_invisible_characters_is_refused_and_changes_nothing(
    request, people, action, state, who, fields, code
):
    revision = request.getfixturevalue(state).revision
    before = written_state()

    response = post(getattr(people, who), action, {"expected_revision": revision, **fields})

    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == code
    assert written_state() == before


def test_an_appointment_without_its_time_zone_is_refused_for_that(received, people):
    response = post(
        people.leader,
        "apologize",
        {
            "expected_revision": received.revision,
            "reason": "Cần xác minh thêm",
            "new_due_at": "2026-11-30T16:00:00",
        },
    )

    assert response.status_code == 400
    assert error_of(response) == {
        "code": "invalid_new_appointment",
        "message": "Ngày giờ hẹn mới phải ghi cả múi giờ, ví dụ 2026-12-30T16:00:00+07:00.",
    }


# --- JSON of the wrong type: never coerced ------------------------------------------------------

# A body each action takes (with the dossier's revision), by the reader who may take it.
GOOD_BODIES = [
    ("receive", "submitted", "desk", {"comment": "Đủ giấy tờ"}),
    ("request-supplement", "submitted", "desk", {"items": MISSING}),
    ("refuse", "submitted", "desk", {"reason": "Sai thủ tục"}),
    ("complete-step", "received", "desk", {}),
    (
        "apologize",
        "received",
        "leader",
        {"reason": "Cần xác minh thêm", "new_due_at": "2026-11-30T16:00:00+07:00"},
    ),
    ("stop", "received", "leader", {"reason": "Có tranh chấp"}),
    ("return", "result_ready", "desk", {"method": "desk"}),
    ("withdraw", "submitted", "applicant", {"reason": "Nộp nhầm"}),
]


@pytest.mark.parametrize("number", [int, float], ids=["2", "2.0"])
@pytest.mark.parametrize(("action", "state", "who", "fields"), GOOD_BODIES)
def test_each_good_body_is_taken(request, people, action, state, who, fields, number):
    """The bodies below are refused for their revision's type alone: with a JSON integer,
    each one is taken (2.0 is one too, as JSON Schema counts integers)."""
    revision = request.getfixturevalue(state).revision

    response = post(getattr(people, who), action, {"expected_revision": number(revision), **fields})

    assert response.status_code == 200, response.content
    assert response.json()["revision"] == revision + 1


@pytest.mark.parametrize("wrong", [str, lambda revision: True], ids=["text", "boolean"])
@pytest.mark.parametrize(("action", "state", "who", "fields"), GOOD_BODIES)
def test_a_revision_sent_as_text_or_a_boolean_is_refused_and_changes_nothing(
    request, people, action, state, who, fields, wrong
):
    """`"expected_revision": "1"` or `true` is not the integer the document asks for: a
    client that sends it has a bug to hear about, not a dossier changed on a guess
    (pydantic's lax mode read "1" and true as 1)."""
    dossier = request.getfixturevalue(state)
    revision, events = dossier.revision, dossier.events.count()
    before = written_state()

    response = post(getattr(people, who), action, {"expected_revision": wrong(revision), **fields})

    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "invalid_input"
    assert error_of(response)["details"] == [
        {"field": "body.expected_revision", "message": "Phải là số nguyên.", "type": "int_type"}
    ]
    dossier.refresh_from_db()
    assert (dossier.revision, dossier.events.count()) == (revision, events)
    assert written_state() == before


@pytest.mark.parametrize(
    "new_due_at",
    [
        "2027-11-23T14:00:01+07:00",  # 365 days and a second after the appointment
        "2062-11-30T16:00:00+07:00",  # a typo for 2026
        "8200-11-30T16:00:00+07:00",  # beyond what the working calendar can count to
        "9999-12-31T23:59:59-12:00",  # not even a moment in Vietnam time: was a server error
    ],
)
def test_an_apology_moving_the_appointment_more_than_365_days_is_refused(
    received, people, new_due_at
):
    before = written_state()

    response = post(
        people.leader,
        "apologize",
        {"expected_revision": 2, "reason": "Cần xác minh thêm", "new_due_at": new_due_at},
    )

    assert response.status_code == 400, response.content
    assert error_of(response) == {
        "code": "invalid_new_appointment",
        "message": "Ngày hẹn mới không được quá 365 ngày sau ngày hẹn trả hiện tại.",
    }
    assert written_state() == before


def test_an_apology_365_days_later_leaves_a_due_moment_that_a_supplement_can_move(
    at_specialist, people
):
    # Before the bound, an appointment past the year 8170 made the supplement asked
    # afterwards (and a withdrawal or a stop) fail: moving the due moment by the stopped
    # time left the working calendar.
    apology = {"reason": "Chờ xác minh", "new_due_at": "2027-11-23T14:00:00+07:00"}
    scan = SimpleUploadedFile("giay-chung-sinh.jpg", JPEG, content_type="image/jpeg")

    apologized = post(people.specialist, "apologize", {"expected_revision": 3, **apology})
    asked = post(
        people.specialist, "request-supplement", {"expected_revision": 4, "items": MISSING}
    )
    supplemented = multipart(
        people.applicant, "supplement", {"expected_revision": "5", "component_1": scan}
    )

    assert [apologized.status_code, asked.status_code] == [200, 200]
    assert supplemented.status_code == 200, supplemented.content
    assert supplemented.json()["status"] == "processing"


def test_a_supplement_request_of_more_than_50_items_is_refused(submitted, people):
    before = written_state()
    items = [{"name": f"Giấy tờ {n}", "reason": "Thiếu"} for n in range(51)]

    response = post(people.desk, "request-supplement", {"expected_revision": 1, "items": items})

    assert response.status_code == 400, response.content
    assert error_of(response) == {
        "code": "invalid_supplement_request",
        "message": "Yêu cầu bổ sung không hợp lệ.",
        "details": [{"field": "items", "message": "Liệt kê tối đa 50 giấy tờ cần bổ sung."}],
    }
    assert written_state() == before


def test_a_supplement_request_of_50_items_is_taken_whole(submitted, people):
    items = [{"name": f"Giấy tờ {n}", "reason": "Thiếu"} for n in range(50)]

    response = post(people.desk, "request-supplement", {"expected_revision": 1, "items": items})

    assert response.status_code == 200, response.content
    assert response.json()["events"][-1]["data"] == {"items": items}


@pytest.mark.parametrize(
    "depth",
    [33, 100_000],  # just past the limit; past what Python's decoder can read at all
)
def test_a_supplement_payload_nested_too_deep_answers_invalid_json(submitted, people, depth):
    # Both were server errors: the NUL check, then the JSON decoder, ran out of stack.
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()
    lists = depth - 2  # inside the payload object and its "form"
    payload = '{"form": {"ho_ten": ' + "[" * lists + "]" * lists + "}}"

    response = multipart(
        people.applicant, "supplement", {"expected_revision": "2", "payload": payload}
    )

    assert response.status_code == 400, response.content
    assert error_of(response) == {
        "code": "invalid_json",
        "message": "Trường payload lồng nhau quá 32 cấp.",
    }
    assert written_state() == before


def test_a_supplement_payload_32_levels_deep_is_judged_by_the_eform(submitted, people):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    payload = '{"form": {"ho_ten": ' + "[" * 30 + "]" * 30 + "}}"

    response = multipart(
        people.applicant, "supplement", {"expected_revision": "2", "payload": payload}
    )

    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "invalid_supplement"


# --- Actions the dossier's state does not allow -------------------------------------------------

WRONG_STATE = [
    ("receive", "received", "desk", {}),
    ("refuse", "received", "desk", {"reason": "Sai thủ tục"}),
    # A blank reason too: the state is what the officer must learn first.
    ("refuse", "received", "desk", {"reason": "  "}),
    ("request-supplement", "result_ready", "desk", {"items": MISSING}),
    ("return", "received", "desk", {"method": "desk"}),
    ("stop", "result_ready", "leader", {"reason": "Có tranh chấp"}),
    ("withdraw", "result_ready", "applicant", {"reason": "Nộp nhầm"}),
]


@pytest.mark.parametrize(("action", "state", "who", "fields"), WRONG_STATE)
def test_an_action_the_state_does_not_allow_answers_409_and_changes_nothing(
    request, people, action, state, who, fields
):
    revision = request.getfixturevalue(state).revision
    before = written_state()

    response = post(getattr(people, who), action, {"expected_revision": revision, **fields})

    assert response.status_code == 409, response.content
    assert error_of(response)["code"] == "transition_not_allowed"
    assert written_state() == before


def test_a_dossier_stopped_after_its_supplement_is_refused_a_request_for_its_state(
    at_specialist, people
):
    # Given a dossier asked for papers once during processing, then stopped while waiting
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    stopped = dossier_stop(
        dossier=at_specialist, reason="Có tranh chấp", actor=people.leader, expected_revision=4
    )
    before = written_state()

    # When the desk asks for papers again
    response = post(
        people.desk, "request-supplement", {"expected_revision": stopped.revision, "items": MISSING}
    )

    # Then it learns the dossier is stopped, not that papers were asked once already
    assert response.status_code == 409
    assert error_of(response)["code"] == "transition_not_allowed"
    assert written_state() == before


def test_an_officer_acting_from_a_page_made_stale_learns_that_before_whose_step_it_is(
    at_specialist, people
):
    # Given the desk completed its step (revision 2 to 3) from one tab, the dossier now at
    # the specialist's step
    before = written_state()

    # When the desk completes the step again from a tab still showing revision 2
    response = post(people.desk, "complete-step", {"expected_revision": 2})

    # Then it is told the dossier changed, not that the specialist's step is not theirs
    assert response.status_code == 409
    assert error_of(response)["code"] == "dossier_conflict"
    assert written_state() == before
    # and with the revision it reads now, it is told the step is not theirs
    response = post(people.desk, "complete-step", {"expected_revision": at_specialist.revision})
    assert response.status_code == 403


# --- Files: nothing stored when the action is refused -------------------------------------------


def test_a_result_over_10_mb_is_refused_and_nothing_is_stored(at_specialist, people):
    before = written_state()
    big = SimpleUploadedFile("ket-qua.pdf", b"%PDF-" + bytes(MAX_FILE_BYTES))

    response = multipart(people.specialist, "result", {"expected_revision": "3", "file": big})

    assert response.status_code == 400
    assert error_of(response)["details"] == [
        {"field": "file", "message": "Tệp “ket-qua.pdf” lớn hơn 10 MB."}
    ]
    assert written_state() == before


def test_a_result_for_a_dossier_whose_result_is_ready_is_refused_and_not_stored(
    result_ready, people
):
    before = written_state()
    scan = SimpleUploadedFile("ket-qua-2.pdf", PDF + b"% second\n")

    response = multipart(people.desk, "result", {"expected_revision": "6", "file": scan})

    assert response.status_code == 409
    assert error_of(response)["code"] == "transition_not_allowed"
    assert written_state() == before


@pytest.mark.parametrize(
    ("action", "who", "fields"),
    [
        ("result", "specialist", {"expected_revision": "3", "file": PDF}),
        ("supplement", "applicant", {"expected_revision": "3", "component_1": PDF}),
    ],
)
def test_a_file_for_an_unknown_dossier_is_not_stored(at_specialist, people, action, who, fields):
    before = written_state()
    files = {
        name: SimpleUploadedFile("tep.pdf", value) if isinstance(value, bytes) else value
        for name, value in fields.items()
    }

    response = multipart(getattr(people, who), action, files, code="000.00.01.H37-261120-9999")

    assert response.status_code == 404
    assert error_of(response)["code"] == "dossier_not_found"
    assert written_state() == before
