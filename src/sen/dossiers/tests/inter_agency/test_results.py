"""The result of a dossier: taking back one attached by mistake, and reading and downloading
results and files through the API, each reader seeing only what is theirs to see.

The dossier of this package's conftest: at the leader's step on Monday 23/11/2026 with
``trich-luc.pdf`` attached by the leader (revision 5).
"""

import pytest
from django.core.files.storage import default_storage

from sen.core.errors import NotAllowed
from sen.core.models import AuditEntry
from sen.dossiers.errors import DossierConflict, ReasonRequired, ResultNotAttached
from sen.dossiers.links import applicant_page_path
from sen.dossiers.models import Dossier, DossierResult
from sen.dossiers.permissions import actions_allowed
from sen.dossiers.services import (
    dossier_attach_result,
    dossier_complete_step,
    dossier_remove_result,
    dossier_return_result,
    dossier_stop,
)
from sen.dossiers.states import Action, TransitionNotAllowed
from sen.dossiers.tests.factories import JPEG, PDF, upload
from sen.dossiers.tests.inter_agency.conftest import CODE, URL, as_user, post
from sen.dossiers.tests.state import written_state

pytestmark = pytest.mark.django_db

REASON = "Đính kèm nhầm trích lục của hồ sơ khác."
RIGHT = b"%PDF-1.7\n% the right extract\n%%EOF\n"


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


# --- Taking back a wrong result ------------------------------------------------------------------


def test_the_leader_takes_back_a_wrong_result_and_the_applicant_gets_only_the_right_one(
    at_leader, people, django_capture_on_commit_callbacks
):
    wrong = DossierResult.objects.get(dossier=at_leader)
    stored = wrong.file.name

    with django_capture_on_commit_callbacks(execute=True):
        dossier_remove_result(
            dossier=at_leader, number=1, reason=REASON, actor=people.leader, expected_revision=5
        )

    dossier = fresh(at_leader)
    assert (dossier.status, dossier.revision) == ("processing", 6)
    assert not DossierResult.objects.filter(dossier=dossier).exists()
    # The wrong file (perhaps another applicant's paper) is gone from storage
    assert not default_storage.exists(stored)
    # and the history says what was taken back, by whom and why
    event = dossier.events.last()
    assert (event.action, event.actor) == ("remove_result", people.leader)
    assert event.data == {"file": "trich-luc.pdf", "sha256": wrong.sha256, "reason": REASON}
    assert AuditEntry.objects.filter(action="dossiers.dossier.result_removed").count() == 1
    # The leader can no longer approve without a result, nor take back one not there
    allowed = actions_allowed(dossier=dossier, user=people.leader)
    assert Action.COMPLETE_STEP not in allowed
    assert Action.REMOVE_RESULT not in allowed
    assert Action.ATTACH_RESULT in allowed

    # Once the right one is attached, approved and returned, the applicant has that one only
    dossier_attach_result(
        dossier=dossier,
        upload=upload(RIGHT, "trich-luc-dung.pdf", position=0),
        actor=people.leader,
        expected_revision=6,
    )
    dossier_complete_step(dossier=dossier, actor=people.leader, expected_revision=7)
    dossier_return_result(
        dossier=dossier, method="electronic", actor=people.desk, expected_revision=8
    )
    body = as_user(people.applicant).get(f"{URL}/{CODE}").json()
    assert [(item["number"], item["name"]) for item in body["results"]] == [
        (1, "trich-luc-dung.pdf")
    ]
    download = as_user(people.applicant).get(f"{URL}/{CODE}/results/1")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == RIGHT


def test_the_applicant_and_the_tracking_page_see_nothing_of_a_result_taken_back(at_leader, people):
    # Given a wrong result, attached and taken back with a reason naming another dossier
    dossier_remove_result(
        dossier=at_leader, number=1, reason=REASON, actor=people.leader, expected_revision=5
    )

    # Then neither event is the applicant's to read (preparing the result is the officers'
    # work), in the API, on their page or on the public tracking page
    events = as_user(people.applicant).get(f"{URL}/{CODE}").json()["events"]
    tracked = as_user(None).get(f"/api/v1/tracking/{CODE}").json()["events"]
    actions = {"attach_result", "remove_result"}
    assert not actions & {event["action"] for event in events + tracked}
    assert [event["sequence"] for event in events] == [1, 2, 3, 4]
    for path in (applicant_page_path(CODE), f"/tra-cuu/{CODE}/"):
        page = as_user(people.applicant).get(path).content.decode()
        assert "kết quả đã đính kèm" not in page and "Đính kèm kết quả" not in page
        assert "trich-luc.pdf" not in page and REASON not in page
    # while the officers keep the whole record
    events = as_user(people.leader).get(f"{URL}/{CODE}").json()["events"]
    shown = {event["action"]: event["data"] for event in events}
    assert shown["attach_result"]["file"] == "trich-luc.pdf"
    assert shown["remove_result"]["reason"] == REASON


def test_of_two_results_the_one_named_is_taken_back(at_leader, people):
    dossier_attach_result(
        dossier=at_leader,
        upload=upload(JPEG, "ban-chup.jpg", position=0),
        actor=people.leader,
        expected_revision=5,
    )

    dossier_remove_result(
        dossier=at_leader, number=2, reason=REASON, actor=people.leader, expected_revision=6
    )

    names = DossierResult.objects.filter(dossier=at_leader).values_list("original_name", flat=True)
    assert list(names) == ["trich-luc.pdf"]


@pytest.mark.parametrize(
    ("number", "reason", "error", "message"),
    [
        (2, REASON, ResultNotAttached, "Hồ sơ 000.00.01.H37-261120-0001 không có kết quả số 2"),
        (1, " \u200b\ufeff ", ReasonRequired, "Hãy nêu lý do gỡ kết quả."),
    ],
)
def test_a_removal_without_its_result_or_its_reason_is_refused_and_changes_nothing(
    at_leader, people, number, reason, error, message
):
    before = written_state()

    with pytest.raises(error) as caught:
        dossier_remove_result(
            dossier=at_leader,
            number=number,
            reason=reason,
            actor=people.leader,
            expected_revision=5,
        )

    assert caught.value.status == 400
    assert message in str(caught.value.message)
    assert written_state() == before


def test_once_approved_the_result_is_not_taken_back(result_ready, people):
    # Approved, the dossier waits at the desk for its return, with its result
    before = written_state()
    with pytest.raises(TransitionNotAllowed):
        dossier_remove_result(
            dossier=result_ready, number=1, reason=REASON, actor=people.desk, expected_revision=6
        )
    with pytest.raises(DossierConflict):
        dossier_remove_result(
            dossier=result_ready, number=1, reason=REASON, actor=people.desk, expected_revision=5
        )
    assert written_state() == before


def test_an_officer_not_holding_the_step_cannot_take_the_result_back(at_leader, people):
    before = written_state()
    for someone in (people.specialist, people.desk):
        with pytest.raises(NotAllowed):
            dossier_remove_result(
                dossier=at_leader, number=1, reason=REASON, actor=someone, expected_revision=5
            )
    assert written_state() == before


def test_the_api_takes_a_result_back_for_the_holder_only(at_leader, people):
    body = {"expected_revision": 5, "number": 1, "reason": REASON}
    before = written_state()

    assert post(people.outsider, "remove-result", body).status_code == 404
    assert (
        post(people.applicant, "remove-result", body).json()["error"]["code"] == "permission_denied"
    )
    refused = post(people.leader, "remove-result", {**body, "number": "1"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "invalid_input")
    missing = post(people.leader, "remove-result", {**body, "number": 3})
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "result_not_attached")
    assert written_state() == before

    response = post(people.leader, "remove-result", body)

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["results"]) == ("processing", [])


# --- Reading and downloading through the API -----------------------------------------------------


def test_officers_read_the_results_as_soon_as_attached_the_applicant_once_returned(
    at_leader, people
):
    officer = as_user(people.leader).get(f"{URL}/{CODE}").json()
    [result] = officer["results"]
    assert (result["number"], result["name"], result["content_type"]) == (
        1,
        "trich-luc.pdf",
        "application/pdf",
    )
    assert result["size"] == len(PDF)
    download = as_user(people.leader).get(f"{URL}/{CODE}/results/1")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF

    # The applicant sees no result before it is returned, and cannot download it
    assert as_user(people.applicant).get(f"{URL}/{CODE}").json()["results"] == []
    early = as_user(people.applicant).get(f"{URL}/{CODE}/results/1")
    assert (early.status_code, early.json()["error"]["code"]) == (404, "file_not_found")


@pytest.mark.parametrize("path", ["results/1", "files/1"])
def test_nobody_else_downloads_a_dossiers_files(at_leader, people, path):
    for someone in (people.stranger, people.outsider):
        response = as_user(someone).get(f"{URL}/{CODE}/{path}")
        assert (response.status_code, response.json()["error"]["code"]) == (
            404,
            "dossier_not_found",
        )
    assert as_user(None).get(f"{URL}/{CODE}/{path}").status_code == 401


def test_the_applicant_and_the_officers_download_the_files_sent_and_officers_reads_are_logged(
    at_leader, people
):
    listed = as_user(people.applicant).get(f"{URL}/{CODE}").json()["files"]
    assert [item["number"] for item in listed] == list(range(1, len(listed) + 1))

    mine = as_user(people.applicant).get(f"{URL}/{CODE}/files/1")
    assert (mine.status_code, b"".join(mine.streaming_content)) == (200, PDF)
    theirs = as_user(people.specialist).get(f"{URL}/{CODE}/files/1")
    assert (theirs.status_code, b"".join(theirs.streaming_content)) == (200, PDF)
    assert mine["Content-Disposition"] == f'attachment; filename="{listed[0]["name"]}"'
    reads = AuditEntry.objects.filter(
        action="dossiers.dossier.personal_data_read", data__purpose="file"
    )
    assert [entry.actor for entry in reads] == [people.specialist]
    for number in (0, len(listed) + 1):
        response = as_user(people.applicant).get(f"{URL}/{CODE}/files/{number}")
        assert (response.status_code, response.json()["error"]["code"]) == (404, "file_not_found")


@pytest.mark.parametrize("number", [0, -1, 1.5, None])
def test_a_result_number_that_is_no_number_of_a_result_is_refused_by_the_api(
    at_leader, people, number
):
    before = written_state()

    response = post(
        people.leader, "remove-result", {"expected_revision": 5, "number": number, "reason": REASON}
    )

    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_input")
    assert written_state() == before


@pytest.mark.parametrize("path", ["files/abc", "results/abc", "files/1.5"])
def test_a_download_number_that_is_not_a_whole_number_is_refused(at_leader, people, path):
    response = as_user(people.leader).get(f"{URL}/{CODE}/{path}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_officers_read_a_result_attached_before_the_dossier_was_stopped_as_the_page_shows_it(
    at_leader, people
):
    """The workspace listed it and the API did not: one rule for both now."""
    dossier_stop(
        dossier=at_leader, reason="Có tranh chấp", actor=people.leader, expected_revision=5
    )

    [result] = as_user(people.leader).get(f"{URL}/{CODE}").json()["results"]
    download = as_user(people.leader).get(f"{URL}/{CODE}/results/1")
    page = as_user(people.leader).get(f"/can-bo/ho-so/{CODE}/").content.decode()

    assert result["name"] == "trich-luc.pdf"
    assert download.status_code == 200
    assert "trich-luc.pdf" in page
    # and the applicant, whose dossier was not returned, has none
    assert as_user(people.applicant).get(f"{URL}/{CODE}").json()["results"] == []
