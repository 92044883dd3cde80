"""What the citizen's dossier page shows, built from a dossier read for its applicant.

Plain functions over the loaded dossier (its events, files and procedure components),
without queries: the history in the citizen's words and what a supplement request asked for.
Which slips the dossier has comes from :func:`sen.dossiers.slipdata.available_slips`, which
actions are open from :mod:`sen.dossiers.permissions`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sen.dossiers.citizen import event_details, shown_events
from sen.dossiers.models import Dossier
from sen.dossiers.states import Action, DossierStatus, ReturnMethod


@dataclass(frozen=True)
class HistoryLine:
    """One event of the dossier's history as its applicant reads it (never who acted)."""

    label: str
    at: datetime
    status: str
    reason: str = ""
    reason_language: str = "vi"
    items: list[dict[str, str]] = field(default_factory=list)
    new_due_at: datetime | None = None
    return_method: str = ""
    postal_tracking_number: str = ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def history(dossier: Dossier) -> list[HistoryLine]:
    """Return the dossier's events, oldest first, with what each means for the applicant."""
    lines = []
    for event in shown_events(dossier, by_officer=False):
        data = event_details(event, by_officer=False)
        method = _text(data.get("method"))
        lines.append(
            HistoryLine(
                label=event.happened,
                at=event.at,
                status=str(DossierStatus(event.to_status).label),
                # A calendar move's says what the change did (``stated_reason``).
                reason=event.stated_reason.strip() if data else "",
                reason_language=event.reason_language,
                items=event.requested_items,
                new_due_at=event.data_moment("new_due_at"),
                return_method=str(ReturnMethod(method).label)
                if method in ReturnMethod.values
                else "",
                postal_tracking_number=_text(data.get("postal_tracking_number")),
            )
        )
    return lines


def requested_items(dossier: Dossier) -> list[dict[str, str]]:
    """Return what the last supplement request asked for, while the dossier waits for it."""
    if dossier.status != DossierStatus.SUPPLEMENT_REQUESTED:
        return []
    requests = [e for e in dossier.events.all() if e.action == Action.REQUEST_SUPPLEMENT]
    return requests[-1].requested_items if requests else []
