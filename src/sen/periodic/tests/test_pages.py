"""The pages at /bao-cao-dinh-ky/: a commune fills its report; the province follows.

Pages are Vietnamese, need a signed-in officer (a citizen gets a 403 page), refuse what is
not the officer's with a 404 page, and take their figures in few queries.
"""

import re

import pytest
from django.test import Client
from django.utils import timezone

from sen.core.models import AuditEntry, Role
from sen.core.tests.factories import UserFactory
from sen.periodic.models import Report, ReportForm, ReportingPeriod, ReportStatus
from sen.periodic.services import report_save, reporting_period_open
from sen.periodic.tests.conftest import AFTER_DUE, BEFORE_DUE
from sen.periodic.tests.factories import locked_months, make_large_form, officer_of
from sen.portal.tests.html import text_of

pytestmark = pytest.mark.django_db

INDEX = "/bao-cao-dinh-ky/"
MARCH = "/bao-cao-dinh-ky/KTXH-01/2026-03/"
REPORT_A = MARCH + "000.20.01.H91/"
FULL = {"NN01": "1250,5", "NN02": "7500", "XH01": "120", "XH02": "3,2"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def posted(values: dict, action: str, revision: int = 0) -> dict:
    return {
        **{f"value_{code}": value for code, value in values.items()},
        "action": action,
        "revision": str(revision),
    }


def test_pages_need_a_signed_in_officer(db):
    response = Client().get(INDEX)
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/bao-cao-dinh-ky/"


def test_a_citizen_is_told_the_reports_are_for_officers(world, march):
    # Given a citizen's account, without any role in an agency
    citizen = UserFactory(username="congdan")

    # When the citizen opens the periodic reports' address
    response = client_for(citizen).get(INDEX)

    # Then the page refuses, says who it is for and links home, not back to itself
    assert response.status_code == 403
    text = text_of(response.content.decode())
    assert "Báo cáo định kỳ dành cho cán bộ của các cơ quan, đơn vị." in text
    assert "Đơn vị của bạn" not in text
    assert 'href="/"' in response.content.decode()
    assert 'href="/bao-cao-dinh-ky/">Về trang' not in response.content.decode()
    # while an officer whose agency owes nothing still gets the page
    assert client_for(officer_of(world.other_agency)).get(INDEX).status_code == 200


# The index page of an officer, whatever the number of reports owed (ASSIGNMENTS_PER_PAGE a
# page): session and user (2); the provinces administered, read once for the page and the
# forms visible (1); the forms and their periods (2); the officer's agencies, the page of
# periods owed with the count of all, their reports (3); the menu's roles and reporting
# duty (2).
INDEX_QUERIES = 10


def test_a_commune_sees_what_it_owes_and_submits_its_report(
    world, march, django_assert_num_queries
):
    client = client_for(world.officer_a)
    reporting_period_open(form=march.form, key="2026-02", actor=world.admin)
    report_save(period=march, agency=world.commune_a, values={"NN01": "1"}, actor=world.officer_a)

    with django_assert_num_queries(INDEX_QUERIES):
        index = client.get(INDEX)
    assert "Báo cáo đơn vị tôi phải nộp" in index.content.decode()
    assert REPORT_A in index.content.decode()
    assert 'class="pagination"' not in index.content.decode()  # all of them on one page

    page = client.get(REPORT_A)
    html = page.content.decode()
    assert '<label for="value-NN01">1. Diện tích lúa gieo cấy (ha)</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html

    saved = client.post(REPORT_A, posted({"NN01": "1250,5"}, "save", revision=1), follow=True)
    assert saved.content.decode().count("Đã lưu bản nháp.") == 1  # shown once
    submitted = client.post(REPORT_A, posted(FULL, "submit", revision=2), follow=True)
    assert "Đã nộp báo cáo." in submitted.content.decode()
    report = Report.objects.get()
    assert (report.status, report.revision) == (ReportStatus.SUBMITTED, 3)


def test_a_report_submitted_after_its_due_moment_says_so_on_its_page(world, march):
    for agency, officer, now in (
        (world.commune_a, world.officer_a, AFTER_DUE),
        (world.commune_b, world.officer_b, BEFORE_DUE),
    ):
        report_save(period=march, agency=agency, values=FULL, submit=True, actor=officer, now=now)

    late = client_for(world.officer_a).get(REPORT_A).content.decode()
    on_time = client_for(world.officer_b).get(MARCH + world.commune_b.code + "/").content.decode()

    assert "Nộp trễ hạn." in late
    assert "Đã nộp lúc" in on_time and "Nộp trễ hạn." not in on_time


def owed_links(html: str) -> list[str]:
    """Return the periods of the reports listed as owed, in order (``2026-03``)."""
    return re.findall(r'href="/bao-cao-dinh-ky/KTXH-01/([0-9-]+)/000\.20\.01\.H91/"', html)


def test_a_commune_owing_more_than_a_page_reads_them_a_page_at_a_time(
    world, march, django_assert_num_queries
):
    """Given a commune owing March 2026 (open) and 120 locked months before it, when its
    officer opens the page, then it lists the first 100, open month first, says there are
    121 on 2 pages, for the same queries as with one report owed; page 2 lists the other
    21, oldest last."""
    locked_months(march.form, world.commune_a, 120)
    client = client_for(world.officer_a)

    with django_assert_num_queries(INDEX_QUERIES):
        html = client.get(INDEX).content.decode()

    first = owed_links(html)
    assert len(first) == 100
    assert first[:2] == ["2026-03", "2009-12"] and first[-1] == "2001-10"
    told = "121 báo cáo, kỳ còn mở trước, rồi đến các kỳ gần đây nhất. Trang 1 / 2."
    assert told in text_of(html)
    assert '<a href="?page=2" rel="next">' in html

    with django_assert_num_queries(INDEX_QUERIES):
        second = client.get(INDEX, {"page": "2"}).content.decode()

    rest = owed_links(second)
    assert len(rest) == 21
    assert rest[0] == "2001-09" and rest[-1] == "2000-01"
    assert set(first).isdisjoint(rest)
    assert '<a href="?page=1" rel="prev">' in second
    assert 'aria-current="page"><span class="visually-hidden">Trang </span>2</a>' in second
    assert "<title>Báo cáo định kỳ kinh tế - xã hội — Trang 2" in second


@pytest.mark.parametrize("page", ["3", "99", "9" * 30])
def test_a_page_past_the_end_shows_the_last_page(world, march, page, django_assert_num_queries):
    locked_months(march.form, world.commune_a, 120)
    client = client_for(world.officer_a)

    # Three more than a page in range: the page asked for is empty, so the count of all,
    # then the officer's agencies and the last page, read again.
    with django_assert_num_queries(INDEX_QUERIES + 3):
        response = client.get(INDEX, {"page": page})

    assert response.status_code == 200
    html = response.content.decode()
    assert len(owed_links(html)) == 21
    assert "Trang 2 / 2." in text_of(html)


@pytest.mark.parametrize("page", ["hai", "", "0", "-1", "1.5"])
def test_a_page_that_is_not_a_page_number_shows_the_first(world, march, page):
    locked_months(march.form, world.commune_a, 120)

    response = client_for(world.officer_a).get(INDEX, {"page": page})

    assert response.status_code == 200
    html = response.content.decode()
    assert owed_links(html)[0] == "2026-03"
    assert "Trang 1 / 2." in text_of(html)


def test_the_menu_offers_periodic_reporting_to_reporters_and_the_province_only(world, form):
    # The communes and the department report on the form; another province's agency does not.
    def menu(user) -> str:
        html = client_for(user).get("/").content.decode()
        return html[html.index('<nav class="main-nav"') :]

    assert '<a href="/bao-cao-dinh-ky/"' in menu(world.officer_a)
    assert '<a href="/bao-cao-dinh-ky/"' in menu(world.admin)
    assert '<a href="/bao-cao-dinh-ky/"' not in menu(officer_of(world.other_agency))
    # The province's leader reads its forms; another province's, which has none, has nothing
    assert '<a href="/bao-cao-dinh-ky/"' in menu(officer_of(world.committee, Role.LEADER))
    assert '<a href="/bao-cao-dinh-ky/"' not in menu(officer_of(world.other_agency, Role.LEADER))


def test_wrong_values_are_shown_next_to_their_input_and_nothing_is_saved(world, march):
    response = client_for(world.officer_a).post(
        REPORT_A, posted({"NN01": "nhiều", "XH01": "2,5"}, "submit")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Diện tích lúa gieo cấy: hãy nhập một số." in html
    assert "Số lao động được tạo việc làm: hãy nhập một số nguyên." in html
    assert 'value="nhiều"' in html  # what was typed stays to be corrected
    assert not Report.objects.exists()


def test_another_commune_gets_a_404_page_and_changes_nothing(world, march):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    other = client_for(world.officer_b)

    assert other.get(REPORT_A).status_code == 404
    assert other.post(REPORT_A, posted({"NN01": "1"}, "save", 1)).status_code == 404
    assert other.get(MARCH).status_code == 404
    assert other.get(MARCH + "xuat.xlsx").status_code == 404
    assert Report.objects.get().revision == 1
    assert not AuditEntry.objects.filter(action="periodic.report.corrected").exists()


# The period page of a manager: session and user (2); the period; the provinces
# administered, read once for the period's access check and the overview's (1); the
# reporters, their reports, the submitted values, the indicators (4); the menu's roles (1).
PERIOD_QUERIES = 9


def test_the_province_follows_a_period_and_locks_it(world, march, django_assert_num_queries):
    report_save(
        period=march,
        agency=world.commune_a,
        values=FULL,
        submit=True,
        actor=world.officer_a,
        now=BEFORE_DUE,
    )
    report_save(
        period=march,
        agency=world.commune_b,
        values=FULL,
        submit=True,
        actor=world.officer_b,
        now=AFTER_DUE,
    )
    admin = client_for(world.admin)

    with django_assert_num_queries(PERIOD_QUERIES):
        page = admin.get(MARCH)

    html = page.content.decode()
    assert "Đã nộp đúng hạn" in html and "Đã nộp trễ hạn" in html and "Quá hạn, chưa nộp" in html
    assert "2.501" in html  # 1.250,5 twice, summed
    assert admin.get(MARCH + "xuat.csv")["Content-Type"] == "text/csv; charset=utf-8"
    assert admin.get(REPORT_A).status_code == 200  # read-only for the province
    assert 'name="value_NN01"' not in admin.get(REPORT_A).content.decode()

    admin.post(MARCH + "khoa/", {"action": "lock"})
    assert ReportingPeriod.objects.get().is_locked
    locked = client_for(world.officer_a).post(REPORT_A, posted({"NN01": "1"}, "save", 1))
    assert locked.status_code == 409
    assert "Kỳ báo cáo 2026-03 đã khóa số liệu" in locked.content.decode()
    assert Report.objects.get(agency=world.commune_a).revision == 1


def test_the_provinces_leader_reads_its_reports_and_changes_nothing(
    world, march, django_assert_num_queries
):
    # Given March's report of Hoa Sen submitted, and the leader of the provincial committee
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    leader = client_for(officer_of(world.committee, Role.LEADER, "lanhdao.tinh"))
    audits = AuditEntry.objects.count()

    # When they open the reports, March, its exports and Hoa Sen's report
    index = leader.get(INDEX).content.decode()
    # The administrator's queries, and the menu's question whether periodic reporting has
    # work for them, which the administrator's role answers without a query.
    with django_assert_num_queries(PERIOD_QUERIES + 1):
        period = leader.get(MARCH)
    exports = [leader.get(MARCH + name) for name in ("xuat.xlsx", "xuat.csv")]
    report = leader.get(REPORT_A)

    # Then the menu leads there, and they see the province's forms, who reported and the
    # totals, and the report, with nothing to change
    assert '<a href="/bao-cao-dinh-ky/"' in leader.get("/").content.decode()
    assert '<a href="/bao-cao-dinh-ky/KTXH-01/2026-03/">Tháng 03/2026</a>' in index
    assert "Ban hành biểu mẫu mới" not in index and "Sửa biểu mẫu" not in index
    assert 'name="period"' not in index
    html = period.content.decode()
    assert period.status_code == 200
    assert "Đã nộp đúng hạn" in html and "1.250,5" in html
    assert 'name="action"' not in html  # no lock button
    assert [response.status_code for response in exports] == [200, 200]
    assert report.status_code == 200
    assert "1.250,5" in report.content.decode()
    assert 'name="value_NN01"' not in report.content.decode()

    # When they try every change all the same
    answers = [
        leader.post(MARCH + "khoa/", {"action": "lock"}).status_code,
        leader.post("/bao-cao-dinh-ky/KTXH-01/mo-ky/", {"period": "2026-04"}).status_code,
        leader.post(REPORT_A, posted({**FULL, "NN01": "1"}, "save", 1)).status_code,
        leader.get("/bao-cao-dinh-ky/bieu-mau/KTXH-01/").status_code,
        leader.post("/bao-cao-dinh-ky/bieu-mau/KTXH-01/", {"name": "Đổi tên"}).status_code,
        leader.get("/bao-cao-dinh-ky/bieu-mau/moi/").status_code,
    ]

    # Then each is refused and nothing changed
    assert answers == [302, 302, 403, 403, 403, 403]
    assert list(ReportingPeriod.objects.values_list("key", "locked_at")) == [("2026-03", None)]
    assert Report.objects.get().revision == 1
    assert ReportForm.objects.get().name == "Báo cáo tình hình kinh tế - xã hội"
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(
    "who",
    [
        "a leader of a department",
        "a leader of a commune",
        "a specialist of the provincial committee",
        "a leader of another province's committee",
    ],
)
def test_no_other_leader_or_officer_reads_the_provinces_reports(world, march, who):
    agency, role = {
        "a leader of a department": (world.department, Role.LEADER),
        "a leader of a commune": (world.commune_b, Role.LEADER),
        "a specialist of the provincial committee": (world.committee, Role.SPECIALIST),
        "a leader of another province's committee": (world.other_agency, Role.LEADER),
    }[who]
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    client = client_for(officer_of(agency, role))

    index = client.get(INDEX).content.decode()
    answers = [client.get(MARCH + name).status_code for name in ("", "xuat.xlsx", "xuat.csv")]

    assert 'href="/bao-cao-dinh-ky/KTXH-01/2026-03/"' not in index  # no link to the period
    assert answers == [404, 404, 404]
    assert client.get(REPORT_A).status_code == 404


def test_the_period_page_of_a_large_form_costs_the_queries_of_a_small_one(
    world, django_assert_num_queries
):
    """Given a period of 14 indicators and 11 reporters, 10 of them submitted, when the
    province opens it, then it shows every reporter, for the queries of 4 and 3."""
    form = make_large_form(world)
    period = reporting_period_open(form=form, key="2026-03", actor=world.admin)
    values = {**FULL, **{f"TN{number:02d}": "2" for number in range(10)}}
    reporters = list(period.reporters.exclude(pk=world.department.pk))
    for agency in reporters:
        report_save(
            period=period, agency=agency, values=values, submit=True, actor=officer_of(agency)
        )
    admin = client_for(world.admin)

    with django_assert_num_queries(PERIOD_QUERIES):
        html = admin.get(MARCH).content.decode()

    assert all(agency.name in html for agency in reporters)
    assert "12.505" in html  # 1.250,5 ten times, summed


def test_the_province_opens_a_period_from_the_page(world, form):
    admin = client_for(world.admin)

    response = admin.post("/bao-cao-dinh-ky/KTXH-01/mo-ky/", {"period": "2026-04"}, follow=True)

    assert response.redirect_chain[-1][0] == "/bao-cao-dinh-ky/KTXH-01/2026-04/"
    assert "Đã mở kỳ Tháng 04/2026." in response.content.decode()
    wrong = admin.post("/bao-cao-dinh-ky/KTXH-01/mo-ky/", {"period": "2026-Q2"}, follow=True)
    assert "không hợp lệ" in wrong.content.decode()
    assert ReportingPeriod.objects.count() == 1


def test_the_period_offered_for_opening_is_one_not_open_yet(world, form, monkeypatch):
    # Given a monthly form, on Friday 3 April 2026
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_DUE)
    admin = client_for(world.admin)

    def offered() -> str:
        html = admin.get(INDEX).content.decode()
        return re.search(r'<input id="period-KTXH-01" name="period" value="([^"]*)"', html)[1]

    # Then it offers March, the month just ended; once March is open, April, this month
    assert offered() == "2026-03"
    reporting_period_open(form=form, key="2026-03", actor=world.admin)
    assert offered() == "2026-04"
    # and once both are open, nothing, since opening an open period only fails
    reporting_period_open(form=form, key="2026-04", actor=world.admin)
    assert offered() == ""


def test_a_reporter_cannot_open_or_lock_a_period(world, form, march):
    reporter = client_for(world.officer_a)
    reporter.post("/bao-cao-dinh-ky/KTXH-01/mo-ky/", {"period": "2026-04"})
    reporter.post(MARCH + "khoa/", {"action": "lock"})
    assert ReportingPeriod.objects.count() == 1
    assert not ReportingPeriod.objects.get().is_locked


def test_the_admin_shows_reports_without_letting_them_change(world, march, admin_client):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    report = Report.objects.get()

    assert admin_client.get("/admin/periodic/reportform/").status_code == 200
    page = admin_client.get(f"/admin/periodic/report/{report.pk}/change/")

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
