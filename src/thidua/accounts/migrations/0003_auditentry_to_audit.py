"""AuditEntry moved to the audit app: removed from this app's state only; the table, its rows and
its triggers stay where they are (audit/0001 takes the same table over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_audit_append_only"),
        ("audit", "0001_auditentry_from_accounts"),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
