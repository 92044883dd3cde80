"""``GET /api/v1/indicators`` and its exports: who may read, what they read, bad input."""

import csv
import io

import pytest
from openpyxl import load_workbook

from sen.catalog.models import Procedure
from sen.catalog.tests.factories import FieldFactory, make_procedure
from sen.core.models import AgencyKind, Role
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.services import dossier_receive
from sen.dossiers.tests.factories import officer, submit_online

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators"


# The index of one agency: session and user (2); the agency asked for (1); the reader's
# scope, the provinces administered and the agencies worked in (2); the period's counters
# summed, the dossiers open and not late now (2), the counters by procedure with their field
# (1). The same for any number of dossiers, procedures and fields.
INDEX_QUERIES = 9


def test_an_officer_reads_the_index_of_their_agency_with_its_counts(
    client, finished_and_open, people, centre, django_assert_num_queries
):
    """Given one dossier resolved early and one open past its due moment (Tue 24/11), when the
    desk officer asks for November on Mon 30/11, then the open one is judged now: progress
    scores 10 of 20, with the counts it comes from."""
    client.force_login(people.desk)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(URL, {"unit": centre.code, "period": "2026-11"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit"] == {"kind": "agency", "code": centre.code, "name": centre.name}
    groups = {group["code"]: group for group in body["groups"]}
    progress = groups["tdgq"]["indicators"][0]
    assert (progress["numerator"], progress["denominator"], progress["score"]) == (1, 2, 10.0)
    assert groups["mdsh"]["indicators"][0]["score"] == 6.0  # the result is electronic
    assert groups["tttt"]["indicators"][0]["supported"] is False
    stats = body["statistics"]
    assert (stats["received"], stats["resolved"], stats["early"], stats["late"]) == (2, 1, 1, 0)
    assert stats["received_by_channel"] == {"desk": 0, "online": 2, "post": 0}
    assert (body["in_progress_now"], body["overdue_now"]) == (1, 1)  # due Tue 24/11
    assert body["procedures"][0]["counters"]["received"] == 2
    assert body["fields"][0]["name"] == "Hộ tịch"


def test_the_index_costs_as_many_queries_for_four_procedures_in_four_fields_as_for_one(
    client, finished_and_open, people, centre, applicant, django_assert_num_queries
):
    """Given the two dossiers of birth registration, and two more received for each of three
    procedures of three other fields, when the desk officer reads November, then each
    procedure and field has its line, for the queries of one procedure."""
    for number in range(3):
        FieldFactory(code=f"linh-vuc-{number}", name=f"Lĩnh vực {number}")
        other = make_procedure(
            code=f"2.00000{number}",
            field=f"linh-vuc-{number}",
            implementations=[{"level": "province", "agency": centre.code}],
        )
        for _index in range(2):
            dossier = submit_online(other, applicant).dossier
            dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    client.force_login(people.desk)

    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(URL, {"unit": centre.code, "period": "2026-11"})

    body = response.json()
    assert sorted(line["code"] for line in body["procedures"]) == [
        "1.001193",
        "2.000000",
        "2.000001",
        "2.000002",
    ]
    assert len(body["fields"]) == 4
    assert body["statistics"]["received"] == 8


def test_a_transition_shows_in_the_next_read(client, submit, clock, people, centre):
    client.force_login(people.desk)
    dossier = submit().dossier
    before = client.get(URL, {"unit": centre.code, "period": "2026"}).json()
    dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    after = client.get(URL, {"unit": centre.code, "period": "2026"}).json()
    assert (before["statistics"]["received"], after["statistics"]["received"]) == (0, 1)
    assert after["in_progress_now"] == 1


def test_a_provincial_administrator_reads_the_province_and_an_agency_officer_does_not(
    client, finished_and_open, people, centre
):
    admin = officer(centre, Role.PROVINCE_ADMIN, username="quantri")
    client.force_login(admin)
    response = client.get(URL, {"unit": centre.unit.code, "period": "2026-Q4"})
    assert response.status_code == 200, response.content
    assert response.json()["statistics"]["received"] == 2
    assert client.get(URL, {"unit": "province", "period": "2026"}).status_code == 200

    client.force_login(people.desk)
    denied = client.get(URL, {"unit": centre.unit.code, "period": "2026-Q4"})
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("path", ["", "/dashboard", "/export"])
def test_without_a_unit_every_indicator_endpoint_reads_the_province(
    client, finished_and_open, people, centre, path
):
    """Given the province's administrator, when they leave the unit out or empty, then the
    index, the board and the export are the province's, as with `unit=province`; an agency
    officer asking the same is refused, as for the province by its name."""
    client.force_login(officer(centre, Role.PROVINCE_ADMIN, username="quantri"))
    named = client.get(f"{URL}{path}", {"unit": "province", "period": "2026-11"})
    assert named.status_code == 200
    for query in ({"period": "2026-11"}, {"unit": "", "period": "2026-11"}):
        response = client.get(f"{URL}{path}", query)
        assert response.status_code == 200, response.content
        if path == "/export":
            assert response["Content-Disposition"] == named["Content-Disposition"]
        else:
            assert response.json()["unit"] == {
                "kind": "province",
                "code": centre.unit.code,
                "name": centre.unit.name,
            }

    client.force_login(people.desk)
    denied = client.get(f"{URL}{path}", {"period": "2026-11"})
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "permission_denied"


def test_others_may_not_read_an_agency(client, finished_and_open, people, centre):
    other = AgencyFactory(kind=AgencyKind.DEPARTMENT, unit=centre.unit)
    outsider = officer(other, Role.LEADER, username="lanhdaokhac")
    for user in (outsider, people.applicant):
        client.force_login(user)
        response = client.get(URL, {"unit": centre.code, "period": "2026-11"})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    client.logout()
    assert client.get(URL, {"unit": centre.code, "period": "2026-11"}).status_code == 401


@pytest.mark.parametrize(
    ("unit", "period", "status", "code"),
    [
        ("000.00.01.H37", "2026-13", 400, "invalid_period"),
        ("000.00.01.H37", "2026-Q5", 400, "invalid_period"),
        ("000.00.01.H37", "tháng 11", 400, "invalid_period"),
        ("000.00.01.H37", "2027", 400, "invalid_period"),  # not begun
        ("000.00.01.H37", "2026-00", 400, "invalid_period"),
        ("000.00.01.H37", "2026-1", 400, "invalid_period"),
        ("000.00.01.H37", "1999", 400, "invalid_period"),  # before the years Sen knows
        ("000.00.01.H37", "", 400, "invalid_period"),
        # A province code no unit has: the factories number provinces 90–99, and no real
        # province is 00; no agency is Z99.
        ("00", "2026", 404, "unit_not_found"),
        ("Sở Tư pháp", "2026", 400, "invalid_unit"),
        ("999.99.99.Z99", "2026", 404, "unit_not_found"),
        ("99999", "2026", 404, "unit_not_found"),
    ],
)
def test_bad_units_and_periods_answer_with_a_stable_code(
    client, clock, people, unit, period, status, code
):
    client.force_login(people.desk)
    response = client.get(URL, {"unit": unit, "period": period})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_the_excel_export_has_the_layout_sent_upward(client, finished_and_open, people, centre):
    client.force_login(people.desk)
    response = client.get(f"{URL}/export", {"unit": centre.code, "period": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Chỉ số"]
    assert sheet["A1"].value.startswith("BÁO CÁO CHỈ SỐ")
    assert centre.code in sheet["A3"].value and "2026-11" in sheet["A4"].value
    assert [c.value for c in sheet[7]] == [
        "STT", "Nhóm, chỉ tiêu", "Điểm tối đa", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Ghi chú"
    ]  # fmt: skip
    last = [c.value for c in sheet[sheet.max_row]]
    # Out of the points of the indicators scored: no rating yet, so 44 of the 62 supported.
    assert last[1] == "Tổng điểm" and last[2] == 44.0
    procedures = book["Theo thủ tục"]
    assert [c.value for c in procedures[7]][:6] == [
        "STT", "Lĩnh vực", "Mã TTHC", "Phiên bản", "Tên thủ tục", "Tiếp nhận"
    ]  # fmt: skip
    assert [c.value for c in procedures[8]][5:] == [
        "Tổng", "Trực tuyến", "Trực tiếp", "Bưu chính",
        "Tổng", "Trước hạn", "Đúng hạn", "Quá hạn",
        "Từ chối", "Rút", "Dừng",
    ]  # fmt: skip
    assert [procedures.cell(7, column).value for column in (10, 14)] == ["Đã giải quyết", "Khác"]
    total = [c.value for c in procedures[procedures.max_row]]
    assert total[1] == "Tổng cộng" and total[5] == 2


def test_the_csv_export_gives_one_table(client, finished_and_open, people, centre):
    client.force_login(people.desk)
    response = client.get(
        f"{URL}/export",
        {"unit": centre.code, "period": "2026-11", "format": "csv", "table": "procedures"},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "STT", "Lĩnh vực", "Mã TTHC", "Phiên bản", "Tên thủ tục",
        "Tiếp nhận - Tổng", "Tiếp nhận - Trực tuyến",
    ]  # fmt: skip
    assert rows[0][-1] == "Khác - Dừng"
    assert rows[-1][1] == "Tổng cộng"
    for wrong in ({"format": "pdf"}, {"format": "csv", "table": "fields"}, {"format": ""}):
        bad = client.get(f"{URL}/export", {"unit": centre.code, "period": "2026", **wrong})
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "invalid_export_format"


def test_the_api_document_states_the_units_periods_and_formats_the_endpoints_read():
    """The document's patterns and lists are those the endpoints check: a client (or a
    generated test) that follows them is not refused for the form of its query."""
    import re

    from sen.api import api

    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][f"{URL}/export"]["get"]
    schemas = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert not any(p["required"] for p in operation["parameters"] if p["name"] != "period")
    unit, period = re.compile(schemas["unit"]["pattern"]), re.compile(schemas["period"]["pattern"])
    for good in ("", "province", "37", "00070", "000.00.01.H37"):
        assert unit.search(good), good
    for wrong in ("Sở Tư pháp", "3", "000.00.01.h37", "province37"):
        assert not unit.search(wrong), wrong
    for good in ("2000", "2100-Q4", "2026-01", "2026-12"):
        assert period.search(good), good
    for wrong in ("", "1999", "2101", "2026-13", "2026-00", "2026-1", "2026-Q5", "tháng 11"):
        assert not period.search(wrong), wrong
    assert (schemas["format"]["enum"], schemas["table"]["enum"]) == (
        ["xlsx", "csv"],
        ["index", "procedures"],
    )


def test_an_english_reader_exports_english_headers(client, finished_and_open, people, centre):
    """Given a reader whose browser asks for English, when they export the report, then the
    sheets' and the tables' headers are English, as the rest of the file."""
    client.force_login(people.desk)
    query = {"unit": centre.code, "period": "2026-11"}

    as_xlsx = client.get(f"{URL}/export", query, HTTP_ACCEPT_LANGUAGE="en")
    as_csv = client.get(
        f"{URL}/export",
        {**query, "format": "csv", "table": "procedures"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert book.sheetnames[0] == "Index"
    header = [c.value for c in book["Index"][7]]
    assert (header[0], header[2], header[6]) == ("No.", "Maximum score", "Score")
    procedures = book[book.sheetnames[1]]
    assert (procedures["F7"].value, procedures["G8"].value) == ("Received", "Online")
    assert procedures.cell(7, 10).value == "Resolved"
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert (rows[0][0], rows[0][1], rows[0][3]) == ("No.", "Sector", "Version")
    assert "Received - Online" in rows[0] and "Resolved - Late" in rows[0]
    assert rows[-1][1] == "Total"


@pytest.mark.parametrize(
    "query",
    [
        {"format": "pdf"},
        {"format": "CSV"},  # the formats are written in lower case
        {"format": "csv", "table": "dossiers"},
        {"format": "xlsx", "table": ""},
    ],
)
def test_an_unknown_export_format_or_table_answers_with_a_stable_code(
    client, finished_and_open, people, centre, query
):
    client.force_login(people.desk)
    response = client.get(f"{URL}/export", {"unit": centre.code, "period": "2026", **query})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "invalid_export_format"


def test_a_name_that_looks_like_a_formula_is_exported_as_text(
    client, finished_and_open, people, centre, procedure
):
    name = '=HYPERLINK("http://example.invalid","Bấm vào đây")'
    Procedure.objects.filter(pk=procedure.pk).update(name=name)
    client.force_login(people.desk)
    query = {"unit": centre.code, "period": "2026-11"}

    as_csv = client.get(f"{URL}/export", {**query, "format": "csv", "table": "procedures"})
    as_xlsx = client.get(f"{URL}/export", query)

    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[1][4] == "'" + name
    sheet = load_workbook(io.BytesIO(as_xlsx.content))["Theo thủ tục"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == name]
    assert len(cells) == 1 and cells[0].data_type == "s"
