"""Reads of the catalog. The signatures are the contract the API and the pages use.

Search works on the folded words of ``sen.catalog.search`` (see ADR 0004): on PostgreSQL
through full-text search over a stored ``tsvector`` of those words (``simple``
configuration, the last word as a prefix, GIN index on current versions); elsewhere by
matching the same words in the stored text. Both rank alike: the exact name (or code)
first, then names starting with the query, then names containing it, then the
full-text rank (PostgreSQL only), then the folded name.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from sen.catalog.models import Field, Implementation, Procedure, ProcessStep
from sen.catalog.search import search_words, tsquery_text
from sen.errors import NotFound


class ProcedureNotFound(NotFound):
    code = "procedure_not_found"


def _implementations() -> Prefetch:
    return Prefetch("implementations", queryset=Implementation.objects.select_related("agency"))


def procedures_with_parts(procedures: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """Return ``procedures`` with everything their full description needs, in 5 queries."""
    return procedures.select_related("field").prefetch_related(
        "components",
        "fees",
        Prefetch("steps", queryset=ProcessStep.objects.select_related("agency")),
        _implementations(),
    )


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
    ``online_level`` an OnlineLevel value. Every word of ``query`` must match a word of the
    procedure's name, code or field, with or without diacritics; the last word may be the
    beginning of one ("khai si"). Each procedure comes with its field and its
    implementations (with their agencies) loaded; ``count()`` costs one query and a page
    of results two.
    """
    procedures = Procedure.objects.filter(is_current=True)
    words = search_words(query)
    postgres = connections[procedures.db].vendor == "postgresql"
    if words and postgres:
        tsquery = SearchQuery(tsquery_text(words), search_type="raw", config="simple")
        procedures = procedures.filter(search_vector=tsquery)
    elif words:
        # Spaces around the stored words make every word whole; the last may be a prefix.
        procedures = procedures.alias(
            padded_text=Concat(Value(" "), "search_text", Value(" "), output_field=TextField())
        )
        for word in words[:-1]:
            procedures = procedures.filter(padded_text__contains=f" {word} ")
        procedures = procedures.filter(padded_text__contains=f" {words[-1]}")
    if field:
        procedures = procedures.filter(field__code=field)
    if level or agency:
        # One implementation must satisfy both; EXISTS keeps each procedure once.
        implementations = Implementation.objects.filter(procedure=OuterRef("pk"))
        if level:
            implementations = implementations.filter(level=level)
        if agency:
            implementations = implementations.filter(agency__code=agency)
        procedures = procedures.filter(Exists(implementations))
    if online_level:
        procedures = procedures.filter(online_level=online_level)

    ordering: list[Any] = []
    if words:
        phrase = " ".join(words)
        ordering.append(
            Case(
                When(search_name=phrase, then=Value(0)),
                When(code=phrase, then=Value(0)),
                When(search_name__startswith=phrase, then=Value(1)),
                When(search_name__contains=phrase, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        if postgres:
            ordering.append(SearchRank(F("search_vector"), tsquery).desc())
    ordering += ["search_name", "code"]
    procedures = procedures.select_related("field").prefetch_related(_implementations())
    return procedures.order_by(*ordering)


def procedure_get(*, code: str) -> Procedure:
    """Return the current version of the procedure with this national code, with its parts."""
    try:
        return procedures_with_parts(Procedure.objects.all()).get(code=code, is_current=True)
    except Procedure.DoesNotExist:
        message = _("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code}
        raise ProcedureNotFound(message) from None


def procedure_current_list(*, codes: Iterable[str] | None = None) -> QuerySet[Procedure]:
    """Return the current versions (all, or those with these codes) with their parts, by code."""
    procedures = Procedure.objects.filter(is_current=True)
    if codes is not None:
        procedures = procedures.filter(code__in=list(codes))
    return procedures_with_parts(procedures).order_by("code")


def procedure_versions(*, code: str) -> QuerySet[Procedure]:
    """Return every version of a procedure, newest first."""
    return Procedure.objects.filter(code=code).order_by("-version")


def field_list() -> QuerySet[Field]:
    """Return every field, by name."""
    return Field.objects.order_by("name")
