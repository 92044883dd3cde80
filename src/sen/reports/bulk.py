"""The set-based recomputation on PostgreSQL: the facts and the counters in six statements.

``sen.reports.facts`` says what one dossier contributes to each month, in Python; this module
says the same in SQL, so that PostgreSQL rebuilds the aggregates of ten million dossiers
without sending a row to Python:

1. ``INSERT INTO reports_dossierfact … SELECT`` the facts of every dossier from the dossiers'
   rows (``sources.dossier_rows``, compiled by the ORM), with ``late_from``;
2. ``INSERT INTO reports_proceduremonth … SELECT … GROUP BY`` the contributions: six passes
   over the facts (submitted, received, finished, became late, returned, rated), each summed
   by agency, procedure and the month of its moment, then summed together;
3. the agencies' and the provinces' months summed from those rows, and the open dossiers
   counted by the day they become late.

A test runs both recomputations on the same dossiers and compares them row for row, and the
live-counting test runs this one on PostgreSQL.
"""

from typing import Any

from django.db import connection

from sen.catalog.models import OnlineLevel
from sen.core.periods import VIETNAM
from sen.dossiers.states import ReturnMethod
from sen.reports.facts import COUNTERS, REFUSED, RESULT, STOPPED, WITHDRAWN
from sen.reports.models import (
    FACT_FIELDS,
    AgencyMonth,
    DossierFact,
    OpenLateDay,
    ProcedureMonth,
    ProvinceMonth,
    ProvinceProcedureMonth,
)
from sen.reports.sources import ENDING_OF_STATUS, agency_provinces, dossier_rows, sql_literal

FACT_COLUMNS = ("dossier_id", "agency_id", "procedure_id", *FACT_FIELDS, "late_from")
_ZONE = f"'{VIETNAM.key}'"


def _late_from(s: str) -> str:
    """Return the SQL of ``facts.late_from`` over the source columns of alias ``s``."""
    return (
        f"CASE WHEN {s}.src_received IS NULL THEN NULL "
        f"WHEN {s}.src_supplements > 1 THEN {s}.src_received "
        f"WHEN {s}.src_finished IS NULL AND {s}.src_stopped IS NOT NULL "
        f"THEN CASE WHEN {s}.src_stopped > {s}.src_due THEN {s}.src_due END "
        f"ELSE {s}.src_due END"
    )


def _satisfied(scores: str) -> str:
    """Return the SQL of ``sources.rating_satisfied`` for the jsonb ``scores`` (or NULL).

    As in Python: the criteria whose value is an integer (a boolean counts as 0 or 1) average
    at least ``SATISFIED_FROM``. jsonb prints an integer without a point or exponent.
    """
    from sen.dossiers.ratings import SATISFIED_FROM

    value = (
        "CASE jsonb_typeof(v) WHEN 'boolean' THEN (v = 'true'::jsonb)::int "
        "ELSE (v #>> '{}')::numeric END"
    )
    return (
        f"COALESCE((SELECT count(*) > 0 AND sum({value}) >= {int(SATISFIED_FROM)} * count(*) "  # noqa: S608
        f"FROM jsonb_each({scores}) AS e(k, v) WHERE jsonb_typeof(v) = 'boolean' "
        f"OR (jsonb_typeof(v) = 'number' AND v::text ~ '^-?[0-9]+$')), false)"
    )


def insert_facts_sql() -> tuple[str, list[Any]]:
    """Return the statement writing every dossier's facts into the empty facts table."""
    source, params = dossier_rows().query.sql_with_params()
    ending = "CASE s.src_status " + " ".join(
        f"WHEN {sql_literal(status)} THEN {sql_literal(end)}"
        for status, end in ENDING_OF_STATUS.items()
    )
    ending += " ELSE '' END"
    results = ", ".join(
        sql_literal(status) for status, end in ENDING_OF_STATUS.items() if end == RESULT
    )
    values = {
        "dossier_id": "s.src_id",
        "agency_id": "s.src_agency",
        "procedure_id": "s.src_procedure",
        "channel": "s.src_channel",
        "online_capable": f"s.src_level <> {sql_literal(OnlineLevel.NONE)}",
        "submitted_at": "s.src_submitted",
        "received_at": "s.src_received",
        "finished_at": "s.src_finished",
        "ending": ending,
        "original_due_at": "s.src_due",
        "clock_stopped_at": "s.src_stopped",
        "supplement_count": "s.src_supplements",
        "digitized": "s.src_files",
        # Only a resolved dossier's result counts (see ``facts.contribution``).
        "result_file": f"s.src_result AND s.src_status IN ({results})",
        "returned_at": "s.src_returned",
        "returned_electronically": f"s.src_method = {sql_literal(ReturnMethod.ELECTRONIC)}",
        "rated_at": "s.src_rated_at",
        "rating_satisfied": f"s.src_scores IS NOT NULL AND {_satisfied('s.src_scores')}",
        "late_from": _late_from("s"),
    }
    table = DossierFact._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(FACT_COLUMNS)}) "  # noqa: S608
        f"SELECT {', '.join(values[c] for c in FACT_COLUMNS)} FROM ({source}) AS s"
    )
    return sql, list(params)


def _month(moment: str) -> str:
    return f"date_trunc('month', ({moment}) AT TIME ZONE {_ZONE})::date"


def _int(condition: str) -> str:
    """Return 1 where ``condition`` holds, else 0 (also where it is NULL)."""
    return f"(COALESCE({condition}, false))::int"


def _contribution_parts() -> list[tuple[str, dict[str, str]]]:
    """Return ``facts.contribution`` as dated parts: (moment, counter → SQL value) over ``f``.

    Each part is summed in its own pass over the facts, where its moment is not NULL: a
    pass computes only its few counters, which costs far less than one pass making six
    rows of every counter per dossier.
    """
    outcome = (
        "CASE WHEN f.late_from IS NOT NULL AND f.finished_at > f.late_from THEN 'late' "
        f"WHEN f.original_due_at IS NOT NULL AND (f.finished_at AT TIME ZONE {_ZONE})::date "
        f"< (f.original_due_at AT TIME ZONE {_ZONE})::date THEN 'early' "
        "ELSE 'on_time' END"
    )
    resolved = (
        f"f.received_at IS NOT NULL AND f.ending IN ({sql_literal(RESULT)}, {sql_literal(STOPPED)})"
    )
    became_late = "GREATEST(f.received_at, f.late_from)"
    late_open = (
        f"f.received_at IS NOT NULL AND f.late_from IS NOT NULL "
        f"AND (f.finished_at IS NULL OR {became_late} < f.finished_at)"
    )
    return [
        ("f.submitted_at", {"submitted": "1"}),
        (
            "f.received_at",
            {
                "received": "1",
                "open_delta": "1",
                "digitized": _int("f.digitized"),
                "received_desk": _int("f.channel = 'desk'"),
                "received_online": _int("f.channel = 'online'"),
                "received_post": _int("f.channel = 'post'"),
                "online_capable": _int("f.online_capable"),
                "online_capable_online": _int("f.online_capable AND f.channel = 'online'"),
            },
        ),
        (
            "f.finished_at",
            {
                "open_delta": f"-{_int('f.received_at IS NOT NULL')}",
                "open_late_delta": f"-{_int(late_open)}",
                "refused": _int(f"f.ending = {sql_literal(REFUSED)}"),
                "withdrawn": _int(f"f.ending = {sql_literal(WITHDRAWN)}"),
                "resolved": _int(resolved),
                "resolved_early": _int(f"{resolved} AND {outcome} = 'early'"),
                "resolved_on_time": _int(f"{resolved} AND {outcome} = 'on_time'"),
                "resolved_late": _int(f"{resolved} AND {outcome} = 'late'"),
                "processing_seconds": (
                    f"CASE WHEN {resolved} THEN "
                    "trunc(extract(epoch FROM f.finished_at - f.received_at))::bigint ELSE 0 END"
                ),
                "stopped": _int(f"{resolved} AND f.ending = {sql_literal(STOPPED)}"),
                "with_result": _int(f"{resolved} AND f.ending = {sql_literal(RESULT)}"),
                "electronic_result": _int(
                    f"{resolved} AND f.ending = {sql_literal(RESULT)} AND f.result_file"
                ),
            },
        ),
        (f"CASE WHEN {late_open} THEN {became_late} END", {"open_late_delta": "1"}),
        (
            "f.returned_at",
            {"returned": "1", "returned_electronic": _int("f.returned_electronically")},
        ),
        ("f.rated_at", {"rated": "1", "rated_satisfied": _int("f.rating_satisfied")}),
    ]


def insert_procedure_months_sql() -> str:
    """Return the statement summing every fact's contribution by agency, procedure and month."""
    facts = DossierFact._meta.db_table
    passes = []
    for moment, values in _contribution_parts():
        sums = ", ".join(
            f"sum({values[name]}) AS {name}" if name in values else f"0 AS {name}"
            for name in COUNTERS
        )
        passes.append(
            f"SELECT f.agency_id, f.procedure_id, {_month(moment)} AS month, {sums} "  # noqa: S608
            f"FROM {facts} AS f WHERE ({moment}) IS NOT NULL GROUP BY 1, 2, 3"
        )
    sums = ", ".join(f"sum(c.{name})" for name in COUNTERS)
    return (
        f"INSERT INTO {ProcedureMonth._meta.db_table} "  # noqa: S608
        f"(agency_id, procedure_id, month, {', '.join(COUNTERS)}) "
        f"SELECT c.agency_id, c.procedure_id, c.month, {sums} "
        f"FROM ({' UNION ALL '.join(passes)}) AS c GROUP BY c.agency_id, c.procedure_id, c.month"
    )


def insert_open_late_days_sql() -> str:
    """Return the statement counting the open dossiers by agency and day they become late."""
    return (
        f"INSERT INTO {OpenLateDay._meta.db_table} (agency_id, day, open) "  # noqa: S608
        f"SELECT agency_id, (late_from AT TIME ZONE {_ZONE})::date, count(*) "
        f"FROM {DossierFact._meta.db_table} "
        "WHERE received_at IS NOT NULL AND finished_at IS NULL AND late_from IS NOT NULL "
        "GROUP BY 1, 2"
    )


def rollup_sql(target: str, keys: dict[str, str]) -> tuple[str, list[Any]]:
    """Return the statement summing the procedure months into ``target`` by ``keys``.

    ``keys`` maps each key column of ``target`` to its SQL over ``p`` (the procedure months)
    and ``a`` (each agency's province, ``sources.agency_provinces``); agencies outside any
    province are left out.
    """
    provinces, params = agency_provinces().query.sql_with_params()
    where = "WHERE a.src_province IS NOT NULL" if "province_id" in keys else ""
    sums = ", ".join(f"sum(p.{name})" for name in COUNTERS)
    sql = (
        f"INSERT INTO {target} ({', '.join(keys)}, {', '.join(COUNTERS)}) "  # noqa: S608
        f"SELECT {', '.join(keys.values())}, {sums} "
        f"FROM {ProcedureMonth._meta.db_table} AS p "
        f"JOIN ({provinces}) AS a ON a.src_agency = p.agency_id "
        f"{where} "
        f"GROUP BY {', '.join(keys.values())}"
    )
    return sql, list(params)


def recompute_in_database() -> tuple[int, int, int]:
    """Fill the emptied tables from the dossiers; return (dossiers, agency months, procedure
    months). PostgreSQL only; run inside the recomputation's transaction."""
    sql, params = insert_facts_sql()
    rollups = {
        AgencyMonth: {"agency_id": "p.agency_id", "month": "p.month"},
        ProvinceMonth: {"province_id": "a.src_province", "month": "p.month"},
        ProvinceProcedureMonth: {
            "province_id": "a.src_province",
            "procedure_id": "p.procedure_id",
            "month": "p.month",
        },
    }
    counts = {}
    with connection.cursor() as cursor:
        # The sums group about a hundred thousand keys: keep the hash tables in memory.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, params)
        dossiers = cursor.rowcount
        cursor.execute(insert_procedure_months_sql())
        procedure_months = cursor.rowcount
        for model, keys in rollups.items():
            cursor.execute(*rollup_sql(model._meta.db_table, keys))
            counts[model] = cursor.rowcount
        cursor.execute(insert_open_late_days_sql())
    return dossiers, counts[AgencyMonth], procedure_months
