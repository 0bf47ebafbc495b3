"""Tokens created before expiry and scope existed keep working: read-write, expiring
THIDUA_API_TOKEN_DAYS after their creation."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0003_auditentry_to_audit")]
AFTER = [("accounts", "0005_token_expiry_required_password_change")]


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_get_an_expiry_and_write_scope(settings):
    settings.THIDUA_API_TOKEN_DAYS = 90
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="cu")
    token = old.get_model("accounts", "ApiToken").objects.create(user=user, name="cũ",
                                                                 digest="a" * 64)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    migrated = new.get_model("accounts", "ApiToken").objects.get(pk=token.pk)
    assert migrated.scope == "write" and migrated.revoked_at is None
    assert migrated.expires_at == token.created_at + dt.timedelta(days=90)
