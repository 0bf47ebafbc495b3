"""Who has registered for each year, kept per subtree and day (ADR 0037), counted from the
registrations, the roster's periods and the tree."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    from thidua.movements.registered import rebuild

    rebuild()


def empty(apps: Any, schema_editor: Any) -> None:
    from thidua.movements.registered import PREFIX
    from thidua.org.models import DatedFigure

    DatedFigure.objects.filter(key__startswith=PREFIX).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('movements', '0002_movement_sums'),
        ('org', '0010_dated_figure'),
        ('people', '0007_figures_fill'),
    ]

    operations = [migrations.RunPython(fill, empty)]
