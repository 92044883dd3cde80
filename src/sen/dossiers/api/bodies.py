"""What the dossiers API answers, built from a dossier read through the selectors.

Moments are answered in Vietnam time; business keys only (codes), never database ids.
"""

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from sen.dossiers.citizen import (
    AnyUser,
    dossier_timeliness,
    event_details,
    shown_events,
    tracking_steps,
)
from sen.dossiers.models import Dossier, DossierEvent, DossierFile
from sen.dossiers.permissions import actions_allowed
from sen.dossiers.selectors import (
    Reader,
    is_overdue,
    papers_prefetch,
    results_prefetch,
    shown_results,
)
from sen.dossiers.states import NATIONAL_CHANNEL, NATIONAL_STATUS, Channel, DossierStatus


def local(moment: datetime | None) -> datetime | None:
    """Return ``moment`` in Vietnam time, or ``None``."""
    return timezone.localtime(moment) if moment is not None else None


def refs(dossier: Dossier) -> dict[str, Any]:
    """Return the dossier's procedure and agency as their references."""
    procedure, agency = dossier.procedure, dossier.agency
    return {
        "procedure": {"code": procedure.code, "name": procedure.name, "version": procedure.version},
        "agency": {"code": agency.code, "name": agency.name},
    }


def step_bodies(dossier: Dossier, now: datetime) -> list[dict[str, Any]]:
    """Return the dossier's steps with their dates and timeliness (``TrackingStep``): what
    anyone holding the code may know of them, never who did them. One query."""
    return [
        {
            "name": step.name,
            "agency": step.agency_name,
            "started_at": local(step.started_at),
            "due_at": local(step.due_at),
            "finished_at": local(step.finished_at),
            "timeliness": step.timeliness,
        }
        for step in tracking_steps(dossier=dossier, now=now)
    ]


def summary(dossier: Dossier, now: datetime) -> dict[str, Any]:
    """Return a dossier as lists show it (``DossierSummary``)."""
    status = DossierStatus(dossier.status)
    return {
        "code": dossier.code,
        "status": status,
        "status_label": str(status.label),
        "national_status": NATIONAL_STATUS[status],
        "channel": dossier.channel,
        "national_channel": NATIONAL_CHANNEL[Channel(dossier.channel)],
        **refs(dossier),
        "submitted_at": local(dossier.submitted_at),
        "received_at": local(dossier.received_at),
        "due_at": local(dossier.due_at),
        "finished_at": local(dossier.finished_at),
        "overdue": is_overdue(dossier, now=now),
    }


def detail_body(dossier: Dossier, *, reader: str, user: AnyUser | None) -> dict[str, Any]:
    """Return what `GET /dossiers/{code}` shows of a dossier to ``reader``, who is ``user``:
    with its steps (as tracking shows them) and what ``user`` may do with it now. Two
    queries beyond what ``reloaded`` loads: the steps, and the user's roles unless read."""
    by_officer = reader == Reader.OFFICER
    now = timezone.now()
    return {
        **summary(dossier, now),
        "viewer": reader,
        "revision": dossier.revision,
        "supplement_count": dossier.supplement_count,
        "timeliness": dossier_timeliness(dossier, now=now),
        "result_delivery": dossier.result_delivery or None,
        "register_book": dossier.register_book or None,
        "register_number": dossier.register_number,
        "legal_basis": dossier.legal_basis,
        "applicant": {
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "form_data": dossier.form_data if isinstance(dossier.form_data, dict) else {},
        "allowed_actions": actions_allowed(dossier=dossier, user=user, now=now),
        "steps": step_bodies(dossier, now),
        "events": [
            {
                "sequence": event.sequence,
                "action": event.action,
                "label": event.happened,
                "at": local(event.at),
                "from_status": event.from_status or None,
                "status": event.to_status,
                "actor": event.actor_label if by_officer else None,
                "comment": event.comment,
                "data": event_details(event, by_officer=by_officer),
            }
            for event in shown_events(dossier, by_officer=by_officer)
        ],
        "files": [
            {
                "number": number,
                "component_position": item.component.position if item.component else None,
                "component_name": item.component.name if item.component else None,
                "requested_item": item.requested_item or None,
                "name": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
            }
            for number, item in enumerate(dossier.files.all(), start=1)
        ],
        "results": [
            {
                "number": number,
                "name": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
                "attached_at": local(item.attached_at),
            }
            for number, item in enumerate(shown_results(dossier, reader), start=1)
        ],
        "papers": [
            {
                "component_position": paper.component.position,
                "component_name": paper.component.name,
                "originals": paper.originals,
                "certified_copies": paper.certified_copies,
                "photocopies": paper.photocopies,
                "original_shown": paper.original_shown,
            }
            for paper in dossier.papers_handed_in()
        ],
    }


def reloaded(dossier: Dossier, *, reader: str) -> Dossier:
    """Return the dossier fresh after an action, with what its detail shows to ``reader``
    (3 queries; one more for the papers of a dossier handed in at the desk or by post, one
    more for the results ``reader`` sees)."""
    events = DossierEvent.objects.select_related("actor").order_by("sequence")
    files = DossierFile.objects.select_related("component").order_by("id")
    fresh: Dossier = (
        Dossier.objects.select_related("procedure", "agency")
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("files", queryset=files),
            *papers_prefetch(dossier),
        )
        .get(pk=dossier.pk)
    )
    # The results by the status after the action (a return shows them to the applicant).
    prefetch_related_objects([fresh], *results_prefetch(fresh, reader))
    return fresh
