"""The subtree sums of the initiatives recognised at each level and of those put forward for
an award (ADR 0036), counted from the records beside the recognised ones."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    from thidua.initiatives.figures import rebuild

    rebuild()


def empty(apps: Any, schema_editor: Any) -> None:
    from thidua.initiatives.figures import LEVEL, PROPOSED, SUMS
    from thidua.org.models import SubtreeFigure

    SubtreeFigure.objects.filter(key__startswith=SUMS.keyed(LEVEL)).delete()
    SubtreeFigure.objects.filter(key=SUMS.keyed(PROPOSED)).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0007_initiative_sums'),
    ]

    operations = [migrations.RunPython(fill, empty)]
