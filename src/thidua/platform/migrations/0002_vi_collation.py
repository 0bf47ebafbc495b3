"""The `vi` collation (ICU, CLDR Vietnamese) on PostgreSQL, so that ORDER BY ... COLLATE "vi"
means the same on PostgreSQL and SQLite (where `thidua.platform.collation` registers it on
every connection)."""

from typing import Any

from django.db import migrations


def create_collation(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE COLLATION IF NOT EXISTS "vi" (provider = icu, locale = \'vi\')')


def drop_collation(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP COLLATION IF EXISTS "vi"')


class Migration(migrations.Migration):

    dependencies = [("platform", "0001_transition_event")]

    operations = [migrations.RunPython(create_collation, drop_collation)]
