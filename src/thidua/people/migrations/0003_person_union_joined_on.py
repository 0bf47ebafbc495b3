"""The union join date moves from the first membership period to the person: a roster import
starts the periods in the unit on its effective date and keeps the join date here."""

from typing import Any

from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def fill_from_memberships(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("people", "Person")
    Membership = apps.get_model("people", "Membership")
    first = (Membership.objects.filter(person=OuterRef("pk")).values("person")
             .annotate(first=Min("valid_from")).values("first"))
    Person.objects.filter(union_joined_on__isnull=True).update(union_joined_on=Subquery(first))


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_pg_search_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='union_joined_on',
            field=models.DateField(blank=True, null=True, verbose_name='ngày vào Công đoàn'),
        ),
        migrations.RunPython(fill_from_memberships, migrations.RunPython.noop),
    ]
