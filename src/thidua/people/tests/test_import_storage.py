"""The import job's file lives in the shared storage under a relative name: an app server that
did not receive the upload, or a worker on another machine, reads it through the storage."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from thidua.people.models import ImportJob, ImportStatus, Person
from thidua.people.tasks import MISSING_FILE, run_import_job
from thidua.people.tests.test_import_views import read_xlsx, upload
from thidua.people.tests.test_imports import person_row, write_csv

MIGRATION = importlib.import_module("thidua.people.migrations.0005_import_job_file_storage_name")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "server-a"
    return settings.MEDIA_ROOT


def test_the_report_is_read_through_another_servers_mount_of_the_storage(
        client, world, tmp_path, settings):
    client.force_login(world.officer_cdcs)
    rows = [person_row(1), person_row(2, cccd="12345")]
    upload(client, write_csv(tmp_path / "loi.csv", rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and not Path(job.file.name).is_absolute()
    # server B mounts the same shared folder somewhere else
    shutil.copytree(tmp_path / "server-a", tmp_path / "server-b")
    shutil.rmtree(tmp_path / "server-a")
    settings.MEDIA_ROOT = tmp_path / "server-b"
    report = client.get(reverse("people:import-errors", args=[job.pk]))
    data = read_xlsx(b"".join(report.streaming_content))
    assert [r[0] for r in data[1:]] == [2, 3]  # the file's rows, not only the errors
    assert rows[0]["full_name"] in data[1]


def test_a_worker_runs_a_job_queued_on_another_server(world, tmp_path, settings):
    path = write_csv(tmp_path / "ds.csv", [person_row(1)])
    (tmp_path / "shared" / "imports").mkdir(parents=True)
    shutil.copy(path, tmp_path / "shared" / "imports" / "abc.csv")
    settings.MEDIA_ROOT = tmp_path / "shared"
    job = ImportJob.objects.create(unit=world.cdcs_a, created_by=world.officer_cdcs,
                                   file_name="ds.csv", file="imports/abc.csv",
                                   effective_date="2024-01-01")
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created == 1
    assert Person.objects.filter(cccd=person_row(1)["cccd"]).exists()


def test_a_worker_without_the_shared_folder_fails_the_job_and_says_why(world):
    job = ImportJob.objects.create(unit=world.cdcs_a, created_by=world.officer_cdcs,
                                   file_name="ds.csv", file="imports/khong-co.csv",
                                   effective_date="2024-01-01")
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.message == MISSING_FILE
    assert "THIDUA_MEDIA_ROOT" in job.message


def test_the_report_of_a_job_whose_file_is_gone_still_lists_the_errors(client, world):
    errors = [{"row": 3, "column": "Số CCCD", "value": "x", "message": "Sai"}]
    job = ImportJob.objects.create(unit=world.cdcs_a, created_by=world.officer_cdcs,
                                   file_name="ds.csv", file="imports/khong-co.csv",
                                   effective_date="2024-01-01", status=ImportStatus.FAILED,
                                   errors=errors)
    client.force_login(world.officer_cdcs)
    report = client.get(reverse("people:import-errors", args=[job.pk]))
    assert report.status_code == 200
    assert len(read_xlsx(b"".join(report.streaming_content))) >= 2


def test_the_migration_turns_absolute_paths_into_storage_names(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "home" / "media"
    make = ImportJob.objects.create
    common = {"unit": world.cdcs_a, "created_by": world.officer_cdcs, "file_name": "a.xlsx",
              "effective_date": "2024-01-01"}
    here = make(file=str(tmp_path / "home" / "media" / "imports" / "a1.xlsx"), **common)
    moved = make(file="/srv/old-home/media/imports/b2.csv", **common)
    done = make(file="imports/c3.xlsx", **common)
    MIGRATION.to_storage_names(apps, None)
    names = {j.pk: j.file.name for j in ImportJob.objects.all()}
    assert names == {here.pk: "imports/a1.xlsx", moved.pk: "imports/b2.csv",
                     done.pk: "imports/c3.xlsx"}
    MIGRATION.to_absolute_paths(apps, None)
    assert ImportJob.objects.get(pk=here.pk).file.name == str(
        tmp_path / "home" / "media" / "imports" / "a1.xlsx")
