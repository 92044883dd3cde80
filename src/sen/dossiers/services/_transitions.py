"""The one place where a dossier is written: its row, its event and the audit entry.

``create_dossier`` writes a new dossier with its first event; ``apply`` writes every later
transition. Both run inside the caller's transaction, write the projection on the dossier
row (with ``step_agency``, which the officers' queue reads), the event, the applicant's
notice (the outbox, sent once the transaction is committed) and the audit entry together.
A transition locks the dossier row (``select_for_update``) and compares the caller's
``expected_revision`` with the dossier's, so of two officers acting at once one wins and the
other gets ``DossierConflict`` with nothing applied. The revision is bumped by
every transition and equals the sequence number of the dossier's last event.

The access checks every transition starts with live here too.
"""

import functools
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.catalog.models import DocumentComponent, Procedure
from sen.core.errors import NotAllowed
from sen.core.models import Agency, Role, User
from sen.core.services import audit_record
from sen.core.transactions import StoredFiles
from sen.dossiers.codes import SEQUENCE_DIGITS, dossier_code, dossier_code_prefix, local_day
from sen.dossiers.errors import DossierConflict
from sen.dossiers.models import (
    DailySequence,
    Dossier,
    DossierEvent,
    DossierNotice,
    DossierPaper,
    IdempotencyKey,
    RegisterSequence,
)
from sen.dossiers.notifications import is_notified
from sen.dossiers.permissions import handles_own, may_act_on_step, may_intake, step_holder
from sen.dossiers.services._checks import PaperHandedIn, ReadFile, store_files
from sen.dossiers.states import (
    Action,
    Channel,
    ReturnMethod,
    default_result_delivery,
    next_status,
)
from sen.dossiers.tasks import notify_status_change, queue_is_transactional
from sen.reports.services import record_dossier_change, record_dossier_created

AUDIT_VERBS = {
    Action.RECEIVE: "received",
    Action.REQUEST_SUPPLEMENT: "supplement_requested",
    Action.REFUSE: "refused",
    Action.SUBMIT_SUPPLEMENT: "supplement_submitted",
    Action.SUBMIT_SUPPLEMENT_IN_PROCESSING: "supplement_submitted",
    Action.WITHDRAW: "withdrawn",
    Action.COMPLETE_STEP: "step_completed",
    Action.SEND_BACK: "sent_back",
    Action.FINISH_PROCESSING: "processed",
    Action.ATTACH_RESULT: "result_attached",
    Action.GENERATE_RESULT: "result_generated",
    Action.REMOVE_RESULT: "result_removed",
    Action.APOLOGIZE: "apologized",
    Action.STOP: "stopped",
    Action.RETURN_RESULT: "returned",
    Action.RESCHEDULE: "rescheduled",
}


# A new dossier's code until its number is drawn, at the end of its transaction.
PROVISIONAL_CODE_PREFIX = "~"


def actor_label(actor: User | None) -> str:
    return actor.get_username() if actor is not None else "system"


# --- Writing -----------------------------------------------------------------------------------


def next_sequence(agency: Agency, day: date) -> int:
    """Draw the next dossier number of ``agency`` on ``day``; call inside a transaction.

    One statement on both databases (``INSERT … ON CONFLICT DO UPDATE … RETURNING``): the
    first submission of the day creates the row with 1, every later one adds 1 to it. On
    PostgreSQL the row stays locked until the transaction ends, so concurrent submissions
    queue on it and a rolled-back submission gives its number back; SQLite runs one writer
    at a time.
    """
    return _draw(DailySequence, agency=agency, period="day", value=day)


def next_register_number(agency: Agency, year: int) -> int:
    """Draw the next number of ``agency``'s register of ``year``; call inside a transaction.

    The same statement as ``next_sequence``, on the agency's row of the year: concurrent
    receipts at one desk queue on it, and a rolled-back receipt gives its number back.
    """
    return _draw(RegisterSequence, agency=agency, period="year", value=year)


def _draw(
    model: type[DailySequence] | type[RegisterSequence],
    *,
    agency: Agency,
    period: str,
    value: date | int,
) -> int:
    """Add 1 to ``model``'s ``last`` for ``agency`` and ``period`` = ``value``; return it."""
    if not connection.features.can_return_columns_from_insert:
        return _draw_portable(model, agency=agency, period=period, value=value)
    with connection.cursor() as cursor:
        cursor.execute(_draw_sql(model, period), [agency.pk, value])
        row = cursor.fetchone()
    last: int = row[0]
    return last


@functools.cache
def _draw_sql(model: type[DailySequence] | type[RegisterSequence], period: str) -> str:
    """Return the upsert that draws the next number (parameters: the agency, the period);
    written once per process, as it runs in every submission and receipt."""
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(period)
    return (
        f"INSERT INTO {table} (agency_id, {column}, last) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (agency_id, {column}) DO UPDATE SET last = {table}.last + 1 "
        "RETURNING last"
    )


@functools.cache
def _number_sql() -> str:
    """Return PostgreSQL's statement of ``_number_dossier`` (parameters: the agency, the day,
    the code's prefix, the dossier), written once per process."""
    table = connection.ops.quote_name(Dossier._meta.db_table)
    return (
        f"WITH drawn AS ({_draw_sql(DailySequence, 'day')}) "  # noqa: S608
        f"UPDATE {table} SET code = %s || lpad(drawn.last::text, "
        f"greatest(length(drawn.last::text), {SEQUENCE_DIGITS}), '0') "
        f"FROM drawn WHERE {table}.id = %s RETURNING {table}.code"
    )


def _number_dossier(dossier: Dossier, *, agency: Agency, day: date) -> None:
    """Draw the dossier's number of ``day`` (``next_sequence``) and give it its code.

    On PostgreSQL one statement does both (``_number_sql``): the draw's upsert in a WITH,
    and the UPDATE of the code, padded as ``codes.dossier_code`` pads it. Through the ORM
    the UPDATE cost four times the draw, and one more round trip while the agency's number
    is locked. SQLite cannot write in a WITH: there the number is drawn, then the code
    written.
    """
    if connection.vendor != "postgresql":
        dossier.code = dossier_code(agency.code, day, next_sequence(agency, day))
        Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _number_sql(), [agency.pk, day, dossier_code_prefix(agency.code, day), dossier.pk]
        )
        (dossier.code,) = cursor.fetchone()


def _draw_portable(
    model: type[DailySequence] | type[RegisterSequence],
    *,
    agency: Agency,
    period: str,
    value: date | int,
) -> int:
    """Draw the next number without ``RETURNING`` (SQLite before 3.35): four queries."""
    key: dict[str, Any] = {"agency": agency, period: value}
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                row, _created = model._default_manager.get_or_create(**key)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    model._default_manager.filter(pk=row.pk).update(last=F("last") + 1)
    last: int = model._default_manager.values_list("last", flat=True).get(pk=row.pk)
    return last


def register_entry(dossier: Dossier, *, at: datetime) -> dict[str, int]:
    """Return the changes that enter the dossier in its agency's register, received ``at``.

    The register (Sổ theo dõi hồ sơ) records receipts: the book is the agency's of the
    year of receipt in Vietnam, the number the next of that book. A dossier keeps the entry
    it was given, whatever happens to it later, so one that already has one gets no
    other (nothing to change). Call inside the receipt's transaction, near its end: the
    draw locks the agency's row of the year until the commit (``next_register_number``).
    """
    if dossier.register_number is not None:
        return {}
    year = local_day(at).year
    return {
        "register_year": year,
        "register_number": next_register_number(dossier.agency, year),
    }


def step_agency_of(dossier: Dossier) -> int | None:
    """Return the id of the agency of the dossier's current step when it is another agency.

    That agency works on the dossier (liên thông) while it is at the step, so the dossier is
    in its officers' queue too (``selectors.officer_queue``).
    """
    step = dossier.current_step
    if step is None or step.agency_id is None or step.agency_id == dossier.agency_id:
        return None
    return step.agency_id


# True inside ``notices_withheld()``: the events written then are a past nobody is told of.
_notices_withheld: ContextVar[bool] = ContextVar("notices_withheld", default=False)


@contextmanager
def notices_withheld() -> Iterator[None]:
    """Write no applicant notice, and queue no task to send one, for the events of the block.

    Only for seeding a history placed in the past (``sen.dossiers.demo``): its applicants
    are not to be emailed now about what happened weeks ago. The platform never withholds a
    notice: an event written outside the block is notified as always.
    """
    token = _notices_withheld.set(True)
    try:
        yield
    finally:
        _notices_withheld.reset(token)


def _notify(event: DossierEvent) -> None:
    """Write the applicant's notice of ``event`` in its transaction, for it to be sent.

    The notice row (the outbox, ``DossierNotice``) is what makes the notice certain: it
    exists exactly when the event was committed. When the task queue is the database
    (django-tasks-db, in the same database), ``sen db_worker`` sends the outbox as it fills
    (``sen.dossiers.sender``), within its interval, and no task is written: a task row per
    event cost 8 % of a submission (ADR 0012). With any other queue the notice's task is
    enqueued once the transaction is committed, never for a rolled-back event. The sweep
    (``outbox.send_pending_notices``) sends what neither did. Nothing inside
    ``notices_withheld()``.
    """
    if not is_notified(event) or _notices_withheld.get():
        return
    DossierNotice.objects.create(event=event, created_at=timezone.now())
    if not queue_is_transactional(notify_status_change):
        event_id = event.pk
        transaction.on_commit(lambda: notify_status_change.enqueue(event_id))


def create_dossier(
    *,
    procedure: Procedure,
    agency: Agency,
    channel: Channel,
    applicant: User | None,
    details: dict[str, str],
    form_data: Any,
    files: Sequence[ReadFile],
    components: dict[int, DocumentComponent],
    papers: Sequence[tuple[DocumentComponent, PaperHandedIn]] = (),
    result_delivery: ReturnMethod | None = None,
    actor: User | None,
    stored: StoredFiles,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> Dossier:
    """Write the dossier, its first event, its files, the papers handed in at the desk and
    the audit entry. ``result_delivery`` is how the applicant registered to receive the
    result, by default as ``states.default_result_delivery`` says for the channel.

    With an ``idempotency_key``, claim it for ``actor`` and the request's ``fingerprint``
    right after the dossier's row. A key already claimed raises ``IntegrityError`` there,
    before any file is stored or number drawn; on PostgreSQL a claim still being written
    by another transaction makes this one wait for it to end first.

    The files are stored through ``stored`` (see ``store_files``). The
    dossier's number is drawn last: drawing it locks the agency's row of the day until the
    commit (``next_sequence``), so every other write comes first and concurrent submissions
    to one agency wait only for the last statements, not the whole submission (ADR 0012).
    Until then the dossier carries a provisional code that no one outside the transaction
    ever sees.
    """
    now = timezone.now()
    status = next_status(None, Action.SUBMIT)
    dossier = Dossier.objects.create(
        code=f"{PROVISIONAL_CODE_PREFIX}{uuid.uuid4().hex}",
        procedure=procedure,
        agency=agency,
        channel=channel,
        result_delivery=result_delivery or default_result_delivery(channel),
        status=status,
        applicant=applicant,
        applicant_name=details["name"],
        applicant_id_number=details["id_number"],
        applicant_phone=details["phone"],
        applicant_email=details["email"],
        applicant_address=details["address"],
        form_data=form_data,
        submitted_at=now,
        revision=1,
    )
    if idempotency_key is not None:
        IdempotencyKey.objects.create(
            user=actor, key=idempotency_key, fingerprint=fingerprint, dossier=dossier
        )
    event = DossierEvent.objects.create(
        dossier=dossier,
        sequence=1,
        action=Action.SUBMIT,
        from_status="",
        to_status=status,
        at=now,
        actor=actor,
        actor_label=actor_label(actor),
        data={"channel": channel.value},
    )
    # The applicant's acknowledgement that the dossier arrived.
    _notify(event)
    store_files(
        dossier=dossier,
        event=event,
        files=files,
        components=components,
        first_index=1,
        stored=stored,
    )
    if papers:
        DossierPaper.objects.bulk_create(
            DossierPaper(
                dossier=dossier,
                component=component,
                originals=paper.originals,
                certified_copies=paper.certified_copies,
                photocopies=paper.photocopies,
                original_shown=paper.original_shown,
            )
            for component, paper in papers
        )
    _number_dossier(dossier, agency=agency, day=local_day(now))
    audit_record(
        actor=actor,
        action="dossiers.dossier.submitted",
        target=dossier,
        data={
            "procedure": procedure.audit_key,
            "agency": agency.code,
            "channel": channel.value,
            "files": len(files),
            **({"papers": len(papers)} if papers else {}),
        },
    )
    # Last: the province's counters of the month are one row that every submission of the
    # province updates, locked from here to the commit.
    record_dossier_created(dossier=dossier, digitized=bool(files))
    return dossier


def apply(
    *,
    dossier: Dossier,
    action: Action,
    actor: User | None,
    comment: str = "",
    data: dict[str, Any] | None = None,
    personal_data: Mapping[str, Any] | None = None,
    at: Any,
    changes: Mapping[str, Any],
) -> DossierEvent:
    """Apply ``action`` to the locked ``dossier``: event, projection and audit entry.

    ``data`` goes into the event and the audit entry; ``personal_data`` into the event
    only, which its readers' reads log: the audit log keeps no applicant's personal data.
    """
    before = dossier.status
    after = next_status(before, action)
    for name, value in changes.items():
        setattr(dossier, name, value)
    dossier.status = after
    dossier.revision += 1
    fields = ["status", "revision", *changes]
    if "current_step" in changes:
        dossier.step_agency_id = step_agency_of(dossier)
        fields.append("step_agency")
    dossier.save(update_fields=fields)
    record_dossier_change(dossier=dossier)
    event = DossierEvent.objects.create(
        dossier=dossier,
        sequence=dossier.revision,
        action=action,
        from_status=before,
        to_status=after,
        at=at,
        actor=actor,
        actor_label=actor_label(actor),
        comment=comment,
        data={**(data or {}), **(personal_data or {})},
        due_at=dossier.due_at,
    )
    audit_record(
        actor=actor,
        action=f"dossiers.dossier.{AUDIT_VERBS[action]}",
        target=dossier,
        data={"from": before, "to": after, **(data or {})},
    )
    # The applicant hears of the event once it is committed, never of a rolled-back one.
    _notify(event)
    return event


# --- Locking and access ------------------------------------------------------------------------


def lock(*, dossier: Dossier) -> Dossier:
    """Lock the dossier's row until the transaction ends and return it fresh."""
    locked: Dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency", "current_step__agency")
        .get(pk=dossier.pk)
    )
    return locked


def check_revision(dossier: Dossier, expected_revision: int | None) -> None:
    """Raise ``DossierConflict`` if the dossier changed since the caller read it."""
    if expected_revision is not None and dossier.revision != expected_revision:
        # Said alike to the officer and to the applicant, who may be told of an officer's
        # move: what the dossier is now, so that they know whether to try again.
        raise DossierConflict(
            _(
                "Hồ sơ %(code)s vừa có cập nhật mới (trạng thái hiện tại: %(status)s); hãy xem "
                "lại hồ sơ rồi làm lại nếu vẫn cần."
            )
            % {"code": dossier.code, "status": dossier.get_status_display()}
        )


def refuse_own_dossier(dossier: Dossier, actor: User | None) -> None:
    """Raise ``NotAllowed`` when the actor is an officer acting on their own dossier."""
    if handles_own(dossier, actor):
        raise NotAllowed(
            _(
                "Hồ sơ %(code)s do chính bạn nộp: cán bộ không xử lý hồ sơ của mình; "
                "một cán bộ khác của cơ quan xử lý hồ sơ này."
            )
            % {"code": dossier.code}
        )


def require_one_stop_officer(dossier: Dossier, actor: User | None) -> None:
    """Raise ``NotAllowed`` unless the actor is a one-stop officer of the dossier's agency,
    other than its applicant."""
    refuse_own_dossier(dossier, actor)
    if not may_intake(dossier, actor):
        raise NotAllowed(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận mới được xử lý hồ sơ này."))


def lock_for_intake(*, dossier: Dossier, actor: User | None, expected_revision: int) -> Dossier:
    """Lock the dossier; check it is as the caller read it and the actor is a one-stop
    officer of its agency; return it.

    Raise ``NotAllowed`` if the actor may not act on it, and ``DossierConflict`` if the
    dossier changed since the caller read it at ``expected_revision``. Whether one may take
    in a dossier does not depend on its state (the desk's role in its agency), so that comes
    first: an applicant calling "receive" learns it is not theirs to do, rather than to
    reload and try again. Actions whose permission follows the state (a step's) check the
    revision first: an officer acting from a page another officer made stale should learn
    that, not that the dossier's new state is none of their business. Callers have checked
    already that the actor may read the dossier.
    """
    locked = lock(dossier=dossier)
    require_one_stop_officer(locked, actor)
    check_revision(locked, expected_revision)
    return locked


def require_step_holder(dossier: Dossier, actor: User | None) -> None:
    """Raise ``NotAllowed`` unless the actor holds the current step's role in its agency,
    and is not the dossier's applicant."""
    refuse_own_dossier(dossier, actor)
    if not may_act_on_step(dossier, actor):
        role, agency = step_holder(dossier)
        raise NotAllowed(
            _("Chỉ %(role)s của %(agency)s mới được xử lý bước này của hồ sơ.")
            % {"role": str(Role(role).label).lower(), "agency": agency.name}
        )
