"""The subtree sums of the award figures (ADR 0036), filled from the kept rows."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    from thidua.honours.figures import SUMS
    from thidua.org.rollups import rolled_rebuild

    rolled_rebuild(SUMS)


def empty(apps: Any, schema_editor: Any) -> None:
    from thidua.honours.figures import SUMS
    from thidua.org.models import SubtreeFigure

    SubtreeFigure.objects.filter(key__startswith=SUMS.prefix).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('honours', '0002_award_figures'),
        ('org', '0007_subtree_figure'),
    ]

    operations = [migrations.RunPython(fill, empty)]
