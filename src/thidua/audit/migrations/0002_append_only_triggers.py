"""The triggers that refuse UPDATE and DELETE on the audit table, owned by this app from now on.
accounts/0002 created them first; this re-creates them idempotently, so every database that has
migrated this far has them (both engines)."""

from django.db import migrations

SQLITE_UP = [
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON accounts_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON accounts_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
]
PG_UP = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER IF EXISTS audit_no_change ON accounts_auditentry;",
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON accounts_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
]


def up(apps, schema_editor):
    sql = PG_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP
    for statement in sql:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_auditentry_from_accounts")]
    # going back leaves the triggers: accounts/0002 still owns them below this point
    operations = [migrations.RunPython(up, migrations.RunPython.noop)]
