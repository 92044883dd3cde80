"""The public API: deadlines and the year's calendar, good answers and bad requests alike."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from sen.workdays.models import CalendarEntry
from sen.workdays.tests.factories import AgencyFactory, OfficeHoursFactory

pytestmark = pytest.mark.django_db

DEADLINE = "/api/v1/workdays/deadline"
CALENDAR = "/api/v1/workdays/calendar"

START_MESSAGE = (
    "Thời điểm bắt đầu (start) phải theo ISO 8601, ví dụ 2026-01-05T08:00:00+07:00, "
    "trong các năm 1900–2200."
)
YEAR_MESSAGE = "Năm (year) phải là một số từ 2000 đến 2100."


def error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


# Deadline ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "body"),
    [
        (
            # Friday 16:00 + 1 working day → Monday 16:00 ("+" sent encoded)
            {"start": "2026-01-09T16:00:00+07:00", "days": "1"},
            {
                "start": "2026-01-09T16:00:00+07:00",
                "days": "1",
                "due": "2026-01-12T16:00:00+07:00",
            },
        ),
        (
            # Without an offset the start is Vietnam's time; lunch counts from 13:00.
            {"start": "2026-03-10T12:30", "days": "0.5"},
            {
                "start": "2026-03-10T12:30:00+07:00",
                "days": "0.5",
                "due": "2026-03-10T17:00:00+07:00",
            },
        ),
        (
            # UTC start: 09:00Z is 16:00 in Hà Nội.
            {"start": "2026-01-09T09:00:00Z", "days": "1.50"},
            {
                "start": "2026-01-09T16:00:00+07:00",
                "days": "1.5",
                "due": "2026-01-13T11:00:00+07:00",
            },
        ),
        (
            # Before Tết 2026 (offices closed 14–22/02) with 3 days.
            {"start": "2026-02-12T09:00:00+07:00", "days": "3"},
            {
                "start": "2026-02-12T09:00:00+07:00",
                "days": "3",
                "due": "2026-02-24T09:00:00+07:00",
            },
        ),
        (
            # A date alone is midnight: counting starts at the opening.
            {"start": "2025-02-08", "days": "0"},
            {
                "start": "2025-02-08T00:00:00+07:00",
                "days": "0",
                "due": "2025-02-08T08:00:00+07:00",
            },
        ),
        (
            {"start": "2026-01-05T08:00:00+07:00", "days": "0.125"},
            {
                "start": "2026-01-05T08:00:00+07:00",
                "days": "0.125",
                "due": "2026-01-05T09:00:00+07:00",
            },
        ),
        (
            {"start": "2026-01-05T08:00:00+07:00", "days": "365"},
            {
                "start": "2026-01-05T08:00:00+07:00",
                "days": "365",
                "due": "2027-06-25T17:00:00+07:00",
            },
        ),
        (
            {"start": "2200-12-31T08:00:00+07:00", "days": "1"},
            {
                "start": "2200-12-31T08:00:00+07:00",
                "days": "1",
                "due": "2200-12-31T17:00:00+07:00",
            },
        ),
    ],
)
def test_deadline_answers_the_due_moment_in_vietnam_time(
    client: Client, query: dict[str, str], body: dict[str, str]
) -> None:
    response = client.get(DEADLINE, query)
    assert response.status_code == 200
    assert response.json() == body


def test_an_unencoded_plus_in_the_offset_is_read_as_plus(client: Client) -> None:
    response = client.get(DEADLINE + "?start=2026-01-09T16:00:00+07:00&days=1")
    assert response.status_code == 200
    assert response.json()["due"] == "2026-01-12T16:00:00+07:00"


def test_deadline_uses_the_agencys_own_office_hours(client: Client) -> None:
    OfficeHoursFactory(agency=AgencyFactory(code="000.00.01.H37"))  # Saturday 07:30–11:30
    query = {"start": "2026-01-09T17:30:00+07:00", "days": "0.5", "agency": "000.00.01.H37"}
    response = client.get(DEADLINE, query)
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-01-09T17:30:00+07:00",
        "days": "0.5",
        "due": "2026-01-10T11:30:00+07:00",
    }


def test_an_agency_without_its_own_hours_uses_the_common_ones(client: Client) -> None:
    AgencyFactory(code="000.00.02.H37")
    query = {"start": "2026-01-09T17:30:00+07:00", "days": "0.5", "agency": "000.00.02.H37"}
    assert client.get(DEADLINE, query).json()["due"] == "2026-01-12T12:00:00+07:00"


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        (
            {"start": "", "days": "1"},
            400,
            error("invalid_start", "Cần có thời điểm bắt đầu (start)."),
        ),
        ({"start": "hôm nay", "days": "1"}, 400, error("invalid_start", START_MESSAGE)),
        ({"start": "2026-02-30T08:00", "days": "1"}, 400, error("invalid_start", START_MESSAGE)),
        ({"start": "2026-01-09T25:00", "days": "1"}, 400, error("invalid_start", START_MESSAGE)),
        ({"start": "09/01/2026 08:00", "days": "1"}, 400, error("invalid_start", START_MESSAGE)),
        ({"start": "1899-12-31T23:00", "days": "1"}, 400, error("invalid_start", START_MESSAGE)),
        ({"start": "2201-01-01T08:00", "days": "1"}, 400, error("invalid_start", START_MESSAGE)),
        # 2200-12-31 20:00 in New York is already 2201 in Hà Nội.
        (
            {"start": "2200-12-31T20:00:00-05:00", "days": "1"},
            400,
            error("invalid_start", START_MESSAGE),
        ),
        (
            {"start": "0001-01-01T00:00:00+01:00", "days": "1"},
            400,
            error("invalid_start", START_MESSAGE),
        ),
        (
            {"start": "2026-01-09T08:00" + "0" * 60, "days": "1"},
            400,
            error("invalid_start", START_MESSAGE),
        ),
        (
            {"start": "2026-01-09T08:00", "days": ""},
            400,
            error("invalid_days", "Cần có số ngày làm việc (days)."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "٣"},  # an Arabic-Indic three
            400,
            error("invalid_days", "Số ngày (days) phải là một số, ví dụ 15 hoặc 0.5."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "mười"},
            400,
            error("invalid_days", "Số ngày (days) phải là một số, ví dụ 15 hoặc 0.5."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "1e3"},
            400,
            error("invalid_days", "Số ngày (days) phải là một số, ví dụ 15 hoặc 0.5."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "NaN"},
            400,
            error("invalid_days", "Số ngày (days) phải là một số, ví dụ 15 hoặc 0.5."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "1,5"},
            400,
            error("invalid_days", "Số ngày (days) phải là một số, ví dụ 15 hoặc 0.5."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "-1"},
            400,
            error("invalid_days", "Số ngày (days) không được âm."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "365.5"},
            400,
            error("invalid_days", "Số ngày (days) tối đa là 365 ngày làm việc."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "99999999999"},
            400,
            error("invalid_days", "Số ngày (days) tối đa là 365 ngày làm việc."),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "0.0625"},
            400,
            error(
                "invalid_days",
                "Số ngày (days) có tối đa 3 chữ số thập phân (0,125 ngày là một giờ).",
            ),
        ),
        (
            {"start": "2026-01-09T08:00", "days": "1", "agency": "000.00.99.H37"},
            404,
            error("agency_not_found", "Không tìm thấy cơ quan có mã 000.00.99.H37."),
        ),
    ],
)
def test_bad_deadline_requests_are_answered_with_a_stable_code(
    client: Client, query: dict[str, str], status: int, body: dict[str, Any]
) -> None:
    response = client.get(DEADLINE, query)
    assert response.status_code == status
    assert response.json() == body


@pytest.mark.parametrize(
    ("query", "missing"),
    [
        ({"days": "1"}, ["start"]),
        ({"start": "2026-01-09T08:00"}, ["days"]),
        ({}, ["start", "days"]),
    ],
)
def test_a_deadline_request_without_start_or_days_is_refused_like_any_missing_parameter(
    client: Client, query: dict[str, str], missing: list[str]
) -> None:
    # Both are required in the API document; a missing one is an invalid request, named.
    response = client.get(DEADLINE, query)
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid_input"
    assert [problem["field"] for problem in body["details"]] == missing


def test_deadline_reads_the_database_once_then_serves_from_the_cached_calendar(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    query = {"start": "2026-01-09T16:00:00+07:00", "days": "1"}
    with django_assert_num_queries(1):  # the calendar entries, to build the calendar
        assert client.get(DEADLINE, query).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(DEADLINE, query).status_code == 200


def test_deadline_for_an_agency_reads_the_agency_each_time(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    OfficeHoursFactory(agency=AgencyFactory(code="000.00.01.H37"))
    query = {"start": "2026-01-09T16:00:00+07:00", "days": "1", "agency": "000.00.01.H37"}
    # The agency by its code; all agencies' office hours; the calendar entries.
    with django_assert_num_queries(3):
        assert client.get(DEADLINE, query).status_code == 200
    with django_assert_num_queries(1):  # the agency by its code
        assert client.get(DEADLINE, query).status_code == 200


# Calendar ---------------------------------------------------------------------------------


def test_the_2025_calendar_lists_holidays_and_worked_saturdays(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):  # the year's calendar entries
        response = client.get(CALENDAR, {"year": "2025"})
    assert response.status_code == 200
    assert response.json() == {
        "year": 2025,
        "days": [
            {"date": "2025-01-01", "name": "Tết Dương lịch", "kind": "holiday"},
            {"date": "2025-01-27", "name": "29 Tết", "kind": "holiday"},
            {"date": "2025-01-28", "name": "Giao thừa Tết Nguyên Đán", "kind": "holiday"},
            {"date": "2025-01-29", "name": "Tết Nguyên Đán", "kind": "holiday"},
            {"date": "2025-01-30", "name": "Mùng hai Tết Nguyên Đán", "kind": "holiday"},
            {"date": "2025-01-31", "name": "Mùng ba Tết Nguyên Đán", "kind": "holiday"},
            {"date": "2025-02-01", "name": "Mùng bốn Tết Nguyên Đán", "kind": "holiday"},
            {
                "date": "2025-02-08",
                "name": "Làm bù cho thứ Hai 27/01/2025 (nghỉ Tết Nguyên đán Ất Tỵ)",
                "kind": "working_day",
            },
            {"date": "2025-04-07", "name": "Ngày Giỗ Tổ Hùng Vương", "kind": "holiday"},
            {
                "date": "2025-04-26",
                "name": "Làm bù cho thứ Sáu 02/05/2025 (nghỉ lễ 30/4 và 1/5)",
                "kind": "working_day",
            },
            {"date": "2025-04-30", "name": "Ngày Chiến thắng", "kind": "holiday"},
            {"date": "2025-05-01", "name": "Ngày Quốc tế Lao động", "kind": "holiday"},
            {
                "date": "2025-05-02",
                "name": "Ngày nghỉ (thay cho ngày 26/04/2025)",
                "kind": "holiday",
            },
            {"date": "2025-09-01", "name": "Quốc khánh", "kind": "holiday"},
            {"date": "2025-09-02", "name": "Quốc khánh", "kind": "holiday"},
        ],
    }


def test_a_declared_day_off_appears_on_the_calendar(client: Client) -> None:
    CalendarEntry.objects.create(date="2027-03-12", kind="day_off", name="Nghỉ thêm")
    days = client.get(CALENDAR, {"year": "2027"}).json()["days"]
    assert {"date": "2027-03-12", "name": "Nghỉ thêm", "kind": "day_off"} in days


def test_the_last_year_served_is_answered(client: Client) -> None:
    # The holidays package knows the years 1901–2100; 2100 is its last.
    response = client.get(CALENDAR, {"year": "2100"})
    assert response.status_code == 200
    assert response.json()["year"] == 2100


@pytest.mark.parametrize(
    ("now", "year"),
    [
        (datetime(2026, 12, 31, 16, 59, tzinfo=UTC), 2026),
        # 17:00 UTC on New Year's Eve is already midnight in Hà Nội.
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), 2027),
    ],
)
def test_the_calendar_without_a_year_is_this_year_in_vietnam(
    client: Client, monkeypatch: pytest.MonkeyPatch, now: datetime, year: int
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: now)
    response = client.get(CALENDAR)
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == year
    assert {"date": f"{year}-01-01", "name": "Tết Dương lịch", "kind": "holiday"} in body["days"]


@pytest.mark.parametrize(
    "year", ["", "abc", "1999", "2101", "-2026", "２０２６", "20260", "2026.0"]
)
def test_an_impossible_year_is_refused(client: Client, year: str) -> None:
    response = client.get(CALENDAR, {"year": year})
    assert response.status_code == 400
    assert response.json() == error("invalid_year", YEAR_MESSAGE)


def test_the_api_document_lists_each_kind_of_calendar_day() -> None:
    from sen.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    kind = schema["components"]["schemas"]["CalendarDayOut"]["properties"]["kind"]
    assert schema["components"]["schemas"][kind["$ref"].rsplit("/", 1)[1]]["enum"] == [
        "holiday",
        "day_off",
        "working_day",
    ]
