"""Acting on a dossier from its page: each form posts, the page comes back with a message.

Allowed actions redirect to the dossier with a flash message (post/redirect/get); denied,
conflicting or bad ones show the page again with the message and change nothing.
"""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.catalog.models import Procedure
from sen.catalog.tests.samples import docx
from sen.core.models import AuditEntry
from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.tests.factories import PDF
from sen.dossiers.tests.state import written_state
from sen.portal.tests.html import text_of
from sen.workspace.tests.conftest import fresh

pytestmark = pytest.mark.django_db

PERSONAL_DATA_READ = "dossiers.dossier.personal_data_read"


def snapshot() -> dict[str, Any]:
    """Return what a refused action must leave unchanged."""
    state = written_state()
    # Showing the page again records the officer's read of the applicant's data, on purpose.
    state["AuditEntry"] = [e for e in state["AuditEntry"] if e["action"] != PERSONAL_DATA_READ]
    return state


def post(client, dossier: Dossier, slug: str, **data: Any):
    data.setdefault("expected_revision", fresh(dossier).revision)
    return client.post(f"/can-bo/ho-so/{dossier.code}/{slug}/", data)


def test_the_desk_receives_a_dossier_and_sees_the_receipt_slip(client, people, submitted):
    client.force_login(people.desk)

    response = post(client, submitted, "tiep-nhan", comment="Đủ giấy tờ")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/can-bo/ho-so/{submitted.code}/"
    page = client.get(response.headers["Location"]).content.decode()
    assert f"Đã tiếp nhận hồ sơ {submitted.code}." in page
    assert "receipt.pdf" in page
    assert fresh(submitted).status == "received"


def test_a_second_officer_posting_an_old_revision_gets_the_conflict_message_and_nothing_changes(
    client, people, submitted
):
    # Given the second desk officer opened the page at revision 1
    client.force_login(people.desk2)
    # and the first officer received the dossier meanwhile
    services.dossier_receive(dossier=submitted, actor=people.desk, expected_revision=1)
    before = snapshot()

    # When the second officer refuses it with the revision they saw
    response = post(client, submitted, "tu-choi", reason="Thiếu giấy tờ", expected_revision=1)

    # Then the page says someone else updated it, and nothing changed
    html = response.content.decode()
    assert response.status_code == 409
    assert f"Hồ sơ {submitted.code} vừa có cập nhật mới (trạng thái hiện tại:" in html
    assert "Hồ sơ không thay đổi." in html
    assert snapshot() == before


def test_an_officer_of_the_wrong_role_is_refused_and_nothing_changes(client, people, submitted):
    client.force_login(people.clerk)  # a clerk of the receiving agency may read, not receive
    before = snapshot()

    response = post(client, submitted, "tiep-nhan")

    assert response.status_code == 403
    assert "Chỉ cán bộ một cửa của cơ quan tiếp nhận" in response.content.decode()
    assert snapshot() == before


def test_an_officer_of_another_agency_gets_404_and_nothing_changes(client, people, submitted):
    client.force_login(people.other_desk)
    before = snapshot()

    response = post(client, submitted, "tiep-nhan")

    assert response.status_code == 404
    assert "Trần Thị Bình" not in response.content.decode()
    assert snapshot() == before
    assert not AuditEntry.objects.filter(actor=people.other_desk).exists()


def test_a_refusal_without_a_reason_is_shown_again_with_the_message(client, people, submitted):
    client.force_login(people.desk)
    before = snapshot()

    response = post(client, submitted, "tu-choi", reason="")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Trường này là bắt buộc." in page
    # The problem heads the page, announced and focused, linked to its input
    summary = re.search(
        r'<div class="error-summary" role="alert" tabindex="-1" autofocus>.*?</div>', page, re.S
    )
    assert summary is not None
    assert (
        '<a href="#tu-choi-reason">Lý do từ chối (gửi cho người nộp): Trường này là bắt buộc.</a>'
        in summary.group(0)
    )
    assert 'id="tu-choi-reason"' in page
    assert snapshot() == before


def test_a_reason_the_browser_let_through_is_not_refused_for_its_line_breaks(
    client, people, submitted
):
    # 2,000 characters as the browser counts them (its maxlength), each of the 19 line
    # breaks sent as CRLF: 2,019 bytes of text
    lines = ["Thiếu giấy tờ " + "x" * 86] * 19 + ["Thiếu giấy tờ " + "x" * 67]
    reason = "\r\n".join(lines)
    assert len(reason.replace("\r\n", "\n")) == 2000 and len(reason) == 2019
    client.force_login(people.desk)

    response = post(client, submitted, "tu-choi", reason=reason, expected_revision=1)

    assert response.status_code == 302
    # and the reason is kept with its line breaks, one character each
    assert fresh(submitted).events.last().data["reason"] == "\n".join(lines)


def test_the_supplement_request_lists_every_missing_item_once(client, people, submitted):
    client.force_login(people.desk)

    incomplete = post(client, submitted, "yeu-cau-bo-sung", item_1="Giấy chứng sinh", reason_1="")
    done = post(
        client,
        submitted,
        "yeu-cau-bo-sung",
        item_1="Giấy chứng sinh",
        reason_1="Bản chụp bị mờ",
        item_2="Giấy ủy quyền",
        reason_2="Chưa chứng thực",
    )

    assert incomplete.status_code == 400
    assert "Hãy nêu lý do cần bổ sung giấy tờ này." in incomplete.content.decode()
    assert done.status_code == 302
    dossier = fresh(submitted)
    assert dossier.status == "supplement_requested"
    assert dossier.events.last().data["items"] == [
        {"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"},
        {"name": "Giấy ủy quyền", "reason": "Chưa chứng thực"},
    ]


def test_the_supplement_request_offers_the_procedures_papers_by_name(client, people, submitted):
    client.force_login(people.desk)

    html = client.get(f"/can-bo/ho-so/{submitted.code}/").content.decode()

    # Each item's input suggests the procedure's papers, and takes any other name typed.
    papers = re.search(r'<datalist id="supplement-papers" lang="vi">(.*?)</datalist>', html, re.S)
    assert papers is not None
    names = [c.name for c in submitted.procedure.components.order_by("position")]
    assert re.findall(r'<option value="([^"]+)">', papers.group(1)) == names
    assert html.count('list="supplement-papers"') == 10


def test_ten_missing_papers_can_be_listed_the_last_seven_folded_until_used(
    client, people, submitted
):
    client.force_login(people.desk)

    # The page shows three rows, and seven more under "more papers", folded
    html = client.get(f"/can-bo/ho-so/{submitted.code}/").content.decode()
    more = re.search(r'<details class="ws-more"( open)?>(.*?)</details>', html, re.S)
    assert more is not None and more.group(1) is None
    assert more.group(2).count('list="supplement-papers"') == 7

    # A problem in a folded row shows it open, with what was typed
    rows = {f"item_{n}": f"Giấy tờ {n}" for n in range(1, 11)}
    reasons = {f"reason_{n}": f"Thiếu bản {n}" for n in range(1, 10)}
    incomplete = post(client, submitted, "yeu-cau-bo-sung", **rows, **reasons)
    html = incomplete.content.decode()
    assert incomplete.status_code == 400
    assert '<details class="ws-more" open>' in html and 'value="Giấy tờ 10"' in html

    # and all ten are asked for at once
    done = post(client, submitted, "yeu-cau-bo-sung", **rows, **reasons, reason_10="Thiếu")
    assert done.status_code == 302
    items = fresh(submitted).events.last().data["items"]
    assert [item["name"] for item in items] == [f"Giấy tờ {n}" for n in range(1, 11)]


BIRTH_CERTIFICATE = {"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}
PROXY = {"name": "Giấy ủy quyền", "reason": "Chưa chứng thực"}


def walk_in_asked_for(submit, people, *items: dict[str, str]) -> Dossier:
    """Return a dossier entered at the desk (no account), asked at intake for ``items``."""
    dossier = submit(channel="desk", applicant=None, actor=people.desk)
    return services.dossier_request_supplement(
        dossier=dossier, items=list(items), actor=people.desk, expected_revision=1
    )


def test_the_desk_takes_in_the_supplement_a_walk_in_applicant_brings(client, people, submit):
    # Given a dossier entered at the desk (no account), asked for two papers at intake
    dossier = walk_in_asked_for(submit, people, BIRTH_CERTIFICATE, PROXY)
    client.force_login(people.desk)

    # When the applicant comes back with the papers, and the desk opens the dossier
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    before = snapshot()
    empty = post(client, dossier, "nhan-bo-sung")
    unchanged = snapshot() == before
    done = post(
        client,
        dossier,
        "nhan-bo-sung",
        requested_2=SimpleUploadedFile("uy-quyen.pdf", PDF, "application/pdf"),
    )

    # Then the page offers one input per paper asked for, and takes them in for the applicant
    form = re.search(r'<form[^>]*nhan-bo-sung/".*?</form>', page, re.S)
    assert form is not None
    assert re.findall(r'name="(requested_\d+)"', form.group()) == ["requested_1", "requested_2"]
    assert "Giấy ủy quyền" in form.group() and "Chưa chứng thực" in form.group()
    assert "<summary>Nhận hồ sơ bổ sung thay người nộp</summary>" in page
    assert empty.status_code == 400
    assert "Hãy đính kèm ít nhất một giấy tờ bổ sung." in empty.content.decode()
    assert unchanged  # the empty form changed nothing
    assert done.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == "submitted"
    assert dossier.events.last().actor == people.desk
    assert [f.requested_item for f in dossier.files.filter(requested_item__gt="")] == [
        "Giấy ủy quyền"
    ]


def test_the_desk_supplement_form_shown_again_after_a_mistake_still_names_each_paper(
    client, people, submit
):
    # Given a walk-in's dossier asked for two papers
    dossier = walk_in_asked_for(submit, people, BIRTH_CERTIFICATE, PROXY)
    client.force_login(people.desk)

    # When the desk sends a file that is not a scan for the first paper
    response = post(
        client,
        dossier,
        "nhan-bo-sung",
        requested_1=SimpleUploadedFile("ghi-chu.pdf", b"not a PDF", "application/pdf"),
    )

    # Then the form comes back with each input under its paper's name and reason, and why
    assert response.status_code == 400
    form = re.search(r'<form[^>]*nhan-bo-sung/".*?</form>', response.content.decode(), re.S)
    assert form is not None
    labels = re.findall(
        r'<label for="nhan-bo-sung-(requested_\d+)"><span lang="vi">([^<*]+)', form.group()
    )
    assert [(name, label.strip()) for name, label in labels] == [
        ("requested_1", "Giấy chứng sinh"),
        ("requested_2", "Giấy ủy quyền"),
    ]
    assert "Bản chụp bị mờ" in form.group() and "Chưa chứng thực" in form.group()
    assert "Requested" not in form.group()
    assert "Tệp “ghi-chu.pdf” không phải PDF, JPEG hoặc PNG." in form.group()


@pytest.mark.parametrize(("office_documents", "offered"), [(False, False), (True, True)])
def test_the_desk_supplement_form_offers_word_and_excel_only_where_the_procedure_takes_them(
    client, people, submit, office_documents, offered
):
    # Given a walk-in's dossier asked for a paper, for a procedure that takes Office
    # documents or not
    dossier = walk_in_asked_for(submit, people, BIRTH_CERTIFICATE)
    type(dossier.procedure).objects.filter(pk=dossier.procedure.pk).update(
        accepts_office_documents=office_documents
    )
    client.force_login(people.desk)

    # When the desk opens it
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    # Then the file picker offers PDF and images, and Word and Excel only if the procedure
    # takes them
    accept = re.search(r'<input type="file" name="requested_1"[^>]*accept="([^"]+)"', page)
    assert accept is not None
    assert ".pdf" in accept.group(1)
    assert (".docx" in accept.group(1), ".xlsx" in accept.group(1)) == (offered, offered)


@pytest.mark.parametrize("office_documents", [False, True])
def test_the_desk_supplement_form_refuses_a_file_with_the_kinds_the_procedure_takes(
    client, people, submit, office_documents
):
    # Given a walk-in's dossier asked for a paper, for a procedure that takes Office
    # documents or not
    dossier = walk_in_asked_for(submit, people, BIRTH_CERTIFICATE)
    Procedure.objects.filter(pk=dossier.procedure.pk).update(
        accepts_office_documents=office_documents
    )
    client.force_login(people.desk)
    before = snapshot()

    # When the desk sends a text file for it, and then a Word document
    text = post(
        client,
        dossier,
        "nhan-bo-sung",
        requested_1=SimpleUploadedFile("ghi-chu.txt", b"ghi chu", "text/plain"),
    )
    unchanged = snapshot() == before
    word = post(
        client,
        dossier,
        "nhan-bo-sung",
        requested_1=SimpleUploadedFile("giay-chung-sinh.docx", docx(), "application/msword"),
    )

    # Then the text file's refusal, by its field, lists the kinds this procedure takes, not
    # every kind; the Word document is taken only where the procedure takes it
    refusal = text.content.decode()
    assert text.status_code == 400 and unchanged
    if office_documents:
        assert "không phải PDF, JPEG, PNG hay tài liệu Word, Excel" in refusal
        assert word.status_code == 302
        assert fresh(dossier).files.filter(original_name="giay-chung-sinh.docx").exists()
    else:
        assert "Tệp “ghi-chu.txt” không phải PDF, JPEG hoặc PNG." in refusal
        assert "Word" not in text_of(refusal)
        assert word.status_code == 400
        assert "Tệp “giay-chung-sinh.docx” không phải PDF, JPEG hoặc PNG." in word.content.decode()
        assert snapshot() == before and fresh(dossier).status == "supplement_requested"


def test_the_desk_sending_a_paper_the_request_did_not_ask_for_is_refused(client, people, submit):
    # Given a walk-in's dossier asked for one paper
    dossier = walk_in_asked_for(submit, people, BIRTH_CERTIFICATE)
    client.force_login(people.desk)
    before = snapshot()

    # When the desk sends a file as a second paper (a page of another dossier, say)
    response = post(
        client,
        dossier,
        "nhan-bo-sung",
        requested_2=SimpleUploadedFile("khac.pdf", PDF, "application/pdf"),
    )

    # Then the service refuses it, the page says why, and nothing changed
    assert response.status_code == 400
    assert "Yêu cầu bổ sung không có giấy tờ thứ 2." in response.content.decode()
    assert snapshot() == before
    assert fresh(dossier).status == "supplement_requested"


def test_the_desk_records_a_withdrawal_only_for_an_applicant_without_an_account(
    client, people, submit, submitted
):
    # Given a dossier entered at the desk (no account) and one sent online
    walk_in = submit(channel="desk", applicant=None, actor=people.desk)
    client.force_login(people.desk)

    # When the desk opens each, and records a written request to withdraw on each
    walk_in_page = client.get(f"/can-bo/ho-so/{walk_in.code}/").content.decode()
    online_page = client.get(f"/can-bo/ho-so/{submitted.code}/").content.decode()
    before = snapshot()
    online = post(client, submitted, "rut-ho-so", reason="Theo đơn")
    unchanged = snapshot() == before
    done = post(client, walk_in, "rut-ho-so", reason="Người nộp đề nghị rút, có đơn")

    # Then only the walk-in's page offers it, and only the walk-in's dossier is withdrawn
    assert 'id="rut-ho-so"' in walk_in_page
    assert "<summary>Rút hồ sơ theo đơn của người nộp</summary>" in walk_in_page
    assert 'id="rut-ho-so"' not in online_page
    assert online.status_code == 403
    assert "Chỉ người nộp hồ sơ mới được rút hồ sơ." in online.content.decode()
    assert unchanged
    assert done.status_code == 302
    assert fresh(walk_in).status == "withdrawn"
    assert fresh(walk_in).events.last().actor == people.desk


def test_processing_through_the_steps_to_the_returned_result(client, people, received, clock):
    # The desk completes its step, the department's specialist theirs
    client.force_login(people.desk)
    assert post(client, received, "hoan-thanh-buoc", comment="Đủ").status_code == 302
    client.force_login(people.specialist)
    assert post(client, received, "hoan-thanh-buoc").status_code == 302

    # The leader cannot approve before a result is attached: the form is not offered
    client.force_login(people.leader)
    page = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()
    assert "hoan-thanh-buoc" not in page and "dinh-kem-ket-qua" in page
    refused = post(client, received, "hoan-thanh-buoc")
    assert refused.status_code == 409
    assert "Hãy đính kèm kết quả giải quyết" in refused.content.decode()

    # The leader attaches the result and approves
    result = SimpleUploadedFile("giay-khai-sinh.pdf", PDF, content_type="application/pdf")
    attached = client.post(
        f"/can-bo/ho-so/{received.code}/dinh-kem-ket-qua/",
        {"expected_revision": fresh(received).revision, "file": result},
    )
    assert attached.status_code == 302
    assert post(client, received, "hoan-thanh-buoc").status_code == 302
    assert fresh(received).status == "result_ready"

    # The desk returns it by post: the tracking number is required
    client.force_login(people.desk)
    missing = post(client, received, "tra-ket-qua", method="post")
    assert missing.status_code == 400
    assert "Hãy nhập số hiệu bưu gửi" in missing.content.decode()
    returned = post(client, received, "tra-ket-qua", method="post", postal_tracking_number="EB1VN")
    assert returned.status_code == 302
    assert (fresh(received).status, fresh(received).postal_tracking_number) == (
        "returned",
        "EB1VN",
    )
    # and the history says how it went back
    history = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()
    history = history.split('class="ws-history"')[1]
    assert "Trả qua dịch vụ bưu chính công ích, số hiệu bưu gửi EB1VN" in history


def return_methods(html: str) -> list[str]:
    """Return the return methods the page's return form offers."""
    form = re.search(r'<form[^>]*tra-ket-qua/".*?</form>', html, re.S)
    assert form is not None
    return re.findall(r'name="method" value="([^"]+)"', form.group())


def test_the_desk_returns_a_walk_ins_result_at_the_desk_or_by_post_not_electronically(
    client, people, walk_in_ready
):
    # Given a walk-in's dossier (no account) with its result ready
    client.force_login(people.desk)

    # When the desk opens it, then sends an electronic return all the same (an old page)
    page = client.get(f"/can-bo/ho-so/{walk_in_ready.code}/").content.decode()
    before = snapshot()
    refused = post(client, walk_in_ready, "tra-ket-qua", method="electronic")
    unchanged = snapshot() == before
    done = post(client, walk_in_ready, "tra-ket-qua", method="desk")

    # Then the form offers the desk and the post only; the electronic return is refused
    # with the reason and changes nothing, and the desk's return is done
    assert return_methods(page) == ["desk", "post"]
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "không có tài khoản nên không nhận được kết quả điện tử" in html
    assert return_methods(html) == ["desk", "post"]
    assert unchanged
    assert done.status_code == 302
    assert fresh(walk_in_ready).return_method == "desk"
    # and the history says who took the result: the applicant, since no one else was named
    assert (
        "Trả trực tiếp tại Bộ phận Một cửa, người nhận: " in client.get(done.url).content.decode()
    )


def test_the_desk_records_who_took_the_result_for_the_applicant(client, people, walk_in_ready):
    client.force_login(people.desk)

    done = post(
        client,
        walk_in_ready,
        "tra-ket-qua",
        method="desk",
        recipient="Lê Văn Cường, CCCD 037090001111, theo giấy ủy quyền",
    )

    assert done.status_code == 302
    event = fresh(walk_in_ready).events.last()
    assert event.data["recipient"] == "Lê Văn Cường, CCCD 037090001111, theo giấy ủy quyền"
    page = client.get(done.url).content.decode()
    assert (
        "Trả trực tiếp tại Bộ phận Một cửa, người nhận: Lê Văn Cường, CCCD 037090001111, "
        "theo giấy ủy quyền"
    ) in page


def test_an_online_applicants_result_may_be_returned_electronically(client, people, submitted):
    # Given an online dossier with its result ready
    Dossier.objects.filter(pk=submitted.pk).update(status="result_ready")
    client.force_login(people.desk)

    page = client.get(f"/can-bo/ho-so/{submitted.code}/").content.decode()

    assert return_methods(page) == ["electronic", "desk", "post"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("ket-qua.exe", b"MZ\x90\x00", "Tệp “ket-qua.exe” không phải PDF, JPEG hoặc PNG."),
        ("ket-qua.pdf", b"", "Tệp “ket-qua.pdf” rỗng."),
        ("ket-qua.docx", b"PK\x03\x04", "Tệp “ket-qua.docx” không phải PDF, JPEG hoặc PNG."),
    ],
    ids=["mistyped", "empty", "office-document"],
)
def test_a_bad_result_file_is_refused_by_its_field_in_the_services_words(
    client, people, received, name, content, problem
):
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)
    client.force_login(people.specialist)
    before = snapshot()

    response = client.post(
        f"/can-bo/ho-so/{received.code}/dinh-kem-ket-qua/",
        {"expected_revision": 3, "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f'<p class="error" id="dinh-kem-ket-qua-file_error">{problem}</p>' in page
    assert "ws-error" not in page  # the form refused it: the service was not asked
    assert snapshot() == before


def test_the_specialist_drafts_the_result_on_the_page_from_the_procedures_results(
    client, people, received
):
    # Given a dossier at the specialist's step, whose procedure lists two results
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)
    Procedure.objects.filter(pk=received.procedure_id).update(
        results=["Giấy khai sinh", "Trích lục khai sinh"]
    )
    client.force_login(people.specialist)

    page = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()
    before = snapshot()
    blank = post(client, received, "soan-ket-qua", result_title="Giấy khai sinh", content="  ")
    after_blank = snapshot()
    drafted = post(
        client,
        received,
        "soan-ket-qua",
        result_title="Giấy khai sinh",
        content="Họ, tên: Nguyễn An.",
    )

    # The form offers the procedure's results and writes in the first one
    assert '<option value="Giấy khai sinh"></option><option value="Trích lục khai sinh">' in page
    assert 'name="result_title" value="Giấy khai sinh"' in page
    # A draft without its text is refused by the field, and nothing is kept
    assert blank.status_code == 400
    refused = blank.content.decode()
    assert '<p class="error" id="soan-ket-qua-content_error">' in refused
    assert re.findall(r'<details class="ws-action" id="([^"]+)" open', refused) == ["soan-ket-qua"]
    assert after_blank == before
    # The draft is attached as the result, and the page links it
    assert drafted.status_code == 302
    after = client.get(drafted.url).content.decode()
    assert "Đã soạn văn bản kết quả của hồ sơ" in after
    assert f"/can-bo/ho-so/{received.code}/ket-qua/1/" in after
    assert "giay-khai-sinh.pdf" in after
    assert fresh(received).results.get().content_type == "application/pdf"


def test_the_leader_apologizes_with_a_new_appointment_once(client, people, received):
    client.force_login(people.leader)

    bad = post(client, received, "xin-loi-hen-lai", reason="Chậm", new_due_at="2026-11-23T10:00")
    good = post(client, received, "xin-loi-hen-lai", reason="Chậm", new_due_at="2026-11-25T16:00")
    again = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()

    assert bad.status_code == 400
    assert "Ngày hẹn mới phải sau ngày hẹn trả hiện tại." in bad.content.decode()
    assert good.status_code == 302
    assert fresh(received).due_at.isoformat() == "2026-11-25T09:00:00+00:00"
    assert "xin-loi-hen-lai" not in again
    assert "apology.pdf" in again


def test_the_leader_stops_processing_with_a_reason(client, people, received):
    client.force_login(people.leader)

    page = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()
    assert 'name="legal_basis"' in page  # the provision, optional

    response = post(
        client,
        received,
        "dung-giai-quyet",
        reason="Theo đề nghị của người nộp",
        legal_basis="khoản 3 Điều 16 Luật Hộ tịch",
    )

    assert response.status_code == 302
    assert fresh(received).status == "stopped"
    assert "stop-notice.pdf" in client.get(response.headers["Location"]).content.decode()
    stop = fresh(received).events.last()
    assert stop.data == {
        "reason": "Theo đề nghị của người nộp",
        "legal_basis": "khoản 3 Điều 16 Luật Hộ tịch",
    }


def test_an_unknown_action_and_a_get_are_not_actions(client, people, submitted):
    client.force_login(people.desk)
    before = snapshot()

    assert post(client, submitted, "xoa-ho-so").status_code == 404
    # A refused action's page is at the action's address: a reload or the language switcher
    # asks for it again by GET, and is taken to the dossier's page, not a blank 405
    again = client.get(f"/can-bo/ho-so/{submitted.code}/tiep-nhan/")
    assert (again.status_code, again.url) == (302, f"/can-bo/ho-so/{submitted.code}/")
    assert client.put(f"/can-bo/ho-so/{submitted.code}/tiep-nhan/").status_code == 405
    assert snapshot() == before


# --- Bad input: said in Vietnamese, where the officer sees it ---------------------------------


def test_a_new_appointment_more_than_365_days_later_is_refused_with_the_reason(
    client, people, received
):
    client.force_login(people.leader)
    before = snapshot()

    # 2062 typed for 2026
    response = post(
        client, received, "xin-loi-hen-lai", reason="Chậm", new_due_at="2062-11-25T16:00"
    )

    assert response.status_code == 400
    assert "Ngày hẹn mới không được quá 365 ngày sau ngày hẹn trả hiện tại." in (
        response.content.decode()
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11-29T10:00",  # a Sunday
        "2026-11-26T20:00",  # a Thursday evening
        "2026-11-26T12:30",  # the lunch break
    ],
)
def test_a_new_appointment_when_the_office_is_closed_is_refused_and_the_input_kept(
    client, people, received, typed
):
    # The apology letter gives the applicant this moment, and it can be set only once.
    client.force_login(people.leader)
    before = snapshot()

    response = post(client, received, "xin-loi-hen-lai", reason="Cần xác minh", new_due_at=typed)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Ngày giờ hẹn mới phải trong giờ làm việc của một ngày làm việc" in page
    assert f'value="{typed}"' in page
    assert snapshot() == before


def test_a_new_appointment_at_closing_time_is_accepted(client, people, received):
    client.force_login(people.leader)

    response = post(
        client, received, "xin-loi-hen-lai", reason="Chậm", new_due_at="2026-11-26T17:00"
    )

    assert response.status_code == 302
    assert fresh(received).due_at.isoformat() == "2026-11-26T10:00:00+00:00"


def test_input_for_an_action_no_longer_offered_is_answered_with_why(client, people, submitted):
    # Given the desk opened the refusal form, and another officer received the dossier since
    client.force_login(people.desk)
    services.dossier_receive(dossier=submitted, actor=people.desk2, expected_revision=1)
    before = snapshot()

    # When the desk sends the form without a reason
    response = post(client, submitted, "tu-choi", reason="", expected_revision=1)

    # Then the page says the dossier can no longer be refused (the form is gone), not nothing
    assert response.status_code == 409
    assert "Không thể từ chối tiếp nhận khi hồ sơ đang ở trạng thái “Đã tiếp nhận”." in (
        response.content.decode()
    )
    assert snapshot() == before


def test_a_form_sent_without_its_revision_asks_to_reload_the_page(client, people, submitted):
    client.force_login(people.desk)
    before = snapshot()

    response = post(client, submitted, "tiep-nhan", expected_revision="")

    assert response.status_code == 400
    assert "Trang này đã cũ hoặc thiếu dữ liệu; hãy tải lại trang rồi gửi lại." in (
        response.content.decode()
    )
    assert snapshot() == before


def test_a_nul_character_is_refused_in_vietnamese(client, people, received):
    client.force_login(people.leader)
    before = snapshot()

    response = post(client, received, "dung-giai-quyet", reason="Có tranh\x00 chấp")

    assert response.status_code == 400
    assert (
        '<p class="error" id="dung-giai-quyet-reason_error">'
        "Dữ liệu gửi lên có ký tự rỗng (NUL), không lưu được.</p>"
    ) in response.content.decode()
    assert snapshot() == before


def test_the_return_form_comes_with_the_way_the_applicant_registered(client, people, walk_in_ready):
    Dossier.objects.filter(pk=walk_in_ready.pk).update(result_delivery="post")
    client.force_login(people.desk)

    html = client.get(f"/can-bo/ho-so/{walk_in_ready.code}/").content.decode()

    form = re.search(r'<form[^>]*tra-ket-qua/".*?</form>', html, re.S)
    assert form is not None
    assert re.findall(r'name="method" value="([^"]+)"[^>]*checked', form.group()) == ["post"]


def test_the_specialist_takes_back_a_result_attached_by_mistake(client, people, received):
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)
    client.force_login(people.specialist)
    client.post(
        f"/can-bo/ho-so/{received.code}/dinh-kem-ket-qua/",
        {"expected_revision": 3, "file": SimpleUploadedFile("nham.pdf", PDF)},
    )
    page = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()
    # The form names the result to take back, chosen since it is the only one, with when
    # it was attached and its size (two drafts of one title share a name)
    assert re.search(r'<input type="radio" name="number" value="1"[^>]*checked', page)
    assert re.search(r"nham\.pdf \(\d\d:\d\d \d\d/\d\d/\d{4}, [\d,.]+\s\w+\)", page)
    before = snapshot()

    # Without a reason, or naming a result the dossier does not have (an old page), nothing
    # is taken back and the page says why
    refused = post(client, received, "go-ket-qua", number=1, reason="")
    assert refused.status_code == 400
    unknown = post(client, received, "go-ket-qua", number=2, reason="Nhầm")
    assert unknown.status_code == 400
    assert f"Hồ sơ {received.code} không có kết quả số 2 để gỡ." in unknown.content.decode()
    assert snapshot() == before

    response = post(client, received, "go-ket-qua", number=1, reason="Đính kèm nhầm tệp")

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert f"Đã gỡ kết quả đính kèm nhầm của hồ sơ {received.code}." in page
    assert not fresh(received).results.exists()
    # The history keeps what was attached and taken back, and why
    assert page.count("Tệp: nham.pdf") == 2
    assert "Lý do: Đính kèm nhầm tệp" in text_of(page)
    assert "go-ket-qua" not in page  # nothing left to take back
