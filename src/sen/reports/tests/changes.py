"""Changes to dossiers through the real services, as the counters' tests make them, and the
counters as a recomputation writes them.

``steps`` draws a script of (which dossier, action, hours later) for hypothesis; ``_act``
does one action to a dossier as the officer or applicant who may; ``snapshot`` reads the
counters and facts to compare a live count with a recomputation.
"""

from typing import Any

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
from sen.workdays.services import due_moment

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
            # An appointment the office keeps: the service refuses one when it is closed.
            new_due_at=due_moment(start=dossier.due_at or now, days=2, agency=dossier.agency),
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
