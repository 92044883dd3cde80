"""Seed the Saturdays worked in exchange for swapped weekdays, as the government published.

The ``holidays`` package (0.109) already has each swapped-away weekday as a day off
("Ngày nghỉ (thay cho ngày …)" or "29 Tết"), but not the Saturday worked in its place:

* Saturday 04/05/2024 for Monday 29/04/2024 (Công văn 2450/VPCP-KGVX of 12/04/2024);
* Saturday 08/02/2025 for Monday 27/01/2025, Tết Ất Tỵ (Thông báo 6150/TB-BLĐTBXH of 2024);
* Saturday 26/04/2025 for Friday 02/05/2025 (30/4 and 1/5);
* Saturday 22/08/2026 for Monday 31/08/2026 (Quốc khánh 2/9).

Where the number of the decision is not certain, the reference names the announcement
without inventing one. No ``day_off`` rows are needed: each swapped-away weekday is a day
off in the package (checked by the tests).
"""

import datetime

from django.db import migrations

SEED = [
    (
        datetime.date(2024, 5, 4),
        "Làm bù cho thứ Hai 29/04/2024 (nghỉ lễ 30/4 và 1/5)",
        "Công văn 2450/VPCP-KGVX ngày 12/04/2024 của Văn phòng Chính phủ",
    ),
    (
        datetime.date(2025, 2, 8),
        "Làm bù cho thứ Hai 27/01/2025 (nghỉ Tết Nguyên đán Ất Tỵ)",
        "Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động - Thương binh và Xã hội",
    ),
    (
        datetime.date(2025, 4, 26),
        "Làm bù cho thứ Sáu 02/05/2025 (nghỉ lễ 30/4 và 1/5)",
        "Thông báo của Chính phủ về lịch nghỉ lễ năm 2025 (dịp 30/4 và 1/5)",
    ),
    (
        datetime.date(2026, 8, 22),
        "Làm bù cho thứ Hai 31/08/2026 (nghỉ lễ Quốc khánh 2/9)",
        "Thông báo của Chính phủ về lịch nghỉ lễ năm 2026 (dịp Quốc khánh 2/9)",
    ),
]


def seed(apps, schema_editor):
    CalendarEntry = apps.get_model("workdays", "CalendarEntry")
    for date, name, legal_basis in SEED:
        CalendarEntry.objects.get_or_create(
            date=date,
            defaults={"kind": "working_day", "name": name, "legal_basis": legal_basis},
        )


def unseed(apps, schema_editor):
    CalendarEntry = apps.get_model("workdays", "CalendarEntry")
    for date, name, _legal_basis in SEED:
        CalendarEntry.objects.filter(date=date, kind="working_day", name=name).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
