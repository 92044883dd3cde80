"""``sen flush``, refused on an installation that keeps its data.

Django's ``flush`` empties every table, the audit log with the rest (PostgreSQL's trigger
refuses DELETE, not TRUNCATE). It stays for the demo, training installations and the test
suite, which empties its database with it; where demo data is refused (``SEN_DEMO_DATA``
off, as in production) it refuses too.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.utils.translation import gettext as _


class Command(DjangoFlush):
    help = (
        f"{DjangoFlush.help} Refused where SEN_DEMO_DATA is off (production): it would empty "
        "the audit log with the rest."
    )

    def handle(self, **options: Any) -> None:
        if not settings.SEN_DEMO_DATA:
            raise CommandError(
                _(
                    "Bản cài đặt này giữ dữ liệu thật (SEN_DEMO_DATA tắt): lệnh flush sẽ xoá sạch "
                    "mọi bảng, cả nhật ký kiểm toán, nên không được chạy. Muốn làm lại từ đầu thì "
                    "tạo cơ sở dữ liệu mới."
                )
            )
        super().handle(**options)
