"""Title figures kept per unit and year (ADR 0031), filled from the records."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from thidua.evaluation.figures import rebuild

    rebuild(sums=False)  # the subtree sums came later (org 0007)


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0006_pending_matters_and_family'),
        ('org', '0004_figure_delta'),
        ('people', '0009_person_order_key'),
    ]

    operations = [
        migrations.CreateModel(
            name='TitleFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('title', models.CharField(max_length=20)),
                ('holders', models.IntegerField(default=0)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('year', 'unit', 'title'), name='titlefigure_year_unit_title')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
