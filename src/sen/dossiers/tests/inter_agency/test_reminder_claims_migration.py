"""Migration ``dossiers.0022``: upgrading from one reminder claim per step (and one digest
per agency and day) to one per address repeats no email already sent.

The test builds today's rows, migrates back to the former tables, records there what the
former code wrote once it had sent (a step reminded, today's digest of an agency), and
migrates forward again: each address that then held the role counts as told.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sen.core.timezones import VIETNAM
from sen.dossiers.models import OverdueDigestSent, StepRecord, StepReminder
from sen.tests.clock import at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("dossiers", "0021_notice_recipient_help")


def former_models():
    """Return the historical StepRecord and OverdueDigestSent of ``BEFORE``."""
    state = MigrationExecutor(connection).loader.project_state(BEFORE)
    return state.apps.get_model("dossiers", "StepRecord"), state.apps.get_model(
        "dossiers", "OverdueDigestSent"
    )


def test_reminders_and_digests_sent_before_the_upgrade_are_not_sent_again(
    at_specialist, people, department, clock
):
    clock(at(20, 11))
    record = StepRecord.objects.get(dossier=at_specialist, finished_at__isnull=True)
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        FormerRecord, FormerDigest = former_models()
        FormerRecord.objects.filter(pk=record.pk).update(reminded_at=at(20, 10, 30))
        today = at(20, 11).astimezone(VIETNAM).date()
        FormerDigest.objects.create(agency_id=department.pk, day=today, sent_at=at(20, 8))
        FormerDigest.objects.create(
            agency_id=department.pk, day=today - timedelta(days=1), sent_at=at(19, 8)
        )
    finally:
        call_command("migrate", "dossiers", verbosity=0)

    # The specialist was told of the step at its due moment, and of today's digest
    [reminded] = StepReminder.objects.filter(step=record)
    assert (reminded.email, reminded.due_at, reminded.sent_at) == (
        people.specialist.email,
        record.due_at,
        at(20, 10, 30),
    )
    told_today = OverdueDigestSent.objects.filter(agency=department, day=today).exclude(email="")
    assert {sent.email for sent in told_today} == {people.specialist.email}
    # Yesterday's digest, past, is kept as it was and asks for nothing
    assert not OverdueDigestSent.objects.filter(day=today - timedelta(days=1)).exclude(email="")
