"""Award figures kept per unit and year (ADR 0034), filled from the records."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from thidua.honours.figures import rebuild

    rebuild(sums=False)  # the subtree sums came later (org 0007)


class Migration(migrations.Migration):

    dependencies = [
        ('honours', '0001_initial'),
        ('org', '0004_figure_delta'),
    ]

    operations = [
        migrations.CreateModel(
            name='AwardFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('key', models.CharField(max_length=80)),
                ('awards', models.IntegerField(default=0)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('year', 'unit', 'key'), name='awardfigure_year_unit_key')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
