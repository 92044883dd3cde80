"""The pages at /bao-cao-dinh-ky/: a commune fills its report; the province follows.

Pages are Vietnamese, need a signed-in officer, refuse others with a 404 page, and take
their figures in few queries.
"""

import pytest
from django.test import Client

from sen.core.models import AuditEntry
from sen.periodic.models import Report, ReportingPeriod, ReportStatus
from sen.periodic.services import report_save, reporting_period_open
from sen.periodic.tests.conftest import AFTER_DUE, BEFORE_DUE
from sen.periodic.tests.factories import locked_months, officer_of

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


def test_a_commune_sees_what_it_owes_and_submits_its_report(
    world, march, django_assert_max_num_queries
):
    client = client_for(world.officer_a)
    reporting_period_open(form=march.form, key="2026-02", actor=world.admin)
    report_save(period=march, agency=world.commune_a, values={"NN01": "1"}, actor=world.officer_a)

    # Session, user, provinces administered, forms and their periods, the officer's
    # agencies, the periods they owe, their reports, the menu's roles and reporting duty:
    # the same for any number of periods.
    with django_assert_max_num_queries(11):
        index = client.get(INDEX)
    assert "Báo cáo đơn vị tôi phải nộp" in index.content.decode()
    assert REPORT_A in index.content.decode()
    assert "Đang hiện" not in index.content.decode()  # all of them are shown

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


def test_a_commune_owing_more_than_the_page_shows_is_told_how_many(
    world, march, django_assert_max_num_queries
):
    """Given a commune owing March 2026 (open) and 120 locked months before it, when its
    officer opens the page, then it lists the first 100, open month first, and says that
    they are 100 of 121, for the same queries as with one report owed."""
    locked_months(march.form, world.commune_a, 120)
    client = client_for(world.officer_a)

    with django_assert_max_num_queries(11):
        html = client.get(INDEX).content.decode()

    assert html.count('href="/bao-cao-dinh-ky/KTXH-01/') == 100
    assert html.index(REPORT_A) < html.index("/KTXH-01/2009-12/")
    assert "/KTXH-01/2001-10/" in html and "/KTXH-01/2001-09/" not in html
    assert (
        "Đang hiện 100 báo cáo đầu tiên trong tổng số 121 báo cáo "
        "(kỳ còn mở trước, rồi đến các kỳ gần đây nhất)."
    ) in html


def test_the_menu_offers_periodic_reporting_to_reporters_and_the_province_only(world, form):
    # The communes and the department report on the form; another province's agency does not.
    def menu(user) -> str:
        html = client_for(user).get("/").content.decode()
        return html[html.index('<nav class="main-nav"') :]

    assert '<a href="/bao-cao-dinh-ky/"' in menu(world.officer_a)
    assert '<a href="/bao-cao-dinh-ky/"' in menu(world.admin)
    assert '<a href="/bao-cao-dinh-ky/"' not in menu(officer_of(world.other_agency))


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


def test_the_province_follows_a_period_and_locks_it(world, march, django_assert_max_num_queries):
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

    with django_assert_max_num_queries(12):
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


def test_the_province_opens_a_period_from_the_page(world, form):
    admin = client_for(world.admin)

    response = admin.post("/bao-cao-dinh-ky/KTXH-01/mo-ky/", {"period": "2026-04"}, follow=True)

    assert response.redirect_chain[-1][0] == "/bao-cao-dinh-ky/KTXH-01/2026-04/"
    assert "Đã mở kỳ Tháng 04/2026." in response.content.decode()
    wrong = admin.post("/bao-cao-dinh-ky/KTXH-01/mo-ky/", {"period": "2026-Q2"}, follow=True)
    assert "không hợp lệ" in wrong.content.decode()
    assert ReportingPeriod.objects.count() == 1


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
