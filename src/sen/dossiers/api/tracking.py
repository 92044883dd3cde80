"""Public tracking of a dossier by its code: ``GET /api/v1/tracking/{code}``."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from sen.dossiers import citizen
from sen.dossiers.api.bodies import local, refs, step_bodies
from sen.dossiers.api.routers import tracking_router
from sen.dossiers.api.schemas import Tracking
from sen.dossiers.selectors import check_tracking_rate, dossier_for_tracking
from sen.dossiers.states import NATIONAL_STATUS, DossierStatus
from sen.schemas import ErrorOut


@tracking_router.get(
    "/{code}",
    auth=None,
    response={200: Tracking, 404: ErrorOut, 429: ErrorOut},
    summary="Tra cứu tiến độ hồ sơ",
    url_name="dossier_tracking",
    operation_id="sen_dossiers_api_track",
)
def track(request: HttpRequest, code: str) -> dict[str, Any]:
    """Follow a dossier by its code: open to anyone, so it holds no personal data.

    Each step with its dates and timeliness, as on the tracking page; never who acted.
    The code is read as typed from a slip: `000.00.01.h37-…` finds `000.00.01.H37-…`.
    Answers 404 `dossier_not_found` for an unknown code, and 429 `too_many_requests`, with
    `Retry-After`, past `SEN_TRACKING_PER_MINUTE` lookups a minute from one address (60
    by default; the tracking page's count too).
    """
    check_tracking_rate(request)
    dossier = dossier_for_tracking(code=code)
    now = timezone.now()
    status = DossierStatus(dossier.status)
    return {
        "code": dossier.code,
        **refs(dossier),
        "status": status,
        "status_label": str(status.label),
        "national_status": NATIONAL_STATUS[status],
        "submitted_at": local(dossier.submitted_at),
        "received_at": local(dossier.received_at),
        "due_at": local(dossier.due_at),
        "finished_at": local(dossier.finished_at),
        "timeliness": citizen.dossier_timeliness(dossier, now=now),
        "steps": step_bodies(dossier, now),
        "events": [
            {
                "action": event.action,
                "label": event.happened,
                "at": local(event.at),
                "status": event.to_status,
            }
            for event in citizen.shown_events(dossier, by_officer=False)
        ],
    }
