"""Create the demo periodic reports: a monthly form of Ninh Bình and two periods."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sen.errors import DomainError
from sen.periodic.demo import FORM_CODE, seed_demo_periodic


class Command(BaseCommand):
    help = (
        "Create the demo socio-economic report form of Ninh Bình (KTXH-THANG) with its last "
        "two monthly periods: reports on time, late, corrected, in draft and missing. Needs "
        "`sen seed_demo_org` first. Adds nothing when the form exists."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = seed_demo_periodic()
        except DomainError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] < 1:
            return
        done = "Đã tạo" if report.created else "Đã có"
        self.stdout.write(
            f"{done} biểu mẫu báo cáo định kỳ {FORM_CODE}, kỳ {', '.join(report.periods)}; "
            "xem tại /bao-cao-dinh-ky/ (tài khoản quantri)."
        )
