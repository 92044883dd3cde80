"""Make the audit log append-only in the database itself.

The model refuses ``save()`` of an existing entry and ``delete()``, but ``QuerySet.update()``
and raw SQL bypass the model; these triggers do not. UPDATE is refused on SQLite and
PostgreSQL. DELETE is refused on PostgreSQL only: Django's test flush empties tables with
DELETE on SQLite, while on PostgreSQL it uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

SQLITE_INSTALL = [
    """
    CREATE TRIGGER core_auditentry_no_update
    BEFORE UPDATE ON core_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'core_auditentry is append-only: UPDATE refused');
    END
    """,
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS core_auditentry_no_update"]

# SQLSTATE 23001 (restrict_violation) so that Django raises IntegrityError, as on SQLite.
POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'core_auditentry is append-only: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER core_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_change()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update_delete ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_refuse_change()",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        # params=None: the PL/pgSQL body has a literal % that must not be read as a placeholder.
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REMOVE, "postgresql": POSTGRESQL_REMOVE})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
