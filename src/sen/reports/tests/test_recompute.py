"""The two recomputations (set-based SQL on PostgreSQL, Python elsewhere) give the same rows,
and counting a change live costs few queries."""

import contextlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings

from sen.dossiers.models import Dossier, DossierRating
from sen.errors import DomainError
from sen.reports.models import DossierFact
from sen.reports.services import recompute_indicators, record_dossier_change
from sen.reports.tests.changes import _act, snapshot, steps
from sen.tests.clock import at

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based recomputation needs PostgreSQL"
)


def _returned_and_rated(submit, people, clock):
    """Return a dossier taken through receipt, its steps, result, return and rating."""
    dossier = submit().dossier
    for action in ("receive", "step", "step", "result", "step", "return", "rate"):
        clock(clock.now + timedelta(hours=3))
        dossier = Dossier.objects.select_related("current_step").get(pk=dossier.pk)
        with contextlib.suppress(DomainError):
            _act(action, dossier, people, clock.now)
    assert DossierRating.objects.filter(dossier=dossier).exists()
    return dossier


@on_postgresql
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
def test_the_sql_recomputation_equals_the_python_one_after_any_sequence_of_changes(
    script, submit, clock, people
):
    """Given dossiers changed at random through the real services,
    when the indicators are recomputed in the database and then in Python,
    then both leave the same counters and facts, row for row."""
    with transaction.atomic():
        clock(at(25, 9))
        dossiers = [submit().dossier]
        for which, action, hours in script:
            clock(clock.now + timedelta(hours=hours))
            if action == "submit":
                dossiers.append(submit().dossier)
                continue
            dossier = Dossier.objects.select_related("current_step").get(
                pk=dossiers[which % len(dossiers)].pk
            )
            with contextlib.suppress(DomainError):
                _act(action, dossier, people, clock.now)
        in_sql = recompute_indicators(in_database=True)
        from_sql = snapshot()
        in_python = recompute_indicators(in_database=False)
        assert (in_sql.in_database, in_python.in_database) == (True, False)
        assert snapshot() == from_sql
        transaction.set_rollback(True)


@on_postgresql
@pytest.mark.parametrize(
    ("scores", "satisfied"),
    [
        ({"a": 2, "b": 1, "c": 0}, True),
        ({"a": 0, "b": 0, "c": 2}, False),
        ({"a": True, "b": 1, "c": 1.5}, True),  # a boolean counts 1; a fraction is left out
        ({"a": False, "b": 0.9, "note": "x"}, False),
        ({"note": "x"}, False),
        ({}, False),
    ],
)
def test_rating_scores_of_any_shape_are_judged_alike_in_sql_and_python(
    scores, satisfied, submit, clock, people
):
    """Given a rated dossier whose stored scores hold integers, booleans, fractions or text,
    when the indicators are recomputed both ways,
    then the rating counts as satisfied (or not) the same, as ``rating_satisfied`` says."""
    clock(at(23, 9))
    dossier = _returned_and_rated(submit, people, clock)
    DossierRating.objects.filter(dossier=dossier).update(scores=scores)

    recompute_indicators(in_database=True)
    from_sql = snapshot()
    recompute_indicators(in_database=False)

    assert snapshot() == from_sql
    assert DossierFact.objects.get(dossier=dossier).rating_satisfied is satisfied


def test_the_database_recomputation_is_refused_elsewhere_than_on_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL it is the default")
    with pytest.raises(ValueError, match="PostgreSQL"):
        recompute_indicators(in_database=True)


def test_a_change_that_changes_no_fact_writes_nothing(
    submit, clock, people, django_assert_num_queries
):
    """Given a received dossier already counted,
    when it is counted again unchanged, then only its counted facts are read (one query);
    when it is withdrawn, then the counters and facts are written in one more statement on
    PostgreSQL (six on SQLite: the counters of the agency, procedure, province, province and
    procedure, the open dossiers by day, and the facts)."""
    dossier = submit().dossier
    _act("receive", dossier, people, clock.now)
    dossier = Dossier.objects.select_related("procedure").get(pk=dossier.pk)

    with django_assert_num_queries(1):
        record_dossier_change(dossier=dossier)

    dossier.status, dossier.finished_at = "withdrawn", clock.now
    writes = 1 if connection.vendor == "postgresql" else 6
    with django_assert_num_queries(1 + writes):
        record_dossier_change(dossier=dossier)
    assert DossierFact.objects.get(dossier=dossier).ending == "withdrawn"


def test_the_command_says_how_many_dossiers_it_counted_and_how(submit):
    """Given one dossier, when ``sen recompute_indicators`` runs, then it reports one dossier
    and the way it counted (in the database on PostgreSQL, in Python elsewhere)."""
    submit()
    out = io.StringIO()

    call_command("recompute_indicators", stdout=out)

    way = "trong cơ sở dữ liệu" if connection.vendor == "postgresql" else "bằng Python"
    assert out.getvalue().startswith("1 hồ sơ;")
    assert way in out.getvalue()
