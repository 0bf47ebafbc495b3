"""PostgreSQL only: a trigram index on UPPER(member_code), for `member_code__icontains` — the
member search ORs it with the folded name whenever the query holds a digit ("Nguyễn Văn 12",
"DV00019"). Without it that OR could use neither trigram index and read every person: the
search of a 1.000.000-member province for "người lao động 12" counted its results in 193 ms
with a sequential scan of the people, 100 ms with this index (a BitmapOr of the two;
bench/README.md). Equality look-ups of a code (the import's) keep the unique btree."""

from django.db import migrations

from thidua.platform.migration_ops import postgresql_only

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS people_person_code_trgm "
    "ON people_person USING gin (UPPER(member_code) gin_trgm_ops);",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS people_person_code_trgm;",
]


class Migration(migrations.Migration):
    dependencies = [("people", "0009_person_order_key")]
    operations = [postgresql_only(PG_UP, PG_DOWN)]
