"""The dossier page /can-bo/ho-so/<code>/ and its files: who sees what, at what cost."""

import re
from pathlib import Path

import pytest

from sen.core.models import AuditEntry
from sen.dossiers import services
from sen.dossiers.models import StepRecord
from sen.dossiers.selectors import PERSONAL_DATA_READ
from sen.dossiers.tests.factories import PDF, upload
from sen.portal.tests.html import text_of
from sen.tests.clock import at

pytestmark = pytest.mark.django_db


def forms_on(html: str) -> list[str]:
    """Return the action slugs whose forms the page shows."""
    return re.findall(r'action="/can-bo/ho-so/[^/]+/([a-z-]+)/"', html)


def test_the_desk_officer_sees_the_dossier_with_its_form_data_files_and_allowed_actions(
    client, people, submitted
):
    client.force_login(people.desk)

    response = client.get(f"/can-bo/ho-so/{submitted.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in html
    assert "Chờ tiếp nhận" in html
    # the e-form with the labels of the procedure's schema
    assert "<dt>Họ và tên</dt><dd>Trần Văn Con</dd>" in html
    # the applicant's details
    assert "Trần Thị Bình" in html and "037190001234" in html
    # the file, through the workspace's own link
    assert f'href="/can-bo/ho-so/{submitted.code}/tep/1/"' in html
    assert "/media/" not in html
    # the actions of the intake desk
    assert forms_on(html) == ["tiep-nhan", "yeu-cau-bo-sung", "tu-choi"]
    assert html.count('name="expected_revision" value="1"') == 3
    assert html.count('name="csrfmiddlewaretoken"') >= 4  # three actions and the language


def test_reading_the_dossier_is_recorded_as_a_read_of_personal_data(client, people, submitted):
    client.force_login(people.desk)

    client.get(f"/can-bo/ho-so/{submitted.code}/")

    entry = AuditEntry.objects.get(action=PERSONAL_DATA_READ, target_key=submitted.code)
    assert entry.actor == people.desk


def test_a_received_dossier_shows_its_due_moment_steps_history_and_receipt_slip(
    client, people, received
):
    client.force_login(people.desk)

    html = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()

    assert "14:00 23/11/2026" in html  # due: 12 working hours from Friday 09:00
    assert (
        "1. Tiếp nhận" in text_of(html) and "11:00 20/11/2026" in html
    )  # the first step, due 11:00
    assert "Tiếp nhận hồ sơ</strong> — 09:00 20/11/2026 — Lê Thị Hoa" in html
    assert f"/api/v1/dossiers/{received.code}/slips/receipt.pdf" in html
    assert forms_on(html) == ["hoan-thanh-buoc", "xin-loi-hen-lai"]
    # On a phone the steps table scrolls: a keyboard reaches it, a screen reader names it
    assert (
        '<div class="table-wrap" role="region" aria-labelledby="steps-title" tabindex="0">' in html
    )


def test_a_step_past_its_due_moment_is_marked_late_though_the_dossier_is_not(
    client, people, received, clock
):
    # Given the desk handed the dossier to Sở Tư pháp on Friday 20/11 at 10:00 (step due
    # Monday 23/11 at 10:00, the dossier at 14:00)
    clock(at(20, 10))
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)

    # When the specialist opens it on Monday at 11:00
    clock(at(23, 11))
    client.force_login(people.specialist)
    html = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()

    # Then the step's due moment is marked late, the dossier's is not
    step_due = re.search(r"<dt>Hạn của bước đang xử lý</dt><dd>(.*?)</dd>", html)
    due = re.search(r"<dt>Hẹn trả kết quả</dt><dd>(.*?)</dd>", html)
    assert step_due is not None and due is not None
    assert "10:00 23/11/2026" in step_due.group(1) and "Quá hạn" in step_due.group(1)
    assert "14:00 23/11/2026" in due.group(1) and "Quá hạn" not in due.group(1)


def test_a_step_left_open_when_the_dossier_stopped_is_shown_unfinished_and_late_if_it_was(
    client, people, received, clock
):
    # Given the step at Sở Tư pháp (due Monday 10:00) was open when the leader stopped the
    # dossier on Monday at 11:00
    clock(at(20, 10))
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)
    clock(at(23, 11))
    services.dossier_stop(
        dossier=received, reason="Giấy tờ giả mạo.", actor=people.leader, expected_revision=3
    )

    # When an officer opens it later
    clock(at(24, 9))
    client.force_login(people.desk)
    html = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()

    # Then the desk step shows when it was done; the open one ended with the dossier, late
    rows = re.findall(r"<tr>\s*<td>(\d\. .*?)</tr>", html, re.S)
    assert len(rows) == 2
    assert "Đang xử lý" not in rows[1]
    assert "Không hoàn thành (hồ sơ đã kết thúc)" in rows[1] and "Quá hạn" in rows[1]


def test_the_history_lists_the_papers_a_supplement_request_asked_for_and_nothing_else(
    client, people, submitted
):
    services.dossier_request_supplement(
        dossier=submitted,
        items=[{"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}],
        actor=people.desk,
        expected_revision=1,
    )
    client.force_login(people.desk)

    html = client.get(f"/can-bo/ho-so/{submitted.code}/").content.decode()

    history = html[html.index('class="ws-history"') :]
    assert history.count("<li>Giấy chứng sinh: Bản chụp bị mờ</li>") == 1
    # Other events' data (the submission's channel) is not listed as papers.
    assert "<li>: </li>" not in history


def test_the_history_names_the_step_each_completion_finished(client, people, received):
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)
    client.force_login(people.desk)

    html = client.get(f"/can-bo/ho-so/{received.code}/").content.decode()

    history = html[html.index('class="ws-history"') :]
    step = StepRecord.objects.get(dossier=received, position=1)
    named = f'<strong>Hoàn thành bước xử lý</strong> (<span lang="vi">{step.step.name} – '
    assert named + f"{step.agency.name}</span>) — " in history


@pytest.mark.parametrize("who", ["other_desk", "applicant"])
def test_anyone_outside_the_agencies_working_on_it_gets_404_and_nothing_is_recorded(
    client, people, received, who
):
    # Given the dossier at the leader's step with a result attached
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)
    services.dossier_complete_step(dossier=received, actor=people.specialist, expected_revision=3)
    services.dossier_attach_result(
        dossier=received, upload=upload(name="giay-khai-sinh.pdf"), actor=people.leader,
        expected_revision=4,
    )  # fmt: skip
    client.force_login(getattr(people, who))

    page = client.get(f"/can-bo/ho-so/{received.code}/")
    file = client.get(f"/can-bo/ho-so/{received.code}/tep/1/")
    result = client.get(f"/can-bo/ho-so/{received.code}/ket-qua/1/")

    assert (page.status_code, file.status_code, result.status_code) == (404, 404, 404)
    assert "Trần Thị Bình" not in page.content.decode()
    assert not AuditEntry.objects.filter(action=PERSONAL_DATA_READ).exists()


def test_an_unknown_code_gets_the_same_404(client, people, submitted):
    client.force_login(people.desk)

    response = client.get("/can-bo/ho-so/000.00.01.H37-261120-9999/")

    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ có mã 000.00.01.H37-261120-9999." in response.content.decode()


def test_the_officer_downloads_the_file_and_the_result_through_the_authorized_view(
    client, people, received
):
    # Given the dossier at the leader's step with a result attached
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)
    services.dossier_complete_step(dossier=received, actor=people.specialist, expected_revision=3)
    services.dossier_attach_result(
        dossier=received, upload=upload(name="giay-khai-sinh.pdf"), actor=people.leader,
        expected_revision=4,
    )  # fmt: skip
    client.force_login(people.specialist)  # of the department that had the inter-agency step

    file = client.get(f"/can-bo/ho-so/{received.code}/tep/1/")
    result = client.get(f"/can-bo/ho-so/{received.code}/ket-qua/1/")
    missing = client.get(f"/can-bo/ho-so/{received.code}/tep/2/")

    assert file.status_code == 200
    assert b"".join(file.streaming_content) == PDF
    assert file.headers["Content-Type"] == "application/pdf"
    # Downloaded, never shown on the officers' site: the applicant made the file
    assert file.headers["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    assert file.headers["Cache-Control"] == "private, no-store"
    assert result.status_code == 200
    assert result.headers["Content-Disposition"] == 'attachment; filename="giay-khai-sinh.pdf"'
    assert result.headers["X-Content-Type-Options"] == "nosniff"
    assert result.headers["Cache-Control"] == "private, no-store"
    assert missing.status_code == 404
    purposes = list(
        AuditEntry.objects.filter(action=PERSONAL_DATA_READ, actor=people.specialist)
        .order_by("id")
        .values_list("data__purpose", flat=True)
    )
    assert purposes == ["file", "result", "file"]


# The dossier page, in any state where its reader may act, however many files, events,
# steps and results: session and user (2); the dossier with its procedure, agency and
# current step (1), the access check (1), the record of the read (1); its events, files and
# results (3); its step records with their steps and agencies (1); the reader's roles, read
# once for the actions offered and the menu (1); the menu's reporting duty (1). Where a
# supplement request is offered, the procedure's papers for its list of names (1 more).
DOSSIER_QUERIES = 11


def test_the_dossier_page_costs_the_same_queries_however_many_files_events_steps_and_results(
    client, people, submit, django_assert_num_queries
):
    # Given a dossier just received with one file, and one with three files that went
    # through its three steps (one of them at another agency), with comments and two results
    small = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    large = submit(files=[upload(), upload(name="b.pdf"), upload(name="uy-quyen.pdf", position=2)])
    large = services.dossier_receive(dossier=large, actor=people.desk, expected_revision=1)
    large = services.dossier_complete_step(
        dossier=large, comment="Đủ giấy tờ", actor=people.desk, expected_revision=2
    )
    large = services.dossier_complete_step(
        dossier=large, comment="Đồng ý", actor=people.specialist, expected_revision=3
    )
    for number, name in enumerate(("giay-khai-sinh.pdf", "ban-sao.pdf"), start=4):
        services.dossier_attach_result(
            dossier=large, upload=upload(name=name), actor=people.leader, expected_revision=number
        )
    large = services.dossier_complete_step(dossier=large, actor=people.leader, expected_revision=6)
    client.force_login(people.desk)

    with django_assert_num_queries(DOSSIER_QUERIES):
        first = client.get(f"/can-bo/ho-so/{small.code}/").content.decode()
    with django_assert_num_queries(DOSSIER_QUERIES):
        second = client.get(f"/can-bo/ho-so/{large.code}/").content.decode()

    assert (first.count("/tep/"), second.count("/tep/")) == (1, 3)
    assert (first.count("/ket-qua/"), second.count("/ket-qua/")) == (0, 2)
    assert "Đủ giấy tờ" in second and "Đồng ý" in second
    assert second.count("Đang xử lý") == 0 and first.count("Đang xử lý") == 1
    assert forms_on(second) == ["tra-ket-qua"]


def _at_specialist(submit, people):
    dossier = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    return services.dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=2)


def _at_leader(submit, people, *, with_result: bool):
    dossier = _at_specialist(submit, people)
    dossier = services.dossier_complete_step(
        dossier=dossier, actor=people.specialist, expected_revision=3
    )
    if with_result:
        services.dossier_attach_result(
            dossier=dossier, upload=upload(name="kq.pdf"), actor=people.leader, expected_revision=4
        )
    return dossier


@pytest.mark.parametrize(
    ("state", "reader", "offered"),
    [
        ("submitted", "desk", ["tiep-nhan", "yeu-cau-bo-sung", "tu-choi"]),
        (
            "at_specialist",
            "specialist",
            [
                "yeu-cau-bo-sung",
                "hoan-thanh-buoc",
                "tra-lai-buoc-truoc",
                "dinh-kem-ket-qua",
                "soan-ket-qua",
                "xin-loi-hen-lai",
            ],
        ),
        (
            "at_leader",
            "leader",
            [
                "yeu-cau-bo-sung",
                "tra-lai-buoc-truoc",
                "dinh-kem-ket-qua",
                "soan-ket-qua",
                "xin-loi-hen-lai",
                "dung-giai-quyet",
            ],
        ),
        (
            "at_leader_with_result",
            "leader",
            # The result is attached: the dossier is decided, no supplement is asked; the
            # result may be taken back.
            [
                "hoan-thanh-buoc",
                "tra-lai-buoc-truoc",
                "dinh-kem-ket-qua",
                "soan-ket-qua",
                "go-ket-qua",
                "xin-loi-hen-lai",
                "dung-giai-quyet",
            ],
        ),
    ],
)
def test_the_dossier_page_costs_the_same_queries_at_every_step(
    client, people, submit, state, reader, offered, django_assert_num_queries
):
    """Whoever acts now, at the desk, at another agency's step or at the leader's with or
    without a result, the page offers their actions for the same queries: the current step
    comes with the dossier, the roles are read once, the results once; the supplement
    request adds the procedure's papers."""
    build = {
        "submitted": lambda: submit(),
        "at_specialist": lambda: _at_specialist(submit, people),
        "at_leader": lambda: _at_leader(submit, people, with_result=False),
        "at_leader_with_result": lambda: _at_leader(submit, people, with_result=True),
    }
    dossier = build[state]()
    client.force_login(getattr(people, reader))

    papers = 1 if "yeu-cau-bo-sung" in offered else 0
    with django_assert_num_queries(DOSSIER_QUERIES + papers):
        response = client.get(f"/can-bo/ho-so/{dossier.code}/")

    assert response.status_code == 200
    assert forms_on(response.content.decode()) == offered


def unfolded_on(html: str) -> list[str]:
    """Return the action slugs whose forms the page shows unfolded."""
    return re.findall(r'<details class="ws-action" id="([a-z-]+)" open>', html)


RESULT_FIRST = "đính kèm kết quả đã ký hoặc soạn văn bản kết quả, rồi chọn “Hoàn thành bước xử lý”"


@pytest.mark.parametrize(
    ("state", "reader", "unfolded", "result_first"),
    [
        ("submitted", "desk", ["tiep-nhan"], False),
        ("at_specialist", "specialist", ["hoan-thanh-buoc"], False),
        ("at_leader", "leader", ["dinh-kem-ket-qua"], True),
        ("at_leader_with_result", "leader", ["hoan-thanh-buoc"], False),
    ],
)
def test_the_page_unfolds_the_action_that_moves_the_dossier_on(
    client, people, submit, state, reader, unfolded, result_first
):
    """The supplement request comes first in the list but is not what a step is for: the
    page unfolds receiving, completing the step, or (at the leader's step without a result)
    attaching it, and tells the leader the result comes before completing the step."""
    build = {
        "submitted": lambda: submit(),
        "at_specialist": lambda: _at_specialist(submit, people),
        "at_leader": lambda: _at_leader(submit, people, with_result=False),
        "at_leader_with_result": lambda: _at_leader(submit, people, with_result=True),
    }
    dossier = build[state]()
    client.force_login(getattr(people, reader))

    html = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert unfolded_on(html) == unfolded
    assert (RESULT_FIRST in html) is result_first


def test_an_action_sent_back_with_a_problem_is_the_one_unfolded(client, people, submit):
    # Given the specialist's step, when the specialist asks for a supplement without a reason
    dossier = _at_specialist(submit, people)
    client.force_login(people.specialist)

    response = client.post(
        f"/can-bo/ho-so/{dossier.code}/yeu-cau-bo-sung/",
        {"expected_revision": dossier.revision, "item_1": "Giấy chứng sinh"},
    )

    # Then the page shows the request again, unfolded with its input, and only it
    assert response.status_code == 400
    assert unfolded_on(response.content.decode()) == ["yeu-cau-bo-sung"]


def test_a_finished_dossier_offers_no_action_and_reads_no_role(
    client, people, submit, django_assert_num_queries
):
    dossier = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    dossier = services.dossier_withdraw(
        dossier=dossier, reason="Nộp lại sau", actor=people.applicant, expected_revision=2
    )
    client.force_login(people.leader)

    # No action can follow a withdrawal: the actions ask no role, and the menu's read of
    # the roles is all the page pays for them.
    with django_assert_num_queries(DOSSIER_QUERIES):
        response = client.get(f"/can-bo/ho-so/{dossier.code}/")

    assert response.status_code == 200
    assert forms_on(response.content.decode()) == []


@pytest.mark.parametrize(
    ("approved_on", "shown"), [(at(23, 10), "Đúng hạn"), (at(24, 10), "Trễ hạn")]
)
def test_a_dossier_with_its_result_says_whether_it_was_late(
    client, people, submit, clock, approved_on, shown
):
    # Given a dossier due Monday 23/11 at 14:00, approved by the leader on Monday or Tuesday
    dossier = _at_leader(submit, people, with_result=True)
    clock(approved_on)
    services.dossier_complete_step(dossier=dossier, actor=people.leader, expected_revision=5)

    # When the desk opens it to hand the result back, on Wednesday
    clock(at(25, 9))
    client.force_login(people.desk)
    html = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    # Then the due moment says how the dossier finished against it
    due = re.search(r"<dt>Hẹn trả kết quả</dt><dd>(.*?)</dd>", html)
    assert due is not None and shown in due.group(1)
    assert "Quá hạn" not in due.group(1)
    # and the API says the same
    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert body["timeliness"] == {"Đúng hạn": "on_time", "Trễ hạn": "late"}[shown]
    assert body["overdue"] is False


def test_the_leader_sends_the_dossier_back_and_it_is_the_specialists_turn_again(
    client, people, submit
):
    dossier = _at_leader(submit, people, with_result=True)
    client.force_login(people.leader)

    refused = client.post(
        f"/can-bo/ho-so/{dossier.code}/tra-lai-buoc-truoc/",
        {"expected_revision": 5, "reason": ""},
    )
    sent = client.post(
        f"/can-bo/ho-so/{dossier.code}/tra-lai-buoc-truoc/",
        {"expected_revision": 5, "reason": "Trích lục ghi sai ngày sinh."},
    )

    assert refused.status_code == 400
    assert sent.status_code == 302
    # The specialist finds it among their turns, with the reason in its history
    client.force_login(people.specialist)
    queue = client.get("/can-bo/", {"my_turn": "on"}).content.decode()
    assert dossier.code in queue
    html = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    history = html.split('class="ws-history"')[1]
    assert "Trả lại bước trước" in history
    assert "Lý do: Trích lục ghi sai ngày sinh." in text_of(history)
    assert "hoan-thanh-buoc" in forms_on(html)


def test_every_action_of_the_page_has_its_form_its_address_and_its_confirmation():
    from sen.workspace.forms import ACTION_FORMS, ACTION_SLUGS
    from sen.workspace.views import DONE

    assert set(ACTION_FORMS) == set(ACTION_SLUGS.values()) == set(DONE)


def _luminance(colour: str) -> float:
    if len(colour) == 4:  # #fff
        colour = "#" + "".join(digit * 2 for digit in colour[1:])
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_flag_beside_a_due_moment_is_readable():
    """ "Đúng hạn" and "Trước hạn" use the plain flag: it was white on no background, blank on
    the page. Every flag's text stands out from its own background (WCAG AA, 4.5:1)."""
    css = (Path(__file__).parents[1] / "static/workspace/workspace.css").read_text()
    rules = dict(re.findall(r"\.(ws-flag(?:--\w+)?) \{([^}]*)\}", css))
    text = re.search(r"(?<!-)color: (#[0-9a-f]{6}|#[0-9a-f]{3})\b", rules["ws-flag"])
    assert text is not None
    for name, rule in rules.items():
        background = re.search(r"background: (#[0-9a-f]{6}|#[0-9a-f]{3})\b", rule)
        assert background is not None, name
        lighter, darker = sorted(
            (_luminance(text.group(1)), _luminance(background.group(1))), reverse=True
        )
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, name
