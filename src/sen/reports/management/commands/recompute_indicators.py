"""``sen recompute_indicators``: rebuild the indicators' aggregates from the dossiers."""

from typing import Any

from django.core.management.base import BaseCommand

from sen.reports.services import recompute_indicators


class Command(BaseCommand):
    help = (
        "Tính lại từ đầu số liệu chỉ số (theo tháng, cơ quan, thủ tục) từ toàn bộ hồ sơ. "
        "Trên PostgreSQL khóa các bảng số liệu trong lúc tính: thao tác trên hồ sơ phải chờ "
        "đến khi xong, nên chạy vào giờ vắng."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = recompute_indicators()
        self.stdout.write(
            f"{done.dossiers} hồ sơ; {done.agency_months} dòng cơ quan-tháng, "
            f"{done.procedure_months} dòng thủ tục-tháng; {done.seconds:.1f} s"
        )
