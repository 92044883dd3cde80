"""The counters follow every dossier change at once, and equal a recomputation from scratch."""

import contextlib
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sen.dossiers.models import Dossier
from sen.dossiers.ratings import dossier_rate
from sen.dossiers.services import (
    dossier_apologize,
    dossier_attach_result,
    dossier_complete_step,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
    dossier_stop,
    dossier_submit_supplement,
    dossier_withdraw,
)
from sen.dossiers.tests.factories import upload
from sen.dossiers.tests.state import written_state
from sen.errors import DomainError
from sen.reports.facts import COUNTERS
from sen.reports.models import (
    FACT_FIELDS,
    AgencyMonth,
    DossierFact,
    OpenLateDay,
    ProcedureMonth,
    ProvinceMonth,
    ProvinceProcedureMonth,
)
from sen.reports.services import recompute_indicators
from sen.reports.tests.conftest import at

pytestmark = pytest.mark.django_db

MISSING = [{"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}]
GOOD = {"total_time": 2, "contacts": 2, "attitude": 2, "on_time": 1, "information": 2}


def table(
    model: Any, keys: tuple[str, ...], counters: tuple[str, ...] = COUNTERS
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Return a counters table as key → non-zero counters, leaving out all-zero rows."""
    rows = {}
    for row in model.objects.values(*keys, *counters):
        kept = {name: row[name] for name in counters if row[name]}
        if kept:
            rows[tuple(row[k] for k in keys)] = kept
    return rows


def snapshot() -> tuple[Any, ...]:
    """Return the counters and facts as a recomputation writes them: all-zero rows left out,
    which the live counters keep and a recomputation does not write."""
    return (
        table(AgencyMonth, ("agency_id", "month")),
        table(ProcedureMonth, ("agency_id", "procedure_id", "month")),
        table(ProvinceMonth, ("province_id", "month")),
        table(ProvinceProcedureMonth, ("province_id", "procedure_id", "month")),
        table(OpenLateDay, ("agency_id", "day"), ("open",)),
        {
            row.pop("dossier_id"): row
            for row in DossierFact.objects.values("dossier_id", *FACT_FIELDS, "late_from")
        },
    )


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


def _holder(dossier: Dossier, people: Any) -> Any:
    step = dossier.current_step
    if step is None:
        return people.desk
    return {"one_stop": people.desk, "specialist": people.specialist, "leader": people.leader}[
        step.role
    ]


def _act(action: str, dossier: Dossier, people: Any, now: Any) -> None:
    revision = dossier.revision
    if action == "receive":
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=revision)
    elif action == "refuse":
        dossier_refuse(dossier=dossier, reason="Sai", actor=people.desk, expected_revision=revision)
    elif action == "supplement":
        actor = people.desk if dossier.status == "submitted" else _holder(dossier, people)
        dossier_request_supplement(
            dossier=dossier, items=MISSING, actor=actor, expected_revision=revision
        )
    elif action == "supplied":
        dossier_submit_supplement(
            dossier=dossier, files=[upload()], actor=people.applicant, expected_revision=revision
        )
    elif action == "step":
        dossier_complete_step(
            dossier=dossier, actor=_holder(dossier, people), expected_revision=revision
        )
    elif action == "result":
        dossier_attach_result(
            dossier=dossier,
            upload=upload(name="ket-qua.pdf"),
            actor=_holder(dossier, people),
            expected_revision=revision,
        )
    elif action == "apologize":
        dossier_apologize(
            dossier=dossier,
            reason="Chờ xác minh",
            new_due_at=(dossier.due_at or now) + timedelta(days=3),
            actor=people.leader,
            expected_revision=revision,
        )
    elif action == "stop":
        dossier_stop(
            dossier=dossier, reason="Dừng", actor=people.leader, expected_revision=revision
        )
    elif action == "withdraw":
        dossier_withdraw(dossier=dossier, reason="Không cần nữa", actor=people.applicant)
    elif action == "return":
        method = "electronic" if revision % 2 else "desk"
        dossier_return_result(
            dossier=dossier, method=method, actor=people.desk, expected_revision=revision
        )
    elif action == "rate":
        dossier_rate(dossier=dossier, scores=GOOD, actor=people.applicant)


ACTIONS = [
    "submit",
    "receive",
    "refuse",
    "supplement",
    "supplied",
    "step",
    "step",
    "step",
    "result",
    "apologize",
    "stop",
    "withdraw",
    "return",
    "rate",
]
steps = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(ACTIONS), st.integers(0, 400)),
    min_size=1,
    max_size=30,
)


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
            clock(clock.now[0] + timedelta(hours=hours))  # type: ignore[attr-defined]
            if action == "submit":
                dossiers.append(submit().dossier)
                continue
            dossier = Dossier.objects.select_related("current_step").get(
                pk=dossiers[which % len(dossiers)].pk
            )
            # An action not allowed in the dossier's state changes nothing.
            with contextlib.suppress(DomainError):
                _act(action, dossier, people, clock.now[0])  # type: ignore[attr-defined]
        live = snapshot()
        recompute_indicators()
        assert snapshot() == live
        transaction.set_rollback(True)
