"""Writes of the reports app: count a dossier's change, and recount everything.

``record_dossier_change`` runs inside the transaction of every change of a dossier (the
dossiers' services call it where a dossier is created, where each transition is applied,
and where a rating is recorded): it adds the difference between the dossier's facts now and
the facts last counted to the monthly counters, with one upsert per table, so the
indicators show the change as soon as it commits. ``recompute_indicators`` rebuilds all of
it from the dossiers; a test proves both give the same numbers.
"""

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction

from sen.catalog.models import OnlineLevel
from sen.core.services import audit_record
from sen.dossiers.models import Dossier
from sen.reports.facts import COUNTERS, Contribution, DossierFacts, difference, late_from
from sen.reports.models import FACT_FIELDS, AgencyMonth, DossierFact, ProcedureMonth
from sen.reports.sources import (
    all_dossier_facts,
    digitized_at_submission,
    facts_from_row,
    has_result_file,
    rating_of,
)


def _facts_of(dossier: Dossier, previous: DossierFact | None) -> DossierFacts:
    """Return the dossier's facts now, reading outside its row only what may have changed."""
    ending_is_result = dossier.status in ("result_ready", "returned")
    digitized = previous.digitized if previous is not None else digitized_at_submission(dossier.pk)
    result_file = False
    if ending_is_result:
        result_file = (previous is not None and previous.result_file) or has_result_file(dossier.pk)
    rating = rating_of(dossier.pk) if dossier.status == "returned" else None
    return facts_from_row(
        dossier,
        online_capable=dossier.procedure.online_level != OnlineLevel.NONE,
        digitized=digitized,
        result_file=result_file and ending_is_result,
        rating=rating,
    )


def _stored_facts(row: DossierFact) -> DossierFacts:
    return DossierFacts(**{name: getattr(row, name) for name in FACT_FIELDS})


def record_dossier_change(*, dossier: Dossier) -> None:
    """Count the dossier's current state in the indicators; call inside its transaction.

    Adds ``contribution(now) − contribution(as last counted)`` to the monthly counters of
    the dossier's agency and of its procedure, and keeps the facts counted. A dossier never
    counted before (created before the reports app, or by a bulk load) is counted whole.
    Four to six queries.
    """
    previous = DossierFact.objects.filter(dossier_id=dossier.pk).first()
    before = _stored_facts(previous) if previous is not None else None
    after = _facts_of(dossier, previous)
    if after == before:
        return
    change = difference(after, before)
    _add(AgencyMonth, {(dossier.agency_id, month): values for month, values in change.items()})
    _add(
        ProcedureMonth,
        {
            (dossier.agency_id, dossier.procedure_id, month): values
            for month, values in change.items()
        },
    )
    fields = {**asdict(after), "late_from": late_from(after)}
    DossierFact.objects.update_or_create(
        dossier_id=dossier.pk,
        defaults={"agency_id": dossier.agency_id, "procedure_id": dossier.procedure_id, **fields},
    )


_KEYS: dict[type, tuple[str, ...]] = {
    AgencyMonth: ("agency_id", "month"),
    ProcedureMonth: ("agency_id", "procedure_id", "month"),
}


def _add(
    model: type[AgencyMonth] | type[ProcedureMonth],
    rows: Mapping[tuple[Any, ...], Mapping[str, int]],
) -> None:
    """Add ``rows`` (key → counters) to ``model``'s table in one upsert.

    ``INSERT … ON CONFLICT … DO UPDATE SET c = c + excluded.c`` is the same on SQLite and
    PostgreSQL, and atomic: two transactions counting into one month cannot lose an update.
    Rows go in key order so that two transactions touching the same months lock them in the
    same order.
    """
    if not rows:
        return
    table = model._meta.db_table
    keys = _KEYS[model]
    quote = connection.ops.quote_name
    columns = [*keys, *COUNTERS]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    values: list[Any] = []
    for key in sorted(rows):
        values.extend(key)
        values.extend(rows[key].get(name, 0) for name in COUNTERS)
    assignments = ", ".join(
        f"{quote(name)} = {quote(table)}.{quote(name)} + excluded.{quote(name)}"
        for name in COUNTERS
    )
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {assignments}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


# --- Recomputation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Recomputed:
    dossiers: int
    agency_months: int
    procedure_months: int
    seconds: float


_FACT_COLUMNS = ("dossier_id", "agency_id", "procedure_id", *FACT_FIELDS, "late_from")


def recompute_indicators(*, actor: Any = None, chunk: int = 20_000) -> Recomputed:
    """Rebuild the monthly counters and the counted facts of every dossier from scratch.

    One transaction. On PostgreSQL the three tables are locked first, so that dossier changes
    made meanwhile wait and are then counted against the recomputed facts; the facts are
    written with COPY. Sums all contributions in memory (one entry per agency, procedure
    and month), then writes them.
    """
    started = time.perf_counter()
    agency_months: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    procedure_months: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    postgres = connection.vendor == "postgresql"
    tables = [m._meta.db_table for m in (AgencyMonth, ProcedureMonth, DossierFact)]
    count = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
                # Deferred foreign-key checks pending on these tables forbid TRUNCATE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {', '.join(tables)}")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        writer = _FactWriter(postgres=postgres, chunk=chunk)
        for pk, agency, procedure, facts in all_dossier_facts(chunk=chunk):
            count += 1
            _accumulate(agency_months, procedure_months, agency, procedure, facts)
            writer.add(pk, agency, procedure, facts)
        writer.close()
        _bulk_write(AgencyMonth, agency_months)
        _bulk_write(ProcedureMonth, procedure_months)
        audit_record(
            actor=actor,
            action="reports.indicators.recomputed",
            target_type="reports.indicators",
            target_key="all",
            data={"dossiers": count},
        )
    return Recomputed(
        dossiers=count,
        agency_months=len(agency_months),
        procedure_months=len(procedure_months),
        seconds=time.perf_counter() - started,
    )


def _accumulate(
    agency_months: dict[tuple[Any, ...], dict[str, int]],
    procedure_months: dict[tuple[Any, ...], dict[str, int]],
    agency: int,
    procedure: int,
    facts: DossierFacts,
) -> None:
    change: Contribution = difference(facts, None)
    for month, values in change.items():
        by_agency = agency_months[(agency, month)]
        by_procedure = procedure_months[(agency, procedure, month)]
        for name, value in values.items():
            by_agency[name] += value
            by_procedure[name] += value


def _bulk_write(
    model: type[AgencyMonth] | type[ProcedureMonth],
    rows: Mapping[tuple[Any, ...], Mapping[str, int]],
    batch: int = 5000,
) -> None:
    keys = _KEYS[model]
    objects: list[Any] = []
    for key, values in rows.items():
        fields = dict(zip(keys, key, strict=True))
        objects.append(model(**fields, **{name: values.get(name, 0) for name in COUNTERS}))
    model.objects.bulk_create(objects, batch_size=batch)


class _FactWriter:
    """Write ``DossierFact`` rows: COPY on PostgreSQL, bulk inserts elsewhere."""

    def __init__(self, *, postgres: bool, chunk: int) -> None:
        self.postgres = postgres
        self.chunk = chunk
        self.rows: list[tuple[Any, ...]] = []

    def add(self, pk: int, agency: int, procedure: int, facts: DossierFacts) -> None:
        values = asdict(facts)
        self.rows.append(
            (pk, agency, procedure, *(values[n] for n in FACT_FIELDS), late_from(facts))
        )
        if len(self.rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.postgres:
            self._copy(self.rows)
        else:
            DossierFact.objects.bulk_create(
                [DossierFact(**dict(zip(_FACT_COLUMNS, row, strict=True))) for row in self.rows],
                batch_size=2000,
            )
        self.rows = []

    def _copy(self, rows: Iterable[tuple[Any, ...]]) -> None:
        columns = ", ".join(_FACT_COLUMNS)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {DossierFact._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def close(self) -> None:
        self.flush()


__all__ = ["Recomputed", "recompute_indicators", "record_dossier_change"]
