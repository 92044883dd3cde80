"""Reads for the citizen's pages that the general selectors do not offer.

- a dossier's steps and timeliness as the public tracking page shows them: no applicant,
  no officer, only what anyone holding the code may know;
- the applicant's own files and, once returned, the results, for download;
- what each event of the history tells the applicant.

Downloads name a file by its number within the dossier (1, 2, … in the order the files
arrived), never by a database id. A user who is not the applicant gets ``DossierNotFound``,
as for an unknown code, so that the answer does not tell whether the dossier exists.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from sen.dossiers.models import Dossier, DossierEvent, DossierFile, DossierResult, StepRecord
from sen.dossiers.selectors import Reader, dossier_not_found, shown_results
from sen.dossiers.states import (
    FINISHED_STATUSES,
    RESULT_VISIBLE_STATUSES,
    Action,
    DossierStatus,
    StepOutcome,
    is_late,
    step_outcome,
)

AnyUser = AbstractBaseUser | AnonymousUser

# Events that are the officers' own record, not shown to the applicant nor on the public
# tracking page: preparing the result before it is approved. An officer may draft, check
# and take back several; the applicant receives the approved one when it is returned, and
# a result taken back may have been another applicant's paper.
OFFICERS_ONLY_EVENTS = frozenset(
    {Action.ATTACH_RESULT, Action.GENERATE_RESULT, Action.REMOVE_RESULT}
)


class Timeliness:
    """How a dossier or a step stands against its due moment, as the citizen reads it."""

    EARLY = StepOutcome.EARLY.value
    ON_TIME = StepOutcome.ON_TIME.value
    LATE = StepOutcome.LATE.value
    # Open and not yet past its due moment.
    IN_TIME = "in_time"
    # Never completed: the dossier ended (withdrawn, stopped) while the step was open and
    # not yet past its due moment. A step past it when the dossier ended stays late.
    UNFINISHED = "unfinished"


def _ended(dossier: Dossier) -> bool:
    return dossier.finished_at is not None or dossier.status in FINISHED_STATUSES


def step_interrupted(record: StepRecord, *, dossier: Dossier) -> bool:
    """Return whether the step was left open when the dossier ended without a result
    (withdrawn, stopped): never completed, and no longer in progress."""
    return record.finished_at is None and _ended(dossier)


def step_timeliness(record: StepRecord, *, dossier: Dossier, now: datetime) -> str:
    """Return how one step record stands against its due moment (a ``Timeliness`` value).

    A completed step is early, on time or late, as on the control sheet. An open step of a
    dossier still being worked on is late once past its due moment, except while the clock
    stands still for a supplement. A step left open when the dossier ended without a result
    is judged at the moment the dossier ended: late if already past its due moment, else
    unfinished; it can no longer become late.
    """
    if record.finished_at is not None:
        return str(record.outcome or step_outcome(finished=record.finished_at, due=record.due_at))
    if _ended(dossier):
        ended = dossier.finished_at
        return Timeliness.LATE if ended and record.due_at < ended else Timeliness.UNFINISHED
    if record.due_at < now and dossier.clock_stopped_at is None:
        return Timeliness.LATE
    return Timeliness.IN_TIME


# --- Tracking (public) -----------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingStep:
    """One internal step of a dossier as the public may see it."""

    name: str
    agency_name: str
    started_at: datetime
    due_at: datetime
    finished_at: datetime | None
    timeliness: str
    # Left open when the dossier ended without a result (withdrawn, stopped).
    interrupted: bool


def tracking_steps(*, dossier: Dossier, now: datetime | None = None) -> list[TrackingStep]:
    """Return the dossier's steps in order with their dates and timeliness, in one query.

    Timeliness as ``step_timeliness`` judges it. Who did the step is not read.
    """
    moment = now or timezone.now()
    records = (
        StepRecord.objects.filter(dossier=dossier)
        .select_related("step", "agency")
        .only(
            "started_at",
            "due_at",
            "finished_at",
            "outcome",
            "step__name",
            "agency__name",
        )
        .order_by("started_at", "id")
    )
    return [
        TrackingStep(
            name=record.step.name,
            agency_name=record.agency.name,
            started_at=record.started_at,
            due_at=record.due_at,
            finished_at=record.finished_at,
            timeliness=step_timeliness(record, dossier=dossier, now=moment),
            interrupted=step_interrupted(record, dossier=dossier),
        )
        for record in records
    ]


def dossier_timeliness(dossier: Dossier, *, now: datetime | None = None) -> str:
    """Return how the dossier stands against its legal due moment, or "" when it has none.

    A dossier whose result is ready or returned is early, on time or late; a dossier still
    being worked on is late or in time; a dossier refused, withdrawn or stopped has none.
    """
    if dossier.original_due_at is None:
        return ""
    if dossier.status in (DossierStatus.RESULT_READY, DossierStatus.RETURNED):
        finished = dossier.finished_at or now or timezone.now()
        return str(step_outcome(finished=finished, due=dossier.original_due_at))
    if dossier.finished_at is not None or dossier.status in FINISHED_STATUSES:
        return ""
    return Timeliness.LATE if is_late(dossier, now or timezone.now()) else Timeliness.IN_TIME


# --- What waits for the applicant -------------------------------------------------------------


def shown_events(dossier: Dossier, *, by_officer: bool) -> list[DossierEvent]:
    """Return the dossier's events (loaded, in order) its reader sees: every one to an
    officer; to the applicant and on the tracking page, all but those ``_officers_only``."""
    events = list(dossier.events.all())
    if by_officer:
        return events
    return [event for event in events if not _officers_only(event)]


def _officers_only(event: DossierEvent) -> bool:
    """Whether only officers see ``event``: a result's drafts, and the calendar's moves of
    their steps' deadlines that leave the applicant's appointment as it was."""
    if event.action == Action.RESCHEDULE:
        return not event.moved_appointment
    return event.action in OFFICERS_ONLY_EVENTS


def event_details(event: DossierEvent, *, by_officer: bool) -> dict[str, Any]:
    """Return the details (``data``) of ``event`` its reader may see: all of them for an
    officer; for the applicant, none of an event they are not shown."""
    if not isinstance(event.data, dict):
        return {}
    if not by_officer and _officers_only(event):
        return {}
    return event.data


def awaits_supplement(dossier: Dossier) -> bool:
    """Return whether the dossier waits for its applicant to supplement it.

    The agency asked for more papers, at intake or during processing (both leave the
    dossier in ``SUPPLEMENT_REQUESTED``); nothing moves until the applicant sends them,
    which ``permissions.applicant_actions`` then offers.
    """
    return dossier.status == DossierStatus.SUPPLEMENT_REQUESTED


def supplements_awaited(*, user: AnyUser | None) -> list[str]:
    """Return the codes of ``user``'s own dossiers that wait for their supplement, the
    oldest first. One query."""
    if user is None or not user.is_authenticated:
        return []
    waiting = Dossier.objects.filter(
        applicant_id=user.pk, status=DossierStatus.SUPPLEMENT_REQUESTED
    ).order_by("submitted_at", "id")
    return list(waiting.values_list("code", flat=True))


# --- The applicant's files ---------------------------------------------------------------------

Row = TypeVar("Row", DossierFile, DossierResult)


def _nth_own(rows: QuerySet[Row], *, code: str, user: AnyUser | None, number: int) -> Row:
    """Return the ``number``-th row (from 1, by id) of ``rows`` in ``user``'s dossier ``code``.

    One query. Raise ``DossierNotFound`` for anyone but the applicant, an unknown code and a
    number the dossier does not have (0 and below included: a slice cannot start before 0).
    """
    if number < 1 or user is None or not user.is_authenticated:
        raise dossier_not_found(code)
    own = rows.filter(dossier__code=code, dossier__applicant_id=user.pk)
    item = next(iter(own.order_by("id")[number - 1 : number]), None)
    if item is None:
        raise dossier_not_found(code)
    return item


def applicant_file(*, code: str, user: AnyUser | None, number: int) -> DossierFile:
    """Return the ``number``-th file (from 1) the applicant sent with their dossier ``code``.

    One query. Raise ``DossierNotFound`` for anyone but the applicant, an unknown code and a
    number the dossier does not have.
    """
    return _nth_own(DossierFile.objects.all(), code=code, user=user, number=number)


def applicant_results(*, dossier: Dossier) -> list[DossierResult]:
    """Return the results of a dossier its applicant may download: none until it is returned.

    Call with a dossier read through ``dossier_get_for_applicant``, which fetched them.
    """
    return shown_results(dossier, Reader.APPLICANT)


def applicant_result_file(*, code: str, user: AnyUser | None, number: int) -> DossierResult:
    """Return the ``number``-th result (from 1) of the applicant's returned dossier ``code``.

    One query. Raise ``DossierNotFound`` for anyone but the applicant, an unknown code, a
    dossier not yet returned and a number the dossier does not have.
    """
    returned = DossierResult.objects.filter(dossier__status__in=RESULT_VISIBLE_STATUSES)
    return _nth_own(returned, code=code, user=user, number=number)


__all__ = [
    "RESULT_VISIBLE_STATUSES",
    "Timeliness",
    "TrackingStep",
    "applicant_file",
    "applicant_result_file",
    "applicant_results",
    "awaits_supplement",
    "dossier_timeliness",
    "step_interrupted",
    "step_timeliness",
    "supplements_awaited",
    "tracking_steps",
]
