"""Writes of the reports app: count a dossier's change, and recount everything.

``record_dossier_change`` runs inside the transaction of every change of a dossier (the
dossiers' services call it where each transition is applied and where a rating is
recorded): it adds the difference between the dossier's facts now and the facts last
counted to the monthly counters and keeps the new facts, so the indicators show the change
as soon as it commits. Two queries for most changes (read the counted facts, write
everything in one statement on PostgreSQL); none written when the facts did not change.
``record_dossier_created`` does the same for a dossier just created, without the reads.
``recompute_indicators`` (``sen.reports.recompute``) rebuilds all of it from the dossiers; a
test proves both give the same numbers.
"""

import functools
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db import connection

from sen.catalog.models import OnlineLevel
from sen.dossiers.models import Dossier
from sen.dossiers.states import DossierStatus
from sen.reports.facts import (
    COUNTERS,
    RESULT,
    DossierFacts,
    contribution,
    late_from,
    open_late_day,
)
from sen.reports.models import (
    FACT_FIELDS,
    AgencyMonth,
    DossierFact,
    OpenLateDay,
    ProcedureMonth,
    ProvinceMonth,
    ProvinceProcedureMonth,
)
from sen.reports.recompute import KEYS, Recomputed, recompute_indicators
from sen.reports.sources import (
    ENDING_OF_STATUS,
    digitized_at_submission,
    facts_from_row,
    has_result_file,
    province_of_agency_sql,
    rating_of,
)


def _facts_of(dossier: Dossier, previous: DossierFact | None) -> DossierFacts:
    """Return the dossier's facts now, reading outside its row only what may have changed."""
    ending_is_result = ENDING_OF_STATUS.get(dossier.status) == RESULT
    digitized = previous.digitized if previous is not None else digitized_at_submission(dossier.pk)
    # Only a resolved dossier's result counts (see ``facts.contribution``).
    result_file = ending_is_result and (
        (previous is not None and previous.result_file) or has_result_file(dossier.pk)
    )
    # A dossier is rated once returned.
    rating = rating_of(dossier.pk) if dossier.status == DossierStatus.RETURNED else None
    return facts_from_row(
        dossier,
        online_capable=dossier.procedure.online_level != OnlineLevel.NONE,
        digitized=digitized,
        result_file=result_file,
        rating=rating,
    )


def _stored_facts(row: DossierFact) -> DossierFacts:
    return DossierFacts(**{name: getattr(row, name) for name in FACT_FIELDS})


def record_dossier_change(*, dossier: Dossier) -> None:
    """Count the dossier's current state in the indicators; call inside its transaction.

    Adds ``contribution(now) − contribution(as last counted)`` to the monthly counters of
    the dossier's agency, procedure and province, moves it between the days it becomes late
    while open (``OpenLateDay``), and keeps the facts counted. A dossier never counted
    before (created before the reports app, or by a bulk load) is counted whole. Reads the
    counted facts (one query, and one or two more where a file, a result or a rating may
    have appeared), then writes nothing if the facts did not change, else one statement on
    PostgreSQL (up to six on SQLite).
    """
    previous = DossierFact.objects.filter(dossier_id=dossier.pk).first()
    _count(dossier, after=_facts_of(dossier, previous), previous=previous)


def record_dossier_created(*, dossier: Dossier, digitized: bool) -> None:
    """Count a dossier created in this transaction; call after its files are written.

    As ``record_dossier_change``, without its reads: nothing was counted for a new dossier,
    and the caller knows whether files came with it (``digitized``). One statement on
    PostgreSQL.
    """
    facts = facts_from_row(
        dossier,
        online_capable=dossier.procedure.online_level != OnlineLevel.NONE,
        digitized=digitized,
        result_file=False,
        rating=None,
    )
    _count(dossier, after=facts, previous=None)


def _count(dossier: Dossier, *, after: DossierFacts, previous: DossierFact | None) -> None:
    """Write the difference between ``after`` and the ``previous`` facts counted."""
    before = _stored_facts(previous) if previous is not None else None
    if after == before:
        return
    counted = [(after, 1, dossier.agency_id, dossier.procedure_id)]
    if previous is not None and before is not None:
        counted.append((before, -1, previous.agency_id, previous.procedure_id))
    changes = _Changes()
    for facts, sign, agency, procedure in counted:
        changes.count(facts, sign, agency, procedure)
    _execute([*changes.statements(), _fact_sql(dossier, after)])


Rows = dict[tuple[Any, ...], dict[str, int]]
Statement = tuple[str, list[Any]]


def _rows() -> Rows:
    return defaultdict(lambda: defaultdict(int))


class _Changes:
    """The differences one change makes to each table of counters, by key."""

    def __init__(self) -> None:
        self.agency_months = _rows()
        self.procedure_months = _rows()
        # Per agency, as the province comes from the agency in the database.
        self.province_months: dict[int, Rows] = defaultdict(_rows)
        self.province_procedure_months: dict[int, Rows] = defaultdict(_rows)
        self.open_late_days = _rows()

    def count(self, facts: DossierFacts, sign: int, agency: int, procedure: int) -> None:
        for month, values in contribution(facts).items():
            for name, value in values.items():
                self.agency_months[(agency, month)][name] += sign * value
                self.procedure_months[(agency, procedure, month)][name] += sign * value
                self.province_months[agency][(month,)][name] += sign * value
                self.province_procedure_months[agency][(procedure, month)][name] += sign * value
        day = open_late_day(facts)
        if day is not None:
            self.open_late_days[(agency, day)]["open"] += sign

    def statements(self) -> list[Statement]:
        found = [
            _add_sql(AgencyMonth._meta.db_table, KEYS[AgencyMonth], self.agency_months),
            _add_sql(ProcedureMonth._meta.db_table, KEYS[ProcedureMonth], self.procedure_months),
            _add_sql(
                OpenLateDay._meta.db_table, ("agency_id", "day"), self.open_late_days, ("open",)
            ),
        ]
        for model, by_agency in (
            (ProvinceMonth, self.province_months),
            (ProvinceProcedureMonth, self.province_procedure_months),
        ):
            keys = KEYS[model]
            for agency, rows in sorted(by_agency.items()):
                found.append(_add_sql(model._meta.db_table, keys, rows, province_of=agency))
        return [statement for statement in found if statement is not None]


def _add_sql(
    table: str,
    keys: tuple[str, ...],
    rows: Rows,
    counters: tuple[str, ...] = COUNTERS,
    province_of: int | None = None,
) -> Statement | None:
    """Return the upsert adding ``rows`` (key → counters) to ``table``, or ``None``.

    ``INSERT … ON CONFLICT … DO UPDATE SET c = c + excluded.c`` is the same on SQLite and
    PostgreSQL, and atomic: two transactions counting into one month cannot lose an update.
    Rows go in key order so that two transactions touching the same months lock them in the
    same order. Only the counters that move are named. With ``province_of``, the first key
    (the province) is that agency's, read by the statement itself; an agency outside any
    province counts in no province.
    """
    rows = {key: values for key, values in rows.items() if any(values.values())}
    if not rows:
        return None
    # Only the counters that move: the others keep their value, or their default of 0 in a
    # new row. A submission moves 3 of the 24.
    counters = tuple(name for name in counters if any(row.get(name) for row in rows.values()))
    values: list[Any] = []
    for key in sorted(rows):
        values.extend(_db_value(part) for part in key)
        values.extend(rows[key].get(name, 0) for name in counters)
    if province_of is not None:
        values.append(province_of)
    sql = _upsert_text(
        connection.vendor, table, keys, counters, len(rows), by_province=province_of is not None
    )
    return sql, values


@functools.lru_cache(maxsize=256)
def _upsert_text(
    vendor: str,
    table: str,
    keys: tuple[str, ...],
    counters: tuple[str, ...],
    row_count: int,
    *,
    by_province: bool,
) -> str:
    """Return the text of ``_add_sql``'s upsert, the same for every change of one shape.

    Written once per shape (which table, which counters move, how many rows) and process:
    composing it on every change cost more of the server's time than running it. A change
    has a few shapes (a row or two per table), so the cache stays small, and is bounded all
    the same. ``vendor`` is part of the key, as quoting is the backend's.
    """
    quote = connection.ops.quote_name
    columns = [*keys, *counters]
    given = len(columns) - (1 if by_province else 0)
    placeholders = "(" + ", ".join(["%s"] * given) + ")"
    assignments = ", ".join(
        f"{quote(name)} = {quote(table)}.{quote(name)} + excluded.{quote(name)}"
        for name in counters
    )
    source = f"VALUES {', '.join([placeholders] * row_count)}"
    if by_province:
        # "WHERE" also lets SQLite tell the upsert's ON CONFLICT from a join's ON.
        source = (
            f"SELECT p.src_province, v.* FROM ({source}) AS v, "  # noqa: S608
            f"({province_of_agency_sql()}) AS p WHERE p.src_province IS NOT NULL"
        )
    return (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) {source} "
        f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {assignments}"
    )


def _fact_sql(dossier: Dossier, facts: DossierFacts) -> Statement:
    """Return the upsert keeping ``facts`` as the dossier's counted facts."""
    values = [
        dossier.pk,
        dossier.agency_id,
        dossier.procedure_id,
        *(getattr(facts, name) for name in FACT_FIELDS),
        late_from(facts),
    ]
    return _fact_text(connection.vendor), [_db_value(value) for value in values]


@functools.cache
def _fact_text(vendor: str) -> str:
    """Return the text of ``_fact_sql``'s upsert (one per process, as ``_upsert_text``)."""
    quote = connection.ops.quote_name
    columns = ["dossier_id", "agency_id", "procedure_id", *FACT_FIELDS, "late_from"]
    assignments = ", ".join(
        f"{quote(name)} = excluded.{quote(name)}" for name in columns if name != "dossier_id"
    )
    return (
        f"INSERT INTO {quote(DossierFact._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('dossier_id')}) DO UPDATE SET {assignments}"
    )


def _db_value(value: Any) -> Any:
    """Return ``value`` as the database takes it (SQLite stores moments as naive UTC text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _execute(statements: list[Statement]) -> None:
    """Run ``statements``: as one statement on PostgreSQL (data-modifying WITH), else in turn.

    PostgreSQL runs every data-modifying part of a WITH exactly once, whether or not the
    main statement reads it, so the counters and the facts are written in one round trip.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or len(statements) == 1:
            for sql, params in statements:
                cursor.execute(sql, params)
            return
        *parts, (last_sql, last_params) = statements
        with_parts = ", ".join(f"w{n} AS ({sql})" for n, (sql, _params) in enumerate(parts))
        params = [value for _sql, values in parts for value in values]
        cursor.execute(f"WITH {with_parts} {last_sql}", [*params, *last_params])


__all__ = [
    "Recomputed",
    "recompute_indicators",
    "record_dossier_change",
    "record_dossier_created",
]
