"""A unit's founding date, known or not, apart from the start of its history in the system.
Existing units were founded on their first day unless their creation event says that day is
only when tracking began ("không phải ngày thành lập")."""

from typing import Any

from django.db import migrations, models

NOT_FOUNDED = "không phải ngày thành lập"


def fill_founded_on(apps: Any, schema_editor: Any) -> None:
    Unit = apps.get_model("org", "Unit")
    UnitEvent = apps.get_model("org", "UnitEvent")
    unknown = set(
        UnitEvent.objects.filter(kind="create", note__icontains=NOT_FOUNDED)
        .values_list("units_after", flat=True)
    )
    Unit.objects.filter(founded_on__isnull=True).exclude(pk__in=unknown).update(
        founded_on=models.F("valid_from"))


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_pg_prefix_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='unit',
            name='founded_on',
            field=models.DateField(blank=True, null=True, verbose_name='ngày thành lập'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='valid_from',
            field=models.DateField(verbose_name='hoạt động trên hệ thống từ ngày'),
        ),
        migrations.RunPython(fill_founded_on, migrations.RunPython.noop),
    ]
