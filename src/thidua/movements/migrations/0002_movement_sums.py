"""The subtree sums of the CĐCS' launches and registrations (ADR 0036), counted from the
records."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    from thidua.movements.figures import rebuild

    rebuild()


def empty(apps: Any, schema_editor: Any) -> None:
    from thidua.movements.figures import SUMS
    from thidua.org.models import SubtreeFigure

    SubtreeFigure.objects.filter(key__startswith=SUMS.prefix).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('movements', '0001_initial'),
        ('org', '0007_subtree_figure'),
    ]

    operations = [migrations.RunPython(fill, empty)]
