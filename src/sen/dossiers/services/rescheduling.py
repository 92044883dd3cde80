"""Deadlines that follow the working calendar when days are declared off or worked.

A dossier's time is counted in working days (the procedure's legal time, each internal
step's time). When the province declares a day off after deadlines were set (a weekday
swapped away, a day added to a holiday), the deadlines that the day falls within were
counted with it as a working day, and the office is closed then. Rule:

- each deadline keeps the working time it had left at the change, counted again on the
  calendar after the change from the moment of the change: a day newly off moves it later
  by that day's office hours, one on the deadline's own day to the next working day;
- a deadline a clock stop keeps (the time left when the supplement was asked for, counted
  again from when it arrives) is counted from the stop's start, so a day off declared late,
  for a day of the wait already over, is not taken out of the dossier's time either;
- no deadline moves earlier than the one the last action gave (the promise: the
  appointment on the slip, the step's time the officer was given). A Saturday declared
  worked leaves the deadlines as they were; a day off taken back or moved to another date
  brings a deadline it moved back, down to that promise, never below; a promise that falls
  on a day now off moves to the next opening (and the next change counts the time left to
  where the working time alone had put the deadline, ``counted_<deadline>`` in the move's
  event, so that such an opening's hours are never counted twice);
- a deadline already passed at the change stays: a late dossier stays late; one set after
  the change was counted on the new calendar already and stays.

Each change is measured between the calendar entries as they stood just before it and
just after (read when it was made, ``tasks.follow_calendar_change``'s ``entries``), so
changes made one after the other, before the worker runs, each move by their own days.

Run by a background task after the change, one transaction per dossier, locked as for any
transition; a dossier that meets a deadlock (an officer acting on it that moment) is tried
again. A run repeated moves no dossier twice: each move records the change it follows.
"""

import logging
import time as clock
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import OperationalError, transaction
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

# How often a dossier that met a deadlock is tried again, and how long to wait between.
ATTEMPTS = 3
PAUSE_SECONDS = 0.2

# The statuses a dossier's time runs (or stands still) in.
_RESCHEDULED = frozenset(status for status, action in TRANSITIONS if action == Action.RESCHEDULE)

# The deadlines of a dossier row and of its open clock stop, by the key their former value
# takes in a move's event (``previous_<key>``).
_DOSSIER_FIELDS = ("due_at", "original_due_at", "step_due_at")
_STOP_FIELDS = ("due_before", "original_due_before", "step_due_before")


@dataclass
class _Calendars:
    """The calendars just before and just after one change, by agency, built once a run."""

    before: Mapping[date, str]
    after: Mapping[date, str]
    at: datetime
    first_year: int
    _built: dict[tuple[int | None, int, bool], WorkCalendar] = field(default_factory=dict)

    def _calendar(self, agency: Agency, last_year: int, *, old: bool) -> WorkCalendar:
        key = (agency.pk, last_year, old)
        if key not in self._built:
            self._built[key] = fresh_calendar(
                agency=agency,
                years=range(self.first_year, last_year + 1),
                entries=self.before if old else self.after,
            )
        return self._built[key]

    def follow(
        self,
        moment: datetime,
        agency: Agency,
        *,
        since: datetime,
        promise: datetime,
        counted: datetime | None = None,
    ) -> tuple[datetime, datetime]:
        """Return where ``moment``, a deadline on ``agency``'s calendar counted before the
        change, lies after it, and where the working time alone puts it: its working time
        from ``since`` (the change, or a clock stop's start) counted again, never before
        ``promise`` (the module's rule). A deadline already passed then stays.

        ``counted`` is where the working time put the deadline when an earlier change kept
        it later, at the promise's opening: the time left is measured to it, not to
        ``moment``, so that the hours of a day that opening spanned are not counted when
        that day goes back to what it was.
        """
        if moment <= since:
            return moment, moment
        counted = counted or moment
        last_year = max(self.first_year + YEARS_AHEAD, _year(moment) + 1)
        old = self._calendar(agency, last_year, old=True)
        new = self._calendar(agency, last_year, old=False)
        try:
            left = old.working_time_between(since, counted) if counted > since else timedelta(0)
            later = new.add_working_time(since, left)
            if not new.is_office_moment(promise):
                # A promise on a day now off is kept at the next opening.
                promise = new.add_working_time(promise, timedelta(0))
        except OutsideCoverageError:
            # Before the first year the run covers: a stop older than that is left alone.
            return moment, moment
        return max(later, promise), later


def _year(moment: datetime) -> int:
    return local_day(moment).year


def dossiers_follow_calendar(
    *,
    change: str,
    at: datetime,
    before: Mapping[date, str | None],
    entries: Mapping[date, str],
    reason: str,
) -> int:
    """Move the deadlines of open dossiers as the calendar change ``change`` made at ``at``
    asks (the module's rule); return how many dossiers moved.

    ``entries`` are the calendar entries (date to kind) as they stood right after the
    change, from the year before it on; ``before`` maps the dates the change touched to
    their former kind (``None``: no entry), the ``calendar_changed`` signal's. ``reason``
    names the entry changed; each move's event records it with the dates' kinds before and
    after, from which the email and the history say what happened
    (``sen.dossiers.calendar_moves``).
    """
    if not before:
        return 0
    former = {day: kind for day, kind in {**entries, **before}.items() if kind is not None}
    calendars = _Calendars(before=former, after=entries, at=at, first_year=local_day(at).year - 1)
    since = datetime.combine(min(before), time.min, tzinfo=VIETNAM)
    candidates = (
        Dossier.objects.filter(OPEN, received_at__isnull=False)
        .filter(Q(due_at__gte=since) | Q(original_due_at__gte=since) | Q(step_due_at__gte=since))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # What the change did to each date it touched, for the history and the email to say
    # (a day declared off, a day off cancelled or moved, a day declared worked).
    record = {
        "change": change,
        "reason": reason,
        "calendar": {day.isoformat(): [kind, entries.get(day)] for day, kind in before.items()},
    }
    moved = failed = 0
    for pk in list(candidates):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    moved += _follow(pk, calendars, record=record)
                break
            except OperationalError:
                # A deadlock with an officer's action on the same dossier, which PostgreSQL
                # broke by rolling this one back: nothing of it was written.
                if attempt == ATTEMPTS:
                    failed += 1
                    logger.exception("Calendar change %s could not move dossier %s.", change, pk)
                else:
                    clock.sleep(PAUSE_SECONDS * attempt)
    logger.info(
        "Calendar change %s moved the deadlines of %d dossiers (%d failed).",
        change,
        moved,
        failed,
    )
    return moved


def _follow(pk: int, calendars: _Calendars, *, record: dict[str, Any]) -> bool:
    """Move one dossier's deadlines, locked; return whether any moved. ``record`` is what
    the move's event records of the change (its id, its reason, the dates' kinds)."""
    change = record["change"]
    dossier = _transitions.lock(dossier=Dossier(pk=pk))
    if dossier.finished_at is not None or dossier.status not in _RESCHEDULED:
        return False
    events = list(dossier.events.filter(action=Action.RESCHEDULE).order_by("sequence"))
    if any((event.data or {}).get("change") == change for event in events):
        return False
    moves = _moves(dossier, calendars, events)
    if not moves:
        return False
    if moves.record is not None:
        # Reminders are kept per due moment (``StepReminder``): the new one is reminded.
        moves.record.save(update_fields=["due_at"])
    if moves.stop is not None:
        moves.stop.save(update_fields=list(_STOP_FIELDS))
    _transitions.apply(
        dossier=dossier,
        action=Action.RESCHEDULE,
        actor=None,
        data={**record, **moves.previous},
        at=timezone.now(),
        changes=moves.dossier,
    )
    return True


@dataclass
class _Moves:
    """What one dossier's deadlines become, and for the event their former values
    (``previous_<deadline>``) and, where a promise kept one later, where the working time
    alone put it (``counted_<deadline>``)."""

    dossier: dict[str, Any] = field(default_factory=dict)
    record: StepRecord | None = None
    stop: ClockStop | None = None
    previous: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.dossier or self.record or self.stop)


def _promise(
    events: list[DossierEvent], key: str, *, set_at: datetime, value: datetime
) -> datetime:
    """Return the deadline ``key`` as the last action set it (at ``set_at``): its value
    before the first calendar move since, or ``value`` if none moved it."""
    for event in events:
        former = (event.data or {}).get(f"previous_{key}")
        if event.at >= set_at and former:
            return datetime.fromisoformat(former)
    return value


def _counted(
    events: list[DossierEvent], key: str, *, set_at: datetime, value: datetime
) -> datetime:
    """Return where the working time put the deadline ``key`` at the last calendar move of
    it since ``set_at``, if that move kept it later, at its promise; else ``value``."""
    for event in reversed(events):
        data = event.data or {}
        if event.at < set_at:
            break
        if f"previous_{key}" in data:
            counted = data.get(f"counted_{key}")
            return datetime.fromisoformat(counted) if counted else value
    return value


def _moves(dossier: Dossier, calendars: _Calendars, events: list[DossierEvent]) -> _Moves:
    """Return where each deadline of ``dossier`` set before the change goes."""
    at = calendars.at
    stops = list(dossier.clock_stops.all())
    resumed = max((stop.ended_at for stop in stops if stop.ended_at is not None), default=None)
    open_stop = next((stop for stop in stops if stop.ended_at is None), None)
    record = open_step_record(dossier)
    # When each deadline was last set by an action: at receipt, or again when the clock
    # restarted, or by the apology for the appointment; a step's when it began, or when the
    # clock restarted.
    legal_set = max(moment for moment in (dossier.received_at, resumed) if moment is not None)
    set_at = {
        "due_at": max(legal_set, dossier.apologized_at or legal_set),
        "original_due_at": legal_set,
    }
    step_agency = None
    if record is not None:
        set_at["step_due_at"] = max(record.started_at, resumed or record.started_at)
        step_agency = record.agency
    agencies = {"due_at": dossier.agency, "original_due_at": dossier.agency}
    agencies["step_due_at"] = step_agency or dossier.agency
    moves = _Moves()

    def follow(key: str, value: datetime | None, *, since: datetime) -> datetime | None:
        """Return where deadline ``key`` (``value``) goes; note its former value if moved."""
        base = key.replace("_before", "_at") if key in _STOP_FIELDS else key
        if value is None or base not in set_at or set_at[base] > at:
            return value
        promise = _promise(events, key, set_at=set_at[base], value=value)
        counted = _counted(events, key, set_at=set_at[base], value=value)
        new, counted = calendars.follow(
            value, agencies[base], since=since, promise=promise, counted=counted
        )
        if new != value:
            moves.previous[f"previous_{key}"] = iso(value)
            if counted != new:
                moves.previous[f"counted_{key}"] = iso(counted)
        return new

    for key in _DOSSIER_FIELDS:
        value = getattr(dossier, key)
        new = follow(key, value, since=at)
        if new != value:
            moves.dossier[key] = new
    if record is not None and "step_due_at" in moves.dossier:
        record.due_at = moves.dossier["step_due_at"]
        moves.record = record
    if open_stop is not None:
        for key in _STOP_FIELDS:
            value = getattr(open_stop, key)
            new = follow(key, value, since=open_stop.started_at)
            if new != value:
                setattr(open_stop, key, new)
                moves.stop = open_stop
    return moves
