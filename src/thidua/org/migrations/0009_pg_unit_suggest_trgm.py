"""PostgreSQL only: trigram indexes for a typed unit field's suggestions
(`org.selectors.unit_suggestions`: a code by its start, a name by a part of it). Without them
each suggestion read every unit: 127 ms for the TLĐ's officer at a tenth of the nation, 11 ms
with them (bench/README.md, session 42). UPPER(code) and UPPER(name) serve the
case-insensitive matches; name itself the matches as written, which SQLite needs and
PostgreSQL keeps for a cluster whose ctype upper-cases ASCII only."""

from django.db import migrations

from thidua.platform.migration_ops import postgresql_only

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS org_unit_code_trgm "
    "ON org_unit USING gin (UPPER(code) gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS org_unit_name_upper_trgm "
    "ON org_unit USING gin (UPPER(name) gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS org_unit_name_trgm ON org_unit USING gin (name gin_trgm_ops);",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS org_unit_code_trgm;",
    "DROP INDEX IF EXISTS org_unit_name_upper_trgm;",
    "DROP INDEX IF EXISTS org_unit_name_trgm;",
]


class Migration(migrations.Migration):
    dependencies = [("org", "0008_unitversion_parent_path")]
    operations = [postgresql_only(PG_UP, PG_DOWN)]
