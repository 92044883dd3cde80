"""Where the indicators' facts come from: the dossiers' tables, read in one place.

The reports app is a projection of the dossiers (as ``docs/architecture.md`` has it: "indicators
are projections too, and can always be rebuilt"). This module is the only one that reads the
dossiers app's tables, so that a change there has one place to follow.
"""

import functools
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, QuerySet, When

from sen.catalog.models import OnlineLevel
from sen.core.models import AdministrativeUnit, Agency, UnitLevel
from sen.dossiers.models import Dossier, DossierFile, DossierRating, DossierResult
from sen.dossiers.states import DossierStatus, ReturnMethod
from sen.reports.facts import REFUSED, RESULT, STOPPED, WITHDRAWN, DossierFacts

ENDING_OF_STATUS: Mapping[str, str] = {
    DossierStatus.RESULT_READY: RESULT,
    DossierStatus.RETURNED: RESULT,
    DossierStatus.STOPPED: STOPPED,
    DossierStatus.WITHDRAWN: WITHDRAWN,
    DossierStatus.REFUSED: REFUSED,
}


def agency_provinces() -> QuerySet[Agency, Any]:
    """Return each agency's id (``src_agency``) and province (``src_province``).

    The province is the agency's unit at provincial level, else the unit's parent, as a
    province's report gathers its agencies (``access.resolve_unit``).
    """
    province = Case(
        When(unit__level=UnitLevel.PROVINCE, then=F("unit_id")), default=F("unit__parent_id")
    )
    return Agency.objects.order_by().values(src_agency=F("id"), src_province=province)


@functools.cache
def province_of_agency_sql() -> str:
    """Return SQL selecting ``src_province`` of the agency whose id is its one parameter.

    The rule of :func:`agency_provinces`, written once as text: the live counting runs it
    inside each upsert of a province's counters, where compiling the ORM query every time
    cost more than the rest of the statement's preparation.
    """
    agency, unit = Agency._meta, AdministrativeUnit._meta
    level = sql_literal(UnitLevel.PROVINCE)
    return (
        f"SELECT CASE WHEN u.level = {level} THEN u.id ELSE u.parent_id END AS src_province "  # noqa: S608
        f"FROM {agency.db_table} AS a JOIN {unit.db_table} AS u ON u.id = a.unit_id "
        "WHERE a.id = %s"
    )


def sql_literal(text: str) -> str:
    """Return ``text`` as an SQL string literal (the app's own constants only, never input)."""
    return "'" + text.replace("'", "''") + "'"


def rating_satisfied(scores: Mapping[str, Any]) -> bool:
    """Return whether a rating is satisfied: its criteria average at least ``SATISFIED_FROM``."""
    # Imported here: the ratings service imports the reports' services, which import this.
    from sen.dossiers.ratings import SATISFIED_FROM

    values = [v for v in scores.values() if isinstance(v, int)]
    return bool(values) and sum(values) >= SATISFIED_FROM * len(values)


def digitized_at_submission(dossier_id: int) -> bool:
    """Return whether files came with the dossier's submission (its first event)."""
    return DossierFile.objects.filter(dossier_id=dossier_id, event__sequence=1).exists()


def has_result_file(dossier_id: int) -> bool:
    return DossierResult.objects.filter(dossier_id=dossier_id).exists()


def rating_of(dossier_id: int) -> tuple[Any, bool] | None:
    """Return (rated at, satisfied) of the dossier's rating, or ``None``."""
    row = DossierRating.objects.filter(dossier_id=dossier_id).values("rated_at", "scores").first()
    if row is None:
        return None
    return row["rated_at"], rating_satisfied(row["scores"])


def facts_from_row(
    dossier: Dossier,
    *,
    online_capable: bool,
    digitized: bool,
    result_file: bool,
    rating: tuple[Any, bool] | None,
) -> DossierFacts:
    """Return the facts of ``dossier`` given what lives outside its row."""
    return DossierFacts(
        channel=dossier.channel,
        online_capable=online_capable,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        finished_at=dossier.finished_at,
        ending=ENDING_OF_STATUS.get(dossier.status, ""),
        original_due_at=dossier.original_due_at,
        clock_stopped_at=dossier.clock_stopped_at,
        supplement_count=dossier.supplement_count,
        digitized=digitized,
        result_file=result_file,
        returned_at=dossier.returned_at,
        returned_electronically=dossier.return_method == ReturnMethod.ELECTRONIC,
        rated_at=rating[0] if rating else None,
        rating_satisfied=rating[1] if rating else False,
    )


# The columns every recomputation reads, by alias (aliases may not shadow the model's fields).
SOURCE_COLUMNS: dict[str, Any] = {
    "src_id": F("id"),
    "src_agency": F("agency_id"),
    "src_procedure": F("procedure_id"),
    "src_level": F("procedure__online_level"),
    "src_channel": F("channel"),
    "src_status": F("status"),
    "src_submitted": F("submitted_at"),
    "src_received": F("received_at"),
    "src_finished": F("finished_at"),
    "src_due": F("original_due_at"),
    "src_stopped": F("clock_stopped_at"),
    "src_supplements": F("supplement_count"),
    "src_returned": F("returned_at"),
    "src_method": F("return_method"),
    "src_rated_at": F("rating__rated_at"),
    "src_scores": F("rating__scores"),
    "src_files": Exists(DossierFile.objects.filter(dossier_id=OuterRef("pk"), event__sequence=1)),
    "src_result": Exists(DossierResult.objects.filter(dossier_id=OuterRef("pk"))),
}


def dossier_rows() -> QuerySet[Dossier, Any]:
    """Return every dossier's columns the facts come from (``SOURCE_COLUMNS``), by id.

    One query: files at submission and result files as EXISTS subqueries, the rating by a
    left join. Streamed by the Python recomputation; used as the subquery of the SQL one
    (``sen.reports.bulk``).
    """
    return Dossier.objects.order_by("id").values(**SOURCE_COLUMNS)


def all_dossier_facts(chunk: int = 20_000) -> Iterator[tuple[int, int, int, DossierFacts]]:
    """Yield (dossier id, agency id, procedure id, facts) for every dossier, by id."""
    rows = dossier_rows().values_list(*SOURCE_COLUMNS)
    for row in rows.iterator(chunk_size=chunk):
        (pk, agency, procedure, level, channel, status, submitted, received, finished, due,
         stopped, supplements, returned, method, rated_at, scores, files, result) = row  # fmt: skip
        ending = ENDING_OF_STATUS.get(status, "")
        yield (
            pk,
            agency,
            procedure,
            DossierFacts(
                channel=channel,
                online_capable=level != OnlineLevel.NONE,
                submitted_at=submitted,
                received_at=received,
                finished_at=finished,
                ending=ending,
                original_due_at=due,
                clock_stopped_at=stopped,
                supplement_count=supplements,
                digitized=files,
                # Only a resolved dossier's result counts (see ``facts.contribution``).
                result_file=result and ending == RESULT,
                returned_at=returned,
                returned_electronically=method == ReturnMethod.ELECTRONIC,
                rated_at=rated_at,
                rating_satisfied=rating_satisfied(scores) if scores is not None else False,
            ),
        )
