"""``sen recompute_indicators``: rebuild the indicators' aggregates from the dossiers."""

from typing import Any

from django.core.management.base import BaseCommand

from sen.reports.services import recompute_indicators


class Command(BaseCommand):
    help = (
        "Tính lại từ đầu số liệu chỉ số (theo tháng, cơ quan, thủ tục, tỉnh) từ toàn bộ hồ sơ; "
        "trên PostgreSQL tính ngay trong cơ sở dữ liệu (10 triệu hồ sơ trong vài phút). "
        "Trên PostgreSQL khóa các bảng số liệu trong lúc tính: thao tác trên hồ sơ phải chờ "
        "đến khi xong, nên chạy vào giờ vắng."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = recompute_indicators()
        way = "trong cơ sở dữ liệu" if done.in_database else "bằng Python"
        self.stdout.write(
            f"{done.dossiers} hồ sơ; {done.agency_months} dòng cơ quan-tháng, "
            f"{done.procedure_months} dòng thủ tục-tháng; tính {way}; {done.seconds:.1f} s"
        )
