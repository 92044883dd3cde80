"""Reads of the dossiers app."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from sen.dossiers.errors import DossierNotFound
from sen.dossiers.models import Dossier, DossierEvent


def dossier_for_tracking(*, code: str) -> Dossier:
    """Return the dossier with this code, its procedure, agency and events, in 2 queries.

    Anyone holding the code may follow the dossier, so callers show only what the public
    tracking page shows: never the applicant, never who acted.
    """
    events = DossierEvent.objects.only("dossier_id", "sequence", "action", "to_status", "at")
    dossier = (
        Dossier.objects.select_related("procedure", "agency")
        .prefetch_related(Prefetch("events", queryset=events.order_by("sequence")))
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ có mã %(code)s.") % {"code": code})
    return dossier
