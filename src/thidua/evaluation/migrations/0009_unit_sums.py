"""The subtree sums of the gradings and collective titles (ADR 0036), counted from the records."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    from thidua.evaluation.unit_figures import rebuild

    rebuild()


def empty(apps: Any, schema_editor: Any) -> None:
    from thidua.evaluation.unit_figures import SUMS
    from thidua.org.models import SubtreeFigure

    SubtreeFigure.objects.filter(key__startswith=SUMS.prefix).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0008_title_sums'),
        ('org', '0007_subtree_figure'),
    ]

    operations = [migrations.RunPython(fill, empty)]
