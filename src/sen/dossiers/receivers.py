"""The dossiers' answers to core's signals (connected in ``DossiersConfig.ready``)."""

from typing import Any

from django.db.models import Q
from django.utils.translation import ngettext

from sen.core.models import Agency
from sen.dossiers.models import Dossier
from sen.dossiers.selectors import OPEN

# Codes named in a refusal; the count says how many more.
NAMED = 3


def open_dossiers_at_closing_agency(*, agency: Agency, **_kwargs: Any) -> str:
    """Say which open dossiers an agency about to close still holds: received there, or at
    one of its steps. Closed, it leaves them to no one (its officers lose their access)."""
    held = Dossier.objects.filter(OPEN & (Q(agency=agency) | Q(step_agency=agency)))
    count = held.count()
    if not count:
        return ""
    codes = list(held.order_by("code").values_list("code", flat=True)[:NAMED])
    return ngettext(
        "Cơ quan còn %(count)d hồ sơ đang giải quyết (%(codes)s): hãy giải quyết xong trước "
        "khi ngừng hoạt động.",
        "Cơ quan còn %(count)d hồ sơ đang giải quyết (%(codes)s): hãy giải quyết xong trước "
        "khi ngừng hoạt động.",
        count,
    ) % {"count": count, "codes": ", ".join(codes) + (", …" if count > NAMED else "")}
