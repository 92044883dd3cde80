"""Time of the internal steps and clock stops: due moments from the working-day calendar.

A supplement requested during processing stops the clock; the stop is kept as an interval
(``ClockStop``) so that every later due moment can be recomputed and explained.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sen.catalog.models import DurationUnit, ProcessStep
from sen.core.models import Agency
from sen.dossiers.models import Dossier, StepRecord
from sen.dossiers.permissions import step_holder
from sen.workdays.calendar import to_local
from sen.workdays.selectors import calendar_for
from sen.workdays.services import due_moment, due_moment_in_hours


def iso(moment: datetime) -> str:
    """Return a moment as ISO 8601 in Vietnam time, as events and audit entries show it."""
    return to_local(moment).isoformat()


def step_due(step: ProcessStep, *, start: datetime, agency: Agency) -> datetime:
    """Return when ``step``, started at ``start``, is due on ``agency``'s calendar: its time
    in working days, or in working hours of the agency's own day."""
    if step.unit == DurationUnit.HOURS:
        return due_moment_in_hours(start=start, hours=step.duration, agency=agency)
    return due_moment(start=start, days=step.duration, agency=agency)


def start_step(*, dossier: Dossier, step: ProcessStep, at: datetime) -> StepRecord:
    """Open the record of ``step`` for the dossier, due after the step's time from ``at``.

    The step's time counts on the calendar of the agency that does it. The record is not
    saved: the caller saves it once the transition is written.
    """
    agency = step.agency or dossier.agency
    return StepRecord(
        dossier=dossier,
        step=step,
        position=step.position,
        agency=agency,
        role=step.role,
        started_at=at,
        due_at=step_due(step, start=at, agency=agency),
    )


def open_step_record(dossier: Dossier) -> StepRecord | None:
    """Return the record of the step the dossier is at, if any."""
    return dossier.steps.filter(finished_at__isnull=True).order_by("-id").first()


def working_time(a: datetime, b: datetime, agency: Agency) -> tuple[timedelta, timedelta]:
    """Return the working time from ``a`` to ``b`` on the agency's calendar, and its day."""
    first, last = sorted((to_local(a).year, to_local(b).year))
    calendar = calendar_for(agency=agency, years=range(first, last + 1))
    return calendar.working_time_between(a, b), calendar.days_to_time(1)


def resumed_due(*, stopped: datetime, due: datetime, resumed: datetime, agency: Agency) -> datetime:
    """Return the due moment after a clock stop from ``stopped`` to ``resumed``.

    Rule: the working time that was left at the stop (from the supplement request to the
    due moment in force) is counted again from the moment the supplement arrives. The time
    the applicant takes is not counted in the processing time (Nghị định 118/2025/NĐ-CP on
    supplements requested during processing, article to verify; the progress indicator of
    Quyết định 766/QĐ-TTg subtracts it likewise). A dossier already late at the request has
    no time left: its due moment stays, so the wait does not make it on time.
    """
    left, day = working_time(stopped, due, agency)
    if left <= timedelta(0):
        return due
    days = Decimal(int(left / timedelta(microseconds=1))) / Decimal(
        int(day / timedelta(microseconds=1))
    )
    return due_moment(start=resumed, days=days, agency=agency)


def resume_clock(dossier: Dossier, now: datetime) -> dict[str, Any]:
    """Close the open clock stop and return the due moments moved by it."""
    stop = dossier.clock_stops.get(ended_at__isnull=True)
    stop.ended_at = now
    stop.save(update_fields=["ended_at"])
    changes: dict[str, Any] = {
        "clock_stopped_at": None,
        "due_at": resumed_due(
            stopped=stop.started_at, due=stop.due_before, resumed=now, agency=dossier.agency
        ),
        "original_due_at": resumed_due(
            stopped=stop.started_at,
            due=stop.original_due_before,
            resumed=now,
            agency=dossier.agency,
        ),
    }
    if stop.step_due_before is not None:
        _role, agency = step_holder(dossier)
        step_due = resumed_due(
            stopped=stop.started_at, due=stop.step_due_before, resumed=now, agency=agency
        )
        changes["step_due_at"] = step_due
        record = open_step_record(dossier)
        if record is not None:
            # The officers hear of the new due moment when it comes near: reminders are
            # kept per due moment (``StepReminder``).
            record.due_at = step_due
            record.save(update_fields=["due_at"])
    return changes


def closing_changes(dossier: Dossier, now: datetime) -> dict[str, Any]:
    """Return the changes that end processing without a result.

    A dossier closed while waiting for a supplement resumes its clock first, as a supplement
    would: the waiting time never counts, so it is not judged late for it.
    """
    changes: dict[str, Any] = {}
    if dossier.clock_stopped_at is not None:
        changes.update(resume_clock(dossier, now))
    changes.update(
        {"finished_at": now, "current_step": None, "step_due_at": None, "clock_stopped_at": None}
    )
    return changes
