"""People lists in Vietnamese order: `sort_name` (given name, then full name) ordered with the
`vi` collation (platform/0002)."""

from typing import Any

import django.db.models.functions.comparison
from django.db import migrations, models

from thidua.platform.collation import person_sort_name


def fill_sort_name(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("pk", "full_name").order_by("pk").iterator(chunk_size=2000):
        person.sort_name = person_sort_name(person.full_name)
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["sort_name"])
            batch = []
    Person.objects.bulk_update(batch, ["sort_name"])


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_person_union_joined_on'),
        ('platform', '0002_vi_collation'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='person',
            options={'ordering': [django.db.models.functions.comparison.Collate('sort_name', 'vi'), 'id'], 'verbose_name': 'người lao động', 'verbose_name_plural': 'người lao động'},
        ),
        migrations.AddField(
            model_name='person',
            name='sort_name',
            field=models.CharField(default='', editable=False, max_length=310),
        ),
        migrations.RunPython(fill_sort_name, migrations.RunPython.noop),
    ]
