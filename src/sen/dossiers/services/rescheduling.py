"""Deadlines that follow the working calendar when a day is newly declared off.

A dossier's time is counted in working days (the procedure's legal time, each internal
step's time). When the province declares a day off after deadlines were set (a weekday
swapped away, a day added to a holiday), the deadlines that the day falls within were
counted with it as a working day, and the office is closed then. Rule:

- each deadline still ahead at the change keeps the working time it had left then, counted
  again on the new calendar from the moment of the change: a day newly off moves it later
  by that day's office hours, and one on the deadline's own day moves it to the next
  working day;
- no deadline moves earlier: a day newly worked (làm bù) leaves the deadlines as they were,
  because the applicant was given an appointment and the officers a time to work in;
- a deadline already passed at the change stays: a late dossier stays late;
- a deadline set after the change was counted on the new calendar already and stays.

That covers the appointment (``due_at``, the apology's new appointment too), the legal
deadline that lateness is judged by (``original_due_at``), the current step's, and those a
clock stop keeps to count again from when the supplement arrives. The applicant is told of
a new appointment; the officers see the step's new deadline, and are reminded of it anew.

Run by a background task after the change (``tasks.follow_calendar_change``), in batches
of one transaction each, every dossier locked as for any transition. A run repeated (the
task retried) moves no dossier twice: each move records the change it follows.
"""

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sen.core.models import Agency
from sen.dossiers.codes import local_day
from sen.dossiers.models import ClockStop, Dossier, DossierEvent, StepRecord
from sen.dossiers.selectors import OPEN
from sen.dossiers.services import _transitions
from sen.dossiers.services._clock import iso, open_step_record
from sen.dossiers.states import TRANSITIONS, Action
from sen.workdays.calendar import VIETNAM, OutsideCoverageError, WorkCalendar
from sen.workdays.selectors import YEARS_AHEAD, fresh_calendar

logger = logging.getLogger(__name__)

# Dossiers moved per transaction: short locks while officers work on.
BATCH = 100

# The statuses a dossier's time runs (or stands still) in.
_RESCHEDULED = frozenset(status for status, action in TRANSITIONS if action == Action.RESCHEDULE)


@dataclass
class _Calendars:
    """The calendars before and after one change, by agency, built once for a run."""

    before: Mapping[date, str | None]
    at: datetime
    years: range
    _old: dict[int, WorkCalendar] = field(default_factory=dict)
    _new: dict[int, WorkCalendar] = field(default_factory=dict)

    def _pair(self, agency: Agency) -> tuple[WorkCalendar, WorkCalendar]:
        if agency.pk not in self._new:
            self._old[agency.pk] = fresh_calendar(
                agency=agency, years=self.years, entries_as=self.before
            )
            self._new[agency.pk] = fresh_calendar(agency=agency, years=self.years)
        return self._old[agency.pk], self._new[agency.pk]

    def follow(self, moment: datetime, agency: Agency) -> datetime:
        """Return where ``moment``, a deadline on ``agency``'s calendar set before the
        change, lies after it (the module's rule)."""
        if moment <= self.at:
            return moment
        old, new = self._pair(agency)
        try:
            later = new.add_working_time(self.at, old.working_time_between(self.at, moment))
        except OutsideCoverageError:
            # Years away: no calendar of this run reaches it, and no day off declared now
            # is likely to matter by then.
            return moment
        return max(moment, later)


@dataclass
class _Moves:
    """What one dossier's deadlines become, and the event data that explains it."""

    dossier: dict[str, Any] = field(default_factory=dict)
    record: StepRecord | None = None
    stop: ClockStop | None = None
    previous: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.dossier or self.record or self.stop)


def dossiers_follow_calendar(
    *, change: str, at: datetime, before: Mapping[date, str | None], reason: str
) -> int:
    """Move the deadlines of open dossiers as the calendar change ``change`` made at ``at``
    asks (the module's rule); return how many dossiers moved.

    ``before`` maps the dates whose calendar entry changed to their former kind (the
    ``calendar_changed`` signal's); ``reason`` says what changed, to the applicants.
    """
    first = min((day for day in before if day >= local_day(at)), default=None)
    if first is None:
        # Only days already past changed: a day that is over gives no time back.
        return 0
    since = datetime.combine(first, time.min, tzinfo=VIETNAM)
    start_year = local_day(at).year
    calendars = _Calendars(
        before=before, at=at, years=range(start_year, start_year + YEARS_AHEAD + 1)
    )
    candidates = (
        Dossier.objects.filter(OPEN, received_at__isnull=False)
        .filter(Q(due_at__gte=since) | Q(original_due_at__gte=since) | Q(step_due_at__gte=since))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    moved = 0
    for batch in _batches(list(candidates), BATCH):
        with transaction.atomic():
            followed = set(
                DossierEvent.objects.filter(
                    dossier_id__in=batch, action=Action.RESCHEDULE, data__change=change
                ).values_list("dossier_id", flat=True)
            )
            for pk in batch:
                if pk not in followed and _follow(pk, calendars, change=change, reason=reason):
                    moved += 1
    logger.info("Calendar change %s moved the deadlines of %d dossiers.", change, moved)
    return moved


def _batches(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _follow(pk: int, calendars: _Calendars, *, change: str, reason: str) -> bool:
    """Move one dossier's deadlines, locked; return whether any moved."""
    dossier = _transitions.lock(dossier=Dossier(pk=pk))
    if dossier.finished_at is not None or dossier.status not in _RESCHEDULED:
        return False
    moves = _moves(dossier, calendars)
    if not moves:
        return False
    if moves.record is not None:
        # A reminder of the old deadline no longer says when the step is due.
        moves.record.reminded_at = moves.record.reminder_claimed_until = None
        moves.record.save(update_fields=["due_at", "reminded_at", "reminder_claimed_until"])
    if moves.stop is not None:
        moves.stop.save(update_fields=["due_before", "original_due_before", "step_due_before"])
    _transitions.apply(
        dossier=dossier,
        action=Action.RESCHEDULE,
        actor=None,
        data={"change": change, "reason": reason, **moves.previous},
        at=timezone.now(),
        changes=moves.dossier,
    )
    return True


def _moves(dossier: Dossier, calendars: _Calendars) -> _Moves:
    """Return where each deadline of ``dossier`` set before the change goes."""
    at = calendars.at
    stops = list(dossier.clock_stops.all())
    resumed = max((stop.ended_at for stop in stops if stop.ended_at is not None), default=None)
    open_stop = next((stop for stop in stops if stop.ended_at is None), None)
    record = open_step_record(dossier)
    # When each deadline was last set: at receipt, or again when the clock restarted, or by
    # the apology for the appointment; a step's when it began, or when the clock restarted.
    legal_set = max(moment for moment in (dossier.received_at, resumed) if moment is not None)
    appointment_set = max(legal_set, dossier.apologized_at or legal_set)
    step_set = max(record.started_at, resumed or record.started_at) if record else None
    # The agency of the current step when its deadline was set before the change, else None.
    step_agency = record.agency if record and step_set and step_set <= at else None

    moves = _Moves()

    def follow(name: str, moment: datetime | None, agency: Agency) -> datetime | None:
        if moment is None:
            return None
        new = calendars.follow(moment, agency)
        if new != moment:
            moves.previous[f"previous_{name}"] = iso(moment)
        return new

    if appointment_set <= at:
        due = follow("due_at", dossier.due_at, dossier.agency)
        if due != dossier.due_at:
            moves.dossier["due_at"] = due
    if legal_set <= at:
        legal = follow("original_due_at", dossier.original_due_at, dossier.agency)
        if legal != dossier.original_due_at:
            moves.dossier["original_due_at"] = legal
    if record is not None and step_agency is not None:
        step_due = calendars.follow(record.due_at, step_agency)
        if step_due != record.due_at:
            moves.previous["previous_step_due_at"] = iso(record.due_at)
            record.due_at = step_due
            moves.record = record
            if dossier.step_due_at is not None:
                moves.dossier["step_due_at"] = calendars.follow(dossier.step_due_at, step_agency)
    if open_stop is not None:
        _follow_stop(open_stop, calendars, dossier, step_agency, legal_set, appointment_set, moves)
    return moves


def _follow_stop(
    stop: ClockStop,
    calendars: _Calendars,
    dossier: Dossier,
    step_agency: Agency | None,
    legal_set: datetime,
    appointment_set: datetime,
    moves: _Moves,
) -> None:
    """Move the deadlines a clock stop keeps: the time left in them is counted again from
    when the supplement arrives, and must not lose the day newly off. ``step_agency`` is
    the step's agency when its deadline was set before the change, else ``None``."""
    at = calendars.at
    before = (stop.due_before, stop.original_due_before, stop.step_due_before)
    if appointment_set <= at:
        stop.due_before = calendars.follow(stop.due_before, dossier.agency)
    if legal_set <= at:
        stop.original_due_before = calendars.follow(stop.original_due_before, dossier.agency)
    if stop.step_due_before is not None and step_agency is not None:
        stop.step_due_before = calendars.follow(stop.step_due_before, step_agency)
    if (stop.due_before, stop.original_due_before, stop.step_due_before) != before:
        moves.stop = stop
