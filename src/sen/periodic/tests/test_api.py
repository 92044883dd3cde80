"""The periodic reporting API: the province defines and follows, the communes report.

Allowed and denied callers for each endpoint; denied calls leave nothing behind. Lists and
overviews assert their query counts.
"""

import csv
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from sen.core.models import AuditEntry, Role
from sen.periodic.models import Report, ReportForm, ReportingPeriod
from sen.periodic.services import (
    IndicatorSpec,
    report_save,
    reporting_period_lock,
    reporting_period_open,
)
from sen.periodic.tests.conftest import AFTER_DUE, BEFORE_DUE
from sen.periodic.tests.factories import locked_months, make_form, officer_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/periodic"
MARCH = f"{URL}/forms/KTXH-01/periods/2026-03"
FULL = {"NN01": "1250.5", "NN02": 7500, "XH01": 120, "XH02": "3,2"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def put(client: Client, url: str, body: dict):
    return client.put(url, json.dumps(body), content_type="application/json")


def form_body(world) -> dict:
    return {
        "code": "NN-Q",
        "name": "Báo cáo sản xuất nông nghiệp",
        "province": "91",
        "period_kind": "quarter",
        "due_days": 10,
        "indicators": [
            {"code": "LUA", "name": "Diện tích lúa", "unit": "ha"},
            {"code": "LD", "name": "Lao động", "unit": "người", "value_type": "integer"},
        ],
        "reporters": [world.commune_a.code, world.commune_b.code],
    }


def test_a_province_admin_defines_a_form_and_opens_a_quarter(world):
    client = client_for(world.admin)

    created = client.post(f"{URL}/forms", form_body(world), content_type="application/json")
    opened = client.post(f"{URL}/forms/NN-Q/periods", {"period": "2026-q1"}, "application/json")

    assert created.status_code == 201, created.json()
    assert created.json()["indicators"][1] == {
        "position": 2,
        "code": "LD",
        "name": "Lao động",
        "unit": "người",
        "value_type": "integer",
        "aggregation": "sum",
        "allow_negative": False,
        "max_value": None,
    }
    assert opened.status_code == 201
    assert opened.json() == {
        "key": "2026-Q1",
        "label": "Quý I/2026",
        "starts_on": "2026-01-01",
        "ends_on": "2026-03-31",
        "due_at": "2026-04-14T17:00:00+07:00",
        "locked": False,
    }


def test_a_bound_set_through_the_api_is_answered_and_holds_the_reporters(world):
    # Given a form whose poverty rate may not pass 100 % (a number) and whose households
    # may not pass 5000 (a text, as values may be sent)
    admin = client_for(world.admin)
    body = form_body(world)
    body["indicators"] = [
        {"code": "TL", "name": "Tỷ lệ hộ nghèo", "unit": "%", "max_value": 100},
        {"code": "HO", "name": "Số hộ", "unit": "hộ", "value_type": "integer", "max_value": "5000"},
        {"code": "KH", "name": "Tỷ lệ hoàn thành kế hoạch", "unit": "%"},
    ]
    comma = {**body, "code": "NN-X"}
    comma["indicators"] = [{"code": "TL", "name": "Tỷ lệ", "unit": "%", "max_value": "99,5"}]

    created = admin.post(f"{URL}/forms", body, content_type="application/json")
    refused = admin.post(f"{URL}/forms", comma, content_type="application/json")
    admin.post(f"{URL}/forms/NN-Q/periods", {"period": "2026-q1"}, "application/json")
    reporter = client_for(world.officer_a)
    url = f"{URL}/forms/NN-Q/periods/2026-Q1/reports/{world.commune_a.code}"
    over = put(reporter, url, {"values": {"TL": "150", "HO": 5001, "KH": 150}})

    # Then the form answers its bounds, a bound in the Vietnamese way is refused as the
    # API's decimals are, and a report over them names them and saves nothing
    assert [i["max_value"] for i in created.json()["indicators"]] == ["100", "5000", None]
    assert refused.status_code == 400
    assert refused.json()["error"]["details"][0]["field"] == "body.indicators.0.max_value"
    assert over.status_code == 400
    assert over.json()["error"]["details"] == [
        {"field": "values.TL", "message": "Tỷ lệ hộ nghèo: không được lớn hơn 100 %."},
        {"field": "values.HO", "message": "Số hộ: không được lớn hơn 5.000 hộ."},
    ]
    assert not Report.objects.exists()
    assert put(reporter, url, {"values": {"TL": 100, "HO": 5000, "KH": 150}}).status_code == 200


@pytest.mark.parametrize("who", ["officer_a", "other_admin"])
def test_others_may_not_define_a_form(world, who):
    response = client_for(getattr(world, who)).post(
        f"{URL}/forms", form_body(world), content_type="application/json"
    )
    # A reporter is refused; another province's admin cannot even name these communes.
    assert response.status_code in (400, 403)
    assert response.json()["error"]["code"] in ("permission_denied", "invalid_report_form")
    assert not ReportForm.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_bad_form_answers_every_problem_with_a_stable_code(world):
    body = {**form_body(world), "due_days": 99, "reporters": ["000.99.99.H99"]}
    response = client_for(world.admin).post(f"{URL}/forms", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_report_form"
    assert response.json()["error"]["details"] == [
        {"field": "reporters", "message": "Không tìm thấy cơ quan mã 000.99.99.H99."}
    ]


def test_changing_indicators_of_a_form_in_use_answers_409(world, form, march):
    report_save(period=march, agency=world.commune_a, values={"NN01": 1}, actor=world.officer_a)
    response = client_for(world.admin).patch(
        f"{URL}/forms/KTXH-01",
        json.dumps({"indicators": [{"code": "X", "name": "X", "unit": "ha"}]}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "report_form_frozen"


@pytest.mark.parametrize("count", [1, 4])
def test_a_form_shows_its_periods_in_as_many_queries_for_one_as_for_many(
    world, form, count, django_assert_num_queries
):
    # Given a form with one period, or four
    for month in range(1, count + 1):
        reporting_period_open(form=form, key=f"2026-{month:02d}", actor=world.admin)
    admin = client_for(world.admin)

    # When its manager reads it, then the periods do not each read their form: session,
    # user, provinces administered (read once, to find the form and for "manages"), form,
    # indicators, reporters, periods.
    with django_assert_num_queries(7):
        response = admin.get(f"{URL}/forms/KTXH-01")

    assert [p["key"] for p in response.json()["periods"]][-1] == "2026-01"
    assert len(response.json()["periods"]) == count


def test_each_sees_the_forms_they_manage_or_report_on(
    world, form, march, django_assert_num_queries
):
    admin, reporter = client_for(world.admin), client_for(world.officer_a)
    outsider = client_for(officer_of(world.other_agency, username="canbo.khac"))

    make_form(world, code="KTXH-02")
    # Session, user, provinces administered (read once, for the list and for "manages"),
    # forms.
    with django_assert_num_queries(4):
        listed = admin.get(f"{URL}/forms")
    assert [(f["code"], f["manages"]) for f in listed.json()] == [
        ("KTXH-01", True),
        ("KTXH-02", True),
    ]
    assert [(f["code"], f["manages"]) for f in reporter.get(f"{URL}/forms").json()] == [
        ("KTXH-01", False),
        ("KTXH-02", False),
    ]
    assert outsider.get(f"{URL}/forms").json() == []
    assert outsider.get(f"{URL}/forms/KTXH-01").status_code == 404
    # A reporter sees its own agency among the reporters, not the others.
    detail = reporter.get(f"{URL}/forms/KTXH-01").json()
    assert detail["reporters"] == [{"code": "000.20.01.H91", "name": "UBND xã Hoa Sen"}]


def test_the_province_sees_who_reported_on_time_late_or_not_and_the_totals(
    world, march, django_assert_num_queries
):
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
        values={"NN01": "100", "NN02": "500", "XH01": "30", "XH02": "4.8"},
        submit=True,
        actor=world.officer_b,
        now=AFTER_DUE,
    )
    report_save(
        period=march, agency=world.department, values={"NN01": "9"}, actor=world.officer_department
    )

    admin = client_for(world.admin)
    # Session, user, the period, the provinces administered (read once for period_get and
    # the overview), reporters, reports, their values, indicators: eight, whatever the
    # numbers.
    with django_assert_num_queries(8):
        response = admin.get(MARCH)

    body = response.json()
    assert body["counts"] == {"overdue": 1, "missing": 0, "late": 1, "on_time": 1}
    assert [(r["agency"]["code"], r["state"], r["has_draft"]) for r in body["reporters"]] == [
        ("000.12.00.H91", "overdue", True),
        ("000.20.01.H91", "on_time", False),
        ("000.20.02.H91", "late", False),
    ]
    totals = {line["code"]: (line["total"], line["reported"]) for line in body["indicators"]}
    # The department's draft stays out of the totals; the poverty rate is averaged.
    assert totals == {
        "NN01": ("1350.5", 2),
        "NN02": ("8000", 2),
        "XH01": ("150", 2),
        "XH02": ("4", 2),
    }


def test_the_provinces_leader_reads_its_forms_periods_reports_and_exports(
    world, march, django_assert_num_queries
):
    # Given Hoa Sen's March report submitted in time, and the provincial committee's leader
    report_save(
        period=march,
        agency=world.commune_a,
        values=FULL,
        submit=True,
        actor=world.officer_a,
        now=BEFORE_DUE,
    )
    leader = client_for(officer_of(world.committee, Role.LEADER, "lanhdao.tinh"))

    listed = leader.get(f"{URL}/forms").json()
    detail = leader.get(f"{URL}/forms/KTXH-01").json()
    # Session, user, the period, the provinces administered and led (one query for both),
    # reporters, reports, their values, indicators: as many as the administrator's.
    with django_assert_num_queries(8):
        overview = leader.get(MARCH)
    exports = [leader.get(f"{MARCH}/export.{kind}").status_code for kind in ("xlsx", "csv")]
    report = leader.get(f"{MARCH}/reports/000.20.01.H91")

    # Then they read all of it, as the province does, and may change none of it
    assert [(f["code"], f["manages"]) for f in listed] == [("KTXH-01", False)]
    assert [a["code"] for a in detail["reporters"]] == [
        "000.12.00.H91",
        "000.20.01.H91",
        "000.20.02.H91",
    ]
    assert [p["key"] for p in detail["periods"]] == ["2026-03"]
    assert overview.status_code == 200
    assert overview.json()["counts"]["on_time"] == 1
    assert exports == [200, 200]
    assert (report.status_code, report.json()["editable"]) == (200, False)


@pytest.mark.parametrize(
    "who",
    [
        "a leader of a department",
        "a specialist of the provincial committee",
        "a leader of another province's committee",
    ],
)
def test_no_other_leader_or_officer_reads_the_overview_exports_or_others_reports(world, march, who):
    agency, role = {
        "a leader of a department": (world.department, Role.LEADER),
        "a specialist of the provincial committee": (world.committee, Role.SPECIALIST),
        "a leader of another province's committee": (world.other_agency, Role.LEADER),
    }[who]
    client = client_for(officer_of(agency, role))

    answers = [client.get(MARCH + suffix).status_code for suffix in ("", "/export.xlsx")]
    report = client.get(f"{MARCH}/reports/000.20.01.H91")

    assert answers == [404, 404]
    assert report.status_code == 404


@pytest.mark.parametrize("who", ["officer_a", "other_admin"])
def test_only_the_province_sees_the_overview_and_exports(world, march, who):
    client = client_for(getattr(world, who))
    for suffix in ("", "/export.xlsx", "/export.csv"):
        response = client.get(MARCH + suffix)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "reporting_period_not_found"


@pytest.mark.parametrize(
    ("who", "status"), [("officer_a", 403), ("leader", 403), ("other_admin", 404)]
)
def test_only_the_province_changes_a_form_and_opens_locks_or_unlocks_its_periods(
    world, march, who, status
):
    """Given the province's form with March open, when one of its reporters or the
    province's leader (who see the form) or another province's administrator (who does
    not) tries every write of the form's manager, then the reporter and the leader are
    refused with 403, the other province is told 404 as for a form it does not know, and
    nothing changes."""
    if who == "leader":
        user = officer_of(world.committee, Role.LEADER, "lanhdao.tinh")
    else:
        user = getattr(world, who)
    client = client_for(user)
    audits = AuditEntry.objects.count()

    answers = [
        client.patch(
            f"{URL}/forms/KTXH-01", json.dumps({"name": "Đổi tên"}), "application/json"
        ).status_code,
        client.post(
            f"{URL}/forms/KTXH-01/periods", {"period": "2026-04"}, "application/json"
        ).status_code,
        client.post(MARCH + "/lock").status_code,
    ]
    assert answers == [status] * 3
    assert ReportForm.objects.get().name == "Báo cáo tình hình kinh tế - xã hội"
    assert list(ReportingPeriod.objects.values_list("key", "locked_at")) == [("2026-03", None)]
    assert AuditEntry.objects.count() == audits

    reporting_period_lock(period=march, actor=world.admin)
    assert client.post(MARCH + "/unlock").status_code == status
    assert ReportingPeriod.objects.get().is_locked


def test_the_excel_export_has_the_upward_layout(world, march):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )

    response = client_for(world.admin).get(MARCH + "/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="KTXH-01_2026-03.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "BÁO CÁO TỔNG HỢP: BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI"
    assert rows[3][0] == "Kỳ báo cáo: Tháng 03/2026 (từ 01/03/2026 đến 31/03/2026)"
    assert rows[4][0] == "Hạn nộp: 17:00 ngày 07/04/2026"
    header = rows.index(next(r for r in rows if r[0] == "STT"))
    assert rows[header] == (
        "STT",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Sở Nông nghiệp",
        "UBND xã Hoa Sen",
        "UBND phường Sen Hồng",
        "Tổng hợp toàn tỉnh",
    )
    assert rows[header + 2] == (
        1,
        "NN01",
        "Diện tích lúa gieo cấy",
        "ha",
        None,
        1250.5,
        None,
        1250.5,
    )
    assert rows[header + 4][4:] == (None, 120, None, 120)
    assert any(r[0] and str(r[0]).startswith("Đơn vị chưa nộp: Sở Nông nghiệp") for r in rows)


def test_the_csv_export_is_one_row_per_indicator(world, march):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )

    response = client_for(world.admin).get(MARCH + "/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][-1] == "Tổng hợp toàn tỉnh"
    assert rows[0][5] == "Sở Nông nghiệp (000.12.00.H91)"
    assert rows[4] == ["4", "XH02", "Tỷ lệ hộ nghèo", "%", "Bình quân", "", "3.2", "", "3.2"]


def test_names_a_spreadsheet_would_run_are_exported_as_text(world):
    # Given a form whose indicator names and units read as formulas (typed, or imported)
    form = make_form(
        world,
        code="FI-01",
        indicators=[
            IndicatorSpec("A1", "=1+2", "+cmd|'/c calc'!A1", "decimal", "sum"),
            IndicatorSpec("A2", "@SUM(1)", "-2+3", "decimal", "sum", allow_negative=True),
        ],
    )
    period = reporting_period_open(form=form, key="2026-03", actor=world.admin)
    report_save(
        period=period,
        agency=world.commune_a,
        values={"A1": "1", "A2": "-5"},
        submit=True,
        actor=world.officer_a,
    )
    url = f"{URL}/forms/FI-01/periods/2026-03"

    # When the province exports the period
    text = client_for(world.admin).get(url + "/export.csv").content.decode("utf-8")
    book = load_workbook(io.BytesIO(client_for(world.admin).get(url + "/export.xlsx").content))

    # Then the CSV's names carry an apostrophe, its numbers stay numbers, and Excel holds
    # text, not formulas
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][2:4] == ["'=1+2", "'+cmd|'/c calc'!A1"]
    assert rows[2][2:4] == ["'@SUM(1)", "'-2+3"]
    assert rows[2][-1] == "-5"
    sheet = book.active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+2"]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_a_commune_fills_and_submits_its_report_through_the_api(world, march):
    client = client_for(world.officer_a)
    url = f"{MARCH}/reports/000.20.01.H91"

    empty = client.get(url).json()
    draft = put(client, url, {"values": {"NN01": "1.250,5"}, "revision": 0})
    submitted = put(client, url, {"values": FULL, "submit": True, "revision": 1})

    assert (empty["status"], empty["revision"], empty["editable"]) == ("not_started", 0, True)
    assert draft.json()["values"] == {"NN01": "1250.5", "NN02": None, "XH01": None, "XH02": None}
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["values"]["XH02"] == "3.2"


def test_wrong_values_answer_400_per_indicator_and_save_nothing(world, march):
    response = put(
        client_for(world.officer_a),
        f"{MARCH}/reports/000.20.01.H91",
        {"values": {"NN01": "-5", "XH01": 1.5, "ZZ": 1}},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_report_values"
    assert [d["field"] for d in error["details"]] == ["values.NN01", "values.XH01", "values.ZZ"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("who", ["admin", "leader"])
def test_the_province_reads_but_may_not_write_a_communes_report(world, march, who):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    if who == "leader":
        user = officer_of(world.committee, Role.LEADER, "lanhdao.tinh")
    else:
        user = world.admin
    client = client_for(user)
    audits = AuditEntry.objects.count()
    url = f"{MARCH}/reports/000.20.01.H91"

    read = client.get(url)
    write = put(client, url, {"values": {"NN01": 1}})

    assert (read.status_code, read.json()["editable"]) == (200, False)
    assert write.status_code == 403
    assert Report.objects.get().revision == 1
    assert AuditEntry.objects.count() == audits


def test_another_commune_cannot_see_or_touch_a_report(world, march):
    report_save(
        period=march, agency=world.commune_a, values=FULL, submit=True, actor=world.officer_a
    )
    other = client_for(world.officer_b)
    url = f"{MARCH}/reports/000.20.01.H91"

    assert other.get(url).status_code == 404
    assert put(other, url, {"values": {"NN01": 1}}).status_code == 404
    assert Report.objects.get().revision == 1
    assert not AuditEntry.objects.filter(action="periodic.report.corrected").exists()


def test_a_report_of_an_agency_that_is_no_reporter_of_the_period_is_not_found(world, march):
    client = client_for(world.officer_a)

    unknown = put(client, f"{MARCH}/reports/000.99.99.H99", {"values": {"NN01": 1}})
    not_a_reporter = put(client, f"{MARCH}/reports/{world.other_agency.code}", {"values": {}})

    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "report_not_found")
    assert not_a_reporter.status_code == 404
    assert not Report.objects.exists()


def test_a_locked_period_answers_409_and_a_stale_revision_too(world, march):
    client = client_for(world.officer_a)
    url = f"{MARCH}/reports/000.20.01.H91"
    put(client, url, {"values": {"NN01": 1}})

    stale = put(client, url, {"values": {"NN01": 2}, "revision": 0})
    assert client_for(world.admin).post(MARCH + "/lock").status_code == 200
    locked = put(client, url, {"values": {"NN01": 3}})

    assert stale.json()["error"]["code"] == "report_changed"
    assert (locked.status_code, locked.json()["error"]["code"]) == (409, "reporting_period_locked")
    assert ReportingPeriod.objects.get().locked_at is not None


def test_a_commune_lists_the_reports_it_owes(world, march, django_assert_num_queries):
    client = client_for(world.officer_a)
    # Session, user, agencies, periods with the count of all, reports.
    with django_assert_num_queries(5):
        body = client.get(f"{URL}/assignments").json()
    assert (body["count"], body["page"], body["page_size"]) == (1, 1, 20)
    assert [
        (a["form"], a["period"]["key"], a["agency"]["code"], a["status"]) for a in body["results"]
    ] == [("KTXH-01", "2026-03", "000.20.01.H91", "not_started")]


def test_a_commune_owing_more_than_a_page_reads_them_all_page_by_page(
    world, march, django_assert_num_queries
):
    """Given a commune owing March 2026 (open) and 120 locked months before it, when its
    officer asks for pages of 100, then the first page says 121 in all and begins with the
    open month, the second holds the 21 others down to the oldest, and a page past the end
    is empty, still saying 121."""
    locked_months(march.form, world.commune_a, 120)
    client = client_for(world.officer_a)
    url = f"{URL}/assignments"

    with django_assert_num_queries(5):
        first = client.get(url, {"page_size": 100}).json()
    second = client.get(url, {"page": 2, "page_size": 100}).json()
    past = client.get(url, {"page": 3, "page_size": 100}).json()

    assert (first["count"], len(first["results"])) == (121, 100)
    assert [a["period"]["key"] for a in first["results"][:2]] == ["2026-03", "2009-12"]
    assert (second["count"], len(second["results"])) == (121, 21)
    assert second["results"][-1]["period"]["key"] == "2000-01"
    assert (past["count"], past["results"]) == (121, [])


@pytest.mark.parametrize("query", [{"page": 0}, {"page_size": 101}, {"page_size": 0}])
def test_a_page_out_of_bounds_answers_invalid_input(world, march, query):
    response = client_for(world.officer_a).get(f"{URL}/assignments", query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


# --- JSON of the wrong type: never coerced --------------------------------------------------

INTEGER = {"message": "Phải là số nguyên.", "type": "int_type"}
BOOLEAN = {"message": "Phải là true hoặc false.", "type": "bool_type"}


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"due_days": "10"}, "due_days", INTEGER),
        ({"due_days": True}, "due_days", INTEGER),
        (
            {"indicators": [{"code": "LUA", "name": "Lúa", "unit": "ha", "allow_negative": 1}]},
            "indicators.0.allow_negative",
            BOOLEAN,
        ),
        (
            {
                "indicators": [
                    {"code": "LUA", "name": "Lúa", "unit": "ha", "allow_negative": "false"}
                ]
            },
            "indicators.0.allow_negative",
            BOOLEAN,
        ),
    ],
)
def test_a_form_with_a_number_or_a_yes_of_the_wrong_json_type_is_refused(
    world, change, field, problem
):
    """Pydantic's lax mode read "10" as 10 and 1 or "false" as booleans: a client sending
    those has a bug to hear about, and the form is not defined on a guess."""
    body = {**form_body(world), **change}

    response = client_for(world.admin).post(f"{URL}/forms", body, content_type="application/json")

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["details"] == [{"field": f"body.{field}", **problem}]
    assert not ReportForm.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"due_days": "5"}, INTEGER),
        ({"due_days": False}, INTEGER),
        ({"is_active": "false"}, BOOLEAN),
        ({"is_active": 0}, BOOLEAN),
    ],
)
def test_a_form_change_of_the_wrong_json_type_is_refused_and_changes_nothing(
    world, form, change, problem
):
    before = ReportForm.objects.values("due_days", "is_active").get()
    audits = AuditEntry.objects.count()

    response = client_for(world.admin).patch(
        f"{URL}/forms/KTXH-01", json.dumps(change), content_type="application/json"
    )

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "invalid_input"
    [name] = change
    assert response.json()["error"]["details"] == [{"field": f"body.{name}", **problem}]
    assert ReportForm.objects.values("due_days", "is_active").get() == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"submit": "true"}, BOOLEAN),
        ({"submit": 1}, BOOLEAN),
        ({"revision": "1"}, INTEGER),
        ({"revision": True}, INTEGER),
    ],
)
def test_a_report_saved_with_the_wrong_json_type_is_refused_and_changes_nothing(
    world, march, change, problem
):
    """`"submit": "true"` submitted the report and `"revision": true` passed for revision 1:
    now each is refused, and the draft stays as it was."""
    client = client_for(world.officer_a)
    url = f"{MARCH}/reports/000.20.01.H91"
    put(client, url, {"values": {"NN01": "1"}})
    before = list(Report.objects.values())
    audits = AuditEntry.objects.count()

    response = put(client, url, {"values": FULL, "revision": 1, **change})

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "invalid_input"
    [name] = change
    assert response.json()["error"]["details"] == [{"field": f"body.{name}", **problem}]
    assert list(Report.objects.values()) == before
    assert AuditEntry.objects.count() == audits


def test_the_api_needs_a_signed_in_user(db):
    response = Client().get(f"{URL}/forms")
    assert response.status_code == 401


def test_reading_and_saving_a_report_takes_a_fixed_number_of_queries(
    world, march, django_assert_num_queries
):
    # Given a commune officer with a draft already saved
    client = client_for(world.officer_a)
    url = f"{MARCH}/reports/000.20.01.H91"
    put(client, url, {"values": {"NN01": "1"}})

    # When they read it and correct one value
    # Then each takes a fixed number of queries (the PUT reads the period once, not twice;
    # it reads the report only in the save and after it, not also before; the save reads
    # the report's values once, and not its period, form or agency again)
    with django_assert_num_queries(10):
        client.get(url)
    with django_assert_num_queries(23):
        put(client, url, {"values": {"NN02": 2}, "revision": 1})


def test_the_api_document_lists_each_status_a_report_may_have():
    """One enum, from the report's statuses and "not started": the document lists them all
    for the report and for the assignments."""
    from sen.api import api

    schemas = api.get_openapi_schema(path_prefix="/api/v1")["components"]["schemas"]
    for name in ("ReportOut", "AssignmentOut"):
        status = schemas[name]["properties"]["status"]
        assert schemas[status["$ref"].rsplit("/", 1)[1]]["enum"] == [
            "not_started",
            "draft",
            "submitted",
        ], name
