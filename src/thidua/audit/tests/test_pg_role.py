"""The database role docs/deployment.md gives the app on PostgreSQL: it reads and writes rows, but
cannot TRUNCATE the audit table, drop or disable its triggers, or alter it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from thidua.audit.models import AuditEntry
from thidua.audit.services import audit_record, audit_verify

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
    pytest.mark.django_db,
]
DEPLOYMENT = Path(__file__).resolve().parents[4] / "docs" / "deployment.md"
# run by the owner after `migrate`, word for word as documented (the role renamed)
GRANTS = [
    "GRANT USAGE ON SCHEMA public TO thidua_app;",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO thidua_app;",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO thidua_app;",
    "REVOKE UPDATE, DELETE ON accounts_auditentry FROM thidua_app;",
]
REFUSED = {
    "TRUNCATE accounts_auditentry": "permission denied",
    "DROP TRIGGER audit_no_truncate ON accounts_auditentry": "must be owner",
    "DROP TRIGGER audit_no_change ON accounts_auditentry": "must be owner",
    "ALTER TABLE accounts_auditentry DISABLE TRIGGER ALL": "must be owner",
    "ALTER TABLE accounts_auditentry ADD COLUMN x integer": "must be owner",
    "DROP TABLE accounts_auditentry": "must be owner",
    "DELETE FROM accounts_auditentry": "permission denied",
    "UPDATE accounts_auditentry SET action = 'x'": "permission denied",
}


def test_the_documented_grants_are_the_tested_ones():
    text = DEPLOYMENT.read_text()
    for statement in GRANTS:
        assert statement in text


def test_the_app_role_writes_but_cannot_truncate_alter_or_drop_triggers():
    role = f"thidua_app_t{os.getpid()}"  # roles are per cluster; the test's transaction drops it
    with connection.cursor() as c:
        c.execute(f"CREATE ROLE {role} NOLOGIN")
        for statement in GRANTS:
            c.execute(statement.replace("thidua_app", role))
        c.execute(f"SET ROLE {role}")
        try:
            entry = audit_record(actor=None, action="test.as_app_role", object_type="thing")
            assert AuditEntry.objects.filter(pk=entry.pk).exists()
            for statement, error in REFUSED.items():
                with pytest.raises(DatabaseError, match=error), transaction.atomic():
                    c.execute(statement)
        finally:
            c.execute("RESET ROLE")
    assert audit_verify().ok
