"""Migration ``dossiers.0023``: the notices closed before it get what can still be told of
how they were closed (``DossierNotice.closed_as``).

The test builds notices, migrates back to before the field, records there what the former
code wrote (a notice sent, one closed unsent, one still waiting), and migrates forward.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sen.dossiers.models import DossierNotice, NoticeOutcome
from sen.dossiers.tests.factories import APPLICANT
from sen.tests.clock import at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("dossiers", "0022_per_officer_reminder_claims")


def test_notices_closed_before_the_upgrade_say_sent_or_that_the_reason_is_unknown(submit, clock):
    sent, closed_unsent, waiting = (submit().dossier for _ in range(3))
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        state = MigrationExecutor(connection).loader.project_state(BEFORE)
        FormerNotice = state.apps.get_model("dossiers", "DossierNotice")
        former = {
            dossier: FormerNotice.objects.filter(event__dossier_id=dossier.pk)
            for dossier in (sent, closed_unsent, waiting)
        }
        former[sent].update(sent_at=at(20, 9), recipient=APPLICANT["email"])
        # No address, or superseded: the former code wrote both so
        former[closed_unsent].update(sent_at=at(20, 9), recipient="")
        former[waiting].update(sent_at=None, recipient="")
    finally:
        call_command("migrate", "dossiers", verbosity=0)

    outcomes = {
        dossier: DossierNotice.objects.get(event__dossier=dossier).closed_as
        for dossier in (sent, closed_unsent, waiting)
    }
    assert outcomes == {
        sent: NoticeOutcome.SENT,
        closed_unsent: NoticeOutcome.UNRECORDED,
        waiting: "",
    }
