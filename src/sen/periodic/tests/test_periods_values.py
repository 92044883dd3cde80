"""Period keys and indicator values: the pure rules under the forms."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sen.core.periods import period_label
from sen.periodic.periods import InvalidPeriodKey, period_before, period_from_key
from sen.periodic.values import (
    IndicatorRule,
    ValueProblem,
    aggregate,
    format_input,
    format_value,
    parse_value,
    parse_values,
)

AREA = IndicatorRule("NN01", "Diện tích lúa", "decimal")
WORKERS = IndicatorRule("XH01", "Số lao động", "integer")
POOR = IndicatorRule("XH02", "Tỷ lệ hộ nghèo", "decimal", max_value=Decimal(100), unit="%")
FIELD = IndicatorRule("NN03", "Diện tích màu", "decimal", max_value=Decimal("1500.5"), unit="ha")


@pytest.mark.parametrize(
    ("kind", "key", "first", "last", "label"),
    [
        ("month", "2026-02", date(2026, 2, 1), date(2026, 2, 28), "Tháng 02/2026"),
        ("quarter", "2026-q4", date(2026, 10, 1), date(2026, 12, 31), "Quý IV/2026"),
        ("year", "2028", date(2028, 1, 1), date(2028, 12, 31), "Năm 2028"),
    ],
)
def test_a_period_key_names_its_days(kind, key, first, last, label):
    period = period_from_key(kind, key)
    assert (period.first, period.last_day, period_label(period)) == (first, last, label)


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("month", "2026-13"),
        ("month", "2026-3"),
        ("quarter", "2026-Q5"),
        ("year", "26"),
        ("month", "2026-Q1"),
        ("year", "1999"),
        ("quarter", "2026-03"),
        ("quarter", "2026-Q01"),
        ("month", "2026-03x"),
        ("month", "\uff12\uff10\uff12\uff16-03"),  # full-width digits
        ("year", ""),
        ("week", "2026"),
    ],
)
def test_a_key_of_the_wrong_shape_is_refused(kind, key):
    with pytest.raises(InvalidPeriodKey):
        period_from_key(kind, key)


def test_the_period_due_soon_is_the_one_just_ended():
    assert period_before("quarter", date(2026, 4, 3)).key == "2026-Q1"
    assert period_before("month", date(2026, 1, 15)).key == "2025-12"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("12,5", Decimal("12.5")),
        (" 7 ", Decimal("7")),
        (3, Decimal("3")),
        (2.25, Decimal("2.25")),
        # Fifteen digits, the most a decimal keeps exactly on SQLite; trailing zeros are free
        ("12345678901,2345", Decimal("12345678901.2345")),
        ("1000000000000000", Decimal("1000000000000000")),
    ],
)
def test_values_are_read_the_vietnamese_or_the_computer_way(typed, value):
    assert parse_value(typed, AREA) == value


@pytest.mark.parametrize(
    ("typed", "rule", "message"),
    [
        ("abc", AREA, "Diện tích lúa: hãy nhập một số."),
        (True, AREA, "Diện tích lúa: hãy nhập một số."),
        ("2,5", WORKERS, "Số lao động: hãy nhập một số nguyên."),
        ("-1", WORKERS, "Số lao động: không được là số âm."),
        ("1,23456", AREA, "Diện tích lúa: tối đa 4 chữ số sau dấu phẩy."),
        ("1e30", AREA, "Diện tích lúa: số quá lớn."),
        (
            "9999999999999999,9999",
            AREA,
            "Diện tích lúa: tối đa 15 chữ số (không kể số 0 ở cuối).",
        ),
        (
            "1234567890123,4567",
            AREA,
            "Diện tích lúa: tối đa 15 chữ số (không kể số 0 ở cuối).",
        ),
        ("NaN", AREA, "Diện tích lúa: hãy nhập một số."),
        # An indicator with an upper bound names it, written as values are shown
        ("150", POOR, "Tỷ lệ hộ nghèo: không được lớn hơn 100 %."),
        ("100,0001", POOR, "Tỷ lệ hộ nghèo: không được lớn hơn 100 %."),
        ("2.000,5", FIELD, "Diện tích màu: không được lớn hơn 1.500,5 ha."),
    ],
)
def test_a_wrong_value_is_named_with_its_indicator(typed, rule, message):
    assert parse_value(typed, rule) == ValueProblem(rule.code, message)


@pytest.mark.parametrize(("typed", "value"), [("100", Decimal(100)), ("0", Decimal(0))])
def test_a_value_up_to_its_bound_is_taken(typed, value):
    assert parse_value(typed, POOR) == value


def test_a_submission_needs_every_value_and_only_known_codes():
    parsed = parse_values({"NN01": "5", "ZZ": "1"}, [AREA, WORKERS], complete=True)
    assert [p.as_detail() for p in parsed.problems] == [
        {"field": "values.XH01", "message": "Số lao động: cần nhập giá trị trước khi nộp báo cáo."},
        {"field": "values.ZZ", "message": "Biểu mẫu không có chỉ tiêu mã ZZ."},
    ]


def test_totals_add_up_or_average_and_skip_missing_values():
    values = [Decimal("1.5"), None, Decimal("2")]
    assert aggregate(values, "sum") == Decimal("3.5")
    assert aggregate(values, "average") == Decimal("1.7500")
    assert aggregate([None], "sum") is None


# Up to 10**11 with four places: the fifteen digits a value may have (SIGNIFICANT_DIGITS).
@given(st.decimals(min_value=-(10**11), max_value=10**11, places=4, allow_nan=False))
def test_a_value_in_an_input_box_reads_back_to_itself(value):
    rule = IndicatorRule("X", "X", "decimal", allow_negative=True)
    assert parse_value(format_input(value), rule) == value


def test_a_dot_before_three_digits_is_asked_about_unless_only_a_whole_number_fits():
    problem = parse_value("7.600", AREA)
    assert problem == ValueProblem(
        "NN01", "Diện tích lúa: “7.600” có thể hiểu hai cách; hãy viết 7600 hoặc 7,600."
    )
    assert parse_value("7.600", WORKERS) == Decimal("7600")
    assert parse_value("7.60", AREA) == Decimal("7.60")


def test_grouped_thousands_are_read_as_such():
    assert parse_value("1.234.567", AREA) == Decimal("1234567")
    assert parse_value("1.234.567,25", AREA) == Decimal("1234567.25")


def test_values_are_shown_with_vietnamese_separators():
    assert format_value(Decimal("1234567.5000")) == "1.234.567,5"
    assert format_value(Decimal("-12")) == "-12"
    assert format_value(None) == ""
