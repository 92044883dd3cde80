"""The audit log is append-only, down to the database."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction

from sen.core.models import AppendOnlyError, AuditEntry
from sen.core.selectors import audit_for
from sen.core.services import audit_record
from sen.core.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> AuditEntry:
    return audit_record(
        actor=None, action="core.test.done", target_type="core.thing", target_key="k1"
    )


def test_an_update_through_the_orm_is_refused_by_the_database(entry: AuditEntry) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="core.test.undone")

    entry.refresh_from_db()
    assert entry.action == "core.test.done"


def test_an_update_in_raw_sql_is_refused_by_the_database(entry: AuditEntry) -> None:
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditentry SET actor_label = 'someone else'")

    entry.refresh_from_db()
    assert entry.actor_label == "system"


def test_a_delete_is_refused_by_the_database_on_postgresql(entry: AuditEntry) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite the test flush deletes rows, so only UPDATE is refused there")

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_model_refuses_to_save_or_delete_an_entry(entry: AuditEntry) -> None:
    entry.action = "core.test.undone"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert AuditEntry.objects.get().action == "core.test.done"


def test_the_entries_of_one_object_come_newest_first() -> None:
    officer = UserFactory(username="lanhdao")
    agency = AgencyFactory(code="000.10.00.H90")
    first = audit_record(actor=officer, action="core.agency.created", target=agency)
    second = audit_record(actor=None, action="core.agency.updated", target=agency)
    audit_record(actor=None, action="core.agency.updated", target=officer)

    entries = list(audit_for(target_type="core.agency", target_key="000.10.00.H90"))

    assert entries == [second, first]
    assert (first.actor_label, second.actor_label) == ("lanhdao", "system")
    assert audit_for(target_type="core.agency", target_key="000.11.00.H90").count() == 0


def test_an_entry_reads_in_the_admin_at_its_moment_in_vietnam_time(entry: AuditEntry) -> None:
    """The admin names an entry by its moment as every page writes one, in Vietnam time
    (the database keeps UTC, seven hours behind)."""
    stored = AuditEntry.objects.get(pk=entry.pk)
    stored.at = datetime(2026, 11, 22, 17, 5, tzinfo=UTC)

    assert str(stored) == "00:05 23/11/2026 system core.test.done k1"
