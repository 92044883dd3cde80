"""The statutory holidays from the ``holidays`` package and the seeded worked Saturdays."""

import re
from datetime import date

import pytest

from sen.workdays.models import CalendarEntry, EntryKind
from sen.workdays.selectors import non_working_days, statutory_holidays

pytestmark = pytest.mark.django_db

# Seeded Saturday → the weekday given off in exchange for it.
SWAPS = {
    date(2024, 5, 4): date(2024, 4, 29),
    date(2025, 2, 8): date(2025, 1, 27),
    date(2025, 4, 26): date(2025, 5, 2),
    date(2026, 8, 22): date(2026, 8, 31),
}


def test_the_worked_saturdays_are_seeded_with_their_legal_basis() -> None:
    entries = {
        e.date: (e.kind, e.name, e.legal_basis) for e in CalendarEntry.objects.order_by("date")
    }
    assert entries == {
        date(2024, 5, 4): (
            EntryKind.WORKING_DAY,
            "Làm bù cho thứ Hai 29/04/2024 (nghỉ lễ 30/4 và 1/5)",
            "Công văn 2450/VPCP-KGVX ngày 12/04/2024 của Văn phòng Chính phủ",
        ),
        date(2025, 2, 8): (
            EntryKind.WORKING_DAY,
            "Làm bù cho thứ Hai 27/01/2025 (nghỉ Tết Nguyên đán Ất Tỵ)",
            "Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động - Thương binh và Xã hội",
        ),
        date(2025, 4, 26): (
            EntryKind.WORKING_DAY,
            "Làm bù cho thứ Sáu 02/05/2025 (nghỉ lễ 30/4 và 1/5)",
            "Thông báo của Chính phủ về lịch nghỉ lễ năm 2025 (dịp 30/4 và 1/5)",
        ),
        date(2026, 8, 22): (
            EntryKind.WORKING_DAY,
            "Làm bù cho thứ Hai 31/08/2026 (nghỉ lễ Quốc khánh 2/9)",
            "Thông báo của Chính phủ về lịch nghỉ lễ năm 2026 (dịp Quốc khánh 2/9)",
        ),
    }
    assert all(day.weekday() == 5 for day in entries)


@pytest.mark.parametrize(("saturday", "weekday"), SWAPS.items())
def test_each_swapped_away_weekday_is_a_day_off_in_the_holidays_package(
    saturday: date, weekday: date
) -> None:
    # If a new version of the package drops one, it must become a day_off entry.
    assert weekday in statutory_holidays(weekday.year, weekday.year)
    assert weekday.weekday() < 5


def test_every_swap_the_package_knows_has_its_worked_day_seeded() -> None:
    """A package update that learns a new swap ("thay cho ngày …") must come with a seed."""
    substituted = set()
    for name in statutory_holidays(2024, 2027).values():
        for found in re.findall(r"thay cho ngày (\d\d)/(\d\d)/(\d{4})", name):
            day, month, year = map(int, found)
            substituted.add(date(year, month, day))
    assert substituted == set(SWAPS) - {date(2025, 2, 8)}
    assert substituted <= set(CalendarEntry.objects.values_list("date", flat=True))


def test_holidays_2025_in_vietnamese() -> None:
    assert statutory_holidays(2025, 2025) == {
        date(2025, 1, 1): "Tết Dương lịch",
        date(2025, 1, 27): "29 Tết",
        date(2025, 1, 28): "Giao thừa Tết Nguyên Đán",
        date(2025, 1, 29): "Tết Nguyên Đán",
        date(2025, 1, 30): "Mùng hai Tết Nguyên Đán",
        date(2025, 1, 31): "Mùng ba Tết Nguyên Đán",
        date(2025, 2, 1): "Mùng bốn Tết Nguyên Đán",
        date(2025, 4, 7): "Ngày Giỗ Tổ Hùng Vương",
        date(2025, 4, 30): "Ngày Chiến thắng",
        date(2025, 5, 1): "Ngày Quốc tế Lao động",
        date(2025, 5, 2): "Ngày nghỉ (thay cho ngày 26/04/2025)",
        date(2025, 9, 1): "Quốc khánh",
        date(2025, 9, 2): "Quốc khánh",
    }


def test_holidays_2026_include_the_tet_break_and_hung_kings_day_in_lieu() -> None:
    days = statutory_holidays(2026, 2026)
    assert [d for d in days if date(2026, 2, 1) <= d <= date(2026, 2, 28)] == [
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 2, 18),
        date(2026, 2, 19),
        date(2026, 2, 20),
    ]
    assert days[date(2026, 4, 26)] == "Ngày Giỗ Tổ Hùng Vương"
    assert days[date(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert days[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"


def test_the_2026_calendar_lists_holidays_days_off_and_the_worked_saturday() -> None:
    days = non_working_days(year=2026)
    assert [(d.date.isoformat(), d.kind) for d in days] == [
        ("2026-01-01", "holiday"),
        ("2026-02-16", "holiday"),
        ("2026-02-17", "holiday"),
        ("2026-02-18", "holiday"),
        ("2026-02-19", "holiday"),
        ("2026-02-20", "holiday"),
        ("2026-04-26", "holiday"),
        ("2026-04-27", "holiday"),
        ("2026-04-30", "holiday"),
        ("2026-05-01", "holiday"),
        ("2026-08-22", "working_day"),
        ("2026-08-31", "holiday"),
        ("2026-09-01", "holiday"),
        ("2026-09-02", "holiday"),
        ("2026-11-24", "holiday"),
    ]
