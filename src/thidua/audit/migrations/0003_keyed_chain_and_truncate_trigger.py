"""The keyed chain (ADR 0015): rows written so far are marked SHA-256 (algo 1) and verified as
before; new rows are HMAC-SHA256 (algo 2). The actor keeps no constraint and no cascade, so a
user can be deleted without touching the append-only rows. On PostgreSQL a statement trigger
refuses TRUNCATE, which row triggers never see.

SQLite rebuilds the table for both field changes, which drops its triggers: they are created
again at the end (and again on the way back)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "accounts_auditentry"
SQLITE_ROW_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
]
PG_UP = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql;""",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();",
]
PG_DOWN = [f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};"]


def row_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_ROW_TRIGGERS:
            schema_editor.execute(statement)


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_UP:
            schema_editor.execute(statement)
    else:
        row_triggers(apps, schema_editor)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, row_triggers),
        migrations.AddField(
            model_name="auditentry",
            name="algo",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "SHA-256 (không khoá, bản ghi cũ)"), (2, "HMAC-SHA256 (có khoá)")],
                default=1,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(up, down),
    ]
