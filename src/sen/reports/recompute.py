"""Recount the indicators from scratch: the monthly counters and the counted facts.

Two paths that give the same rows (a test compares them on PostgreSQL, and the live-counting
test compares each with the counts kept live): on PostgreSQL the database computes everything
set-based (``sen.reports.bulk``: three statements, about ten million dossiers in minutes); on
SQLite, the embedded default for small installations, Python sums ``facts.contribution`` of
each dossier streamed from one query.
"""

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction

from sen.core.services import audit_record
from sen.reports import bulk
from sen.reports.facts import COUNTERS, DossierFacts, contribution, late_from, open_late_day
from sen.reports.models import (
    FACT_FIELDS,
    AgencyMonth,
    DossierFact,
    OpenLateDay,
    ProcedureMonth,
    ProvinceMonth,
    ProvinceProcedureMonth,
)
from sen.reports.sources import agency_provinces, all_dossier_facts

KEYS: dict[type, tuple[str, ...]] = {
    AgencyMonth: ("agency_id", "month"),
    ProcedureMonth: ("agency_id", "procedure_id", "month"),
    ProvinceMonth: ("province_id", "month"),
    ProvinceProcedureMonth: ("province_id", "procedure_id", "month"),
}
TABLES = (AgencyMonth, ProcedureMonth, ProvinceMonth, ProvinceProcedureMonth, OpenLateDay)


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
    tables = [m._meta.db_table for m in (*TABLES, DossierFact)]
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
    procedure_months: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    open_late_days: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    count = 0
    writer = _FactWriter(postgres=postgres, chunk=chunk)
    for pk, agency, procedure, facts in all_dossier_facts(chunk=chunk):
        count += 1
        for month, values in contribution(facts).items():
            by_procedure = procedure_months[(agency, procedure, month)]
            for name, value in values.items():
                by_procedure[name] += value
        day = open_late_day(facts)
        if day is not None:
            open_late_days[(agency, day)]["open"] += 1
        writer.add(pk, agency, procedure, facts)
    writer.flush()
    province_of = {
        row["src_agency"]: row["src_province"]
        for row in agency_provinces()
        if row["src_province"] is not None
    }
    rollups: dict[type, dict[tuple[Any, ...], dict[str, int]]] = {
        model: defaultdict(lambda: defaultdict(int))
        for model in (AgencyMonth, ProvinceMonth, ProvinceProcedureMonth)
    }
    for (agency, procedure, month), values in procedure_months.items():
        province = province_of.get(agency)
        keys: dict[type, tuple[Any, ...]] = {AgencyMonth: (agency, month)}
        if province is not None:
            keys[ProvinceMonth] = (province, month)
            keys[ProvinceProcedureMonth] = (province, procedure, month)
        for model, key in keys.items():
            for name, value in values.items():
                rollups[model][key][name] += value
    for model, rows in [(ProcedureMonth, procedure_months), *rollups.items()]:
        _bulk_write(model, KEYS[model], rows, COUNTERS)
    _bulk_write(OpenLateDay, ("agency_id", "day"), open_late_days, ("open",))
    return count, len(rollups[AgencyMonth]), len(procedure_months)


def _bulk_write(
    model: type[Any],
    keys: tuple[str, ...],
    rows: Mapping[tuple[Any, ...], Mapping[str, int]],
    counters: tuple[str, ...],
    batch: int = 5000,
) -> None:
    objects: list[Any] = []
    for key, values in rows.items():
        fields = dict(zip(keys, key, strict=True))
        objects.append(model(**fields, **{name: values.get(name, 0) for name in counters}))
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
            self._copy()
        else:
            columns = bulk.FACT_COLUMNS
            objects = [DossierFact(**dict(zip(columns, row, strict=True))) for row in self.rows]
            DossierFact.objects.bulk_create(objects, batch_size=2000)
        self.rows = []

    def _copy(self) -> None:
        columns = ", ".join(bulk.FACT_COLUMNS)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {DossierFact._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(row)
