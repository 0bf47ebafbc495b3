"""ImportJob.stored_path held an absolute path on the app server that received the upload
(MEDIA_ROOT/imports/<uuid>.<ext>); it becomes `file`, a name relative to the storage, so every
app server and worker sharing the storage finds it."""

from pathlib import Path, PurePath

from django.conf import settings
from django.db import migrations, models


def to_storage_names(apps, schema_editor):
    ImportJob = apps.get_model("people", "ImportJob")
    media = Path(settings.MEDIA_ROOT)
    for job in ImportJob.objects.only("pk", "file").iterator():
        old = str(job.file)
        if not old or not PurePath(old).is_absolute():
            continue
        try:
            name = Path(old).relative_to(media).as_posix()
        except ValueError:
            # saved under another MEDIA_ROOT (moved data folder): the file's place in the
            # storage was always imports/<its name>
            name = f"imports/{PurePath(old).name}"
        ImportJob.objects.filter(pk=job.pk).update(file=name)


def to_absolute_paths(apps, schema_editor):
    ImportJob = apps.get_model("people", "ImportJob")
    media = Path(settings.MEDIA_ROOT)
    for job in ImportJob.objects.only("pk", "file").iterator():
        old = str(job.file)
        if old and not PurePath(old).is_absolute():
            ImportJob.objects.filter(pk=job.pk).update(file=str(media / old))


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0004_person_sort_name"),
    ]

    operations = [
        migrations.RenameField(model_name="importjob", old_name="stored_path", new_name="file"),
        migrations.AlterField(
            model_name="importjob", name="file", field=models.FileField(max_length=500, upload_to=""),
        ),
        migrations.RunPython(to_storage_names, to_absolute_paths),
    ]
