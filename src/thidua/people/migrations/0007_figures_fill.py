from django.db import migrations


def fill(apps, schema_editor):
    # the figures of an installation's existing periods: the same bulk recomputation as
    # `figures_rebuild`, on the tables as this migration leaves them
    from thidua.people.figures import rebuild_table

    rebuild_table()


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0004_figure_delta"),
        ("people", "0006_import_job_retryable"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
