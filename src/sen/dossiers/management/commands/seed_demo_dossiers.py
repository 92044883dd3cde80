"""Create the demo dossiers, in every state, and print how many are in each."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sen.dossiers.demo import CITIZEN_USERNAME, seed_demo_dossiers
from sen.dossiers.states import DossierStatus
from sen.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create about thirty demo dossiers of the demo catalog in every state (some late, "
        "some supplemented, rated, apologized for), with the demo citizen `congdan`. Needs "
        "`sen seed_demo_org` (which makes every demo account) and the demo catalog first. "
        "Adds nothing when they exist."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = seed_demo_dossiers()
        except DomainError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] < 1:
            return
        total = sum(report.by_status.values())
        if report.created:
            self.stdout.write(f"Đã tạo {report.created} hồ sơ mẫu.")
        else:
            self.stdout.write(f"Đã có {total} hồ sơ mẫu; không tạo thêm.")
        for status in DossierStatus:  # in the order a dossier goes through them
            if status.value in report.by_status:
                self.stdout.write(f"  {status.label}: {report.by_status[status.value]}")
        self.stdout.write(
            f"Hồ sơ trực tuyến của công dân mẫu {CITIZEN_USERNAME}; "
            "`sen seed_demo_org` in mọi tài khoản mẫu."
        )
