"""The result document drafted in Sen (``dossier_generate_result``) instead of a file sent.

The dossier of this package's conftest, at the step of the justice department's specialist
(``at_specialist``, revision 3): the centre's leader signs the result at the last step, so
the document is issued in the centre's name, not the drafting department's
(``test_result_approval`` has a procedure where the department's leader signs).
"""

import hashlib

import pytest
from django.core.files.storage import default_storage

from sen.core.errors import NotAllowed
from sen.dossiers.citizen import event_details, shown_events
from sen.dossiers.errors import InvalidResult
from sen.dossiers.models import Dossier, DossierResult
from sen.dossiers.services import (
    dossier_complete_step,
    dossier_generate_result,
    dossier_return_result,
)
from sen.dossiers.tests.inter_agency.conftest import CODE, URL, as_user, post
from sen.dossiers.tests.pdf import pdf_text
from sen.dossiers.tests.state import written_state
from sen.tests.clock import at

pytestmark = pytest.mark.django_db

TEXT = (
    "Họ, chữ đệm, tên người được khai sinh: Nguyễn Minh An.\n"
    "Đã đăng ký khai sinh tại Sở Tư pháp, số 125, quyển số 01/2026."
)


def draft(dossier: Dossier, actor, **changes) -> DossierResult:
    fields = {
        "title": "Trích lục khai sinh",
        "content": TEXT,
        "reference": "125/TLKS-STP",
        "signer_title": "KT. Giám đốc\nPhó Giám đốc",
        "expected_revision": 3,
    }
    fields.update(changes)
    return dossier_generate_result(dossier=dossier, actor=actor, **fields)


def test_the_specialist_drafts_the_result_in_the_name_of_the_agency_that_signs_it(
    at_specialist, people, clock
):
    clock(at(20, 11))

    result = draft(at_specialist, people.specialist)

    dossier = Dossier.objects.get(pk=at_specialist.pk)
    assert (dossier.status, dossier.revision) == ("processing", 4)
    assert (result.original_name, result.content_type) == (
        "trich-luc-khai-sinh.pdf",
        "application/pdf",
    )
    with default_storage.open(result.file.name) as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == result.sha256
    assert result.size == len(content)
    text = pdf_text(content)
    for expected in (
        # The centre's leader signs it: the centre's name heads the document
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        "Số: 125/TLKS-STP",
        "ngày 20 tháng 11 năm 2026",
        "TRÍCH LỤC KHAI SINH",
        f"Cấp cho: {dossier.applicant_name}",
        "Đã đăng ký khai sinh tại Sở Tư pháp, số 125, quyển số 01/2026.",
        "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
        f"Mã hồ sơ: {CODE}",
        f"/tra-cuu/{CODE}/",
    ):
        assert expected in text
    assert "SỞ TƯ PHÁP" not in text
    event = dossier.events.last()
    assert (event.action, event.actor) == ("generate_result", people.specialist)
    assert event.data == {
        "file": "trich-luc-khai-sinh.pdf",
        "sha256": result.sha256,
        "title": "Trích lục khai sinh",
    }


def test_a_title_and_a_number_typed_over_several_lines_print_on_one(at_specialist, people):
    result = draft(
        at_specialist, people.specialist, title="Trích lục\n  khai sinh", reference="15/\nTLKS"
    )

    text = pdf_text(result.file.read())
    assert "TRÍCH LỤC KHAI SINH" in text and "Số: 15/ TLKS" in text
    assert result.original_name == "trich-luc-khai-sinh.pdf"


def test_a_drafted_result_is_approved_and_returned_as_an_attached_one(at_specialist, people, clock):
    # Given the result drafted at the specialist's step, who then hands the dossier on
    clock(at(20, 11))
    draft(at_specialist, people.specialist)
    dossier_complete_step(dossier=at_specialist, actor=people.specialist, expected_revision=4)

    # When the leader approves it and the desk returns it electronically
    clock(at(23, 9))
    dossier_complete_step(dossier=at_specialist, actor=people.leader, expected_revision=5)
    dossier_return_result(
        dossier=at_specialist, method="electronic", actor=people.desk, expected_revision=6
    )

    # Then the applicant downloads the drafted document
    answer = as_user(people.applicant).get(f"{URL}/{CODE}/results/1")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert 'filename="trich-luc-khai-sinh.pdf"' in answer["Content-Disposition"]
    assert "TRÍCH LỤC KHAI SINH" in pdf_text(b"".join(answer))


def test_the_applicant_sees_nothing_of_a_draft_before_the_result_is_returned(at_specialist, people):
    draft(at_specialist, people.specialist)

    dossier = Dossier.objects.get(pk=at_specialist.pk)

    assert "generate_result" not in {e.action for e in shown_events(dossier, by_officer=False)}
    drafted = shown_events(dossier, by_officer=True)[-1]
    assert event_details(drafted, by_officer=True)["title"] == "Trích lục khai sinh"


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"title": " \u200b "}, ["title"]),
        ({"content": "\n\n"}, ["content"]),
        ({"title": "", "content": ""}, ["title", "content"]),
        ({"title": "T" * 301}, ["title"]),
        ({"content": "N" * 10_001}, ["content"]),
        ({"reference": "1" * 51, "signer_title": "C" * 201}, ["reference", "signer_title"]),
        # Five lines of signer: the signature block would not fit its page (a server error)
        ({"signer_title": "A\nB\nC\nD\nE"}, ["signer_title"]),
        # Characters the document's font cannot draw would print as empty boxes
        ({"content": "Chúc mừng 🎉"}, ["content"]),
        ({"title": "Giấy \x07 xác nhận", "reference": "15/✓"}, ["title", "reference"]),
    ],
)
def test_a_draft_missing_its_title_or_text_or_too_long_is_refused_and_nothing_is_kept(
    at_specialist, people, changes, fields
):
    before = written_state()

    with pytest.raises(InvalidResult) as refused:
        draft(at_specialist, people.specialist, **changes)

    assert [problem["field"] for problem in refused.value.details] == fields
    assert written_state() == before


@pytest.mark.parametrize("who", ["desk", "leader", "outsider", "applicant"])
def test_only_the_officer_of_the_current_step_drafts_the_result(at_specialist, people, who):
    before = written_state()

    with pytest.raises(NotAllowed):
        draft(at_specialist, getattr(people, who))

    assert written_state() == before


def test_the_api_drafts_the_result_for_the_holder_of_the_step(at_specialist, people):
    body = {"title": "Trích lục khai sinh", "content": TEXT, "expected_revision": 3}

    outsider = post(people.outsider, "generate-result", body)
    leader = post(people.leader, "generate-result", body)
    blank = post(people.specialist, "generate-result", {**body, "content": "   "})
    unknown = post(people.specialist, "generate-result", {**body, "signer": "Giám đốc"})
    drafted = post(people.specialist, "generate-result", body)

    assert outsider.status_code == 404
    assert (leader.status_code, leader.json()["error"]["code"]) == (403, "permission_denied")
    assert (blank.status_code, blank.json()["error"]["code"]) == (400, "invalid_result")
    assert [item["field"] for item in blank.json()["error"]["details"]] == ["content"]
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (400, "invalid_input")
    assert drafted.status_code == 200
    detail = drafted.json()
    assert detail["revision"] == 4
    assert [item["name"] for item in detail["results"]] == ["trich-luc-khai-sinh.pdf"]
    assert detail["events"][-1]["action"] == "generate_result"
    # Unsigned, with "THỦ TRƯỞNG CƠ QUAN" for the signer and a blank number for the clerk
    text = pdf_text(b"".join(as_user(people.specialist).get(f"{URL}/{CODE}/results/1")))
    assert "THỦ TRƯỞNG CƠ QUAN" in text and "Số: ……/……" in text
