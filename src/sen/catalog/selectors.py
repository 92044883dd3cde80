"""Reads of the catalog. The signatures are the contract the API and the pages use."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sen.catalog.models import Field, Procedure
from sen.core.text import fold
from sen.errors import NotFound


class ProcedureNotFound(NotFound):
    code = "procedure_not_found"


def procedure_search(
    *,
    query: str = "",
    field: str | None = None,
    level: str | None = None,
    agency: str | None = None,
    online_level: str | None = None,
) -> QuerySet[Procedure]:
    """Return current procedures matching the text and filters, best match first.

    ``field`` is a field code, ``level`` a ProcedureLevel value, ``agency`` an agency code,
    ``online_level`` an OnlineLevel value.
    """
    procedures = Procedure.objects.filter(is_current=True).select_related("field")
    for word in fold(query).split():
        procedures = procedures.filter(search_text__contains=word)
    if field:
        procedures = procedures.filter(field__code=field)
    if level:
        procedures = procedures.filter(implementations__level=level)
    if agency:
        procedures = procedures.filter(implementations__agency__code=agency)
    if online_level:
        procedures = procedures.filter(online_level=online_level)
    return procedures.distinct().order_by("name", "code")


def procedure_get(*, code: str) -> Procedure:
    """Return the current version of the procedure with this national code, with its parts."""
    try:
        return (
            Procedure.objects.select_related("field")
            .prefetch_related("components", "fees", "steps__agency", "implementations__agency")
            .get(code=code, is_current=True)
        )
    except Procedure.DoesNotExist:
        message = _("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code}
        raise ProcedureNotFound(message) from None


def field_list() -> QuerySet[Field]:
    """Return every field, by name."""
    return Field.objects.order_by("name")
