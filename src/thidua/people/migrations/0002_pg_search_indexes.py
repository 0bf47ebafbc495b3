"""PostgreSQL only: trigram indexes so `name_folded LIKE '%q%'` (search anywhere in the name)
uses an index. CCCD gets no trigram index: the planner then prefers it over the unique btree
for `cccd = ANY(...)` (the import's look-up) on a freshly loaded table, 300× slower; a full
12-digit CCCD is searched by equality instead (see people.selectors.people_search). On SQLite the
folded column's btree index serves prefix search and ordering."""

from django.db import migrations

from thidua.platform.migration_ops import postgresql_only

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS people_person_name_trgm "
    "ON people_person USING gin (name_folded gin_trgm_ops);",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS people_person_name_trgm;",
]


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [postgresql_only(PG_UP, PG_DOWN)]
