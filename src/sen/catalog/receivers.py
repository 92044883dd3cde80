"""The catalog's answers to core's signals (connected in ``CatalogConfig.ready``)."""

from typing import Any

from django.db.models import Q
from django.utils.translation import ngettext

from sen.catalog.models import Procedure
from sen.core.models import Agency
from sen.core.text import first_few


def procedures_of_closing_agency(*, agency: Agency, **_kwargs: Any) -> str:
    """Say which current procedures name an agency about to close, as one that implements
    them or holds one of their steps: their next dossiers would go to no one."""
    naming = (
        Procedure.objects.filter(is_current=True)
        .filter(Q(implementations__agency=agency) | Q(steps__agency=agency))
        .distinct()
    )
    codes = sorted(naming.values_list("code", flat=True))
    if not codes:
        return ""
    return ngettext(
        "Cơ quan còn thực hiện hoặc giữ một bước của %(count)d thủ tục đang áp dụng "
        "(%(codes)s): hãy sửa các thủ tục này trước.",
        "Cơ quan còn thực hiện hoặc giữ một bước của %(count)d thủ tục đang áp dụng "
        "(%(codes)s): hãy sửa các thủ tục này trước.",
        len(codes),
    ) % {
        "count": len(codes),
        "codes": first_few(codes, len(codes)),
    }
