"""Reads of the dossiers app, each with its access check.

Who may read a dossier:

- its applicant (the account that submitted it), always;
- an official holding any active role in the receiving agency, or in the agency of one of
  the procedure version's steps (inter-agency work, liên thông);
- nobody else. A denied reader gets the same ``DossierNotFound`` as for an unknown code, so
  that the answer does not tell whether the dossier exists.

The applicant's personal data (CCCD, address, phone, email) is protected: each official's
read that returns it leaves an audit entry ``dossiers.dossier.personal_data_read``. The
applicant reading their own dossier leaves none. The public tracking read shows no personal
data and needs no account.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.lookups import IsNull
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.catalog.models import ProcessStep
from sen.catalog.selectors import procedure_ids_named
from sen.core.errors import NotAllowed
from sen.core.models import Agency, Role, User
from sen.core.ratelimit import check_rate
from sen.core.selectors import officer_agencies, officer_role_pairs
from sen.core.services import audit_record
from sen.dossiers import receiving
from sen.dossiers.codes import typed_dossier_code
from sen.dossiers.errors import DossierNotFound, ProcedureFilterTooBroad
from sen.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierFile,
    DossierPaper,
    DossierResult,
    StepRecord,
)
from sen.dossiers.permissions import is_applicant
from sen.dossiers.states import (
    FINISHED_STATUSES,
    RESULT_STATUSES,
    RESULT_VISIBLE_STATUSES,
    Channel,
    DossierStatus,
)
from sen.workdays.services import due_moment

AnyUser = AbstractBaseUser | AnonymousUser

PERSONAL_DATA_READ = "dossiers.dossier.personal_data_read"

# Open: not over (see ``states.FINISHED_STATUSES``). The same condition as the partial
# indexes ``dossier_queue_received`` and ``dossier_queue_open``, word for word, so that
# PostgreSQL can use them.
OPEN = Q(finished_at__isnull=True) & ~Q(status__in=FINISHED_STATUSES)


SHOWN_CODE = 64


def dossier_not_found(code: str) -> DossierNotFound:
    """Return the error for an unknown code, also given to whoever may not read the dossier.

    The code is said back as sent, cut to ``SHOWN_CODE`` characters: a code is about 30, and
    anything much longer is not one worth repeating in full.
    """
    shown = code if len(code) <= SHOWN_CODE else f"{code[:SHOWN_CODE]}…"
    return DossierNotFound(_("Không tìm thấy hồ sơ có mã %(code)s.") % {"code": shown})


def is_overdue(dossier: Dossier, *, now: datetime | None = None) -> bool:
    """Return whether the dossier is open and past its due moment, as ``overdue`` selects.

    While a supplement is awaited the clock stands still: the dossier is overdue only if it
    was already past due when the clock stopped (its due moment moves on resuming).
    """
    moment = now or timezone.now()
    if dossier.clock_stopped_at is not None:
        moment = min(moment, dossier.clock_stopped_at)
    return (
        dossier.due_at is not None
        and dossier.due_at < moment
        and dossier.finished_at is None
        and dossier.status not in FINISHED_STATUSES
    )


def overdue_at(moment: datetime) -> Q:
    """Return the open dossiers past their due moment at ``moment`` (``is_overdue``)."""
    clock_running = Q(clock_stopped_at__isnull=True) | Q(due_at__lt=F("clock_stopped_at"))
    return OPEN & Q(due_at__lt=moment) & clock_running


def step_is_overdue(dossier: Dossier, *, now: datetime | None = None) -> bool:
    """Return whether the dossier's current step is past its due moment, its clock running.

    A step can be late while the dossier is not (a hand-off to another agency that took too
    long); waiting for a supplement, the step's due moment is set again on resuming.
    """
    moment = now or timezone.now()
    return (
        dossier.step_due_at is not None
        and dossier.step_due_at < moment
        and dossier.clock_stopped_at is None
        and dossier.finished_at is None
        and dossier.status not in FINISHED_STATUSES
    )


def step_overdue_at(moment: datetime) -> Q:
    """Return the open dossiers whose current step is past its due moment at ``moment``,
    its clock running (``step_is_overdue``)."""
    return OPEN & Q(clock_stopped_at__isnull=True, step_due_at__lt=moment)


# --- Tracking (public) ----------------------------------------------------------------------


def check_tracking_rate(request: HttpRequest) -> None:
    """Count one public tracking lookup from the request's client address; raise
    ``RateLimited`` past ``SEN_TRACKING_PER_MINUTE`` a minute.

    The tracking page and ``GET /api/v1/tracking/{code}`` count together, so that no script
    reads every dossier of a day by walking its codes, whichever door it uses. Call it
    before the dossier is read: an unknown code counts as much as a known one.
    """
    check_rate(request, scope="tracking", per_minute=settings.SEN_TRACKING_PER_MINUTE)


def dossier_for_tracking(*, code: str) -> Dossier:
    """Return the dossier with this code, its procedure, agency and events, in 2 queries.

    Anyone holding the code may follow the dossier, so callers show only what the public
    tracking page shows: never the applicant, never who acted.
    """
    events = DossierEvent.objects.only("dossier_id", "sequence", "action", "to_status", "at")
    dossier = (
        Dossier.objects.select_related("procedure", "agency")
        .prefetch_related(Prefetch("events", queryset=events.order_by("sequence")))
        .filter(code=typed_dossier_code(code))
        .first()
    )
    if dossier is None:
        raise dossier_not_found(code)
    return dossier


def accepts_office_documents(*, code: str) -> bool | None:
    """Return whether the procedure of the dossier with this code takes Word and Excel
    files, or None when there is no such dossier.

    A form checks its files with this before the dossier is read for the officer, who may
    have no access to it: the procedure is public (the tracking page shows it), and the
    answer to such an officer is "not found" whatever the check says.
    """
    flags = Dossier.objects.filter(code=typed_dossier_code(code)).values_list(
        "procedure__accepts_office_documents", flat=True
    )
    return next(iter(flags), None)


# --- One dossier, for its applicant or an official ------------------------------------------


class Reader:
    """Who reads a dossier, as ``DossierRead.reader`` says."""

    APPLICANT = "applicant"
    OFFICER = "officer"


@dataclass(frozen=True)
class DossierRead:
    """A dossier some user may read, and as whom (``Reader.APPLICANT`` or ``OFFICER``)."""

    dossier: Dossier
    reader: str

    @property
    def by_officer(self) -> bool:
        return self.reader == Reader.OFFICER


def _load(code: str) -> Dossier | None:
    # Only the row first: the related lists are fetched once the reader is allowed, so that
    # a denied read costs one query and reads nothing more. The current step and its agency
    # come with it: who acts on the dossier now (``permissions.step_holder``). The code
    # as typed from a slip (``h37``, a space) finds the dossier, as on the tracking page.
    return (
        Dossier.objects.select_related(
            "procedure", "agency", "agency__parent", "agency__unit", "current_step__agency"
        )
        .filter(code=typed_dossier_code(code))
        .first()
    )


def _events() -> Prefetch:
    return Prefetch(
        "events", queryset=DossierEvent.objects.select_related("actor").order_by("sequence")
    )


def _files() -> Prefetch:
    return Prefetch(
        "files", queryset=DossierFile.objects.select_related("component").order_by("id")
    )


def papers_prefetch(dossier: Dossier) -> list[Prefetch]:
    """Return the papers handed in to fetch: none for a dossier sent online (no query)."""
    if dossier.channel == Channel.ONLINE:
        return []
    return [Prefetch("papers", queryset=DossierPaper.objects.select_related("component"))]


def _results_shown(dossier: Dossier, reader: str) -> bool:
    """Return whether ``reader`` sees the dossier's results: an officer from processing on,
    the applicant once returned."""
    shown = RESULT_STATUSES if reader == Reader.OFFICER else RESULT_VISIBLE_STATUSES
    return dossier.status in shown


def results_prefetch(dossier: Dossier, reader: str) -> list[Prefetch]:
    """Return the results ``reader`` sees to fetch, in the order attached; none when they
    see none (no query)."""
    if not _results_shown(dossier, reader):
        return []
    return [Prefetch("results", queryset=DossierResult.objects.order_by("id"))]


def shown_results(dossier: Dossier, reader: str) -> list[DossierResult]:
    """Return the results ``reader`` sees of a dossier read with ``results_prefetch``."""
    return list(dossier.results.all()) if _results_shown(dossier, reader) else []


def _complete(dossier: Dossier, reader: str) -> Dossier:
    """Fetch the related lists of an allowed read (events, files, components, papers and
    the results ``reader`` sees)."""
    lookups: list[str | Prefetch] = [_events(), _files(), "procedure__components"]
    prefetch_related_objects(
        [dossier], *lookups, *papers_prefetch(dossier), *results_prefetch(dossier, reader)
    )
    return dossier


def _complete_for_officer(dossier: Dossier) -> Dossier:
    """Fetch the related lists an officer's pages show: events, files, results, papers.

    Not the procedure's components: the pages name each file's own component (the slips,
    which list them, are read through ``dossier_get_for_reader``). The results come in
    order, and answer ``permissions.approval_needs_result`` without a query.
    """
    results = DossierResult.objects.order_by("id")
    lookups = [_events(), _files(), Prefetch("results", queryset=results)]
    prefetch_related_objects([dossier], *lookups, *papers_prefetch(dossier))
    return dossier


def _official_may_read(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` holds a role in an agency working on the dossier (1 query):
    the receiving agency, or one whose step the dossier has reached. An agency named at a
    later step of the procedure reads nothing of a dossier that never came to it (one
    refused, withdrawn or stopped before it, or still on its way)."""
    reached = StepRecord.objects.filter(dossier_id=dossier.pk).values("agency_id")
    return officer_agencies(user).filter(Q(pk=dossier.agency_id) | Q(pk__in=reached)).exists()


def _record_personal_data_read(dossier: Dossier, user: AnyUser, purpose: str) -> None:
    actor = user if isinstance(user, User) else None
    audit_record(
        actor=actor,
        action=PERSONAL_DATA_READ,
        target=dossier,
        data={"purpose": purpose},
    )


def dossier_get_for_reader(
    *, code: str, user: AnyUser | None, purpose: str = "detail"
) -> DossierRead:
    """Return the dossier for its applicant or an allowed official, with what it shows.

    The applicant comes first: an official reading a dossier they submitted themselves
    reads their own data. An official's read is recorded (``PERSONAL_DATA_READ`` with
    ``purpose``). Raise ``DossierNotFound`` for an unknown code and for anyone else, and
    then record nothing.
    """
    dossier = _load(code) if user is not None and user.is_authenticated else None
    if dossier is None:
        raise dossier_not_found(code)
    if is_applicant(dossier, user):
        return DossierRead(_complete(dossier, Reader.APPLICANT), Reader.APPLICANT)
    if user is None or not _official_may_read(dossier, user):
        raise dossier_not_found(code)
    _record_personal_data_read(dossier, user, purpose)
    return DossierRead(_complete(dossier, Reader.OFFICER), Reader.OFFICER)


def dossier_get_for_officer(*, code: str, user: AnyUser | None, purpose: str = "detail") -> Dossier:
    """Return the dossier for an official of its agency or of one of its steps' agencies.

    Records the read of the applicant's personal data (``PERSONAL_DATA_READ``). Raise
    ``DossierNotFound`` for an unknown code and for any other user, recording nothing.
    Six queries: the dossier with its procedure, agency and current step; the access check;
    the record of the read; its events, files and results.
    """
    dossier = _load(code) if user is not None and user.is_authenticated else None
    if dossier is None or user is None or not _official_may_read(dossier, user):
        raise dossier_not_found(code)
    _record_personal_data_read(dossier, user, purpose)
    return _complete_for_officer(dossier)


def dossier_get_for_applicant(*, code: str, user: AnyUser | None) -> Dossier:
    """Return the user's own dossier with this code; ``DossierNotFound`` for any other."""
    dossier = _load(code) if user is not None and user.is_authenticated else None
    if dossier is None or not is_applicant(dossier, user):
        raise dossier_not_found(code)
    return _complete(dossier, Reader.APPLICANT)


# --- Lists ------------------------------------------------------------------------------------


def dossiers_of_applicant(*, user: AnyUser | None) -> QuerySet[Dossier]:
    """Return the user's own dossiers ("my dossiers"), newest first, with procedure and agency."""
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(applicant_id=user.pk)
        .select_related("procedure", "agency")
        .order_by("-submitted_at", "-id")
    )


def _due_soon(agencies: list[Agency], now: datetime, days: int) -> Q:
    """Return the condition "open and due between now and ``days`` working days from now".

    Each agency's bound comes from its own working calendar, as its due moments did.
    """
    condition = Q(pk__in=[])
    for agency in agencies:
        bound = due_moment(start=now, days=Decimal(days), agency=agency)
        condition |= Q(agency_id=agency.pk, due_at__lte=bound)
    return condition & Q(due_at__gte=now) & OPEN


# Who moves a dossier next, by its status: the receiving agency's desk receives it and
# hands its result back; in between, whoever holds its current step
# (``permissions.step_holder``). A dossier waiting for a supplement waits for its applicant.
DESK_TURN = (DossierStatus.SUBMITTED, DossierStatus.RESULT_READY)
STEP_TURN = (DossierStatus.RECEIVED, DossierStatus.PROCESSING)


def _turn_of(pairs: Iterable[tuple[int, str]]) -> Q:
    """Return the condition "the dossier's next move is for one of these (agency id, role)
    pairs", as ``permissions.step_holder`` and ``may_intake`` answer for one dossier.

    A step that names its agency is that agency's; one that names none is the receiving
    agency's. The steps are read in subqueries, so that each part of the queue still reads
    its agency's index in queue order.
    """
    agencies_by_role: defaultdict[str, list[int]] = defaultdict(list)
    for agency_id, role in pairs:
        agencies_by_role[role].append(agency_id)
    condition = Q(pk__in=[])
    for role, agency_ids in agencies_by_role.items():
        named = ProcessStep.objects.filter(role=role, agency_id__in=agency_ids).values("pk")
        unnamed = ProcessStep.objects.filter(role=role, agency__isnull=True).values("pk")
        condition |= Q(status__in=STEP_TURN) & (
            Q(current_step__in=named) | Q(agency_id__in=agency_ids, current_step__in=unnamed)
        )
        if role == Role.ONE_STOP_OFFICER:
            condition |= Q(agency_id__in=agency_ids) & (
                Q(status__in=DESK_TURN) | Q(status__in=STEP_TURN, current_step__isnull=True)
            )
    return condition


def _queue_parts(
    *,
    agencies: list[Agency],
    procedures: list[int] | None,
    status: str | None,
    due_within_days: int | None,
    overdue: bool,
    turn_of: list[tuple[int, str]] | None,
    moment: datetime,
) -> list[QuerySet[Dossier]]:
    """Return the queue's parts, unordered: per agency, received and handed.

    An inter-agency step (liên thông) puts the dossier in the queue of the step's agency
    while it is there (``step_agency``), besides the queue of the agency that received it;
    the handed part leaves out the officer's own agencies, so that no dossier comes twice.
    """
    ids = [agency.pk for agency in agencies]
    dossiers = Dossier.objects.order_by()
    if procedures is not None:
        # A list of ids, not a join on the catalog: each part keeps reading its agency's
        # index in queue order, and checks each dossier's procedure as it goes.
        dossiers = dossiers.filter(procedure_id__in=procedures)
    # Without a status, the work still to do; the finished dossiers are reached by theirs.
    dossiers = dossiers.filter(Q(status=status) if status else OPEN)
    if overdue:
        dossiers = dossiers.filter(overdue_at(moment))
    if due_within_days is not None:
        dossiers = dossiers.filter(_due_soon(agencies, moment, due_within_days))
    if turn_of is not None:
        dossiers = dossiers.filter(_turn_of(turn_of))
    received = [dossiers.filter(agency_id=pk) for pk in ids]
    handed = [dossiers.filter(step_agency_id=pk).exclude(agency_id__in=ids) for pk in ids]
    return received + handed


# The most procedure versions the queue's procedure filter may name. Their ids go into each
# part of the queue's union: a thousand cost PostgreSQL no more than ten, but a word in most
# names ("cấp") filters little out, and many more would pass SQLite's limit of variables for
# an officer of a dozen agencies.
MAX_QUEUE_PROCEDURES = 1000

# What a queue's row shows (the API's summary, the workspace's row): only these are read, so
# that the union of the parts is shorter to compile and to send.
QUEUE_FIELDS = (
    "code",
    "status",
    "channel",
    "applicant_name",
    "submitted_at",
    "received_at",
    "due_at",
    # Beside the appointment, the legal due moment an apology moved it from: the row says
    # "late by law, rescheduled" once that one has passed.
    "original_due_at",
    "finished_at",
    "step_due_at",
    "clock_stopped_at",
    "procedure__code",
    "procedure__name",
    "procedure__version",
    "agency__code",
    "agency__name",
)

# The queue's order; the part of each index after the agency.
QUEUE_ORDER = ("undated", "due_at", "submitted_at", "id")

# The queue counts exactly up to this many dossiers, then says "more than" (ADR 0011).
QUEUE_COUNT_CAP = 1000
# The queue lists the first QUEUE_COUNT_CAP dossiers in its order, and one more so that a
# count can tell "exactly 1,000" from "more than 1,000"; filters reach the others.
QUEUE_LIMIT = QUEUE_COUNT_CAP + 1


@dataclass(frozen=True)
class QueueCount:
    """How many dossiers a queue holds: exactly ``value``, or more than it when ``capped``."""

    value: int
    capped: bool


@dataclass(frozen=True, eq=False)
class OfficerQueue:
    """An officer's queue as ``officer_queue`` builds it: its dossiers, and their count.

    Both come from the same parts, so the officer's agencies are read once for a page.
    """

    parts: tuple[QuerySet[Dossier], ...]
    """The queue's parts, unordered: per agency of the officer, received and handed."""

    count_unordered: bool = False
    """Whether ``count`` reads the parts unordered: with a range of due moments (overdue,
    due soon) or ``my_turn`` filtering them (see ``count``)."""

    procedures: tuple[int, ...] | None = None
    """The procedure versions the procedure filter named; ``None`` without that filter.

    Empty when the filter's text names no procedure: the queue is then empty, and a page
    says why.
    """

    @property
    def dossiers(self) -> QuerySet[Dossier]:
        """Return the dossiers in queue order, with procedure and agency; one query.

        It is a UNION ALL of the parts, each read in the order of its index
        (``dossier_queue_*``), so that a page costs about the same with a thousand
        dossiers or ten million. It can be sliced and counted, not filtered or reordered.
        Only its first ``QUEUE_COUNT_CAP`` dossiers are meant to be listed (the filters
        reach the others): on PostgreSQL each part stops at ``QUEUE_LIMIT``, so past that
        the list keeps its order but is no longer complete.
        """
        parts = [
            part.select_related("procedure", "agency")
            .only(*QUEUE_FIELDS)
            .annotate(undated=IsNull(F("due_at"), True))
            for part in self.parts
        ]
        if connection.features.supports_slicing_ordering_in_compound:
            # PostgreSQL plans a top-level UNION ALL as "append, then sort everything"; each
            # part planned alone reads its index in order and stops at the cap. The first
            # QUEUE_LIMIT of the whole are among the first QUEUE_LIMIT of each part. (SQLite
            # allows no ORDER BY in a part, and merges ordered parts by itself.)
            parts = [part.order_by(*QUEUE_ORDER)[:QUEUE_LIMIT] for part in parts]
        first, *others = parts
        # Not sliced at QUEUE_LIMIT as a whole: Django cannot count a sliced, ordered union.
        return first.union(*others, all=True).order_by(*QUEUE_ORDER)

    def count(self, *, cap: int = QUEUE_COUNT_CAP) -> QueueCount:
        """Count the dossiers up to ``cap``; one query.

        A large agency holds hundreds of thousands of dossiers over the years; counting
        them all would cost more than the page. Past ``cap`` the answer is ``cap`` and
        ``capped``. Each part stops at ``cap + 1`` rows.

        On PostgreSQL a part is read in the queue's order, which its index holds, so that
        the scan stops there (unordered, PostgreSQL gathered every open dossier of the
        agency from ``dossier_queue_open`` first: 9 ms, not 1.5, at 30,000). Two filters are
        read unordered (``count_unordered``). A due range: PostgreSQL gathers it from
        ``dossier_queue_open`` either way, and an order would make it sort the whole range
        before stopping. ``my_turn``: PostgreSQL takes its conditions on the steps for rarer
        than they are, so with an order it sorted every open dossier of the agency before
        stopping (108 ms, not 11, at 30,000); unordered, it stops at the cap.
        """
        parts = [
            part.annotate(undated=IsNull(F("due_at"), True)).values("pk") for part in self.parts
        ]
        if connection.features.supports_slicing_ordering_in_compound:
            ordered = parts if self.count_unordered else [p.order_by(*QUEUE_ORDER) for p in parts]
            parts = [part[: cap + 1] for part in ordered]
        first, *others = parts
        found = first.union(*others, all=True)[: cap + 1].count()
        return QueueCount(value=min(found, cap), capped=found > cap)


def waiting_at_desk(
    *, user: AnyUser | None, status: DossierStatus, cap: int = QUEUE_COUNT_CAP
) -> QueueCount:
    """Count the dossiers in ``status`` (one of ``DESK_TURN``) at the desks of ``user``: the
    active agencies where they are a one-stop officer. Up to ``cap``, in one query; none for
    an officer without a desk (the roles are the ones the page's menu has read already).

    The queue does not show these first. A dossier waiting for intake (sent online, or back
    after a supplement asked at intake) has no due moment yet, so the queue lists it last;
    one whose result waits to be handed back is over for the queue (its processing is), so
    only its status reaches it. These counts let the desk find both.
    """
    desks = [agency for agency, role in officer_role_pairs(user) if role == Role.ONE_STOP_OFFICER]
    if not desks:
        return QueueCount(value=0, capped=False)
    waiting = Dossier.objects.filter(agency_id__in=desks, agency__is_active=True, status=status)
    found = waiting.order_by()[: cap + 1].count()
    return QueueCount(value=min(found, cap), capped=found > cap)


def officer_queue(
    *,
    user: AnyUser | None,
    procedure: str | None = None,
    status: str | None = None,
    due_within_days: int | None = None,
    overdue: bool = False,
    my_turn: bool = False,
    now: datetime | None = None,
) -> OfficerQueue:
    """Return the queue of the agencies where ``user`` holds a role, by due moment.

    An agency's dossiers are those it received and those at one of its inter-agency steps.

    Dossiers without a due moment (not yet received) come last, then by submission.
    Without ``status`` the queue holds the open dossiers (not finished: the work still to
    do); with it, the dossiers in that status, finished ones included.
    ``procedure`` names procedures by code or by words of their name, with or without
    diacritics (``sen.catalog.selectors.procedure_ids_named``), and keeps their dossiers,
    whatever version they were submitted under; text that names none leaves the queue
    empty (``OfficerQueue.procedures`` is then empty). ``status`` is a ``DossierStatus``.
    ``overdue`` keeps open dossiers past their due moment; ``due_within_days`` open dossiers
    due from now to that many working days from now. ``my_turn`` keeps the dossiers whose
    next move is the user's: to receive or hand back at their desk, or at a step of their
    role and agency (not those waiting for an applicant's supplement). Raise ``NotAllowed``
    for a user without any role, and ``ProcedureFilterTooBroad`` for text that names more
    than ``MAX_QUEUE_PROCEDURES`` procedure versions. Costs one query for the user's
    agencies, one for the procedures named, and one for the user's roles with ``my_turn``
    (none when the page has read them already); listing the queue
    (``OfficerQueue.dossiers``) is then one query, and counting it (``count``) one more
    (none when no procedure is named).
    """
    agencies = list(officer_agencies(user))
    if not agencies:
        raise NotAllowed(_("Chỉ cán bộ của cơ quan mới có danh sách hồ sơ cần xử lý."))
    text = (procedure or "").strip()
    procedures = None
    if text:
        # The procedures first, in a small query on the catalog: the dossiers' query then
        # filters by their ids and keeps reading its indexes (ADR 0011).
        procedures = procedure_ids_named(text=text, limit=MAX_QUEUE_PROCEDURES + 1)
        if len(procedures) > MAX_QUEUE_PROCEDURES:
            message = _(
                "Quá nhiều thủ tục khớp với “%(text)s”; hãy gõ thêm từ trong tên thủ tục, "
                "hoặc nhập mã thủ tục."
            ) % {"text": text}
            raise ProcedureFilterTooBroad(message)
    turn_of = None
    if my_turn:
        active = {agency.pk for agency in agencies}
        turn_of = [pair for pair in officer_role_pairs(user) if pair[0] in active]
    parts = _queue_parts(
        agencies=agencies,
        procedures=procedures,
        status=status,
        due_within_days=due_within_days,
        overdue=overdue,
        turn_of=turn_of,
        moment=now or timezone.now(),
    )
    return OfficerQueue(
        parts=tuple(parts),
        count_unordered=overdue or due_within_days is not None or my_turn,
        procedures=None if procedures is None else tuple(procedures),
    )


def dossiers_reach(*, agencies: list[Agency]) -> bool:
    """Return whether dossiers reach one of ``agencies``: whether their officers' queue is
    where work comes in.

    One of them receives a procedure's dossiers (``sen.dossiers.receiving``, in any version:
    dossiers of a superseded one may still be open), or an open dossier is at one's
    inter-agency step now (a provincial committee whose chairman signs one procedure's
    decisions receives nothing, but has that dossier to sign). At most two small queries,
    none without agencies.
    """
    if not agencies:
        return False
    if receiving.receiving_implementations(agencies=agencies).exists():
        return True
    handed = Dossier.objects.filter(OPEN, step_agency_id__in=[agency.pk for agency in agencies])
    return handed.exists()


__all__ = [
    "FINISHED_STATUSES",
    "PERSONAL_DATA_READ",
    "QUEUE_COUNT_CAP",
    "DossierRead",
    "OfficerQueue",
    "QueueCount",
    "Reader",
    "dossier_for_tracking",
    "dossier_get_for_applicant",
    "dossier_get_for_officer",
    "dossier_get_for_reader",
    "dossier_not_found",
    "dossiers_of_applicant",
    "dossiers_reach",
    "is_overdue",
    "officer_queue",
    "overdue_at",
    "results_prefetch",
    "shown_results",
    "step_overdue_at",
    "waiting_at_desk",
]
