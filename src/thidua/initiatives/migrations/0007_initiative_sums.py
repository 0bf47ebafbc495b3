"""The subtree sums of the initiatives recognised each year (ADR 0036), counted from the
records."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    from thidua.initiatives.figures import rebuild

    rebuild()


def empty(apps: Any, schema_editor: Any) -> None:
    from thidua.initiatives.figures import SUMS
    from thidua.org.models import SubtreeFigure

    SubtreeFigure.objects.filter(key__startswith=SUMS.prefix).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0006_novelty_shared_index'),
        ('org', '0007_subtree_figure'),
    ]

    operations = [migrations.RunPython(fill, empty)]
