from django.db import migrations


def fill(apps, schema_editor):
    # the figures of an installation's existing periods: the same bulk recomputation as
    # `thidua figures-check --rebuild`, on the tables as this migration leaves them
    from thidua.people.figures import figures_rebuild

    figures_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0004_figure_delta"),
        ("people", "0006_import_job_retryable"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
