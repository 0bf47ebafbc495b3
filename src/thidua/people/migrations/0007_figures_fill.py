from django.db import migrations


def fill(apps, schema_editor):
    # the figures of an installation's existing periods: the same bulk recomputation as
    # `figures_rebuild`, on the tables as this migration leaves them
    from thidua.people.figures import rebuild_table

    # the sums by year: here when org/0006 has made their table, else org/0006 sums these rows
    rebuild_table(years="org_figureyear" in schema_editor.connection.introspection.table_names())


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0004_figure_delta"),
        ("people", "0006_import_job_retryable"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
