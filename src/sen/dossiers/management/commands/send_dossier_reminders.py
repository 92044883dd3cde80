"""``sen send_dossier_reminders --due-soon | --overdue-digest | --notices``.

The officers' reminders, and the sweep of the applicants' notices left unsent.
"""

from smtplib import SMTPException
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sen.dossiers.outbox import MailServerDown
from sen.dossiers.tasks import send_due_soon_reminders, send_overdue_digests, send_pending_notices


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc cán bộ: --due-soon, mỗi cán bộ một thư liệt kê hồ sơ có bước đang chờ "
        "mình xử lý đến hạn trong một ngày làm việc; --overdue-digest, mỗi cơ quan một thư "
        "tổng hợp hồ sơ quá hạn. Mặc định gửi ngay; --enqueue đưa vào hàng đợi tác vụ "
        "(sen db_worker gửi). Lập lịch bằng cron, ví dụ: "
        "'0 * * * * sen send_dossier_reminders --due-soon' (mỗi giờ) và "
        "'30 7-11 * * * sen send_dossier_reminders --overdue-digest' (mỗi giờ từ 07:30 đến "
        "11:30, giờ Việt Nam: mỗi cán bộ vẫn chỉ nhận thư của cơ quan một lần một ngày, các "
        "lượt sau gửi bù thư lượt trước chưa gửi được); hoặc hai systemd timer với "
        "OnCalendar=hourly và "
        "OnCalendar=*-*-* 07..11:30:00 Asia/Ho_Chi_Minh. --notices gửi các thông báo cho người "
        "nộp hồ sơ còn chưa gửi được (chạy mỗi phút: '* * * * * sen send_dossier_reminders "
        "--notices')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument(
            "--due-soon",
            action="store_true",
            help="Nhắc hồ sơ có bước đến hạn trong một ngày làm việc (chạy mỗi giờ).",
        )
        mode.add_argument(
            "--overdue-digest",
            action="store_true",
            help="Thư tổng hợp hồ sơ quá hạn theo cơ quan (chạy mỗi giờ từ 07:30 đến 11:30).",
        )
        mode.add_argument(
            "--notices",
            action="store_true",
            help="Gửi các thông báo cho người nộp còn chưa gửi được (chạy mỗi phút).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Đưa vào hàng đợi tác vụ thay vì gửi ngay.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["notices"]:
            task = send_pending_notices
        elif options["due_soon"]:
            task = send_due_soon_reminders
        else:
            task = send_overdue_digests
        if options["enqueue"]:
            result = task.enqueue()
            self.stdout.write(_("Đã đưa vào hàng đợi: %(id)s") % {"id": result.id})
            return
        try:
            sent = task.call()
        except (MailServerDown, OSError, SMTPException) as error:
            # Exit 1 with what failed, for cron's mail and the monitor; no traceback.
            raise CommandError(
                _(
                    "Không gửi được thư (%(error)s). Kiểm tra máy chủ thư (SEN_EMAIL_HOST); "
                    "thư chưa gửi sẽ được gửi ở lần chạy sau."
                )
                % {"error": error}
            ) from error
        self.stdout.write(_("Đã gửi %(count)d thư.") % {"count": sent})
