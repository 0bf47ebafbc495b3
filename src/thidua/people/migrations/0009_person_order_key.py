"""People lists ordered by a stored Vietnamese order key, indexed on both databases.

`sort_name` now holds `person_order_key(full_name)`: the Vietnamese key of given name then full
name spelled as characters, ordered by code point (`BinaryOrder`: COLLATE "C" on PostgreSQL,
SQLite's default). The `person_order` index serves a page of a people list on SQLite too, where
the `vi` collation (a Python function) could not be indexed; it replaces PostgreSQL's
`(sort_name COLLATE vi, id)` index of people/0008 (docs/decisions/0030-people-order-key.md).
"""

from typing import Any

from django.db import migrations, models

import thidua.platform.collation
from thidua.platform.collation import person_order_key
from thidua.platform.migration_ops import postgresql_only

BATCH = 2000


def fill_order_keys(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("pk", "full_name").order_by("pk").iterator(chunk_size=BATCH):
        person.sort_name = person_order_key(person.full_name)
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, ["sort_name"])
            batch = []
    Person.objects.bulk_update(batch, ["sort_name"])


def fill_sort_names(apps: Any, schema_editor: Any) -> None:
    """Backward: the text people/0004 stored (given name, then full name)."""
    Person = apps.get_model("people", "Person")
    for person in Person.objects.only("pk", "full_name").iterator(chunk_size=BATCH):
        Person.objects.filter(pk=person.pk).update(
            sort_name=thidua.platform.collation.person_sort_name(person.full_name))


class Migration(migrations.Migration):

    dependencies = [("people", "0008_pg_person_name_order_index")]

    operations = [
        postgresql_only(
            ["DROP INDEX IF EXISTS people_person_sort_vi;"],
            ["CREATE INDEX IF NOT EXISTS people_person_sort_vi "
             'ON people_person ((sort_name COLLATE "vi"), id);'],
        ),
        migrations.AlterModelOptions(
            name="person",
            options={"ordering": [thidua.platform.collation.BinaryOrder("sort_name"), "id"],
                     "verbose_name": "người lao động", "verbose_name_plural": "người lao động"},
        ),
        migrations.AlterField(
            model_name="person",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=1000),
        ),
        migrations.RunPython(fill_order_keys, fill_sort_names),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(thidua.platform.collation.BinaryOrder("sort_name"), models.F("id"),
                               name="person_order"),
        ),
    ]
