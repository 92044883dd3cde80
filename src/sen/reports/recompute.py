"""Recount the indicators from scratch: the monthly counters and the counted facts.

Two paths that give the same rows (a test compares them on PostgreSQL, and the live-counting
test compares each with the counts kept live): on PostgreSQL the database computes everything
set-based (``sen.reports.bulk``: three statements, about ten million dossiers in minutes); on
SQLite, the embedded default for small installations, Python sums ``facts.contribution`` of
each dossier streamed from one query.
"""

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction

from sen.core.services import audit_record
from sen.reports import bulk
from sen.reports.facts import COUNTERS, Contribution, DossierFacts, difference, late_from
from sen.reports.models import FACT_FIELDS, AgencyMonth, DossierFact, ProcedureMonth
from sen.reports.sources import all_dossier_facts

KEYS: dict[type, tuple[str, ...]] = {
    AgencyMonth: ("agency_id", "month"),
    ProcedureMonth: ("agency_id", "procedure_id", "month"),
}


@dataclass(frozen=True)
class Recomputed:
    dossiers: int
    agency_months: int
    procedure_months: int
    seconds: float
    in_database: bool


def recompute_indicators(
    *, actor: Any = None, chunk: int = 20_000, in_database: bool | None = None
) -> Recomputed:
    """Rebuild the monthly counters and the counted facts of every dossier from scratch.

    One transaction. On PostgreSQL the tables are locked first, so that dossier changes made
    meanwhile wait and are then counted against the recomputed facts. ``in_database`` picks
    the path: set-based SQL (PostgreSQL only, its default) or Python (the default elsewhere).
    """
    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    if in_database is None:
        in_database = postgres
    if in_database and not postgres:
        raise ValueError("The set-based recomputation needs PostgreSQL.")
    tables = [m._meta.db_table for m in (AgencyMonth, ProcedureMonth, DossierFact)]
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
        if in_database:
            count, agency_months, procedure_months = bulk.recompute_in_database()
        else:
            count, agency_months, procedure_months = _recompute_in_python(postgres, chunk)
        audit_record(
            actor=actor,
            action="reports.indicators.recomputed",
            target_type="reports.indicators",
            target_key="all",
            data={"dossiers": count, "in_database": in_database},
        )
    return Recomputed(
        dossiers=count,
        agency_months=agency_months,
        procedure_months=procedure_months,
        seconds=time.perf_counter() - started,
        in_database=in_database,
    )


def _recompute_in_python(postgres: bool, chunk: int) -> tuple[int, int, int]:
    """Sum all contributions in memory (one entry per agency, procedure and month), write them."""
    agency_months: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    procedure_months: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    count = 0
    writer = _FactWriter(postgres=postgres, chunk=chunk)
    for pk, agency, procedure, facts in all_dossier_facts(chunk=chunk):
        count += 1
        _accumulate(agency_months, procedure_months, agency, procedure, facts)
        writer.add(pk, agency, procedure, facts)
    writer.close()
    _bulk_write(AgencyMonth, agency_months)
    _bulk_write(ProcedureMonth, procedure_months)
    return count, len(agency_months), len(procedure_months)


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
    keys = KEYS[model]
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
            columns = bulk.FACT_COLUMNS
            objects = [DossierFact(**dict(zip(columns, row, strict=True))) for row in self.rows]
            DossierFact.objects.bulk_create(objects, batch_size=2000)
        self.rows = []

    def _copy(self, rows: Iterable[tuple[Any, ...]]) -> None:
        columns = ", ".join(bulk.FACT_COLUMNS)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {DossierFact._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def close(self) -> None:
        self.flush()
