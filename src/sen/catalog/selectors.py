"""Reads of the catalog. The signatures are the contract the API and the pages use.

Search works on the folded words of ``sen.catalog.search`` (see ADR 0004): on PostgreSQL
through full-text search over a stored ``tsvector`` of those words (``simple``
configuration, the last word as a prefix, GIN index on current versions); elsewhere by
matching the same words in the stored text. Both rank alike: the exact name (or code)
first, then names starting with the query, then names containing it, then the
full-text rank (PostgreSQL only), then the folded name.
"""

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import (
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from sen.catalog.models import Field, Implementation, Procedure, ProcedureLevel, ProcessStep
from sen.catalog.search import search_words, tsquery_text
from sen.errors import NotFound

MAX_QUERY_WORDS = 24


class ProcedureNotFound(NotFound):
    code = "procedure_not_found"


# Constant SQL for search (RawSQL): the user's words only ever travel as parameters.
_TABLE = Procedure._meta.db_table
_PADDED_TEXT_SQL = f"""(' ' || "{_TABLE}"."search_text" || ' ')"""
_TIERS_SQL = (
    f'CASE WHEN "{_TABLE}"."search_name" = %s OR "{_TABLE}"."code" = %s THEN 0 '
    f'WHEN "{_TABLE}"."search_name" LIKE %s THEN 1 '
    f'WHEN "{_TABLE}"."search_name" LIKE %s THEN 2 ELSE 3 END'
)
_RANK_SQL = f"""ts_rank("{_TABLE}"."search_vector", to_tsquery('simple', %s))"""


def procedures_with_parts(procedures: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """Return ``procedures`` with everything their full description needs, in 5 queries."""
    return procedures.select_related("field").prefetch_related(
        "components",
        "fees",
        Prefetch("steps", queryset=ProcessStep.objects.select_related("agency")),
        Prefetch("implementations", queryset=Implementation.objects.select_related("agency")),
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
    implementations (not their agencies) loaded; ``count()`` costs one query and a page
    of results two.
    """
    return _matching(
        query=query, field=field, level=level, agency=agency, online_level=online_level
    ).prefetch_related("implementations")


@dataclasses.dataclass(frozen=True)
class SearchPage:
    """One page of search results, with the total count and each procedure's levels."""

    count: int
    procedures: list[Procedure]
    levels: dict[int, list[str]]


def procedure_search_page(
    *,
    query: str = "",
    field: str | None = None,
    level: str | None = None,
    agency: str | None = None,
    online_level: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> SearchPage:
    """Return one page of ``procedure_search`` with its count and levels, in 1 to 3 queries.

    Cheaper than paginating ``procedure_search`` (the API's hot path): the levels come in
    one plain query rather than through Django's prefetching, and the count query runs
    only when the page does not tell it (a page neither full nor empty past the first is
    the last one).
    """
    procedures = _matching(
        query=query, field=field, level=level, agency=agency, online_level=online_level
    )
    start = (page - 1) * page_size
    results = list(procedures[start : start + page_size])
    if results and len(results) < page_size:
        count = start + len(results)
    elif not results and start == 0:
        count = 0
    else:
        count = procedures.count()
    return SearchPage(count=count, procedures=results, levels=procedure_levels(procedures=results))


def _matching(
    *,
    query: str,
    field: str | None,
    level: str | None,
    agency: str | None,
    online_level: str | None,
) -> QuerySet[Procedure]:
    procedures = Procedure.objects.filter(is_current=True)
    # No procedure name has more words; a longer query is pasted text, not a search.
    words = search_words(query)[:MAX_QUERY_WORDS]
    postgres = connections[procedures.db].vendor == "postgresql"
    if words and postgres:
        tsquery = SearchQuery(tsquery_text(words), search_type="raw", config="simple")
        procedures = procedures.filter(search_vector=tsquery)
    elif words:
        # Spaces around the stored words make every word whole; the last may be a prefix.
        procedures = procedures.alias(
            padded_text=RawSQL(_PADDED_TEXT_SQL, (), output_field=TextField())  # noqa: S611
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
        # Raw SQL for the ranking: it is the same on both databases, and compiling the
        # equivalent Case/When expressions cost more than running the query. The phrase
        # holds only [a-z0-9. ], so it has no LIKE wildcard to escape.
        tiers = (phrase, phrase, f"{phrase}%", f"%{phrase}%")
        tier = RawSQL(_TIERS_SQL, tiers, output_field=IntegerField())  # noqa: S611
        ordering.append(tier.asc())
        if postgres:
            rank = RawSQL(_RANK_SQL, (tsquery_text(words),), output_field=FloatField())  # noqa: S611
            ordering.append(rank.desc())
    ordering += ["search_name", "code"]
    return procedures.select_related("field").order_by(*ordering)


def procedure_levels(*, procedures: Iterable[Procedure]) -> dict[int, list[str]]:
    """Return the levels of each procedure (by id), in ProcedureLevel order, in one query."""
    ids = [procedure.pk for procedure in procedures]
    found: dict[int, set[str]] = {pk: set() for pk in ids}
    if ids:
        pairs = Implementation.objects.filter(procedure_id__in=ids).values_list(
            "procedure_id", "level"
        )
        for procedure_id, level in pairs.order_by():
            found[procedure_id].add(level)
    return {
        pk: [lvl for lvl in ProcedureLevel.values if lvl in levels] for pk, levels in found.items()
    }


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
