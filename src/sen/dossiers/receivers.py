"""The dossiers' answers to core's signals (connected in ``DossiersConfig.ready``)."""

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import ngettext

from sen.core.models import Agency, Role
from sen.core.text import FEW, first_few
from sen.dossiers.codes import local_day
from sen.dossiers.models import Dossier
from sen.dossiers.selectors import OPEN
from sen.dossiers.tasks import follow_calendar_change, queue_is_transactional
from sen.workdays.selectors import calendar_entries


def open_dossiers_at_closing_agency(*, agency: Agency, **_kwargs: Any) -> str:
    """Say which open dossiers an agency about to close still holds: received there, or at
    one of its steps. Closed, it leaves them to no one (its officers lose their access)."""
    held = Dossier.objects.filter(OPEN & (Q(agency=agency) | Q(step_agency=agency)))
    count = held.count()
    if not count:
        return ""
    codes = list(held.order_by("code").values_list("code", flat=True)[:FEW])
    return ngettext(
        "Cơ quan còn %(count)d hồ sơ đang giải quyết (%(codes)s): hãy giải quyết xong trước "
        "khi ngừng hoạt động.",
        "Cơ quan còn %(count)d hồ sơ đang giải quyết (%(codes)s): hãy giải quyết xong trước "
        "khi ngừng hoạt động.",
        count,
    ) % {"count": count, "codes": first_few(codes, count)}


def dossiers_waiting_on_vacant_roles(
    *, vacant: list[tuple[Agency, str]], **_kwargs: Any
) -> list[str]:
    """Say, for each (agency, role) no active officer holds, which open dossiers wait on it:
    at a step of that role there (the receiving agency's when the step names none), or, for
    the one-stop desk, waiting for intake or for their result to be returned."""
    warnings = []
    for agency, role in vacant:
        at_step = Q(current_step__role=role) & (
            Q(step_agency=agency) | Q(step_agency__isnull=True, agency=agency)
        )
        if role == Role.ONE_STOP_OFFICER:
            at_step |= Q(current_step__isnull=True, agency=agency)
        waiting = Dossier.objects.filter(OPEN & at_step)
        count = waiting.count()
        if not count:
            continue
        codes = list(waiting.order_by("code").values_list("code", flat=True)[:FEW])
        warnings.append(
            ngettext(
                "Không còn ai giữ vai trò %(role)s tại %(agency)s, trong khi %(count)d hồ sơ "
                "đang chờ vai trò này (%(codes)s): hãy giao vai trò cho một cán bộ khác.",
                "Không còn ai giữ vai trò %(role)s tại %(agency)s, trong khi %(count)d hồ sơ "
                "đang chờ vai trò này (%(codes)s): hãy giao vai trò cho một cán bộ khác.",
                count,
            )
            % {
                "role": str(Role(role).label).lower(),
                "agency": agency.name,
                "count": count,
                "codes": first_few(codes, count),
            }
        )
    return warnings


def deadlines_follow_calendar(
    *, before: Mapping[date, str | None], at: datetime, reason: str, **_kwargs: Any
) -> None:
    """Have the deadlines of open dossiers follow a change of the working calendar, in the
    background (``services.rescheduling``): with the change when the queue is the database,
    else once it is committed; never for a change rolled back. The calendar entries are
    read now, as the change left them, so that the task measures this change alone
    however many others come before it runs."""
    entries = calendar_entries(first_year=local_day(at).year - 1)
    arguments = (
        uuid.uuid4().hex,
        at.isoformat(),
        {day.isoformat(): kind for day, kind in before.items()},
        {day.isoformat(): kind for day, kind in entries.items()},
        reason,
    )
    if queue_is_transactional(follow_calendar_change):
        follow_calendar_change.enqueue(*arguments)
    else:
        transaction.on_commit(lambda: follow_calendar_change.enqueue(*arguments))
