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
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.catalog.models import Field, Implementation, Procedure, ProcedureLevel, ProcessStep
from sen.catalog.search import search_words, tsquery_text
from sen.core.timezones import VIETNAM
from sen.errors import NotFound

MAX_QUERY_WORDS = 24


class ProcedureNotFound(NotFound):
    code = "procedure_not_found"


class ProcedureAbolished(ProcedureNotFound):
    """The procedure was abolished: known, but taking no new dossier (410 Gone)."""

    code = "procedure_abolished"
    status = 410


def procedure_missing(code: str) -> ProcedureNotFound:
    """Return the error for a code without a current version: ``ProcedureAbolished`` saying
    since when and by what, or ``ProcedureNotFound`` for a code never in the catalog."""
    last = Procedure.objects.filter(code=code).order_by("-version").first()
    if last is not None and last.abolished_at is not None:
        return ProcedureAbolished(
            _(
                "Thủ tục %(code)s đã bị bãi bỏ từ ngày %(date)s (%(basis)s); không nhận hồ sơ "
                "mới. Hồ sơ đã nộp trước đó vẫn được giải quyết."
            )
            % {
                "code": code,
                "date": timezone.localtime(last.abolished_at, VIETNAM).strftime("%d/%m/%Y"),
                "basis": last.abolition_basis,
            }
        )
    return ProcedureNotFound(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code})


# Constant SQL for search (RawSQL): the user's words only ever travel as parameters.
_TABLE = Procedure._meta.db_table
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

    def __len__(self) -> int:
        return len(self.procedures)


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
    """Return one page of ``procedure_search`` with its count and levels, in 2 queries.

    Cheaper than paginating ``procedure_search`` (the API's hot path): the count comes
    with the ranking (a window function) and the levels with the page's rows. A page past
    the end costs the ranking and a count.
    """
    matching = _matching(
        query=query, field=field, level=level, agency=agency, online_level=online_level
    )
    start = (page - 1) * page_size
    # Rank on the narrow search columns first (an index-only scan on SQLite), counting every
    # match in the same scan; then load just the page's rows, without their long texts and
    # forms, with their levels.
    ranked = list(
        matching.annotate(total=Window(Count("pk"))).values_list("pk", "total")[
            start : start + page_size
        ]
    )
    if not ranked:
        count = 0 if start == 0 else matching.count()
        return SearchPage(count=count, procedures=[], levels={})
    ids = [pk for pk, _total in ranked]
    levels = {
        lvl: Exists(Implementation.objects.filter(procedure=OuterRef("pk"), level=lvl))
        for lvl in ProcedureLevel.values
    }
    rows = (
        Procedure.objects.filter(pk__in=ids)
        .select_related("field")
        .only(*_SUMMARY_FIELDS)
        .annotate(**{f"at_{lvl}": exists for lvl, exists in levels.items()})
    )
    by_id = {procedure.pk: procedure for procedure in rows}
    results = [by_id[pk] for pk in ids]
    return SearchPage(
        count=ranked[0][1],
        procedures=results,
        levels={
            procedure.pk: [lvl for lvl in ProcedureLevel.values if getattr(procedure, f"at_{lvl}")]
            for procedure in results
        },
    )


# What a search result shows: enough for a list, without the long texts and the form.
_SUMMARY_FIELDS = (
    "code",
    "version",
    "name",
    "online_level",
    "processing_days",
    "field__code",
    "field__name",
)


def _query_words(query: str) -> list[str]:
    # No procedure name has more words; a longer query is pasted text, not a search.
    return search_words(query)[:MAX_QUERY_WORDS]


def _having_words(procedures: QuerySet[Procedure], words: list[str]) -> QuerySet[Procedure]:
    """Keep the procedures whose name, code or field has every word, the last as a prefix."""
    if not words:
        return procedures
    if connections[procedures.db].vendor == "postgresql":
        tsquery = SearchQuery(tsquery_text(words), search_type="raw", config="simple")
        return procedures.filter(search_vector=tsquery)
    # The stored text has a space around every word: whole words, the last a prefix.
    for word in words[:-1]:
        procedures = procedures.filter(search_text__contains=f" {word} ")
    return procedures.filter(search_text__contains=f" {words[-1]}")


def _matching(
    *,
    query: str,
    field: str | None,
    level: str | None,
    agency: str | None,
    online_level: str | None,
) -> QuerySet[Procedure]:
    procedures = Procedure.objects.filter(is_current=True)
    words = _query_words(query)
    postgres = connections[procedures.db].vendor == "postgresql"
    procedures = _having_words(procedures, words)
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


def procedure_ids_named(*, text: str, limit: int) -> list[int]:
    """Return the ids of every version of the procedures ``text`` names, at most ``limit``.

    ``text`` names a procedure by its exact code, or by words that its current version's
    name, code or field holds as ``procedure_search`` matches them: with or without
    diacritics, in any case, the last word possibly begun ("khai si"). Every version of a
    procedure named counts, since a dossier keeps the version it was submitted under. One
    small query, in no particular order; none for blank text.
    """
    text = text.strip()
    if not text:
        return []
    named = Q(code=text)
    words = _query_words(text)
    if words:
        current = _having_words(Procedure.objects.filter(is_current=True), words)
        named |= Q(code__in=current.order_by().values("code"))
    ids = Procedure.objects.filter(named).order_by().values_list("pk", flat=True)
    return list(ids[:limit])


def procedure_get(*, code: str) -> Procedure:
    """Return the current version of the procedure with this national code, with its parts."""
    try:
        return procedures_with_parts(Procedure.objects.all()).get(code=code, is_current=True)
    except Procedure.DoesNotExist:
        raise procedure_missing(code) from None


def procedure_current_list(*, codes: Iterable[str] | None = None) -> QuerySet[Procedure]:
    """Return the current versions (all, or those with these codes) with their parts, by code."""
    procedures = Procedure.objects.filter(is_current=True)
    if codes is not None:
        procedures = procedures.filter(code__in=list(codes))
    return procedures_with_parts(procedures).order_by("code")


def procedure_current_forms() -> QuerySet[Procedure]:
    """Return the current versions by code with only their code, name and e-form loaded."""
    return (
        Procedure.objects.filter(is_current=True)
        .only("code", "name", "form_schema")
        .order_by("code")
    )


def procedure_versions(*, code: str) -> QuerySet[Procedure]:
    """Return every version of a procedure, newest first."""
    return Procedure.objects.filter(code=code).order_by("-version")


def field_list() -> QuerySet[Field]:
    """Return every field, by name."""
    return Field.objects.order_by("name")
