"""What each one-stop slip of a dossier shows, built from the dossier and its history.

The slips in :mod:`sen.dossiers.slips` never read the database; these functions map a
dossier read through :mod:`sen.dossiers.selectors` (with its procedure, agency, events,
files and the procedure's components loaded) into their dataclasses, without a query.
"""

from collections import Counter

from django.utils.translation import gettext as _

from sen.core.models import Agency as AgencyRow
from sen.dossiers.codes import local_day, parse_dossier_code
from sen.dossiers.models import Dossier
from sen.dossiers.slips import Agency, Applicant, ComponentLine, ReceiptSlip
from sen.dossiers.states import Action
from sen.errors import Conflict

__all__ = ["SlipNotAvailable", "receipt_slip_data", "slip_agency", "tracking_url"]


class SlipNotAvailable(Conflict):
    """The dossier has not reached the point where this slip is issued."""

    code = "slip_not_available"


def tracking_url(code: str, *, tracking_base_url: str) -> str:
    """Return the address of the dossier's tracking page under ``tracking_base_url``."""
    return f"{tracking_base_url.rstrip('/')}/{code}"


def _place(agency: AgencyRow) -> str:
    """Return the place name of the date line: the unit's name without its kind."""
    unit = agency.unit
    name = unit.name.strip()
    kind = unit.division_type.strip()
    if kind and name.lower().startswith(kind.lower() + " "):
        name = name[len(kind) + 1 :].strip()
    return name or unit.name


def slip_agency(agency: AgencyRow) -> Agency:
    """Return the issuing agency as a slip's header shows it.

    The governing body is the agency's parent when it has one, otherwise the people's
    committee of its unit (UBND tỉnh …, UBND xã …).
    """
    parent = agency.parent.name if agency.parent is not None else f"UBND {agency.unit.name}"
    return Agency(
        name=agency.name,
        parent_name=parent,
        place=_place(agency),
        address=agency.address,
        phone=agency.phone,
    )


def _applicant(dossier: Dossier) -> Applicant:
    return Applicant(
        full_name=dossier.applicant_name,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
    )


def _components(dossier: Dossier) -> tuple[ComponentLine, ...]:
    """Return one line per document component with the files received for it.

    Files are electronic copies, so they count as "bản chụp": no paper originals or
    certified copies are recorded yet. Files beyond the components make one last line.
    """
    counts = Counter(item.component_id for item in dossier.files.all())
    lines = [
        ComponentLine(name=component.name, photocopies=counts[component.pk])
        for component in sorted(dossier.procedure.components.all(), key=lambda c: c.position)
        if counts[component.pk]
    ]
    if counts[None]:
        lines.append(ComponentLine(name=_("Giấy tờ khác"), photocopies=counts[None]))
    return tuple(lines)


def _receiver_name(dossier: Dossier) -> str:
    """Return who received the dossier: the actor of its last receive event."""
    received = [event for event in dossier.events.all() if event.action == Action.RECEIVE]
    if not received:
        return ""
    event = received[-1]
    if event.actor is not None and event.actor.full_name:
        return event.actor.full_name
    return event.actor_label


def receipt_slip_data(dossier: Dossier, *, tracking_base_url: str) -> ReceiptSlip:
    """Return the receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả).

    The register book is "<yy>/<agency code>" of the dossier's day and the register number
    the dossier code's sequence. The result is collected at the receiving agency. Raise
    ``SlipNotAvailable`` for a dossier not yet received.
    """
    if dossier.received_at is None or dossier.due_at is None:
        raise SlipNotAvailable(
            _("Hồ sơ %(code)s chưa được tiếp nhận nên chưa có giấy tiếp nhận.")
            % {"code": dossier.code}
        )
    agency = dossier.agency
    parsed = parse_dossier_code(dossier.code)
    day = parsed.day if parsed is not None else local_day(dossier.submitted_at)
    place = ", ".join(part for part in (agency.name, agency.address) if part)
    return ReceiptSlip(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        agency=slip_agency(agency),
        applicant=_applicant(dossier),
        components=_components(dossier),
        sets=1,
        legal_days=dossier.procedure.processing_days,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        result_place=place,
        tracking_url=tracking_url(dossier.code, tracking_base_url=tracking_base_url),
        register_book=f"{day:%y}/{agency.code}",
        register_number=f"{parsed.sequence:04d}" if parsed is not None else "",
        receiver_name=_receiver_name(dossier),
    )
