"""How moments, money, legal times and documents are shown, in both languages."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sen.core.timezones import VIETNAM, short_moment
from sen.portal.formatting import (
    document_label,
    format_dong,
    format_duration,
    format_number,
)
from sen.portal.templatetags.portal import moment as format_moment


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_a_moment_is_time_then_date_in_vietnam_time_in_either_language(vietnamese):
    """Pages and emails write a moment as the slips do, the time first; a moment stored in
    UTC is shown in Vietnam time, where 17:05 UTC is already the next day."""
    stored = datetime(2026, 11, 22, 17, 5, tzinfo=UTC)

    assert format_moment(stored) == "00:05 23/11/2026"
    assert format_moment(datetime(2026, 2, 3, 8, 30, tzinfo=VIETNAM)) == "08:30 03/02/2026"
    with translation.override("en"):
        assert format_moment(stored) == "00:05 23/11/2026"
    assert format_moment(None) == ""


def test_a_naive_moment_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="naive"):
        short_moment(datetime(2026, 11, 22, 8, 30))


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "Miễn phí"),
        (None, "Miễn phí"),
        (500, "500 đồng"),
        (8_000, "8.000 đồng"),
        (50_000, "50.000 đồng"),
        (1_500_000, "1.500.000 đồng"),
        (12_345_678_900, "12.345.678.900 đồng"),
    ],
)
def test_money_in_vietnamese_is_dong_with_dots(vietnamese, amount, shown):
    assert format_dong(amount) == shown


def test_money_in_english_is_vnd_with_commas(english):
    assert format_dong(1_500_000) == "1,500,000 VND"
    assert format_dong(0) == "Free of charge"


@given(st.integers(min_value=1, max_value=10**15))
def test_dots_only_group_thousands(amount):
    with translation.override("vi"):
        digits, unit = format_dong(amount).split(" ", 1)
    assert unit == "đồng"
    assert int(digits.replace(".", "")) == amount
    assert all(len(group) == 3 for group in digits.split(".")[1:])


@pytest.mark.parametrize(
    ("days", "shown"),
    [
        (Decimal("3"), "3 ngày làm việc"),
        (Decimal("3.0"), "3 ngày làm việc"),
        (Decimal("10.0"), "10 ngày làm việc"),
        (Decimal("0.5"), "0,5 ngày làm việc"),
        (Decimal("1.50"), "1,5 ngày làm việc"),
    ],
)
def test_legal_time_in_vietnamese(vietnamese, days, shown):
    assert format_duration(days) == shown


def test_legal_time_in_english_agrees_in_number(english):
    assert format_duration(Decimal("1")) == "1 working day"
    assert format_duration(Decimal("3.0")) == "3 working days"
    assert format_duration(Decimal("0.5")) == "0.5 working days"
    assert format_duration(Decimal("4"), "hours") == "4 working hours"
    assert format_duration(Decimal("1"), "hours") == "1 working hour"


def test_step_time_in_hours(vietnamese):
    assert format_duration(Decimal("4.00"), "hours") == "4 giờ làm việc"


def test_large_numbers_are_grouped_too(vietnamese):
    assert format_number(Decimal("1200.5")) == "1.200,5"


@pytest.mark.parametrize(
    ("item", "shown"),
    [
        ("Luật Hộ tịch số 60/2014/QH13", "Luật Hộ tịch số 60/2014/QH13"),
        ("  Luật Đất đai 2024 ", "Luật Đất đai 2024"),
        (
            {"title": "Luật Hộ tịch", "number": "60/2014/QH13"},
            "60/2014/QH13 — Luật Hộ tịch",
        ),
        (
            {"name": "Giấy khai sinh", "extra": "bản chính", "count": 1},
            "Giấy khai sinh — 1 — bản chính",
        ),
        ({"title": "", "number": None, "flag": True}, ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_legal_documents_and_results_read_as_one_line(item, shown):
    assert document_label(item) == shown
