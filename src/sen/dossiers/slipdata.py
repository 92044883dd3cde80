"""Which one-stop slips a dossier has, and what each shows, from the dossier and its history.

The slips in :mod:`sen.dossiers.slips` never read the database; these functions map a
dossier read through :mod:`sen.dossiers.selectors` (with its procedure, agency, events,
files and the procedure's components loaded) into their dataclasses, without a query.
:func:`available_slips` lists the slips issued so far by the same rules that make the
``*_data`` functions raise ``SlipNotAvailable``, so that the pages link exactly the slips
the API serves.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sen.core.models import Agency as AgencyRow
from sen.core.timezones import short_moment
from sen.dossiers.citizen import dossier_timeliness
from sen.dossiers.codes import local_day, register_book
from sen.dossiers.models import Dossier, DossierEvent, DossierPaper, StepRecord
from sen.dossiers.slips import (
    Agency,
    ApologySlip,
    Applicant,
    ComponentLine,
    ControlSheet,
    HandOff,
    HandOffResult,
    MissingItem,
    ReceiptSlip,
    RefusalSlip,
    ResultDocument,
    StopNoticeSlip,
    SupplementRequestSlip,
)
from sen.dossiers.states import Action, Channel, DossierStatus, ReturnMethod
from sen.errors import Conflict

__all__ = [
    "SLIP_KINDS",
    "AvailableSlip",
    "SlipKind",
    "SlipNotAvailable",
    "apology_slip_data",
    "available_slips",
    "control_sheet_data",
    "receipt_slip_data",
    "refusal_slip_data",
    "result_document_data",
    "slip_agency",
    "step_records",
    "stop_notice_slip_data",
    "supplement_request_slip_data",
]


class SlipNotAvailable(Conflict):
    """The dossier has not reached the point where this slip is issued."""

    code = "slip_not_available"


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


def _components(
    dossier: Dossier, *, received: DossierEvent | None = None
) -> tuple[ComponentLine, ...]:
    """Return one line per document component received, with its copies.

    What the desk counted on paper (``Dossier.papers_handed_in``), where it did; otherwise
    the files, which are electronic copies and so count as "bản chụp". Files beyond the
    components follow, one line per paper a supplement request named, and the unnamed ones
    last. With ``received``, only the files in by that event: a receipt lists what was
    received, not a supplement that came later.
    """
    files = list(dossier.files.all())
    if received is not None:
        sequence = {event.pk: event.sequence for event in dossier.events.all()}
        files = [item for item in files if sequence.get(item.event_id, 0) <= received.sequence]
    counts = Counter(item.component_id for item in files)
    papers = {paper.component_id: paper for paper in dossier.papers_handed_in()}
    lines = []
    for component in sorted(dossier.procedure.components.all(), key=lambda c: c.position):
        paper = papers.get(component.pk)
        if paper is not None:
            lines.append(_paper_line(component.name, paper))
        elif counts[component.pk]:
            lines.append(ComponentLine(name=component.name, photocopies=counts[component.pk]))
    others = Counter(item.requested_item for item in files if item.component_id is None)
    lines += [
        ComponentLine(name=paper, photocopies=count) for paper, count in others.items() if paper
    ]
    if others[""]:
        lines.append(ComponentLine(name=_("Giấy tờ khác"), photocopies=others[""]))
    return tuple(lines)


def _paper_line(name: str, paper: DossierPaper) -> ComponentLine:
    if paper.original_shown:
        name = _("%(name)s (đã đối chiếu bản chính)") % {"name": name}
    return ComponentLine(
        name=name,
        originals=paper.originals,
        certified_copies=paper.certified_copies,
        photocopies=paper.photocopies,
    )


def _last_event(dossier: Dossier, action: Action) -> DossierEvent | None:
    """Return the dossier's last event of ``action`` among its loaded events, or ``None``."""
    found = [event for event in dossier.events.all() if event.action == action]
    return found[-1] if found else None


def _actor_name(event: DossierEvent) -> str:
    """Return who acted in ``event``: their full name, else their account name."""
    if event.actor is not None and event.actor.full_name:
        return event.actor.full_name
    return event.actor_label


def _contact_phone(event: DossierEvent, dossier: Dossier) -> str:
    """Return the phone number the applicant may call about ``event``: the officer's own,
    else the receiving agency's (its one-stop desk); "" when neither is known."""
    if event.actor is not None and event.actor.phone:
        return event.actor.phone
    return dossier.agency.phone


def _receiver_name(dossier: Dossier) -> str:
    """Return who received the dossier: the actor of its last receive event."""
    event = _last_event(dossier, Action.RECEIVE)
    return _actor_name(event) if event is not None else ""


def _receipt(dossier: Dossier) -> tuple[datetime, datetime] | None:
    """Return when the dossier was received and is due; ``None`` before it is received.

    The receipt and the control sheet exist from then on.
    """
    if dossier.received_at is None or dossier.due_at is None:
        return None
    return dossier.received_at, dossier.due_at


def _event_text(event: DossierEvent, key: str) -> str:
    """Return the text ``event`` records under ``key``; "" if none."""
    data = event.data if isinstance(event.data, dict) else {}
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _reason(event: DossierEvent) -> str:
    """Return the reason ``event`` gives: its data's, else its comment; blank if neither."""
    reason = _event_text(event, "reason")
    return reason if reason.strip() else event.comment


# The slips that print the reason their event gives, by that event, named as messages name them.
_REASONED_SLIPS: dict[Action, Promise] = {
    Action.REFUSE: gettext_lazy("phiếu từ chối"),
    Action.APOLOGIZE: gettext_lazy("văn bản xin lỗi"),
    Action.STOP: gettext_lazy("thông báo dừng"),
}


def _unprintable(dossier: Dossier, event: DossierEvent) -> str | None:
    """Return why ``event``'s slip cannot be printed from the history, or ``None``.

    The services always write what a slip prints: the reason of a refusal, apology or stop,
    and each paper a supplement request asks for with its reason. Older or hand-repaired
    data may have lost it, and a slip without it is no slip to hand out.
    """
    if event.action == Action.REQUEST_SUPPLEMENT:
        items = event.requested_items
        if items and all(item["name"] and item["reason"] for item in items):
            return None
        return _(
            "Lịch sử hồ sơ %(code)s không ghi đủ giấy tờ cần bổ sung và lý do nên không in "
            "được phiếu yêu cầu bổ sung; hãy báo quản trị hệ thống."
        ) % {"code": dossier.code}
    slip = _REASONED_SLIPS.get(Action(event.action))
    if slip is None or _reason(event).strip():
        return None
    return _(
        "Lịch sử hồ sơ %(code)s không ghi lý do nên không in được %(slip)s; "
        "hãy báo quản trị hệ thống."
    ) % {"code": dossier.code, "slip": slip}


def _require_event(dossier: Dossier, action: Action, message: str) -> DossierEvent:
    """Return the last event of ``action``.

    Raise ``SlipNotAvailable`` with ``message`` when there is none, and saying so when the
    event lacks what its slip prints (``_unprintable``).
    """
    event = _last_event(dossier, action)
    if event is None:
        raise SlipNotAvailable(message % {"code": dossier.code})
    unprintable = _unprintable(dossier, event)
    if unprintable is not None:
        raise SlipNotAvailable(unprintable)
    return event


def _result_place(dossier: Dossier) -> str:
    """Return where the applicant registered to receive the result (the receipt's item 6):
    the receiving agency's desk, the applicant's address by post, or their account."""
    agency = dossier.agency
    desk = ", ".join(part for part in (agency.name, agency.address) if part)
    if dossier.result_delivery == ReturnMethod.POST:
        return _("Địa chỉ của người nộp, qua dịch vụ bưu chính công ích: %(address)s") % {
            "address": dossier.applicant_address
        }
    if dossier.result_delivery == ReturnMethod.ELECTRONIC:
        return _("Tài khoản của người nộp trên Cổng Dịch vụ công (kết quả điện tử)")
    return desk


# The receipt of a dossier that did not come to the desk: the applicant signs nothing.
NOT_IN_PERSON = {
    Channel.ONLINE: gettext_lazy(
        "Hồ sơ nộp trực tuyến trên Cổng Dịch vụ công: người nộp không ký giấy này."
    ),
    Channel.POST: gettext_lazy(
        "Hồ sơ gửi qua dịch vụ bưu chính công ích: người nộp không ký giấy này."
    ),
}


def receipt_slip_data(dossier: Dossier, *, tracking_url: str) -> ReceiptSlip:
    """Return the receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), as it
    was issued at the dossier's (last) receipt.

    The register book is "<yy>/<agency code>" of the year of receipt and the register
    number the dossier's entry in it, drawn at receipt (blank, to be written by hand, for
    a dossier bulk-loaded without one). Where the applicant registered to receive the result:
    ``_result_place``.
    Raise ``SlipNotAvailable`` for a dossier not yet received.
    """
    receipt = _receipt(dossier)
    if receipt is None:
        raise SlipNotAvailable(
            _("Hồ sơ %(code)s chưa được tiếp nhận nên chưa có giấy tiếp nhận.")
            % {"code": dossier.code}
        )
    received_at, due_at = receipt
    # The slip stays what was handed out: the appointment made at receipt, not one moved
    # later by an apology or a clock stop, and the papers received then.
    received = _last_event(dossier, Action.RECEIVE)
    if received is not None and received.due_at is not None:
        due_at = received.due_at
    agency = dossier.agency
    book = dossier.register_book or register_book(agency.code, local_day(received_at).year)
    return ReceiptSlip(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        agency=slip_agency(agency),
        applicant=_applicant(dossier),
        components=_components(dossier, received=received),
        sets=1,
        legal_days=dossier.procedure.processing_days,
        received_at=received_at,
        due_at=due_at,
        result_place=_result_place(dossier),
        tracking_url=tracking_url,
        register_book=book,
        register_number=dossier.register_entry,
        receiver_name=_receiver_name(dossier),
        not_in_person=str(NOT_IN_PERSON.get(Channel(dossier.channel), "")),
    )


def supplement_request_slip_data(dossier: Dossier, *, tracking_url: str) -> SupplementRequestSlip:
    """Return the request to supplement (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).

    Built from the dossier's request event: every missing item with its reason, when and by
    whom it was asked. Raise ``SlipNotAvailable`` when no supplement was ever requested, or
    when the history does not tell every paper and its reason.
    """
    event = _require_event(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        _("Hồ sơ %(code)s chưa có yêu cầu bổ sung nên chưa có phiếu yêu cầu bổ sung."),
    )
    items = tuple(
        MissingItem(name=item["name"], reason=item["reason"]) for item in event.requested_items
    )
    return SupplementRequestSlip(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        agency=slip_agency(dossier.agency),
        applicant=_applicant(dossier),
        missing_items=items,
        issued_at=event.at,
        officer_name=_actor_name(event),
        officer_phone=_contact_phone(event, dossier),
        tracking_url=tracking_url,
    )


def refusal_slip_data(dossier: Dossier, *, tracking_url: str) -> RefusalSlip:
    """Return the refusal (Phiếu từ chối tiếp nhận giải quyết hồ sơ) with its reason.

    Raise ``SlipNotAvailable`` for a dossier that was not refused.
    """
    event = _require_event(
        dossier,
        Action.REFUSE,
        _("Hồ sơ %(code)s không bị từ chối tiếp nhận nên không có phiếu từ chối."),
    )
    return RefusalSlip(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        agency=slip_agency(dossier.agency),
        applicant=_applicant(dossier),
        reason=_reason(event),
        issued_at=event.at,
        officer_name=_actor_name(event),
        tracking_url=tracking_url,
    )


def _apology_moments(dossier: Dossier, event: DossierEvent) -> tuple[datetime, datetime] | None:
    """Return the appointment the apology moved and the new one; ``None`` if not known.

    The apology's data names both. Where it does not (older or hand-repaired data), the
    due moments in force that the events keep tell the same: the one after the event
    before the apology, and the one after the apology.
    """
    before = [other for other in dossier.events.all() if other.sequence < event.sequence]
    old = event.data_moment("previous_due_at") or (before[-1].due_at if before else None)
    new = event.data_moment("new_due_at") or event.due_at
    if old is None or new is None or new <= old:
        return None
    return old, new


def _head_signer_name(event: DossierEvent) -> str:
    """Return the name under the head's signature of the letter ``event`` issued: who acted,
    if the event says they led the agency then; else nothing, the line left for the head
    (a specialist's name there would read as the agency's head signing)."""
    by_leader = isinstance(event.data, dict) and event.data.get("by_leader") is True
    return _actor_name(event) if by_leader else ""


def apology_slip_data(dossier: Dossier, *, tracking_url: str) -> ApologySlip:
    """Return the apology with its new appointment (Văn bản xin lỗi và hẹn lại ngày trả).

    The due moments come from the apology event (the one before and the new one), so the
    slip stays what was sent even after later changes. Raise ``SlipNotAvailable`` when the
    dossier has no apology, or when its history does not tell the reason or both
    appointments. The letter is signed by the head of the agency (thủ trưởng cơ quan): it
    names the officer who made the apology only if they held the leader role there then.
    """
    event = _require_event(
        dossier,
        Action.APOLOGIZE,
        _("Hồ sơ %(code)s chưa có văn bản xin lỗi, hẹn lại ngày trả kết quả."),
    )
    moments = _apology_moments(dossier, event)
    if moments is None:
        raise SlipNotAvailable(
            _(
                "Lịch sử hồ sơ %(code)s không ghi rõ ngày hẹn trả cũ và ngày hẹn lại nên "
                "không in được văn bản xin lỗi; hãy báo quản trị hệ thống."
            )
            % {"code": dossier.code}
        )
    old_due_at, new_due_at = moments
    return ApologySlip(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        agency=slip_agency(dossier.agency),
        applicant=_applicant(dossier),
        received_at=dossier.received_at or dossier.submitted_at,
        reason=_reason(event),
        old_due_at=old_due_at,
        new_due_at=new_due_at,
        issued_at=event.at,
        tracking_url=tracking_url,
        signer_name=_head_signer_name(event),
    )


def stop_notice_slip_data(dossier: Dossier, *, tracking_url: str) -> StopNoticeSlip:
    """Return the notice of stopped processing (Thông báo dừng giải quyết hồ sơ).

    Its legal basis is the provision the leader named when stopping, if any, then the
    one-stop framework recorded on the dossier. Raise ``SlipNotAvailable`` for a dossier
    whose processing was not stopped.
    """
    event = _require_event(
        dossier,
        Action.STOP,
        _("Hồ sơ %(code)s không bị dừng giải quyết nên không có thông báo dừng."),
    )
    return StopNoticeSlip(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        agency=slip_agency(dossier.agency),
        applicant=_applicant(dossier),
        received_at=dossier.received_at or dossier.submitted_at,
        reason=_reason(event),
        legal_basis="; ".join(
            part
            for part in (
                _event_text(event, "legal_basis"),
                dossier.legal_basis or _("Quy định về cơ chế một cửa"),
            )
            if part
        ),
        issued_at=event.at,
        tracking_url=tracking_url,
        signer_name=_actor_name(event),
    )


def result_document_data(
    dossier: Dossier,
    *,
    agency: AgencyRow,
    title: str,
    content: str,
    reference: str,
    signer_title: str,
    issued_at: datetime,
    tracking_url: str,
) -> ResultDocument:
    """Return the result document an officer of ``agency`` drafts for the dossier."""
    return ResultDocument(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        agency=slip_agency(agency),
        applicant=_applicant(dossier),
        title=title,
        content=content,
        reference=reference,
        signer_title=signer_title,
        issued_at=issued_at,
        tracking_url=tracking_url,
    )


def step_records(dossier: Dossier) -> list[StepRecord]:
    """Return the dossier's step records in order, with their step, agency and officer.

    The one query the control sheet needs beyond what the dossier read loads.
    """
    return list(
        dossier.steps.select_related("step", "agency", "finished_by").order_by("started_at", "id")
    )


def step_party(record: StepRecord) -> str:
    """Name the step of ``record`` and its agency, as the control sheet and the officer's
    history do ("Thẩm định – Sở Tư pháp")."""
    return f"{record.step.name} – {record.agency.name}"


def _holder_at(steps: Sequence[StepRecord], moment: datetime) -> StepRecord | None:
    """Return the step open at ``moment``: started by then and not finished before."""
    for record in steps:
        if record.started_at <= moment and (
            record.finished_at is None or record.finished_at > moment
        ):
            return record
    return None


def _supplement_hand_offs(
    dossier: Dossier, steps: Sequence[StepRecord], *, desk: str
) -> list[HandOff]:
    """Return the rows of a supplement asked during processing: the request goes from the
    step to the applicant, the papers come back to it. Between the two the clock stands
    still, and the appointment moves by the time it stood (``_clock.resumed_due``), which
    the second row says; a request at intake precedes the sheet, which starts at receipt."""
    received = dossier.received_at
    rows = []
    applicant = _("Người nộp hồ sơ")
    for event in dossier.events.all():
        if received is None or event.at < received:
            continue
        holder = _holder_at(steps, event.at)
        party = step_party(holder) if holder is not None else desk
        if event.action == Action.REQUEST_SUPPLEMENT:
            items = "; ".join(item["name"] for item in event.requested_items)
            note = _(
                "Yêu cầu bổ sung: %(items)s. Thời gian chờ bổ sung không tính vào thời hạn "
                "giải quyết."
            ) % {"items": items}
            rows.append(HandOff(party, applicant, event.at, _actor_name(event), note=note))
        elif event.action == Action.SUBMIT_SUPPLEMENT_IN_PROCESSING:
            note = _("Đã nộp bổ sung.")
            if event.due_at is not None:
                note = _("Đã nộp bổ sung; hẹn trả kết quả dời đến %(due)s.") % {
                    "due": short_moment(event.due_at)
                }
            by = _actor_name(event) if event.actor is not None else dossier.applicant_name
            rows.append(HandOff(applicant, party, event.at, by, note=note))
    return rows


def _ending_hand_off(dossier: Dossier, steps: Sequence[StepRecord], *, desk: str) -> HandOff | None:
    """Return the control sheet's last row once the dossier has left the agencies: the
    result handed to the applicant (how, and whether the dossier was resolved early, on
    time or late), or the step open when processing was stopped or the dossier withdrawn,
    handed back to the desk with why; ``None`` before."""
    returned = _last_event(dossier, Action.RETURN_RESULT)
    if returned is not None:
        # Returned, the dossier is early, on time or late ("" only without a due moment).
        outcome = dossier_timeliness(dossier)
        return HandOff(
            from_party=desk,
            to_party=_("Người nhận kết quả: %(name)s")
            % {"name": _event_text(returned, "recipient") or dossier.applicant_name},
            at=returned.at,
            by=_actor_name(returned),
            result=HandOffResult(outcome) if outcome else None,
            note=returned.return_method,
        )
    if dossier.status not in (DossierStatus.STOPPED, DossierStatus.WITHDRAWN):
        return None
    ending = Action.STOP if dossier.status == DossierStatus.STOPPED else Action.WITHDRAW
    ended = _last_event(dossier, ending)
    interrupted = next((record for record in steps if record.finished_at is None), None)
    if ended is None or interrupted is None:
        return None
    return HandOff(
        from_party=step_party(interrupted),
        to_party=desk,
        at=ended.at,
        by=_actor_name(ended),
        note=f"{ended.happened}: {_reason(ended)}",
    )


def control_sheet_data(
    dossier: Dossier, *, steps: Sequence[StepRecord], tracking_url: str
) -> ControlSheet:
    """Return the process control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ).

    One hand-off per finished step (``steps`` from ``step_records``): from that step to the
    next one, or back to the one-stop desk after the last, when and by whom it was handed
    over and whether the step finished early, on time or late; a supplement asked during
    processing, there and back (``_supplement_hand_offs``); then the result handed to
    the applicant, or the interrupted step of a stopped or withdrawn dossier
    (``_ending_hand_off``). Agencies of other steps
    than the receiving one are the coordinating agencies (liên thông). Raise
    ``SlipNotAvailable`` for a dossier not yet received.
    """
    receipt = _receipt(dossier)
    if receipt is None:
        raise SlipNotAvailable(
            _("Hồ sơ %(code)s chưa được tiếp nhận nên chưa có phiếu kiểm soát.")
            % {"code": dossier.code}
        )
    received_at, due_at = receipt
    desk = _("Bộ phận Một cửa – %(agency)s") % {"agency": dossier.agency.name}
    hand_offs = []
    for index, record in enumerate(steps):
        if record.finished_at is None:
            continue
        following = steps[index + 1] if index + 1 < len(steps) else None
        by = ""
        if record.finished_by is not None:
            by = record.finished_by.full_name or record.finished_by.get_username()
        note = record.comment
        if following is not None and following.position < record.position:
            # Sent back (``dossier_send_back``): its comment is the reason.
            note = _("Trả lại bước trước: %(reason)s") % {"reason": note}
        hand_offs.append(
            HandOff(
                from_party=step_party(record),
                to_party=step_party(following) if following is not None else desk,
                at=record.finished_at,
                by=by,
                result=HandOffResult(record.outcome) if record.outcome else None,
                note=note,
            )
        )
    hand_offs.extend(_supplement_hand_offs(dossier, steps, desk=desk))
    hand_offs.sort(key=lambda hand_off: hand_off.at)  # stable: a step's rows keep their order
    ending = _ending_hand_off(dossier, steps, desk=desk)
    if ending is not None:
        hand_offs.append(ending)
    apology = _last_event(dossier, Action.APOLOGIZE)
    partners: list[str] = []
    for record in steps:
        if record.agency_id != dossier.agency_id and record.agency.name not in partners:
            partners.append(record.agency.name)
    return ControlSheet(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        agency=slip_agency(dossier.agency),
        applicant=_applicant(dossier),
        received_at=received_at,
        due_at=due_at,
        processing_agency=dossier.agency.name,
        hand_offs=tuple(hand_offs),
        tracking_url=tracking_url,
        coordinating_agencies=tuple(partners),
        previous_due_at=apology.data_moment("previous_due_at") if apology is not None else None,
    )


# --- Which slips a dossier has ----------------------------------------------------------------


@dataclass(frozen=True)
class SlipKind:
    """One kind of slip and the moment a dossier gets it.

    ``name`` is its API endpoint's: ``receipt_slip`` is served at
    ``api-v1:dossier_receipt_slip``. ``issued_by`` is the event that issues it, ``None``
    for the slips a dossier has once it is received.
    """

    name: str
    title: Promise
    issued_by: Action | None

    def is_issued(self, dossier: Dossier) -> bool:
        """Return whether ``dossier`` has this slip now (its ``*_data`` would not raise)."""
        if self.issued_by is None:
            return _receipt(dossier) is not None
        event = _last_event(dossier, self.issued_by)
        if event is None or _unprintable(dossier, event) is not None:
            return False
        # An apology whose appointments the history does not tell has no letter to print.
        return self.issued_by != Action.APOLOGIZE or _apology_moments(dossier, event) is not None


# In the order the pages list them: the receipt first, the control sheet last.
SLIP_KINDS: tuple[SlipKind, ...] = (
    SlipKind("receipt_slip", gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), None),
    SlipKind(
        "supplement_request_slip",
        gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        Action.REQUEST_SUPPLEMENT,
    ),
    SlipKind(
        "refusal_slip", gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), Action.REFUSE
    ),
    SlipKind(
        "apology_slip",
        gettext_lazy("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        Action.APOLOGIZE,
    ),
    SlipKind("stop_notice_slip", gettext_lazy("Thông báo dừng giải quyết hồ sơ"), Action.STOP),
    SlipKind("control_sheet", gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"), None),
)


@dataclass(frozen=True)
class AvailableSlip:
    """A slip the dossier has now: its kind's name and title, and the API path of its PDF."""

    name: str
    title: Promise
    url: str


def available_slips(dossier: Dossier) -> list[AvailableSlip]:
    """Return the slips issued for ``dossier`` so far, each with the path of its PDF.

    Reads the loaded events only: no query for a dossier read through the selectors.
    """
    return [
        AvailableSlip(
            name=kind.name,
            title=kind.title,
            url=reverse(f"api-v1:dossier_{kind.name}", kwargs={"code": dossier.code}),
        )
        for kind in SLIP_KINDS
        if kind.is_issued(dossier)
    ]
