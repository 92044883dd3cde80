"""The counters follow every dossier change at once, and equal a recomputation from scratch."""

import contextlib
from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from sen.dossiers.models import Dossier
from sen.dossiers.services import dossier_receive
from sen.dossiers.tests.state import written_state
from sen.errors import DomainError
from sen.reports.models import AgencyMonth, DossierFact
from sen.reports.services import recompute_indicators
from sen.reports.tests.changes import _act, snapshot, steps
from sen.tests.clock import at

pytestmark = pytest.mark.django_db


def test_a_received_dossier_shows_in_the_counters_in_the_same_transaction(
    submit, clock, people, centre
):
    dossier = submit().dossier
    november = AgencyMonth.objects.get(agency=centre)
    assert (november.submitted, november.received) == (1, 0)

    dossier = dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)

    november.refresh_from_db()
    assert (november.received, november.received_online, november.open_delta) == (1, 1, 1)
    assert DossierFact.objects.get(dossier=dossier).late_from == dossier.original_due_at


def test_a_refused_change_counts_nothing(submit, clock, people, centre):
    dossier = submit().dossier
    before = written_state()
    with pytest.raises(DomainError):
        dossier_receive(dossier=dossier, actor=people.stranger, expected_revision=1)
    assert written_state() == before


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
def test_counters_kept_live_equal_a_recomputation_after_any_sequence_of_changes(
    script, submit, clock, people
):
    """Given random changes made through the real services over weeks (across a month end),
    when the counters kept live are compared with a recomputation from the dossiers,
    then they are equal, row for row."""
    with transaction.atomic():
        clock(at(25, 9))
        dossiers: list[Dossier] = [submit().dossier]
        for which, action, hours in script:
            clock(clock.now + timedelta(hours=hours))
            if action == "submit":
                dossiers.append(submit().dossier)
                continue
            dossier = Dossier.objects.select_related("current_step").get(
                pk=dossiers[which % len(dossiers)].pk
            )
            # An action not allowed in the dossier's state changes nothing.
            with contextlib.suppress(DomainError):
                _act(action, dossier, people, clock.now)
        live = snapshot()
        recompute_indicators()
        assert snapshot() == live
        transaction.set_rollback(True)
