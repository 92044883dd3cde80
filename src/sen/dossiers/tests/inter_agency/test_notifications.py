"""Emails: the applicant hears of each status change, officers of what is due and overdue.

Tasks run inline in tests (``ImmediateBackend``); a service's notice is written to the
outbox in its transaction and its task enqueued on commit, so the tests that expect an email
run the commit callbacks with ``django_capture_on_commit_callbacks(execute=True)``.
"""

import contextlib
import io
from datetime import datetime, timedelta
from smtplib import SMTPDataError, SMTPRecipientsRefused, SMTPServerDisconnected
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from sen.core.models import AuditEntry, Role
from sen.core.timezones import short_moment
from sen.dossiers.errors import DossierConflict
from sen.dossiers.models import Dossier, DossierEvent, DossierNotice, NoticeOutcome
from sen.dossiers.notifications import (
    claim_digest,
    claim_due_soon,
    due_soon_reminders,
    overdue_digest_messages,
    overdue_digests,
)
from sen.dossiers.outbox import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    SWEEP_AFTER,
    AddressPutOff,
    MailServerDown,
    claim_notice,
    deliver_notice,
    retry_wait,
    send_pending_notices,
)
from sen.dossiers.services import (
    dossier_apologize,
    dossier_complete_step,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
    dossier_send_back,
    dossier_submit_supplement,
)
from sen.dossiers.tasks import (
    notify_status_change,
    send_due_soon_reminders,
    send_overdue_digests,
)
from sen.dossiers.tasks import send_pending_notices as sweep_task
from sen.dossiers.tests.factories import APPLICANT, officer, upload
from sen.dossiers.tests.inter_agency.conftest import MISSING
from sen.tests.clock import at
from sen.workdays.services import office_hours_set

CCCD = APPLICANT["id_number"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SATURDAY_MORNINGS = {day: [["07:30", "11:30"], ["13:30", "17:00"]] for day in WEEKDAYS} | {
    "sat": [["07:30", "11:30"]]
}


# Unlike the package's people: a second desk and the department's desk, whom mails reach.
@pytest.fixture
def people(centre: Any, department: Any, applicant: Any) -> SimpleNamespace:
    return SimpleNamespace(
        desk=officer(centre, username="motcua"),
        desk2=officer(centre, username="motcua2"),
        specialist=officer(department, Role.SPECIALIST, username="chuyenvien"),
        department_desk=officer(department, username="motcuaso"),
        leader=officer(centre, Role.LEADER, username="lanhdao"),
        applicant=applicant,
    )


def lines(message: mail.EmailMessage) -> list[str]:
    return [line.strip() for line in str(message.body).splitlines() if line.strip()]


def html_of(message: Any) -> str:
    [(content, kind)] = message.alternatives
    assert kind == "text/html"
    return str(content)


def smtp_down(*args: Any, **kwargs: Any) -> int:
    """Send nothing, as ``EmailMultiAlternatives.send`` does while the mail server is down."""
    raise OSError("SMTP server down")


def tracking(code: str) -> str:
    return f"http://127.0.0.1:8000/tra-cuu/{code}/"


# --- The applicant ---------------------------------------------------------------------------


def test_submitting_a_dossier_emails_its_applicant_that_it_arrived(
    submit, clock, procedure, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit().dossier

    [message] = mailoutbox
    assert message.to == ["binh@example.vn"]
    assert message.subject == f"[Sen] Hồ sơ {dossier.code}: Chờ tiếp nhận"
    assert f"Thủ tục: {procedure.name}" in lines(message)
    # It says what happened, not that the status "changed" (there was none before)
    assert (
        f"Hồ sơ {dossier.code} của Ông/Bà đã được gửi đến cơ quan tiếp nhận và đang chờ tiếp nhận."
    ) in lines(message)
    assert APPLICANT["id_number"] not in message.body


def test_receiving_a_dossier_emails_its_applicant_the_status_and_due_moment(
    submit, clock, people, procedure, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a dossier submitted online with the applicant's email
    dossier = submit().dossier
    # When the one-stop officer receives it on Friday 20/11/2026 at 09:00
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    # Then the applicant gets one email, in Vietnamese, with the due moment in Vietnam time
    [message] = mailoutbox
    assert message.to == ["binh@example.vn"]
    assert message.subject == f"[Sen] Hồ sơ {dossier.code}: Đã tiếp nhận"
    assert lines(message) == [
        f"Kính gửi Ông/Bà {APPLICANT['name']},",
        f"Hồ sơ {dossier.code} đã chuyển sang trạng thái mới.",
        f"Thủ tục: {procedure.name}",
        "Cơ quan tiếp nhận: Trung tâm Phục vụ hành chính công tỉnh",
        "Trạng thái: Đã tiếp nhận",
        "Hẹn trả kết quả: 14:00 23/11/2026",
        f"Theo dõi hồ sơ: {tracking(dossier.code)}",
        "Thư này được gửi tự động từ hệ thống Sen; xin đừng trả lời thư.",
    ]
    html = html_of(message)
    assert f'<a href="{tracking(dossier.code)}">' in html
    assert "Hẹn trả kết quả: 14:00 23/11/2026" in html


def test_a_supplement_request_lists_what_to_bring(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    items = [
        {"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"},
        {"name": "Tờ khai", "reason": "Thiếu chữ ký"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        dossier_request_supplement(
            dossier=dossier, items=items, actor=people.desk, expected_revision=1
        )
    [message] = mailoutbox
    assert message.subject == f"[Sen] Hồ sơ {dossier.code}: Yêu cầu bổ sung"
    body = lines(message)
    assert "Trạng thái: Yêu cầu bổ sung" in body
    start = body.index("Giấy tờ cần bổ sung:")
    assert body[start + 1 : start + 3] == [
        "- Giấy chứng sinh: Bản chụp bị mờ",
        "- Tờ khai: Thiếu chữ ký",
    ]
    assert not any(line.startswith("Hẹn trả kết quả") for line in body)


def test_a_supplement_request_links_to_the_applicants_page_where_it_is_sent(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks, client
):
    # Given a dossier submitted online from the applicant's account,
    dossier = submit().dossier
    # when the desk asks for a supplement,
    with django_capture_on_commit_callbacks(execute=True):
        dossier_request_supplement(
            dossier=dossier,
            items=[{"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}],
            actor=people.desk,
            expected_revision=1,
        )
    # then the email links to their dossier under "Hồ sơ của tôi", which has the form.
    [message] = mailoutbox
    own_page = f"http://127.0.0.1:8000/ho-so-cua-toi/{dossier.code}/"
    body = lines(message)
    start = body.index(
        "Nộp giấy tờ bổ sung tại trang hồ sơ của Ông/Bà (đăng nhập bằng tài khoản đã nộp hồ sơ):"
    )
    assert body[start + 1] == own_page
    assert f'<a href="{own_page}">Nộp giấy tờ bổ sung</a>' in html_of(message)
    assert f"Theo dõi hồ sơ: {tracking(dossier.code)}" in body
    # The page asks for the login, then shows the applicant the supplement form.
    path = own_page.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 302
    client.force_login(people.applicant)
    page = client.get(path)
    assert page.status_code == 200
    assert f'action="/ho-so-cua-toi/{dossier.code}/bo-sung/"' in page.content.decode()


def test_a_supplement_request_for_a_desk_dossier_without_an_account_links_only_to_tracking(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit(channel="desk", applicant=None, actor=people.desk).dossier
    with django_capture_on_commit_callbacks(execute=True):
        dossier_request_supplement(
            dossier=dossier,
            items=[{"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}],
            actor=people.desk,
            expected_revision=1,
        )

    [message] = mailoutbox
    assert "ho-so-cua-toi" not in message.body
    assert "ho-so-cua-toi" not in html_of(message)
    assert f"Theo dõi hồ sơ: {tracking(dossier.code)}" in lines(message)
    # but it says where the papers go
    assert (
        "Ông/Bà mang giấy tờ bổ sung đến Bộ phận Một cửa của Trung tâm Phục vụ hành chính công "
        f"tỉnh, hoặc gửi qua dịch vụ bưu chính công ích, kèm mã hồ sơ {dossier.code}."
    ) in lines(message)


def test_the_apology_says_it_is_one_with_its_reason_and_both_appointments(
    at_specialist, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    clock(at(20, 15))
    with django_capture_on_commit_callbacks(execute=True):
        dossier_apologize(
            dossier=at_specialist,
            reason="Chờ kết quả xác minh của Công an xã",
            new_due_at=at(27, 16),
            actor=people.specialist,
            expected_revision=3,
        )

    message = mailoutbox[-1]
    assert message.subject == (
        f"[Sen] Hồ sơ {at_specialist.code}: xin lỗi và hẹn lại ngày trả kết quả"
    )
    body = lines(message)
    assert body[1].startswith("Cơ quan giải quyết xin lỗi Ông/Bà vì hồ sơ")
    assert "đã chuyển sang trạng thái mới" not in message.body
    assert "Lý do chậm trả kết quả: Chờ kết quả xác minh của Công an xã" in body
    assert "Ngày hẹn trước: 14:00 23/11/2026" in body
    assert "Ngày hẹn trả mới: 16:00 27/11/2026" in body
    assert "Ngày hẹn trả mới: <strong>16:00 27/11/2026</strong>" in html_of(message)


def test_a_supplement_asked_during_processing_says_the_clock_stopped_not_the_old_date(
    at_specialist, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier_request_supplement(
            dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
        )

    body = lines(mailoutbox[-1])
    assert not any(line.startswith("Hẹn trả kết quả") for line in body)
    assert (
        "Thời hạn giải quyết tạm dừng cho đến khi cơ quan nhận đủ giấy tờ bổ sung; ngày hẹn "
        "trả sẽ được tính lại."
    ) in body


def test_the_returned_result_links_to_its_download_and_gives_no_appointment(
    result_ready, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier_return_result(
            dossier=result_ready, method="electronic", actor=people.desk, expected_revision=6
        )

    message = mailoutbox[-1]
    body = lines(message)
    assert message.subject == f"[Sen] Hồ sơ {result_ready.code}: Đã trả kết quả"
    own_page = f"http://127.0.0.1:8000/ho-so-cua-toi/{result_ready.code}/"
    assert own_page in body
    assert f'<a href="{own_page}">Tải kết quả</a>' in html_of(message)
    assert not any(line.startswith("Hẹn trả kết quả") for line in body)


def test_a_result_sent_by_post_gives_its_tracking_number(
    walk_in_ready, people, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a walk-in with an email address, without an account to look the result up
    Dossier.objects.filter(pk=walk_in_ready.pk).update(applicant_email="an@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_return_result(
            dossier=walk_in_ready,
            method="post",
            postal_tracking_number="EL123456789VN",
            actor=people.desk,
            expected_revision=walk_in_ready.revision,
        )

    # Then the email says the result left by post, with the number to follow it by
    message = mailoutbox[-1]
    line = (
        "Kết quả đã được gửi qua dịch vụ bưu chính đến địa chỉ của Ông/Bà; số hiệu bưu gửi: "
        "EL123456789VN."
    )
    assert line in lines(message)
    assert line in html_of(message)


def test_a_result_handed_over_at_the_desk_says_to_whom(
    walk_in_ready, people, mailoutbox, django_capture_on_commit_callbacks
):
    Dossier.objects.filter(pk=walk_in_ready.pk).update(applicant_email="an@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_return_result(
            dossier=walk_in_ready,
            method="desk",
            recipient="Nguyễn Văn Em (được ủy quyền)",
            actor=people.desk,
            expected_revision=walk_in_ready.revision,
        )

    body = lines(mailoutbox[-1])
    assert (
        "Kết quả đã được trao tại Bộ phận Một cửa của Trung tâm Phục vụ hành chính công tỉnh "
        "cho: Nguyễn Văn Em (được ủy quyền)."
    ) in body
    assert not any("bưu" in line for line in body)


def test_the_identity_number_of_who_took_the_result_stays_out_of_the_email_and_audit_log(
    walk_in_ready, people, mailoutbox, django_capture_on_commit_callbacks
):
    Dossier.objects.filter(pk=walk_in_ready.pk).update(applicant_email="an@example.vn")
    taken_by = "Lê Thị Cúc, CCCD 036190007777, theo giấy ủy quyền số 12/UQ"
    with django_capture_on_commit_callbacks(execute=True):
        dossier_return_result(
            dossier=walk_in_ready,
            method="desk",
            recipient=taken_by,
            actor=people.desk,
            expected_revision=walk_in_ready.revision,
        )

    # The applicant still learns who took it, and recognizes the paper by its last digits
    line = (
        "Kết quả đã được trao tại Bộ phận Một cửa của Trung tâm Phục vụ hành chính công tỉnh "
        "cho: Lê Thị Cúc, CCCD *********777, theo giấy ủy quyền số 12/UQ."
    )
    assert line in lines(mailoutbox[-1])
    assert "036190007777" not in mailoutbox[-1].body
    assert "036190007777" not in html_of(mailoutbox[-1])
    # The dossier's history keeps the whole record; the audit log, no personal data
    returned = DossierEvent.objects.get(dossier=walk_in_ready, action="return_result")
    assert returned.data["recipient"] == taken_by
    entry = AuditEntry.objects.get(action="dossiers.dossier.returned")
    assert "recipient" not in entry.data
    assert "036190007777" not in str(entry.data)


def test_a_result_to_collect_at_the_desk_says_where(walk_in_ready, people, mailoutbox):
    event = DossierEvent.objects.get(dossier=walk_in_ready, to_status="result_ready")
    Dossier.objects.filter(pk=walk_in_ready.pk).update(applicant_email="an@example.vn")
    assert deliver_notice(event.pk) is True

    body = lines(mailoutbox[-1])
    assert (
        "Mời Ông/Bà đến nhận kết quả tại Bộ phận Một cửa của Trung tâm Phục vụ hành chính công "
        "tỉnh, mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả."
    ) in body
    assert "Tải kết quả" not in mailoutbox[-1].body


def test_a_result_ready_to_send_electronically_links_to_no_download_yet(
    at_leader, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    """Ready is not returned: the applicant's page has no download until the desk returns
    it, and the email should not send them to look for one."""
    clock(at(23, 10))
    with django_capture_on_commit_callbacks(execute=True):
        dossier_complete_step(dossier=at_leader, actor=people.leader, expected_revision=5)

    message = mailoutbox[-1]
    assert message.subject.endswith("Có kết quả")
    assert "Tải kết quả" not in message.body


def test_other_notices_do_not_ask_for_a_supplement(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)

    [message] = mailoutbox
    assert "bổ sung" not in message.body
    assert "ho-so-cua-toi" not in message.body


def test_a_refusal_gives_the_reason(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=True):
        dossier_refuse(
            dossier=dossier,
            reason="Thủ tục không thuộc thẩm quyền",
            actor=people.desk,
            expected_revision=1,
        )
    [message] = mailoutbox
    assert message.subject == f"[Sen] Hồ sơ {dossier.code}: Từ chối"
    assert "Lý do từ chối: Thủ tục không thuộc thẩm quyền" in lines(message)
    assert "Lý do từ chối: Thủ tục không thuộc thẩm quyền" in html_of(message)


def test_each_status_change_sends_one_email_and_none_shows_the_cccd_or_phone(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    clock(at(20, 10))
    with django_capture_on_commit_callbacks(execute=True):
        # received → processing: a status change
        dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=2)
    clock(at(20, 11))
    with django_capture_on_commit_callbacks(execute=True):
        # processing → processing: an internal hand-off, not the applicant's business
        dossier_complete_step(dossier=dossier, actor=people.specialist, expected_revision=3)
    assert [m.subject for m in mailoutbox] == [
        f"[Sen] Hồ sơ {dossier.code}: Đã tiếp nhận",
        f"[Sen] Hồ sơ {dossier.code}: Đang xử lý",
    ]
    for message in mailoutbox:
        for text in (message.subject, message.body, html_of(message)):
            assert CCCD not in text
            assert APPLICANT["phone"] not in text
            assert APPLICANT["address"] not in text


def test_the_account_email_is_used_when_the_dossier_has_none(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit(applicant_details={**APPLICANT, "email": ""}).dossier
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    [message] = mailoutbox
    assert message.to == [people.applicant.email] == ["congdan@sen.example"]


def test_no_email_when_the_applicant_has_no_address(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a dossier without email, whose applicant account has none either
    people.applicant.email = ""
    people.applicant.save(update_fields=["email"])
    dossier = submit(applicant_details={**APPLICANT, "email": ""}).dossier
    # When it is received
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    # Then the task ran and sent nothing
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_the_notice_is_enqueued_only_after_commit(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
        # Inside the transaction: nothing sent yet
        assert mailoutbox == []
    assert mailoutbox == []
    assert len(callbacks) == 1
    # When the transaction commits
    callbacks[0]()
    assert len(mailoutbox) == 1


def test_no_notice_when_the_transaction_rolls_back(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
        raise RuntimeError("the caller fails after the service")
    assert callbacks == []
    assert mailoutbox == []
    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"


def test_a_refused_transition_enqueues_nothing(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DossierConflict),
    ):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=7)
    assert callbacks == []
    assert mailoutbox == []


def test_a_retried_task_sends_the_notice_once(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    event = DossierEvent.objects.get(dossier=dossier, action="receive")
    assert notify_status_change.call(event.pk) is False
    assert notify_status_change.call(event.pk) is False
    assert len(mailoutbox) == 1


def test_a_task_for_a_missing_event_sends_nothing(db, mailoutbox):
    assert notify_status_change.call(987654) is False
    assert mailoutbox == []


def test_a_failed_send_can_be_retried(
    submit, clock, people, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=False):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    event = DossierEvent.objects.get(dossier=dossier, action="receive")

    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMultiAlternatives, "send", smtp_down)
        with pytest.raises(OSError):
            notify_status_change.call(event.pk)
    assert mailoutbox == []
    assert notify_status_change.call(event.pk) is True
    assert len(mailoutbox) == 1


# --- The outbox: each notice exactly once ----------------------------------------------------


def notices_of(dossier: Dossier) -> list[tuple[str, str]]:
    """Return (event action, how it was closed) of each notice of the dossier, in order:
    "" for a notice not closed yet."""
    rows = DossierNotice.objects.filter(event__dossier=dossier).order_by("event__sequence")
    return [(row.event.action, row.closed_as) for row in rows]


def test_a_committed_status_change_leaves_its_notice_in_the_outbox_marked_sent(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a submitted dossier, received and then handed on twice
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=2)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_complete_step(dossier=dossier, actor=people.specialist, expected_revision=3)

    # Then each status change has one notice, sent; the internal hand-off has none
    assert notices_of(dossier) == [
        ("submit", "sent"),
        ("receive", "sent"),
        ("complete_step", "sent"),
    ]
    assert len(mailoutbox) == 3
    notice = DossierNotice.objects.get(event__dossier=dossier, event__action="receive")
    assert (notice.recipient, notice.attempts, notice.claimed_until) == (
        APPLICANT["email"],
        1,
        None,
    )


def test_a_rolled_back_transition_leaves_no_notice(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    # When the caller's transaction fails after the service
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
        raise RuntimeError("the caller fails after the service")
    # Then no notice is left to send, now or by the sweeper later
    assert notices_of(dossier) == [("submit", "")]
    clock(at(20, 9) + SWEEP_AFTER + timedelta(seconds=1))
    assert send_pending_notices() == 1  # the submission's notice only
    assert [m.subject for m in mailoutbox] == [f"[Sen] Hồ sơ {dossier.code}: Chờ tiếp nhận"]


def test_a_notice_is_sent_once_however_often_its_task_runs(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=False):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    event = DossierEvent.objects.get(dossier=dossier, action="receive")

    # When the task runs twice (a retry, or two workers), and the sweeper after it
    first = notify_status_change.call(event.pk)
    second = notify_status_change.call(event.pk)
    clock(at(20, 9) + CLAIM_LEASE + timedelta(minutes=1))
    send_pending_notices()

    # Then one email went out for the receipt
    assert (first, second) == (True, False)
    assert [m.subject for m in mailoutbox].count(f"[Sen] Hồ sơ {dossier.code}: Đã tiếp nhận") == 1


def test_the_sweeper_sends_a_notice_whose_task_was_lost(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a committed transition whose task never ran (the process died after commit)
    dossier = submit().dossier
    with django_capture_on_commit_callbacks(execute=False):
        dossier_request_supplement(
            dossier=dossier, actor=people.desk, items=MISSING, expected_revision=1
        )
    # When the sweeper runs: first too early (the task is normally a moment away)
    assert send_pending_notices() == 0
    clock(at(20, 9) + SWEEP_AFTER + timedelta(seconds=1))
    sent = send_pending_notices()
    # Then the newer notice goes out, once, and the submission's, which it supersedes, is
    # closed unsent
    assert sent == 1
    assert notices_of(dossier) == [("submit", "superseded"), ("request_supplement", "sent")]
    assert send_pending_notices() == 0
    assert [m.subject for m in mailoutbox] == [f"[Sen] Hồ sơ {dossier.code}: Yêu cầu bổ sung"]


def test_a_dossier_received_before_its_submission_was_notified_sends_one_email(
    submit, clock, people, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a submission whose notice has not gone out yet (its task is a moment away)
    dossier = submit().dossier
    # When the desk receives the dossier first
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    clock(at(20, 9) + SWEEP_AFTER + timedelta(seconds=1))
    send_pending_notices()
    submitted = DossierEvent.objects.get(dossier=dossier, action="submit")
    notify_status_change.call(submitted.pk)  # its task, late

    # Then the applicant hears once, of the receipt, and the submission's notice is closed
    # unsent as superseded (no recipient), never to be sent
    assert [m.subject for m in mailoutbox] == [f"[Sen] Hồ sơ {dossier.code}: Đã tiếp nhận"]
    notice = DossierNotice.objects.get(pk=submitted.pk)
    assert (notice.sent_at, notice.recipient, notice.closed_as) == (
        at(20, 9),
        "",
        NoticeOutcome.SUPERSEDED,
    )


def test_a_submission_notice_already_being_sent_is_not_closed_by_the_receipt(
    submit, clock, people, mailoutbox
):
    # Given a submission whose notice a sender has claimed and is sending
    dossier = submit().dossier
    submitted = DossierEvent.objects.get(dossier=dossier, action="submit")
    assert claim_notice(submitted.pk, now=timezone.now())
    # When the desk receives the dossier meanwhile
    dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    # Then that notice is left to its sender: the email may be out already
    assert notices_of(dossier)[0] == ("submit", "")


def test_a_notice_claimed_by_a_sender_that_died_is_sent_after_the_lease(
    submit, clock, people, mailoutbox
):
    dossier = submit().dossier
    event = DossierEvent.objects.get(dossier=dossier, action="submit")
    # Given a sender that claimed the notice and died before sending
    assert claim_notice(event.pk, now=timezone.now()) is True
    # Then nobody else sends it while the claim holds
    assert claim_notice(event.pk, now=timezone.now()) is False
    assert notify_status_change.call(event.pk) is False
    clock(at(20, 9) + SWEEP_AFTER + timedelta(minutes=1))
    assert send_pending_notices() == 0
    # And once the lease ran out, the sweeper sends it
    clock(at(20, 9) + CLAIM_LEASE + timedelta(seconds=1))
    assert send_pending_notices() == 1
    assert len(mailoutbox) == 1


def test_a_mail_outage_of_hours_loses_no_notice(submit, clock, people, mailoutbox, monkeypatch):
    """Tried every minute, five attempts lost every notice of a five-minute outage. Now the
    notice waits longer after each failure, and goes out once mail works again."""
    dossier = submit().dossier
    moment = at(20, 9)

    # When the mail server is down for six hours, the sweeper running every minute
    failed_sweeps = 0
    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMultiAlternatives, "send", smtp_down)
        for _minute in range(6 * 60):
            moment += timedelta(minutes=1)
            clock(moment)
            try:
                assert send_pending_notices() == 0
            except MailServerDown:
                failed_sweeps += 1
    # Then it was tried ever less often (at once, then after 1, 2, 4 … minutes), not given up,
    # and each sweep that tried it failed (cron mails those ten, not every minute's)
    notice = DossierNotice.objects.get(event__dossier=dossier)
    assert notice.attempts == failed_sweeps == 10  # minutes 1, 2, 3, 5, 9, 17, 33, 65, 129, 257
    assert notice.sent_at is None
    # and once mail works, it goes out at its next try, once
    clock(moment + retry_wait(notice.attempts))
    assert send_pending_notices() == 1
    assert send_pending_notices() == 0
    assert len(mailoutbox) == 1


def test_a_notice_that_keeps_failing_is_left_for_a_person_after_its_last_attempt(
    submit, clock, people, mailoutbox, monkeypatch, caplog
):
    dossier = submit().dossier
    moment = at(20, 9)

    # When the mail server refuses it at every try, for days
    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMultiAlternatives, "send", smtp_down)
        for _try in range(MAX_ATTEMPTS + 2):
            moment += SWEEP_AFTER + retry_wait(MAX_ATTEMPTS)
            clock(moment)
            with contextlib.suppress(MailServerDown):
                send_pending_notices()
    # Then it was tried MAX_ATTEMPTS times and is no longer tried, even once mail works,
    notice = DossierNotice.objects.get(event__dossier=dossier)
    assert (notice.attempts, notice.sent_at, notice.claimed_until) == (MAX_ATTEMPTS, None, None)
    clock(moment + CLAIM_LEASE)
    assert send_pending_notices() == 0
    assert mailoutbox == []
    # and the log says, as an error, that it was given up
    given_up = [r for r in caplog.records if r.levelname == "ERROR" and "given up" in r.message]
    assert len(given_up) == 1


def test_a_long_sweep_holds_each_notice_it_sends_until_it_is_sent(
    submit, clock, people, mailoutbox, monkeypatch
):
    """The lease of each claim runs from when it is taken. Taken from the sweep's start, a
    sweep slowed by the mail server held later notices by leases already run out, and a
    second sweeper sent them too."""
    first, second = submit().dossier, submit().dossier
    events = [DossierEvent.objects.get(dossier=d, action="submit").pk for d in (first, second)]
    moment = at(20, 9) + SWEEP_AFTER + timedelta(seconds=1)
    clock(moment)
    taken_by_another: list[bool] = []
    send = mail.EmailMultiAlternatives.send

    def slow_send(message: Any, *args: Any, **kwargs: Any) -> int:
        # While this sweep sends, another sweeper tries to take the same notice
        sending = events[len(taken_by_another)]
        taken_by_another.append(claim_notice(sending, now=timezone.now()))
        clock(timezone.now() + CLAIM_LEASE + timedelta(minutes=1))  # eleven minutes each
        return send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", slow_send)
    # (through the task the scheduled command runs, as production does)
    assert sweep_task.call() == 2

    assert taken_by_another == [False, False]
    assert len(mailoutbox) == 2


def test_a_notice_whose_message_cannot_be_written_is_logged_and_tried_again(
    submit, clock, people, mailoutbox, monkeypatch, caplog
):
    """Not only a mail server that is down: a notice that fails anywhere once claimed (its
    template, its event's data) is said in the log and tried again, never held silently."""
    dossier = submit().dossier
    clock(at(20, 9) + SWEEP_AFTER + timedelta(seconds=1))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("template error")

    with monkeypatch.context() as patch:
        patch.setattr("sen.dossiers.outbox.status_change_message", broken)
        assert send_pending_notices() == 0

    notice = DossierNotice.objects.get(event__dossier=dossier)
    assert (notice.attempts, notice.sent_at, notice.claimed_until) == (1, None, None)
    assert any("not sent (attempt 1 of" in record.message for record in caplog.records)
    assert send_pending_notices() == 1
    assert len(mailoutbox) == 1


def test_a_notice_without_an_address_is_closed_unsent(submit, clock, people, mailoutbox):
    people.applicant.email = ""
    people.applicant.save(update_fields=["email"])
    dossier = submit(applicant_details={**APPLICANT, "email": ""}).dossier
    event = DossierEvent.objects.get(dossier=dossier, action="submit")

    assert notify_status_change.call(event.pk) is False

    notice = DossierNotice.objects.get(pk=event.pk)
    assert (notice.sent_at, notice.recipient, notice.closed_as) == (
        at(20, 9),
        "",
        NoticeOutcome.NO_ADDRESS,
    )
    clock(at(20, 9) + CLAIM_LEASE + timedelta(minutes=1))
    assert send_pending_notices() == 0
    assert mailoutbox == []


def test_the_command_sweeps_the_pending_notices(submit, clock, mailoutbox):
    submit()
    clock(at(20, 9) + SWEEP_AFTER + timedelta(seconds=1))
    out = io.StringIO()

    call_command("send_dossier_reminders", "--notices", stdout=out)

    assert len(mailoutbox) == 1
    assert "1" in out.getvalue()


# --- The officers ----------------------------------------------------------------------------


def codes_in(message: Any) -> list[str]:
    """Return the dossier codes an officer's email lists, in order."""
    return [line[2:].split(" | ")[0] for line in lines(message) if line.startswith("- ")]


def received_at(submit: Any, clock: Any, desk: Any, moment: datetime) -> Dossier:
    clock(moment)
    dossier: Dossier = submit().dossier
    return dossier_receive(dossier=dossier, actor=desk, expected_revision=1)


@pytest.fixture
def desk_work(submit, clock, people) -> SimpleNamespace:
    """On Friday 20/11/2026: two dossiers at the desk's step, one at the department's.

    ``first`` received at 09:00 (step due 11:00), ``second`` at 10:00 (step due 12:00),
    ``third`` received at 09:00 and handed at 10:00 to the department's specialist (step due
    Monday 23/11 at 10:00); ``waiting`` submitted but not received. An officer whose role
    in the centre was withdrawn, and a provincial administrator, get nothing.
    """
    first = received_at(submit, clock, people.desk, at(20, 9))
    third = received_at(submit, clock, people.desk, at(20, 9))
    clock(at(20, 10))
    dossier_complete_step(dossier=third, actor=people.desk, expected_revision=2)
    second = received_at(submit, clock, people.desk, at(20, 10))
    waiting = submit().dossier
    gone = officer(first.agency, username="nghiviec")
    gone.memberships.update(is_active=False)
    officer(first.agency, Role.PROVINCE_ADMIN, username="quantri")
    return SimpleNamespace(first=first, second=second, third=third, waiting=waiting)


def test_due_soon_reminders_list_each_officers_dossiers_in_one_email(desk_work, clock, mailoutbox):
    # When the hourly reminder runs on Friday at 10:30 (one working day: to Monday 10:30)
    clock(at(20, 10, 30))
    out = io.StringIO()
    call_command("send_dossier_reminders", "--due-soon", stdout=out)
    # Then each holder of a current step gets one email listing all their dossiers
    assert out.getvalue().strip() == "Đã gửi 3 thư."
    assert [(m.to, codes_in(m)) for m in mailoutbox] == [
        (["chuyenvien@sen.example"], [desk_work.third.code]),
        (["motcua2@sen.example"], [desk_work.first.code, desk_work.second.code]),
        (["motcua@sen.example"], [desk_work.first.code, desk_work.second.code]),
    ]
    message = mailoutbox[1]
    assert message.subject == "[Sen] Hồ sơ đến hạn xử lý trong một ngày làm việc"
    assert f"- {desk_work.first.code} | Đăng ký khai sinh | hạn của bước: 11:00 20/11/2026 | " in (
        message.body
    )
    assert desk_work.first.code in html_of(message)
    # Each dossier links to the officers' page, where they act on it
    page = f"http://127.0.0.1:8000/can-bo/ho-so/{desk_work.first.code}/"
    assert f"| {page}" in message.body
    assert f'<a href="{page}">' in html_of(message)
    for sent in mailoutbox:
        assert CCCD not in sent.body
        assert APPLICANT["name"] not in sent.body


def test_an_hourly_schedule_reminds_each_step_once_and_again_when_it_starts_anew(
    desk_work, clock, people, mailoutbox
):
    """Nothing recorded a reminder: run hourly, the same list went out every hour, through
    the night and the weekend."""
    # When the reminder runs at 10:30, then every hour until Monday morning
    moment = at(20, 10, 30)
    sent = []
    while moment <= at(23, 8, 30):
        clock(moment)
        sent.append(send_due_soon_reminders.call())
        moment += timedelta(hours=1)
    # Then each officer heard of each step once, at the first run
    assert sent[0] == 3
    assert sum(sent) == 3
    assert sorted(code for m in mailoutbox for code in codes_in(m)) == sorted(
        [desk_work.first.code, desk_work.second.code] * 2 + [desk_work.third.code]
    )
    # But a step that starts again (sent back to the desk) is a new turn, reminded anew
    clock(at(23, 9))
    dossier_send_back(
        dossier=desk_work.third,
        reason="Thiếu tờ khai",
        actor=people.specialist,
        expected_revision=3,
    )
    assert send_due_soon_reminders.call() == 2  # the centre's two desk officers
    assert desk_work.third.code in codes_in(mailoutbox[-1])


def test_a_step_whose_due_moment_moved_with_a_supplement_is_reminded_again(
    at_specialist, clock, people, mailoutbox
):
    """Reminded of the step due Monday 10:00, the specialist asks for a paper; the clock
    stops, and the supplement moves the step's due moment: the old reminder no longer
    says when it is due."""
    clock(at(20, 10, 30))
    assert send_due_soon_reminders.call() == 1
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    clock(at(24, 9))
    dossier_submit_supplement(
        dossier=at_specialist, files=[upload()], actor=people.applicant, expected_revision=4
    )
    due = Dossier.objects.get(pk=at_specialist.pk).step_due_at

    clock(at(25, 9))
    sent = send_due_soon_reminders.call()

    assert sent == 1
    assert f"hạn của bước: {short_moment(due)}" in mailoutbox[-1].body


def claim_all(moment: datetime) -> list[Any]:
    """Claim every officer's due-soon reminder at ``moment``, as a run does before sending."""
    reminders = [claim_due_soon(r, now=moment) for r in due_soon_reminders(now=moment)]
    return [reminder for reminder in reminders if reminder is not None]


def test_two_runs_at_once_remind_of_each_step_once(desk_work, clock):
    # Given a run that has claimed the due steps and is still sending its emails
    first = claim_all(at(20, 10, 30))

    # When a second run starts meanwhile (a slow mail server, a second host)
    listed = due_soon_reminders(now=at(20, 10, 30))
    second = claim_all(at(20, 10, 30))

    # Then it finds nothing left to remind of
    assert len(first) == 3
    assert (listed, second) == ([], [])


def test_reminders_claimed_by_a_run_cut_off_before_sending_go_out_after_the_lease(
    desk_work, clock, mailoutbox
):
    # Given a run at 10:30 that claimed the due steps and was killed before sending
    cut_off = claim_all(at(20, 10, 30))

    # When the schedule runs again while its claim holds, and after it runs out
    clock(at(20, 10, 30) + CLAIM_LEASE - timedelta(seconds=1))
    within = send_due_soon_reminders.call()
    clock(at(20, 10, 30) + CLAIM_LEASE)
    after = send_due_soon_reminders.call()
    clock(at(20, 10, 50))
    again = send_due_soon_reminders.call()

    # Then the officers hear of each step once, from the run after the lease
    assert len(cut_off) == 3 and within == 0
    assert after == len(mailoutbox) == 3 and again == 0
    assert sorted(code for m in mailoutbox for code in codes_in(m)) == sorted(
        [desk_work.first.code, desk_work.second.code] * 2 + [desk_work.third.code]
    )


def test_reminders_that_could_not_be_sent_go_out_at_the_next_run(
    desk_work, clock, mailoutbox, settings
):
    clock(at(20, 10, 30))
    expected = len(due_soon_reminders(now=at(20, 10, 30)))
    settings.EMAIL_BACKEND = "sen.dossiers.tests.inter_agency.test_notifications.Refusing"
    with pytest.raises(MailServerDown, match="the mail server does not answer"):
        send_due_soon_reminders.call()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due_soon_reminders.call() == len(mailoutbox) == expected > 0


def test_a_step_due_after_one_working_day_is_not_reminded_yet(desk_work):
    # At 09:30 one working day reaches Monday 09:30; the specialist's step is due at 10:00.
    messages = [reminder.message for reminder in due_soon_reminders(now=at(20, 9, 30))]
    assert [(m.to, codes_in(m)) for m in messages] == [
        (["motcua2@sen.example"], [desk_work.first.code, desk_work.second.code]),
        (["motcua@sen.example"], [desk_work.first.code, desk_work.second.code]),
    ]


def test_a_step_already_past_due_is_left_to_the_digest(desk_work):
    # At 11:30 the first dossier's step (due 11:00) is late, no longer "due soon".
    messages = [reminder.message for reminder in due_soon_reminders(now=at(20, 11, 30))]
    assert [(m.to, codes_in(m)) for m in messages] == [
        (["chuyenvien@sen.example"], [desk_work.third.code]),
        (["motcua2@sen.example"], [desk_work.second.code]),
        (["motcua@sen.example"], [desk_work.second.code]),
    ]


def test_the_overdue_digest_goes_to_each_agencys_officers(
    desk_work, submit, clock, people, mailoutbox
):
    # Given also a dossier received on Monday (due Tuesday 14:00) and a refused one
    fresh = received_at(submit, clock, people.desk, at(23, 9))
    refused = submit().dossier
    dossier_refuse(dossier=refused, reason="Sai thẩm quyền", actor=people.desk, expected_revision=1)
    # When the digest runs on Wednesday 25/11 at 07:30
    clock(at(25, 7, 30))
    out = io.StringIO()
    call_command("send_dossier_reminders", "--overdue-digest", stdout=out)
    # Then the centre's officers get its late dossiers, the department's the one at its step
    # (one email to each officer: no one reads a colleague's address)
    assert out.getvalue().strip() == "Đã gửi 5 thư."
    assert [m.to for m in mailoutbox] == [
        ["lanhdao@sen.example"],
        ["motcua2@sen.example"],
        ["motcua@sen.example"],
        ["chuyenvien@sen.example"],
        ["motcuaso@sen.example"],
    ]
    centre, department = mailoutbox[0], mailoutbox[3]
    assert all(m.body == centre.body for m in mailoutbox[:3])
    # and, apart, the dossier not yet late whose desk step (due Monday 11:00) is
    assert centre.subject == (
        "[Sen] Trung tâm Phục vụ hành chính công tỉnh: 3 hồ sơ quá hạn, 1 bước xử lý quá hạn"
    )
    assert codes_in(centre) == [
        desk_work.first.code,
        desk_work.third.code,
        desk_work.second.code,
        fresh.code,
    ]
    assert f"- {desk_work.second.code} | Đăng ký khai sinh | hẹn trả: 15:00 23/11/2026 | " in (
        centre.body
    )
    assert f"- {fresh.code} | Đăng ký khai sinh | hạn của bước: 11:00 23/11/2026 | " in (
        centre.body
    )
    assert department.subject == "[Sen] Sở Tư pháp: 1 hồ sơ quá hạn"
    assert codes_in(department) == [desk_work.third.code]
    assert fresh.code not in department.body
    assert refused.code not in centre.body + department.body
    assert desk_work.waiting.code not in centre.body + department.body


def test_the_digest_goes_out_once_a_day_however_often_the_schedule_runs(
    desk_work, clock, mailoutbox
):
    # Given the digest sent on Wednesday at 07:30
    clock(at(25, 7, 30))
    first = send_overdue_digests.call()

    # When the schedule runs again that day (a retried job, a second host)
    clock(at(25, 16))
    again = send_overdue_digests.call()

    # Then nobody gets it twice; on Thursday it goes out again
    assert (first, again) == (len(mailoutbox), 0) and first > 0
    clock(at(26, 7, 30))
    assert send_overdue_digests.call() == first


def test_a_digest_that_could_not_be_sent_goes_out_at_the_next_run(
    desk_work, clock, mailoutbox, settings
):
    # Given the mail server refusing every email at 07:30
    clock(at(25, 7, 30))
    settings.EMAIL_BACKEND = "sen.dossiers.tests.inter_agency.test_notifications.Refusing"
    with pytest.raises(MailServerDown, match="the mail server does not answer"):
        send_overdue_digests.call()

    # When it answers again at 08:00, Then the day's digest goes out, every agency's
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock(at(25, 8))
    expected = len(overdue_digest_messages(now=at(25, 8)))
    assert send_overdue_digests.call() == len(mailoutbox) == expected > 1


def test_a_digest_claimed_by_a_run_cut_off_before_sending_goes_out_after_the_lease(
    desk_work, centre, department, clock, mailoutbox
):
    # Given the 07:30 run killed once it had claimed every officer's digest of the day
    for digest in overdue_digests(now=at(25, 7, 30)):
        for email in digest.emails:
            assert claim_digest(email, now=at(25, 7, 30))

    # When the schedule runs again while the claims hold, after they run out, and later
    clock(at(25, 7, 35))
    within = send_overdue_digests.call()
    clock(at(25, 8, 30))
    after = send_overdue_digests.call()
    clock(at(25, 9, 30))
    again = send_overdue_digests.call()

    # Then the day's digests go out once, from the run after the lease
    assert within == 0
    assert after == len(mailoutbox) == len(overdue_digest_messages(now=at(25, 8, 30))) > 1
    assert again == 0


class Refusing(BaseEmailBackend):
    """A mail server that does not answer."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server does not answer")


class FlakyMailServer(locmem.EmailBackend):
    """A mail server that sends one email at a time, as SMTP does: it refuses the
    addresses of ``REFUSED`` with their answer, and after ``CUT_AFTER`` emails in the
    outbox (when set) the connection drops; the other emails reach the outbox."""

    REFUSED: dict[str, tuple[int, bytes]] = {}
    CUT_AFTER: int | None = None

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            refused = {to: self.REFUSED[to] for to in message.to if to in self.REFUSED}
            if refused:
                raise SMTPRecipientsRefused(refused)
            if self.CUT_AFTER is not None and len(mail.outbox) >= self.CUT_AFTER:
                raise SMTPServerDisconnected("Connection unexpectedly closed")
            sent += super().send_messages([message])
        return sent


@pytest.fixture
def mail_server(settings, monkeypatch) -> type[FlakyMailServer]:
    """The flaky mail server, answering every address until a test says otherwise."""
    settings.EMAIL_BACKEND = f"{__name__}.FlakyMailServer"
    monkeypatch.setattr(FlakyMailServer, "REFUSED", {})
    monkeypatch.setattr(FlakyMailServer, "CUT_AFTER", None)
    return FlakyMailServer


NO_SUCH_MAILBOX = (550, b"5.1.1 No such user")
MAILBOX_FULL_FOR_NOW = (452, b"4.2.2 Mailbox full, try again later")


@pytest.mark.parametrize("refused", ["chuyenvien", "motcua2"])
def test_an_address_refused_for_good_keeps_no_other_officer_from_their_one_reminder(
    refused, desk_work, clock, mail_server, mailoutbox, caplog
):
    """One refused address failed the whole batch: every step was given back, so the
    officers before it got the same reminder at every run, those after it never did."""
    # Given a mail server that knows no such mailbox as the officer's
    mail_server.REFUSED = {f"{refused}@sen.example": NO_SUCH_MAILBOX}

    # When the reminder runs three times
    sent = []
    for minute in (30, 40, 50):
        clock(at(20, 10, minute))
        sent.append(send_due_soon_reminders.call())

    # Then every other officer gets their reminder once, and the refusal is logged once,
    # with the account, for a person to correct its address
    others = [address for address in ["chuyenvien", "motcua2", "motcua"] if address != refused]
    assert sent == [2, 0, 0]
    assert [m.to for m in mailoutbox] == [[f"{address}@sen.example"] for address in others]
    [error] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert error.getMessage().startswith(
        f"Email to {refused}@sen.example (account {refused}) refused by the mail server"
    )


def test_an_address_put_off_for_now_is_the_only_one_sent_at_the_next_run(
    desk_work, clock, mail_server, mailoutbox
):
    # Given a mail server that puts off one officer's email (a full mailbox)
    clock(at(20, 10, 30))
    mail_server.REFUSED = {"motcua2@sen.example": MAILBOX_FULL_FOR_NOW}

    # When the reminder runs, from the command as cron runs it
    with pytest.raises(CommandError) as failed:
        call_command("send_dossier_reminders", "--due-soon", stdout=io.StringIO())

    # Then the others got theirs, the run says which was put off, and the next run, once
    # the mailbox takes it, sends that one
    assert [m.to for m in mailoutbox] == [["chuyenvien@sen.example"], ["motcua@sen.example"]]
    assert "put off the emails to motcua2@sen.example" in str(failed.value)
    mail_server.REFUSED = {}
    clock(at(20, 10, 40))
    assert send_due_soon_reminders.call() == 1
    assert mailoutbox[-1].to == ["motcua2@sen.example"]
    assert codes_in(mailoutbox[-1]) == [desk_work.first.code, desk_work.second.code]


def test_a_mail_server_cut_off_midway_gets_only_the_reminders_that_did_not_go_next_time(
    desk_work, clock, mail_server, mailoutbox
):
    # Given a mail server whose connection drops after the first email
    clock(at(20, 10, 30))
    mail_server.CUT_AFTER = 1

    # When the reminder runs, it fails (cron hears of it: exit 1)
    with pytest.raises(CommandError) as failed:
        call_command("send_dossier_reminders", "--due-soon", stdout=io.StringIO())

    # Then the next run sends exactly the two that did not go: nobody gets one twice
    mail_server.CUT_AFTER = None
    clock(at(20, 10, 40))
    assert send_due_soon_reminders.call() == 2
    assert [m.to for m in mailoutbox] == [
        ["chuyenvien@sen.example"],
        ["motcua2@sen.example"],
        ["motcua@sen.example"],
    ]
    assert "1 emails sent, the rest go out at the next run" in str(failed.value)


def test_an_officer_given_the_role_later_is_reminded_of_the_steps_still_due(
    desk_work, centre, clock, mailoutbox
):
    """A step was marked reminded once, whoever held its role: an officer given the role
    after the first run never heard of it."""
    clock(at(20, 10, 30))
    assert send_due_soon_reminders.call() == 3

    # When a new desk officer joins the centre and the reminder runs again
    officer(centre, username="motcua3")
    clock(at(20, 10, 40))

    # Then only they are reminded, of the centre's steps still due
    assert send_due_soon_reminders.call() == 1
    assert mailoutbox[-1].to == ["motcua3@sen.example"]
    assert codes_in(mailoutbox[-1]) == [desk_work.first.code, desk_work.second.code]


def test_an_officer_whose_digest_is_refused_keeps_no_colleague_from_theirs(
    desk_work, clock, mail_server, mailoutbox, caplog
):
    """The centre's digest went as one batch: the leader's address, refused, gave back
    the agency's day, so the colleagues after it never got theirs."""
    # Given a mail server that knows no mailbox for the centre's leader, whose email is first
    mail_server.REFUSED = {"lanhdao@sen.example": NO_SUCH_MAILBOX}

    # When the digest runs through the morning
    sent = []
    for hour in (7, 8, 9):
        clock(at(25, hour, 30))
        sent.append(send_overdue_digests.call())

    # Then every other officer gets the day's digest once; the refusal is logged
    assert sent == [4, 0, 0]
    assert [m.to for m in mailoutbox] == [
        ["motcua2@sen.example"],
        ["motcua@sen.example"],
        ["chuyenvien@sen.example"],
        ["motcuaso@sen.example"],
    ]
    [error] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "lanhdao@sen.example (account lanhdao) refused" in error.getMessage()


def test_a_digest_cut_off_midway_goes_next_time_only_to_whom_it_did_not_reach(
    desk_work, clock, mail_server, mailoutbox
):
    # Given a mail server whose connection drops after two of the centre's three emails
    clock(at(25, 7, 30))
    mail_server.CUT_AFTER = 2
    with pytest.raises(MailServerDown) as failed:
        send_overdue_digests.call()

    # When the next run comes and the mail server answers
    mail_server.CUT_AFTER = None
    clock(at(25, 8, 30))
    sent = send_overdue_digests.call()

    # Then it sends the day's digest to the three it did not reach, and to nobody twice
    assert sent == 3
    assert [m.to for m in mailoutbox] == [
        ["lanhdao@sen.example"],
        ["motcua2@sen.example"],
        ["motcua@sen.example"],
        ["chuyenvien@sen.example"],
        ["motcuaso@sen.example"],
    ]
    assert "at the email to motcua@sen.example; 2 emails sent" in str(failed.value)


def test_a_sweep_stops_when_the_mail_server_fails_three_times_in_a_row(
    submit, clock, mailoutbox, monkeypatch
):
    # Given four notices waiting, and a mail server that does not answer
    for _dossier in range(4):
        submit()
    clock(at(20, 9) + SWEEP_AFTER + timedelta(seconds=1))
    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", smtp_down)

    # When the sweep runs, from the command as cron runs it
    with pytest.raises(CommandError) as stopped:
        call_command("send_dossier_reminders", "--notices", stdout=io.StringIO())

    # Then it stops after the third failure, the fourth notice untried, and says why
    attempts = sorted(DossierNotice.objects.values_list("attempts", flat=True))
    assert attempts == [0, 1, 1, 1]
    assert str(stopped.value).startswith(
        "Không gửi được thư (3 notices failed in a row (SMTP server down); 0 sent"
    )
    assert mailoutbox == []


def test_a_sweep_that_cannot_send_a_notice_exits_1_for_cron(
    submit, clock, people, mailoutbox, monkeypatch
):
    """Only three failures in a row stopped the sweep with an error: with one or two
    notices waiting, a sweep with the mail server down exited 0 and nobody heard of it."""
    # Given one notice waiting, and a mail server that does not answer
    submit()
    clock(at(20, 9) + SWEEP_AFTER + timedelta(seconds=1))
    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", smtp_down)

    # When the sweep runs, from the command as cron runs it, Then it exits 1 saying why
    with pytest.raises(CommandError) as failed:
        call_command("send_dossier_reminders", "--notices", stdout=io.StringIO())
    assert str(failed.value).startswith(
        "Không gửi được thư (1 notices not sent (SMTP server down); 0 sent, those are tried "
        "again later.)"
    )
    assert DossierNotice.objects.get().attempts == 1
    assert mailoutbox == []


def test_a_notice_to_an_address_refused_for_good_is_closed_after_one_attempt(
    submit, clock, mail_server, mailoutbox, caplog
):
    """Refused for good (no such mailbox), a notice was tried 13 times over 34 hours, a
    warning each time, though the mail server could only refuse it again."""
    # Given a mail server that knows no mailbox for the applicant's address
    mail_server.REFUSED = {APPLICANT["email"]: NO_SUCH_MAILBOX}
    dossier = submit().dossier
    event = DossierEvent.objects.get(dossier=dossier, action="submit")

    # When its task runs, and the sweeps of the next two days
    assert notify_status_change.call(event.pk) is False
    for moment in (at(20, 9, 5), at(20, 12), at(21, 9), at(22, 9)):
        clock(moment)
        assert send_pending_notices() == 0

    # Then it was tried once and closed unsent as refused, and the log says so once, as a
    # warning naming the event and the dossier, not the applicant's address
    notice = DossierNotice.objects.get(pk=event.pk)
    assert (notice.attempts, notice.sent_at, notice.claimed_until, notice.recipient) == (
        1,
        at(20, 9),
        None,
        "",
    )
    assert notice.closed_as == NoticeOutcome.REFUSED
    assert mailoutbox == []
    [refused] = [r for r in caplog.records if r.name == "sen.dossiers.outbox"]
    assert refused.levelname == "WARNING"
    assert refused.getMessage() == (
        f"Notice of dossier event {event.pk} (dossier {dossier.code}) refused for good by the "
        "mail server (550 5.1.1 No such user); closed unsent, not tried again; the desk can "
        "reach the applicant by phone."
    )
    assert APPLICANT["email"] not in caplog.text


def test_a_notice_whose_message_is_refused_for_good_is_logged_without_the_address(
    submit, clock, monkeypatch, caplog
):
    # Given a mail server that takes the address, then refuses the message for good,
    # repeating the address in its answer
    dossier = submit().dossier
    event = DossierEvent.objects.get(dossier=dossier, action="submit")

    def rejected(*args: Any, **kwargs: Any) -> int:
        raise SMTPDataError(554, b"5.7.1 <binh@example.vn>: message rejected")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", rejected)

    # When its task runs, Then nothing is sent, the notice is closed, and the log masks
    # the address
    assert deliver_notice(event.pk) is False
    notice = DossierNotice.objects.get(pk=event.pk)
    assert (notice.sent_at, notice.closed_as) == (at(20, 9), NoticeOutcome.REFUSED)
    assert "(554 5.7.1 <***@example.vn>: message rejected)" in caplog.text
    assert APPLICANT["email"] not in caplog.text


def test_a_sweep_goes_past_addresses_refused_for_good_to_the_next_notice(
    submit, clock, mail_server, mailoutbox
):
    """Three refused addresses in a row stopped the sweep as if the mail server were
    down, and it exited 1 though the server worked."""
    # Given three applicants whose address the mail server refuses for good, and a fourth
    refused = [f"khong-co-{n}@example.vn" for n in range(3)]
    mail_server.REFUSED = dict.fromkeys(refused, NO_SUCH_MAILBOX)
    for minute, address in enumerate([*refused, APPLICANT["email"]]):
        clock(at(20, 9, minute))
        submit(applicant_details={**APPLICANT, "email": address})

    # When the sweep runs, from the command as cron runs it
    clock(at(20, 9, 5))
    out = io.StringIO()
    call_command("send_dossier_reminders", "--notices", stdout=out)

    # Then it sends the fourth notice and closes the three others, each tried once
    assert [m.to for m in mailoutbox] == [[APPLICANT["email"]]]
    notices = DossierNotice.objects.order_by("created_at")
    assert [(n.attempts, n.sent_at, n.closed_as) for n in notices] == [
        *[(1, at(20, 9, 5), NoticeOutcome.REFUSED)] * 3,
        (1, at(20, 9, 5), NoticeOutcome.SENT),
    ]
    assert send_pending_notices() == 0


def test_the_database_refuses_a_notice_closed_without_saying_how(submit):
    # Every place that closes a notice says how (closed_as); one that forgot would write
    # a notice no one can account for
    notice = DossierNotice.objects.get(event__dossier=submit().dossier)
    pending = DossierNotice.objects.filter(pk=notice.pk)

    with pytest.raises(IntegrityError), transaction.atomic():
        pending.update(sent_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        pending.update(closed_as=NoticeOutcome.SENT)
    pending.update(sent_at=timezone.now(), closed_as=NoticeOutcome.SENT)

    assert DossierNotice.objects.get(pk=notice.pk).closed_as == NoticeOutcome.SENT


def test_a_notice_put_off_for_now_names_no_address_in_the_log_the_task_or_the_sweep(
    submit, clock, mail_server, caplog
):
    """A mail server's refusal names the address it refuses; logged with its traceback, and
    recorded by the task queue, the applicant's address went into the log and the tasks'
    table, and the sweep's message into cron's mail."""
    # Given a mail server that puts off the applicant's email, repeating the address
    mail_server.REFUSED = {APPLICANT["email"]: (452, b"4.2.2 <binh@example.vn>: mailbox full")}
    dossier = submit().dossier
    event = DossierEvent.objects.get(dossier=dossier, action="submit")

    # When its task runs, then the sweep
    with pytest.raises(AddressPutOff) as task_failure:
        notify_status_change.call(event.pk)
    clock(at(20, 9, 5))
    with pytest.raises(MailServerDown) as sweep_failure:
        send_pending_notices()

    # Then each says what the server answered, the address masked, and keeps the notice
    assert str(task_failure.value) == "452 4.2.2 <***@example.vn>: mailbox full"
    assert "***@example.vn" in str(sweep_failure.value)
    assert "***@example.vn" in caplog.text
    for text in (caplog.text, str(task_failure.value), str(sweep_failure.value)):
        assert APPLICANT["email"] not in text
    assert task_failure.value.__suppress_context__
    assert DossierNotice.objects.get(pk=event.pk).sent_at is None


def test_a_notice_put_off_for_now_is_tried_again_later(submit, clock, mail_server, mailoutbox):
    # Given a mail server that puts off the applicant's email (a full mailbox)
    mail_server.REFUSED = {APPLICANT["email"]: MAILBOX_FULL_FOR_NOW}
    dossier = submit().dossier
    clock(at(20, 9, 5))

    # When the sweep runs, it says the notice was not sent, and keeps it
    with pytest.raises(MailServerDown):
        send_pending_notices()
    notice = DossierNotice.objects.get(event__dossier=dossier)
    assert (notice.attempts, notice.sent_at) == (1, None)

    # Then once the mailbox takes it, the next sweep sends it
    mail_server.REFUSED = {}
    clock(at(20, 9, 6))
    assert send_pending_notices() == 1
    assert [m.to for m in mailoutbox] == [[APPLICANT["email"]]]


def test_no_digest_on_a_day_off_the_next_working_day_sends_it(desk_work, clock, mailoutbox):
    """The schedule fires every day, and digests went out on holidays and weekends."""
    # When the digest runs on Tuesday 24/11, the Day of Vietnamese Culture (a day off)
    clock(at(24, 7, 30))
    on_the_day_off = send_overdue_digests.call()

    # Then nobody gets it; on Wednesday's first run every officer does
    clock(at(25, 7, 30))
    assert (on_the_day_off, send_overdue_digests.call()) == (0, 5)
    assert len(mailoutbox) == 5


def test_no_due_soon_reminder_on_a_day_off_the_next_working_days_first_run_sends_it(
    submit, clock, people, mailoutbox
):
    # Given a dossier received on Monday at 16:30, its desk step due on Wednesday morning
    dossier = received_at(submit, clock, people.desk, at(23, 16, 30))
    due = Dossier.objects.get(pk=dossier.pk).step_due_at
    assert at(25, 7, 30) < due < at(25, 12)

    # When the reminder runs through Tuesday 24/11, a day off, and just after midnight
    sent = []
    for moment in (at(24, 0, 30), at(24, 9, 30), at(24, 23, 30), at(25, 0, 30)):
        clock(moment)
        sent.append(send_due_soon_reminders.call())

    # Then nobody is reminded on the day off; Wednesday's first run reminds of the step
    assert sent == [0, 0, 0, 2]
    assert [(m.to, codes_in(m)) for m in mailoutbox] == [
        (["motcua2@sen.example"], [dossier.code]),
        (["motcua@sen.example"], [dossier.code]),
    ]


def test_an_agency_open_on_saturday_mornings_gets_its_digest_on_saturday(
    desk_work, centre, clock, mailoutbox
):
    # Given Saturday 21/11, a day off on the common calendar
    clock(at(21, 7, 30))
    assert send_overdue_digests.call() == 0

    # When the centre opens on Saturday mornings, Then its officers get the day's digest
    office_hours_set(agency=centre, schedule=SATURDAY_MORNINGS, actor=None)
    clock(at(21, 8, 30))
    assert send_overdue_digests.call() == 3
    assert [m.to for m in mailoutbox] == [
        ["lanhdao@sen.example"],
        ["motcua2@sen.example"],
        ["motcua@sen.example"],
    ]


def test_a_step_late_at_another_agency_reaches_that_agency_before_its_dossier_is_late(
    desk_work, clock
):
    """The department's step was due Monday 10:00, the dossier is due at 14:00: at noon the
    step is late, and only the digest of the agency holding it says so (before, nothing did
    until the dossier itself was late)."""
    digests = overdue_digest_messages(now=at(23, 12))

    department = [m for m in digests if m.to == ["chuyenvien@sen.example"]]
    assert [codes_in(m) for m in department] == [[desk_work.third.code]]
    assert department[0].subject == "[Sen] Sở Tư pháp: 1 bước xử lý quá hạn"
    assert "hạn của bước: 10:00 23/11/2026" in department[0].body
    centre = [m for m in digests if m.to == ["motcua@sen.example"]]
    assert desk_work.third.code not in centre[0].body


def test_no_reminder_when_nothing_is_due(db, mailoutbox):
    assert send_due_soon_reminders.call(now=at(20, 10).isoformat()) == 0
    assert overdue_digest_messages(now=at(20, 10)) == []
    assert mailoutbox == []


def test_the_command_needs_one_mode(db):
    with pytest.raises(CommandError):
        call_command("send_dossier_reminders")
    with pytest.raises(CommandError):
        call_command("send_dossier_reminders", "--due-soon", "--overdue-digest")


def test_the_command_can_enqueue_instead_of_sending(desk_work, clock, mailoutbox):
    clock(at(20, 10, 30))
    out = io.StringIO()
    call_command("send_dossier_reminders", "--due-soon", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Đã đưa vào hàng đợi: ")
    assert len(mailoutbox) == 3  # the test settings run queued tasks at once


@pytest.mark.parametrize("count", [1, 20])
def test_reminders_cost_the_same_queries_for_1_or_20_dossiers(
    count, submit, clock, people, django_assert_num_queries
):
    for _index in range(count):
        received_at(submit, clock, people.desk, at(20, 9))
    due_soon_reminders(now=at(20, 9, 30))  # warm the process's calendar cache
    overdue_digest_messages(now=at(25, 9))
    # Due soon: the dossiers with their step, procedure and agencies; the officers; the
    # reminders already sent. The agency's calendar comes from the process's cache.
    with django_assert_num_queries(3):
        assert len(due_soon_reminders(now=at(20, 9, 30))) == 2
    # Digest: the dossiers with procedure and agencies; the officers.
    with django_assert_num_queries(2):
        digests = overdue_digest_messages(now=at(25, 9))
    assert [len(codes_in(digest)) for digest in digests] == [count] * 3  # the centre's three
