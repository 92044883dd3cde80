"""The worker sends the applicants' notices from the outbox; with the database queue an
event writes its notice and no task (``sen.dossiers.sender``, ``sen db_worker``)."""

import logging
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as TasksWorkerCommand
from django_tasks_db.models import DBTaskResult

from sen.dossiers import outbox, sender
from sen.dossiers.models import DossierNotice, NoticeOutcome
from sen.dossiers.sender import NoticeSender, send_waiting_notices
from sen.dossiers.tasks import notify_status_change

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REFUSING = "sen.dossiers.tests.inter_agency.test_notifications.Refusing"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def test_with_the_database_queue_a_submission_writes_its_notice_and_no_task(
    database_queue, submit, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit().dossier

    assert DossierNotice.objects.filter(event__dossier=dossier, sent_at=None).count() == 1
    assert not DBTaskResult.objects.exists()
    assert mailoutbox == []


def test_the_worker_sends_a_notice_written_a_moment_ago_once(database_queue, submit, mailoutbox):
    dossier = submit().dossier

    assert send_waiting_notices() == (1, 1)
    assert send_waiting_notices() == (0, 0)
    assert [(m.to, dossier.code in m.subject) for m in mailoutbox] == [
        ([dossier.applicant_email], True)
    ]
    notice = DossierNotice.objects.get(event__dossier=dossier)
    assert notice.closed_as == NoticeOutcome.SENT


def test_a_task_enqueued_before_the_change_still_sends_its_notice_once(
    database_queue, submit, mailoutbox
):
    dossier = submit().dossier
    event = dossier.events.get()

    assert notify_status_change.call(event.pk) is True
    assert send_waiting_notices() == (0, 0)
    assert len(mailoutbox) == 1


def test_a_full_batch_is_followed_at_once_and_an_empty_look_waits(
    database_queue, submit, monkeypatch, mailoutbox
):
    monkeypatch.setattr(sender, "BATCH", 2)
    for _ in range(3):
        submit()
    looking = NoticeSender(interval=1.5)

    assert looking._look() == 0  # two of three: more may wait
    assert looking._look() == 1.5  # the last
    assert looking._look() == 1.5  # nothing
    assert len(mailoutbox) == 3


def test_a_mail_server_down_holds_the_notices_and_the_worker_waits_a_minute(
    database_queue, submit, settings, caplog, mailoutbox
):
    dossier = submit().dossier
    settings.EMAIL_BACKEND = REFUSING
    looking = NoticeSender(interval=1)

    with caplog.at_level(logging.WARNING, logger="sen.dossiers.sender"):
        wait = looking._look()

    assert wait == outbox.FIRST_RETRY.total_seconds()
    assert "Notices wait for the mail server" in caplog.text
    notice = DossierNotice.objects.get(event__dossier=dossier)
    assert (notice.sent_at, notice.attempts) == (None, 1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert looking._look() == 1  # the first retry is at once
    assert len(mailoutbox) == 1


def test_a_failed_look_is_logged_and_the_worker_looks_again(
    database_queue, submit, monkeypatch, caplog, mailoutbox
):
    submit()

    def database_away(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    looking = NoticeSender(interval=1)
    with monkeypatch.context() as patch:
        patch.setattr(outbox, "pending_notices", database_away)
        with caplog.at_level(logging.ERROR, logger="sen.dossiers.sender"):
            assert looking._look() == 1

    assert "Could not send the waiting notices" in caplog.text
    assert mailoutbox == []
    assert looking._look() == 1
    assert len(mailoutbox) == 1


def test_the_worker_does_not_read_the_outbox_in_a_loop():
    assert NoticeSender(interval=0).interval == sender.SHORTEST_INTERVAL


@pytest.mark.django_db(transaction=True)
def test_the_sender_thread_sends_what_is_written_while_it_runs_then_stops(
    database_queue, submit, mailoutbox
):
    running = NoticeSender(interval=0.2)
    running.start()
    try:
        dossier = submit().dossier
        deadline = time.monotonic() + 10
        while not mailoutbox and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        running.stop(timeout=10)

    assert not running.is_alive()
    assert [dossier.code in m.subject for m in mailoutbox] == [True]


# The worker replaces its database connection between tasks, as Django between requests.
@pytest.mark.django_db(transaction=True)
def test_db_worker_in_batch_runs_the_tasks_and_sends_the_notices(
    database_queue, submit, mailoutbox
):
    first, second = submit().dossier, submit().dossier
    # A task enqueued before the change, for the first notice: sent once, by either.
    notify_status_change.enqueue(first.events.get().pk)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    codes = [code for m in mailoutbox for code in (first.code, second.code) if code in m.subject]
    assert sorted(codes) == sorted([first.code, second.code])
    assert not DBTaskResult.objects.ready().exists()
    assert not DossierNotice.objects.filter(sent_at=None).exists()


@pytest.mark.django_db(transaction=True)
def test_db_worker_in_batch_says_the_mail_server_failed_and_keeps_the_notice(
    database_queue, submit, settings, mailoutbox
):
    dossier = submit().dossier
    settings.EMAIL_BACKEND = REFUSING

    with pytest.raises(CommandError, match=r"Không gửi được thư .*does not answer"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    notice = DossierNotice.objects.get(event__dossier=dossier)
    assert (notice.sent_at, notice.attempts) == (None, 1)


@pytest.mark.parametrize(("child", "sender_runs"), [(None, False), ("true", True)])
def test_with_reload_only_the_process_that_runs_the_worker_sends(
    child, sender_runs, monkeypatch, database_queue
):
    # With --reload the first process only watches the files; the worker runs in a child
    # process that Django marks in the environment. The library's loop is stood in for by
    # a look at which threads run beside it.
    if child is None:
        monkeypatch.delenv(DJANGO_AUTORELOAD_ENV, raising=False)
    else:
        monkeypatch.setenv(DJANGO_AUTORELOAD_ENV, child)
    seen = []

    def worker_loop(self, *args, **options):
        seen.append(any(t.name == "sen-notice-sender" for t in threading.enumerate()))

    monkeypatch.setattr(TasksWorkerCommand, "handle", worker_loop)

    call_command("db_worker", "--reload", "--no-startup-delay")

    assert seen == [sender_runs]
    assert not any(t.name == "sen-notice-sender" for t in threading.enumerate())
