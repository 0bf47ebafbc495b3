"""PostgreSQL only: an index in the people lists' order, `(sort_name COLLATE vi, id)`.

It serves the member list's page, `… ORDER BY person.sort_name COLLATE vi, person.id LIMIT 50`
(`people.selectors.roster`, and `Person`'s default ordering): without it PostgreSQL sorts the
whole subtree's roster for every page — 2,4 s for a province of 1.000.000 members — while with
it the planner walks people in order for a large subtree (11 ms) and still sorts the few rows
of a small one (15 ms for a CĐCS of 333 people in the same database; bench/README.md). SQLite
gets no such index: its `vi` collation is a Python function registered on each connection, and
an index using it would make the file unwritable for any tool without that function (the
`sqlite3` shell, a restore check); the embedded database serves small installations."""

from django.db import migrations

from thidua.platform.migration_ops import postgresql_only

PG_UP = [
    "CREATE INDEX IF NOT EXISTS people_person_sort_vi "
    'ON people_person ((sort_name COLLATE "vi"), id);',
]
PG_DOWN = ["DROP INDEX IF EXISTS people_person_sort_vi;"]


class Migration(migrations.Migration):
    dependencies = [("people", "0007_figures_fill"), ("platform", "0002_vi_collation")]
    operations = [postgresql_only(PG_UP, PG_DOWN)]
