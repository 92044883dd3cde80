"""The set-based recomputation on PostgreSQL: the facts and the counters in three statements.

``sen.reports.facts`` says what one dossier contributes to each month, in Python; this module
says the same in SQL, so that PostgreSQL rebuilds the aggregates of ten million dossiers
without sending a row to Python:

1. ``INSERT INTO reports_dossierfact … SELECT`` the facts of every dossier from the dossiers'
   rows (``sources.dossier_rows``, compiled by the ORM), with ``late_from``;
2. ``INSERT INTO reports_proceduremonth … SELECT … GROUP BY`` the contributions: each fact
   gives up to six dated rows (submitted, received, finished, became late, returned, rated)
   through ``CROSS JOIN LATERAL (VALUES …)``, summed by agency, procedure and month;
3. the agencies' months and the provinces' procedure months summed from those rows.

A test runs both recomputations on the same dossiers and compares them row for row, and the
live-counting test runs this one on PostgreSQL.
"""

from typing import Any

from django.db import connection

from sen.catalog.models import OnlineLevel
from sen.dossiers.states import ReturnMethod
from sen.reports.facts import COUNTERS, REFUSED, RESULT, STOPPED, WITHDRAWN
from sen.reports.models import FACT_FIELDS, DossierFact, ProcedureMonth
from sen.reports.periods import VIETNAM
from sen.reports.sources import ENDING_OF_STATUS, dossier_rows

FACT_COLUMNS = ("dossier_id", "agency_id", "procedure_id", *FACT_FIELDS, "late_from")
_ZONE = f"'{VIETNAM.key}'"


def _literal(text: str) -> str:
    """Return ``text`` as an SQL string literal (the module's own constants only)."""
    return "'" + text.replace("'", "''") + "'"


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
        f"WHEN {_literal(status)} THEN {_literal(end)}" for status, end in ENDING_OF_STATUS.items()
    )
    ending += " ELSE '' END"
    results = ", ".join(
        _literal(status) for status, end in ENDING_OF_STATUS.items() if end == RESULT
    )
    values = {
        "dossier_id": "s.src_id",
        "agency_id": "s.src_agency",
        "procedure_id": "s.src_procedure",
        "channel": "s.src_channel",
        "online_capable": f"s.src_level <> {_literal(OnlineLevel.NONE)}",
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
        "returned_electronically": f"s.src_method = {_literal(ReturnMethod.ELECTRONIC)}",
        "rated_at": "s.src_rated_at",
        "rating_satisfied": _satisfied("s.src_scores"),
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


def _contribution_rows() -> list[tuple[str, dict[str, str]]]:
    """Return ``facts.contribution`` as dated rows: (moment, counter → SQL value) over ``f``.

    A row whose moment is NULL contributes nothing. ``f.outcome`` and ``f.became_late`` are
    computed once per fact by the subquery of :func:`insert_procedure_months_sql`.
    """
    received = "f.received_at IS NOT NULL"
    late_open = (
        f"{received} AND f.late_from IS NOT NULL "
        "AND (f.finished_at IS NULL OR f.became_late < f.finished_at)"
    )
    resolved = "f.outcome IS NOT NULL"
    return [
        ("f.submitted_at", {"submitted": "1"}),
        (
            f"CASE WHEN {received} THEN f.received_at END",
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
                "open_delta": f"-{_int(received)}",
                "open_late_delta": f"-{_int(late_open)}",
                "refused": _int(f"f.ending = {_literal(REFUSED)}"),
                "withdrawn": _int(f"f.ending = {_literal(WITHDRAWN)}"),
                "resolved": _int(resolved),
                "resolved_early": _int("f.outcome = 'early'"),
                "resolved_on_time": _int("f.outcome = 'on_time'"),
                "resolved_late": _int("f.outcome = 'late'"),
                "processing_seconds": (
                    f"CASE WHEN {resolved} THEN "
                    "trunc(extract(epoch FROM f.finished_at - f.received_at))::bigint ELSE 0 END"
                ),
                "stopped": _int(f"{resolved} AND f.ending = {_literal(STOPPED)}"),
                "with_result": _int(f"{resolved} AND f.ending <> {_literal(STOPPED)}"),
                "electronic_result": _int(
                    f"{resolved} AND f.ending <> {_literal(STOPPED)} AND f.result_file"
                ),
            },
        ),
        (f"CASE WHEN {late_open} THEN f.became_late END", {"open_late_delta": "1"}),
        (
            "f.returned_at",
            {"returned": "1", "returned_electronic": _int("f.returned_electronically")},
        ),
        ("f.rated_at", {"rated": "1", "rated_satisfied": _int("f.rating_satisfied")}),
    ]


def insert_procedure_months_sql() -> str:
    """Return the statement summing every fact's contribution by agency, procedure and month."""
    rows = []
    for moment, values in _contribution_rows():
        cells = [_month(moment), *(values.get(name, "0") for name in COUNTERS)]
        rows.append("(" + ", ".join(cells) + ")")
    outcome = (
        "CASE WHEN finished_at IS NOT NULL AND received_at IS NOT NULL "
        f"AND ending IN ({_literal(RESULT)}, {_literal(STOPPED)}) THEN "
        "CASE WHEN late_from IS NOT NULL AND finished_at > late_from THEN 'late' "
        f"WHEN original_due_at IS NOT NULL AND (finished_at AT TIME ZONE {_ZONE})::date "
        f"< (original_due_at AT TIME ZONE {_ZONE})::date THEN 'early' "
        "ELSE 'on_time' END END"
    )
    facts = (
        f"SELECT *, {outcome} AS outcome, GREATEST(received_at, late_from) AS became_late "  # noqa: S608
        f"FROM {DossierFact._meta.db_table}"
    )
    sums = ", ".join(f"sum(c.{name})" for name in COUNTERS)
    return (
        f"INSERT INTO {ProcedureMonth._meta.db_table} "  # noqa: S608
        f"(agency_id, procedure_id, month, {', '.join(COUNTERS)}) "
        f"SELECT f.agency_id, f.procedure_id, c.month, {sums} "
        f"FROM ({facts}) AS f CROSS JOIN LATERAL (VALUES {', '.join(rows)}) "
        f"AS c(month, {', '.join(COUNTERS)}) "
        "WHERE c.month IS NOT NULL GROUP BY f.agency_id, f.procedure_id, c.month"
    )


def rollup_sql(target: str, keys: dict[str, str], joins: str = "") -> str:
    """Return the statement summing the procedure months into ``target`` by ``keys``.

    ``keys`` maps each key column of ``target`` to its SQL over ``p`` (the procedure months)
    and the tables of ``joins``.
    """
    sums = ", ".join(f"sum(p.{name})" for name in COUNTERS)
    return (
        f"INSERT INTO {target} ({', '.join(keys)}, {', '.join(COUNTERS)}) "  # noqa: S608
        f"SELECT {', '.join(keys.values())}, {sums} "
        f"FROM {ProcedureMonth._meta.db_table} AS p {joins} "
        f"GROUP BY {', '.join(keys.values())}"
    )


def recompute_in_database() -> tuple[int, int, int]:
    """Fill the emptied tables from the dossiers; return (dossiers, agency months, procedure
    months). PostgreSQL only; run inside the recomputation's transaction."""
    from sen.reports.models import AgencyMonth

    sql, params = insert_facts_sql()
    with connection.cursor() as cursor:
        # The sums group about a hundred thousand keys: keep the hash tables in memory.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, params)
        dossiers = cursor.rowcount
        cursor.execute(insert_procedure_months_sql())
        procedure_months = cursor.rowcount
        cursor.execute(
            rollup_sql(AgencyMonth._meta.db_table, {"agency_id": "p.agency_id", "month": "p.month"})
        )
        agency_months = cursor.rowcount
    return dossiers, agency_months, procedure_months
