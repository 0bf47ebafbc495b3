from django.db import migrations, models


def first_state(apps, schema_editor):
    apps.get_model("initiatives", "NoveltyState").objects.create(pk=1, version=0)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0005_review_meeting_time'),
    ]

    operations = [
        migrations.CreateModel(
            name='NoveltyState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='NoveltyChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative_id', models.BigIntegerField(unique=True)),
                ('version', models.BigIntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['version'], name='novelty_change_version')],
            },
        ),
        migrations.RunPython(first_state, migrations.RunPython.noop),
    ]
