"""Web pages of the import and export: upload → background job (inline in tests) → progress →
counts or errors → the error report; scoping of job pages; export and template downloads."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from thidua.audit.models import AuditEntry
from thidua.people.imports import NOT_SPREADSHEET
from thidua.people.models import ImportJob, ImportStatus, Person
from thidua.people.tests.test_exports import cell_styles, fills_by_style
from thidua.people.tests.test_imports import person_row, write_csv, write_xlsx
from thidua.platform import forms as platform_forms
from thidua.testing import datalist

IMPORT = reverse("people:import")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, path: Path, **fields):
    data = {"unit": "CDCS-A", "effective_date": "01/01/2024", **fields}
    with open(path, "rb") as f:
        data["file"] = f
        return client.post(IMPORT, data)


def read_xlsx(content: bytes, index: int = 0) -> list[list]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return wb.get_sheet_by_index(index).to_python()


def test_upload_page_form(client, world):
    client.force_login(world.officer_cdcs)
    r = client.get(IMPORT + "?don_vi=TO-A1")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="file"' in html and 'type="file"' in html
    assert 'name="valid_only"' in html and "Chỉ nhập các dòng hợp lệ" in html
    assert 'name="effective_date"' in html and 'enctype="multipart/form-data"' in html
    assert '<option value="CDCS-A"' in html and '<option value="TO-A1" selected' in html
    assert 'value="CDCS-B"' not in html and 'value="CDCS-C"' not in html
    assert reverse("people:import-template") in html


def test_pages_need_login_and_an_officer_role(client, world):
    for url in (IMPORT, reverse("people:export"), reverse("people:import-template")):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("login"))
    client.force_login(world.viewer)
    r = client.get(IMPORT)
    assert r.status_code == 200
    assert "Bạn cần quyền «Cán bộ»" in r.content.decode() and 'name="file"' not in \
        r.content.decode()


def test_upload_good_file_runs_the_job_and_shows_counts(client, world, tmp_path, media):
    client.force_login(world.officer_cdcs)
    rows = [person_row(1), person_row(2, group="TO-A1")]
    path = write_xlsx(tmp_path / "danh sách.xlsx", rows)
    r = upload(client, path)
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r.url == reverse("people:import-job", args=[job.pk])
    assert job.status == ImportStatus.DONE
    assert (job.total, job.processed, job.created, job.updated, job.unchanged) == (2, 2, 2, 0, 0)
    assert job.file_name == "danh sách.xlsx" and job.created_by == world.officer_cdcs
    assert job.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    # a name in the storage, not a path on this server: another app server or worker finds it
    assert job.file.name.startswith("imports/") and job.file.name.endswith(".xlsx")
    assert (Path(media) / job.file.name).read_bytes() == path.read_bytes()
    assert Person.objects.filter(cccd__in=[r["cccd"] for r in rows]).count() == 2
    page = client.get(r.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đã nhập 2 dòng: thêm mới 2, cập nhật 0, không đổi 0." in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert AuditEntry.objects.filter(action="person.import").count() == 1
    # the report of a clean file: the rows, nothing marked
    report = client.get(reverse("people:import-errors", args=[job.pk]))
    data = read_xlsx(b"".join(report.streaming_content))
    assert [row[0] for row in data[1:]] == [2, 3] and data[1][-1] == "" == data[2][-1]


def test_upload_with_errors_shows_them_and_the_report_marks_the_rows(client, world, tmp_path):
    client.force_login(world.officer_cdcs)
    rows = [person_row(1), person_row(2, cccd="12345"), person_row(3, gender="Khác")]
    path = write_csv(tmp_path / "loi.csv", rows)
    r = upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.created == 1  # what would have been
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Số CCCD"), (4, "Giới tính")]
    assert not Person.objects.filter(cccd=rows[0]["cccd"]).exists()
    html = client.get(r.url).content.decode()
    assert "Tệp có 2 lỗi; chưa ghi dữ liệu nào." in html
    assert "Số CCCD phải gồm đúng 12 chữ số." in html and "12345" in html
    report_url = reverse("people:import-errors", args=[job.pk])
    assert report_url in html
    report = client.get(report_url)
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in report["Content-Disposition"]
    content = b"".join(report.streaming_content)
    data = read_xlsx(content)
    assert data[0][0] == "Dòng" and data[0][-1] == "Lỗi"
    assert [r[0] for r in data[1:]] == [2, 3, 4]
    assert data[2][-1] == "Số CCCD: Số CCCD phải gồm đúng 12 chữ số."
    saved = tmp_path / "report.xlsx"
    saved.write_bytes(content)
    fills = fills_by_style(saved)
    import zipfile

    xml = zipfile.ZipFile(saved).read("xl/worksheets/sheet1.xml").decode()
    assert {fills[s] for s in cell_styles(xml, 3).values()} == {"FFFFC7CE"}
    assert "FFFFC7CE" not in {fills[s] for s in cell_styles(xml, 2).values()}


def test_many_errors_list_the_first_200_with_the_total(client, world, tmp_path):
    client.force_login(world.officer_cdcs)
    rows = [person_row(i, cccd=f"9{i}") for i in range(1, 251)]
    r = upload(client, write_xlsx(tmp_path / "ds.xlsx", rows))
    html = client.get(r.url).content.decode()
    assert "Tệp có 250 lỗi; chưa ghi dữ liệu nào." in html
    assert "(200 lỗi đầu trong 250 lỗi)" in html
    assert html.count('<td data-label="Cần sửa">') == 200


def test_valid_only_through_the_web(client, world, tmp_path):
    client.force_login(world.officer_cdcs)
    rows = [person_row(1), person_row(2, gender="?")]
    r = upload(client, write_xlsx(tmp_path / "ds.xlsx", rows), valid_only="on")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.valid_only and job.created == 1
    assert len(job.errors) == 1
    html = client.get(r.url).content.decode()
    assert "bỏ qua 1 dòng có lỗi" in html
    assert reverse("people:import-errors", args=[job.pk]) in html


def test_dry_run_through_the_web(client, world, tmp_path):
    client.force_login(world.officer_cdcs)
    upload(client, write_xlsx(tmp_path / "ds.xlsx", [person_row(1)]), dry_run="on")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.message.startswith("Kiểm tra 1 dòng")
    assert not Person.objects.filter(cccd=person_row(1)["cccd"]).exists()


def test_progress_partial_polls_while_running(client, world):
    client.force_login(world.officer_cdcs)
    job = ImportJob.objects.create(
        unit=world.cdcs_a, created_by=world.officer_cdcs, file_name="lon.xlsx",
        file="imports/khong-co.xlsx", effective_date="2024-01-01", status=ImportStatus.RUNNING,
        total=10_000, processed=2_500)
    url = reverse("people:import-progress", args=[job.pk])
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert '<progress max="100" value="25"' in html
    assert "Đã kiểm tra 2.500 / 10.000 dòng (25%)." in html
    assert "<html" not in html  # a fragment
    page = client.get(reverse("people:import-job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<html" in page
    ImportJob.objects.filter(pk=job.pk).update(processed=10_000)
    assert "đang ghi dữ liệu" in client.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, message="Xong.")
    html = client.get(url).content.decode()
    assert 'hx-trigger' not in html and "Xong." in html


def test_job_pages_are_scoped(client, world, tmp_path):
    client.force_login(world.officer_cdcs)
    upload(client, write_xlsx(tmp_path / "ds.xlsx", [person_row(1, cccd="1")]))
    job = ImportJob.objects.get()
    urls = [reverse(name, args=[job.pk]) for name in
            ("people:import-job", "people:import-progress", "people:import-errors")]
    for url in urls:
        assert client.get(url).status_code == 200
    for outsider in (world.outsider, world.viewer, world.member_user):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, (outsider, url)
    client.force_login(world.officer_above)  # an officer over the job's unit
    assert client.get(urls[0]).status_code == 200
    assert client.get(reverse("people:import-job", args=[job.pk + 1000])).status_code == 404
    client.logout()
    assert client.get(urls[0]).status_code == 302


def test_upload_to_a_unit_outside_scope_is_refused(client, world, tmp_path):
    client.force_login(world.officer_cdcs)
    r = upload(client, write_xlsx(tmp_path / "ds.xlsx", [person_row(1)]), unit="CDCS-C")
    assert r.status_code == 400
    assert "Lựa chọn không hợp lệ" in r.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_fails_the_job_with_a_clear_message(client, world,
                                                                               tmp_path):
    client.force_login(world.officer_cdcs)
    junk = tmp_path / "danh-sach.xlsx"
    junk.write_bytes(bytes(range(256)) * 40)
    r = upload(client, junk)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.message == NOT_SPREADSHEET
    html = client.get(r.url).content.decode()
    assert "Không nhập được tệp; chưa ghi dữ liệu nào." in html and NOT_SPREADSHEET in html


def test_export_page_downloads_the_roster_and_audits_it(client, world):
    client.force_login(world.officer_cdcs)
    r = client.get(reverse("people:export") + "?don_vi=CDCS-A&ngay=2024-01-01")
    assert r.status_code == 200
    html = r.content.decode()
    assert '<option value="CDCS-A" selected' in html and 'value="01/01/2024"' in html
    r = client.post(reverse("people:export"), {"unit": "CDCS-A", "date": "01/01/2024"})
    assert r.status_code == 200
    assert 'filename="danh-sach-CDCS-A-20240101.xlsx"' in r["Content-Disposition"]
    rows = read_xlsx(b"".join(r.streaming_content))
    assert rows[3][2] == "Họ và tên" and rows[4][2] == "Trần Thị Ánh"
    entry = AuditEntry.objects.filter(action="person.export").get()
    assert entry.actor_id == world.officer_cdcs.pk
    r = client.post(reverse("people:export"), {"unit": "CDCS-C", "date": "01/01/2024"})
    assert r.status_code == 400
    r = client.post(reverse("people:export"), {"unit": "CDCS-A", "date": "01/01/2000"})
    assert r.status_code == 400 and "không hoạt động vào ngày 01/01/2000" in r.content.decode()
    assert AuditEntry.objects.filter(action="person.export").count() == 1


def test_a_wide_scope_types_the_import_units_code(client, world, tmp_path, monkeypatch):
    """Beyond `UNIT_CHOICES` units the unit receiving the list is a typed code (suggested: the
    scope's two top levels) instead of a select of every unit of a province."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.officer_above)  # CDVC-HN, CDCS-A, TO-A1, CDCS-B
    page = client.get(IMPORT + "?don_vi=to-a1").content.decode()
    assert '<select name="unit"' not in page and 'list="unit-goi-y"' in page
    assert 'value="TO-A1"' in page
    suggested = datalist(page, "unit-goi-y")
    assert 'value="CDVC-HN"' in suggested and 'value="CDCS-B"' in suggested
    assert "TO-A1" not in suggested
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1)])
    for code in ("CDCS-C", "KHONG-CO"):  # another branch's unit; no unit's
        refused = upload(client, path, unit=code.lower())
        assert refused.status_code == 400
        assert (f"Không có đơn vị mã «{code}» trong các đơn vị bạn làm cán bộ."
                in refused.content.decode())
    assert not ImportJob.objects.exists()
    # a code below the suggestions, typed in small letters
    r = upload(client, path, unit="to-a1")
    job = ImportJob.objects.get()
    assert r.status_code == 302 and job.unit == world.to_a1 and job.status == ImportStatus.DONE
    assert Person.objects.get(cccd=person_row(1)["cccd"]).employments.get().unit == world.to_a1


def test_a_wide_scope_types_the_export_units_code(client, world, monkeypatch):
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.officer_above)
    url = reverse("people:export")
    page = client.get(url).content.decode()
    assert '<select name="unit"' not in page and '<datalist id="unit-goi-y">' in page
    r = client.post(url, {"unit": "to-a1", "date": "01/01/2024"})
    assert 'filename="danh-sach-TO-A1-20240101.xlsx"' in r["Content-Disposition"]
    refused = client.post(url, {"unit": "cdcs-c", "date": "01/01/2024"})
    assert refused.status_code == 400
    assert ("Không có đơn vị mã «CDCS-C» trong các đơn vị bạn làm cán bộ."
            in refused.content.decode())
    assert AuditEntry.objects.filter(action="person.export").count() == 1


def test_template_download(client, world):
    client.force_login(world.viewer)
    r = client.get(reverse("people:import-template"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(r.content)
    assert rows[0][:3] == ["STT", "Họ và tên", "Giới tính"]
    assert read_xlsx(r.content, 1)[0][0].startswith("HƯỚNG DẪN")


def test_the_upload_is_still_csrf_protected(world, tmp_path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_cdcs)
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1)])
    assert upload(client, path).status_code == 403
    assert not ImportJob.objects.exists()
    client.get(IMPORT)  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    with open(path, "rb") as f:
        r = client.post(IMPORT, {"csrfmiddlewaretoken": token, "unit": "CDCS-A",
                                 "effective_date": "01/01/2024", "file": f})
    assert r.status_code == 302 and ImportJob.objects.get().status == ImportStatus.DONE
