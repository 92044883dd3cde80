"""``sen db_worker``: django-tasks-db's worker, which also sends the applicants' notices.

It takes the library's name and every one of its options (``django_tasks_db`` is listed
after ``sen.dossiers`` in ``INSTALLED_APPS`` for that, as staticfiles overrides
``runserver``), and runs a ``NoticeSender`` thread beside the tasks, looking at the outbox
at the worker's ``--interval``. Stopped (SIGTERM, Ctrl+C), it lets the email being sent
finish. ``--batch`` sends the waiting notices once after the tasks. See ``sen.dossiers.sender``.
"""

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Command as TasksWorkerCommand

from sen.dossiers.outbox import MailServerDown
from sen.dossiers.sender import BATCH, NoticeSender, send_waiting_notices


class Command(TasksWorkerCommand):
    help = (
        "Run a database background worker: the tasks of the database queue, and the "
        "applicants' notices as soon as they are written (Chạy tiến trình nền: các tác vụ "
        "trong hàng đợi và thông báo cho người nộp hồ sơ)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"]:
            super().handle(*args, **options)
            try:
                while send_waiting_notices(BATCH)[0] == BATCH:
                    pass
            except MailServerDown as error:
                # As `sen send_dossier_reminders`: exit 1 with what failed, no traceback.
                raise CommandError(
                    _(
                        "Không gửi được thư (%(error)s). Kiểm tra máy chủ thư (SEN_EMAIL_HOST); "
                        "thư chưa gửi sẽ được gửi ở lần chạy sau."
                    )
                    % {"error": error}
                ) from error
            return
        # With --reload the first process only watches the files and runs the worker in a
        # child process (marked by the environment): the sender belongs to the child.
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            super().handle(*args, **options)
            return
        sender = NoticeSender(interval=options["interval"])
        sender.start()
        try:
            super().handle(*args, **options)
        finally:
            sender.stop()
