"""What one dossier contributes to the monthly counters of the indicators.

Plain functions without database access. ``DossierFacts`` is the part of a dossier the
indicators read; ``contribution`` turns it into counters per month (first day of the
month, Vietnam time). The aggregates are the sum of the contributions of all dossiers, so a
change of a dossier adds ``contribution(after) − contribution(before)``
(``sen.reports.services``), and a recomputation from scratch sums the contributions again:
both must give the same numbers.

Two counters are not flows but a difference array: ``open_delta`` is +1 in the month a
dossier is received and −1 in the month it finishes, so the dossiers still unfinished at
the end of month M are the sum of ``open_delta`` over the months up to M;
``open_late_delta`` does the same for the time an unfinished dossier is already late.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sen.core.periods import VIETNAM, month_of

# Every counter kept per month, in the order of the aggregate tables' columns.
COUNTERS: tuple[str, ...] = (
    "submitted",
    "received",
    "received_desk",
    "received_online",
    "received_post",
    "online_capable",
    "online_capable_online",
    "digitized",
    "refused",
    "withdrawn",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "stopped",
    "with_result",
    "electronic_result",
    "processing_seconds",
    "returned",
    "returned_electronic",
    "rated",
    "rated_satisfied",
    "open_delta",
    "open_late_delta",
)

# How a dossier ended (``DossierFacts.ending``); "" while it is open.
RESULT = "result"
STOPPED = "stopped"
WITHDRAWN = "withdrawn"
REFUSED = "refused"

Contribution = dict[date, dict[str, int]]


@dataclass(frozen=True)
class DossierFacts:
    """What the indicators know of one dossier. All moments are aware."""

    channel: str  # "desk", "online" or "post"
    online_capable: bool  # the procedure version offers an online service (toàn trình/một phần)
    submitted_at: datetime
    received_at: datetime | None = None
    finished_at: datetime | None = None
    ending: str = ""
    original_due_at: datetime | None = None
    clock_stopped_at: datetime | None = None
    supplement_count: int = 0
    digitized: bool = False  # files came with the submission (thành phần hồ sơ số hóa)
    result_file: bool = False  # the result exists as an electronic file
    returned_at: datetime | None = None
    returned_electronically: bool = False
    rated_at: datetime | None = None
    rating_satisfied: bool = False


def late_from(facts: DossierFacts) -> datetime | None:
    """Return the moment from which the dossier counts as late, or ``None`` if it never does.

    The due moment is ``original_due_at``: the legal time from receipt, already moved by the
    time waiting for a supplement and never by an apology's new appointment. More than one
    supplement request makes a dossier late from its receipt. While its clock is stopped a
    dossier is judged at the stop: late only if it was late when the clock stopped.
    """
    if facts.received_at is None:
        return None
    if facts.supplement_count > 1:
        return facts.received_at
    due = facts.original_due_at
    if due is None:
        return None
    if facts.finished_at is None and facts.clock_stopped_at is not None:
        return due if facts.clock_stopped_at > due else None
    return due


def open_late_day(facts: DossierFacts) -> date | None:
    """Return the day (Vietnam time) an open dossier becomes late; ``None`` if it is not open
    or never becomes late. The dossiers counted in ``OpenLateDay``."""
    late = late_from(facts)
    if facts.received_at is None or facts.finished_at is not None or late is None:
        return None
    return _day(late)


def outcome(facts: DossierFacts) -> str | None:
    """Return "early", "on_time" or "late" for a resolved dossier, ``None`` otherwise.

    Late when finished after ``late_from``; early when finished on a day (Vietnam time)
    before the due day; otherwise on time, as the control sheet reads them.
    """
    if facts.finished_at is None or facts.received_at is None:
        return None
    if facts.ending not in (RESULT, STOPPED):
        return None
    late = late_from(facts)
    if late is not None and facts.finished_at > late:
        return "late"
    due = facts.original_due_at
    if due is not None and _day(facts.finished_at) < _day(due):
        return "early"
    return "on_time"


def _day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


def contribution(facts: DossierFacts) -> Contribution:
    """Return the counters ``facts`` adds to each month, leaving out zeros."""
    counters: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(moment: datetime, **values: int) -> None:
        month = counters[month_of(moment)]
        for name, value in values.items():
            month[name] += value

    add(facts.submitted_at, submitted=1)
    received, finished = facts.received_at, facts.finished_at
    if received is not None:
        add(received, received=1, open_delta=1, digitized=int(facts.digitized))
        add(received, **{f"received_{facts.channel}": 1})
        if facts.online_capable:
            online = int(facts.channel == "online")
            add(received, online_capable=1, online_capable_online=online)
        if finished is not None:
            add(finished, open_delta=-1)
        late = late_from(facts)
        if late is not None:
            became_late = max(received, late)
            if finished is None or became_late < finished:
                add(became_late, open_late_delta=1)
                if finished is not None:
                    add(finished, open_late_delta=-1)
    if finished is not None:
        if facts.ending == REFUSED:
            add(finished, refused=1)
        elif facts.ending == WITHDRAWN:
            add(finished, withdrawn=1)
        judged = outcome(facts)
        if judged is not None and received is not None:
            seconds = int((finished - received).total_seconds())
            add(finished, resolved=1, processing_seconds=seconds, **{f"resolved_{judged}": 1})
            if facts.ending == STOPPED:
                add(finished, stopped=1)
            else:
                add(finished, with_result=1, electronic_result=int(facts.result_file))
    if facts.returned_at is not None:
        add(facts.returned_at, returned=1, returned_electronic=int(facts.returned_electronically))
    if facts.rated_at is not None:
        add(facts.rated_at, rated=1, rated_satisfied=int(facts.rating_satisfied))
    return _without_zeros(counters)


def _without_zeros(counters: Mapping[date, Mapping[str, int]]) -> Contribution:
    clean: Contribution = {}
    for month, values in counters.items():
        kept = {name: value for name, value in values.items() if value}
        if kept:
            clean[month] = kept
    return clean
