"""PostgreSQL only: `path LIKE 'prefix%'` uses a btree index only with the pattern operator class
(the default collation is not C). SQLite's LIKE is served by the plain indexes of 0001."""

from django.db import migrations

from thidua.platform.migration_ops import postgresql_only

PG_UP = [
    # subtree of a unit today (scoping): WHERE path LIKE '0001000A%'
    "CREATE INDEX IF NOT EXISTS org_unit_path_pattern ON org_unit (path varchar_pattern_ops);",
    # subtree as of a date: WHERE path LIKE 'P%' AND valid_from <= D AND (valid_to ...)
    "CREATE INDEX IF NOT EXISTS org_unitversion_path_pattern "
    "ON org_unitversion (path varchar_pattern_ops, valid_from);",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS org_unit_path_pattern;",
    "DROP INDEX IF EXISTS org_unitversion_path_pattern;",
]


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [postgresql_only(PG_UP, PG_DOWN)]
