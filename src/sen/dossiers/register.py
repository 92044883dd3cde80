"""The dossier register (Sổ theo dõi hồ sơ, mẫu 07) of an agency over a period.

The register lists the dossiers the agency's one-stop desk received in the period, one line
each: its number in the agency's book of the year (the number its receipt slip prints,
given at receipt: ``Dossier.register_number``), who submitted it, for which procedure, when
it was received and due, when it went to the agency that processes it, when the result came
back and when it was returned. It is kept by the one-stop desk and read by the agency's
leaders; it carries the applicants' names, addresses and phone numbers, so each read is
recorded in the audit log.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.catalog.models import ProcessStep
from sen.core.errors import NotAllowed
from sen.core.models import Agency, Role, User
from sen.core.selectors import officer_has_any_role
from sen.core.services import audit_record, audit_record_each
from sen.core.timezones import start_of_day
from sen.dossiers.codes import local_day, register_book
from sen.dossiers.errors import AgencyNotFound
from sen.dossiers.models import Dossier, StepRecord
from sen.dossiers.selectors import PERSONAL_DATA_READ
from sen.dossiers.slipdata import slip_agency
from sen.dossiers.slips import DossierRegister, RegisterLine
from sen.dossiers.states import DossierStatus, is_late
from sen.errors import InvalidInput
from sen.workdays.selectors import FIRST_YEAR, LAST_YEAR

AnyUser = AbstractBaseUser | AnonymousUser

# A register is printed for a month, a quarter or a year: never more than a (leap) year.
MAX_REGISTER_DAYS = 366
# The years a register may be asked for: the working calendar's (``sen.workdays``).
REGISTER_FIRST_YEAR, REGISTER_LAST_YEAR = FIRST_YEAR, LAST_YEAR
# Who keeps the register and who answers for it.
REGISTER_ROLES = (Role.ONE_STOP_OFFICER, Role.LEADER)
# The result came back to the desk: processing finished with a result.
WITH_RESULT = (DossierStatus.RESULT_READY, DossierStatus.RETURNED)
ENDED_WITHOUT_RESULT = (DossierStatus.WITHDRAWN, DossierStatus.STOPPED)


@dataclass(frozen=True)
class RegisterRead:
    """The dossiers ``agency`` received from ``start`` to ``end`` (days, inclusive)."""

    agency: Agency
    start: date
    end: date
    dossiers: list[Dossier]


@dataclass(frozen=True)
class PeriodProblem:
    """What is wrong with a register's period: at its ``start`` or its ``end`` (``side``),
    said beside the date (``message``) and, for the whole request, as ``summary``."""

    side: str
    message: str
    summary: str


def period_problem(start: date, end: date) -> PeriodProblem | None:
    """Return what is wrong with the period from ``start`` to ``end``, or ``None``: the API
    and the workspace's register page ask the same."""
    # The book of a year no dossier can be in: also keeps the day after ``end`` a date.
    for side, day in (("start", start), ("end", end)):
        if not REGISTER_FIRST_YEAR <= day.year <= REGISTER_LAST_YEAR:
            message = _("Phải là một ngày trong các năm %(first)s–%(last)s.") % {
                "first": REGISTER_FIRST_YEAR,
                "last": REGISTER_LAST_YEAR,
            }
            return PeriodProblem(side, message, message)
    if end < start:
        message = _("Phải từ ngày bắt đầu trở đi.")
        return PeriodProblem("end", message, _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
    if (end - start).days + 1 > MAX_REGISTER_DAYS:
        message = _("Sổ theo dõi hồ sơ in tối đa %(days)s ngày một lần.") % {
            "days": MAX_REGISTER_DAYS
        }
        return PeriodProblem("end", message, message)
    return None


def _check_period(start: date, end: date) -> None:
    problem = period_problem(start, end)
    if problem is not None:
        field = {"start": "from", "end": "to"}[problem.side]  # the API's parameters
        raise InvalidInput(problem.summary, details=[{"field": field, "message": problem.message}])


def register_dossiers(
    *, user: AnyUser | None, agency_code: str, start: date, end: date
) -> RegisterRead:
    """Return the dossiers an agency received from ``start`` to ``end``, for its register.

    For the agency's one-stop officers and leaders only: raise ``AgencyNotFound`` for an
    unknown agency code, ``NotAllowed`` for anyone else, and ``InvalidInput`` for a period
    that ends before it starts or is longer than ``MAX_REGISTER_DAYS``. Days are days in
    Vietnam; the dossiers come in the order of the book, by number (those bulk-loaded
    without one last). The read is recorded as a read of personal data. At most six
    queries and an insert per thousand dossiers: the agency, the reader's roles in it, the
    dossiers with their procedures, their step records with their agencies, their
    procedures' steps with theirs, the audit entry of the agency's register and one per
    dossier.
    """
    _check_period(start, end)
    agency = Agency.objects.select_related("parent", "unit").filter(code=agency_code).first()
    if agency is None:
        raise AgencyNotFound(_("Không tìm thấy cơ quan có mã %(code)s.") % {"code": agency_code})
    if not officer_has_any_role(user, agency, REGISTER_ROLES):
        raise NotAllowed(
            _("Chỉ cán bộ một cửa và lãnh đạo của cơ quan mới được xem sổ theo dõi hồ sơ.")
        )
    steps = StepRecord.objects.select_related("agency").order_by("position", "id")
    planned = ProcessStep.objects.select_related("agency").order_by("position")
    dossiers = list(
        Dossier.objects.filter(
            agency=agency,
            received_at__gte=start_of_day(start),
            received_at__lt=start_of_day(end + timedelta(days=1)),
        )
        .select_related("procedure", "agency")
        .prefetch_related(
            Prefetch("steps", queryset=steps),
            Prefetch("procedure__steps", queryset=planned),
        )
        # The book's order: by number, which follows receipt (two receipts of one instant,
        # or racing by milliseconds, are still in the order of their numbers).
        .order_by(
            F("register_year").asc(nulls_last=True),
            F("register_number").asc(nulls_last=True),
            "received_at",
            "id",
        )
    )
    actor = user if isinstance(user, User) else None
    audit_record(
        actor=actor,
        action=PERSONAL_DATA_READ,
        target=agency,
        data={
            "purpose": "register",
            "from": start.isoformat(),
            "to": end.isoformat(),
            "dossiers": len(dossiers),
        },
    )
    # And a read of each dossier it shows, so that a dossier's own log names every reader.
    audit_record_each(
        actor=actor, action=PERSONAL_DATA_READ, targets=dossiers, data={"purpose": "register"}
    )
    return RegisterRead(agency=agency, start=start, end=end, dossiers=dossiers)


def _transfer(dossier: Dossier) -> StepRecord | None:
    """Return the first step past the one-stop desk: where the dossier went to be processed."""
    return next((step for step in dossier.steps.all() if step.role != Role.ONE_STOP_OFFICER), None)


def _processing_agency(dossier: Dossier, transfer: StepRecord | None) -> str:
    """Return the agency that resolves the dossier: where it went, else where the
    procedure's first step past the desk sends it (the receiving agency for a step that
    names none); blank for a procedure handled at the desk alone."""
    if transfer is not None:
        return transfer.agency.name
    planned = next(
        (step for step in dossier.procedure.steps.all() if step.role != Role.ONE_STOP_OFFICER),
        None,
    )
    if planned is None:
        return ""
    return (planned.agency or dossier.agency).name


def _note(dossier: Dossier, now: datetime) -> str:
    notes = []
    if dossier.status in ENDED_WITHOUT_RESULT:
        notes.append(str(DossierStatus(dossier.status).label))
    if is_late(dossier, now):
        notes.append(_("Trễ hạn"))
    if dossier.apologized_at is not None:
        notes.append(_("Đã xin lỗi, hẹn lại"))
    return "; ".join(notes)


def _entry(dossier: Dossier, *, one_book: bool) -> str:
    """Return the dossier's number in the register as its line prints it.

    The number alone when the period lies in one book (one year), as the receipt slip
    prints it; otherwise with its book's year ("25/0012"), since two books meet in the
    period. Blank for a dossier bulk-loaded without an entry.
    """
    if dossier.register_year is None or one_book:
        return dossier.register_entry
    return f"{dossier.register_year % 100:02d}/{dossier.register_entry}"


def register_line(dossier: Dossier, *, now: datetime, one_book: bool = True) -> RegisterLine:
    """Return the register's line of a received dossier (its steps prefetched).

    ``one_book`` says whether the register's period lies in one year (see ``_entry``).
    """
    received_at = dossier.received_at
    due_at = dossier.due_at
    if received_at is None or due_at is None:
        raise ValueError(f"dossier {dossier.code} was not received")
    transfer = _transfer(dossier)
    return RegisterLine(
        number=_entry(dossier, one_book=one_book),
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        applicant_name=dossier.applicant_name,
        received_at=received_at,
        due_at=due_at,
        applicant_address=dossier.applicant_address,
        applicant_phone=dossier.applicant_phone,
        processing_agency=_processing_agency(dossier, transfer),
        transferred_at=transfer.started_at if transfer is not None else None,
        result_received_at=dossier.finished_at if dossier.status in WITH_RESULT else None,
        returned_at=dossier.returned_at,
        note=_note(dossier, now),
    )


def register_data(read: RegisterRead, *, now: datetime | None = None) -> DossierRegister:
    """Return what the register shows (``DossierRegister``), without a query."""
    moment = now or timezone.now()
    one_book = read.start.year == read.end.year
    book = register_book(read.agency.code, read.start.year) if one_book else ""
    return DossierRegister(
        agency=slip_agency(read.agency),
        period_start=read.start,
        period_end=read.end,
        lines=tuple(
            register_line(dossier, now=moment, one_book=one_book) for dossier in read.dossiers
        ),
        issued_on=local_day(moment),
        book=book,
    )
