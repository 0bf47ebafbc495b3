"""Gia đình văn hóa per worker and year: the bulk save, the import and the page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.platform.errors import ApplicationError
from thidua.reports import selectors, services
from thidua.reports.imports import family_import_file
from thidua.reports.models import FamilyCultureTitle
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db
YEAR = 2023


def _file(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["STT", "Họ và tên", "Số CCCD", "Ghi chú"])
    for i, row in enumerate(rows):
        ws.write_row(1 + i, 0, row)
    wb.close()
    return buffer.getvalue()


def test_bulk_save_keeps_what_is_there(world: World):
    people = [make_person(world.cdcs_a, f"Người {i}", birth=dt.date(1980, 1, i + 1),
                          actor=world.admin) for i in range(3)]
    services.family_title_set(actor=world.officer_cdcs, unit=world.cdcs_a,
                              person_id=people[0].pk, year=YEAR)
    saved = services.family_titles_save(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR,
                                        person_ids=[p.pk for p in people])
    assert (saved.created, saved.unchanged) == (2, 1)
    assert selectors.family_title_count(world.cdvc, YEAR) == 3
    assert AuditEntry.objects.filter(action="family_title.bulk").count() == 1
    stranger = make_person(world.cdcs_c, "Người Ngoài", actor=world.admin)
    with pytest.raises(ApplicationError, match="không thuộc danh sách"):
        services.family_titles_save(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR,
                                    person_ids=[stranger.pk])


def test_import_good_and_bad(world: World, tmp_path: Path):
    people = [make_person(world.cdcs_a, f"Người {i}", birth=dt.date(1980, 1, i + 1),
                          actor=world.admin) for i in range(3)]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_file([[1, "Người 0", people[0].cccd], [2, "Người 0", people[0].cccd],
                           [3, "Người 1", "001099000001"]]))
    result = family_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR, path=bad)
    assert not result.written and not FamilyCultureTitle.objects.exists()
    messages = {e.row: e.message for e in result.errors}
    assert "đã có ở dòng 3" in messages[2] and "không có trong danh sách" in messages[4]
    good = tmp_path / "good.xlsx"
    good.write_bytes(_file([[i + 1, p.full_name, p.cccd] for i, p in enumerate(people)]))
    result = family_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR, path=good)
    assert result.written and result.created == 3
    assert selectors.family_title_count(world.cdcs_a, YEAR) == 3


def test_page_add_import_and_delete(world: World, django_assert_num_queries):
    officer = Client()
    officer.force_login(world.officer_cdcs)
    url = reverse("reports:family", args=["CDCS-A", YEAR])
    assert officer.post(url, {"who": world.member.cccd}).status_code == 302
    again = officer.post(url, {"who": world.member.cccd})
    assert again.status_code == 400 and "đã được ghi «Gia đình văn hóa» năm 2023" in \
        again.content.decode()
    people = [make_person(world.cdcs_b, f"Người {i}", birth=dt.date(1980, 1, i + 1),
                          actor=world.admin) for i in range(2)]
    above = Client()
    above.force_login(world.officer_above)
    r = above.post(reverse("reports:family-import", args=["CDVC-HN", YEAR]), {
        "file": SimpleUploadedFile("gdvh.xlsx", _file([[i + 1, p.full_name, p.cccd]
                                                       for i, p in enumerate(people)]))})
    assert "Đã nhập 2 dòng" in r.content.decode()
    page_above = above.get(reverse("reports:family", args=["CDVC-HN", YEAR])).content.decode()
    assert "<strong>3</strong> gia đình" in page_above
    officer = Client()
    officer.force_login(world.officer_cdcs)
    with django_assert_num_queries(7):
        page = officer.get(url).content.decode()
    assert "<strong>1</strong> gia đình" in page  # CĐCS B's families are not CĐCS A's
    title = FamilyCultureTitle.objects.get(person=world.member)
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.post(reverse("reports:family-delete", args=[title.pk])).status_code == 404
    assert officer.post(reverse("reports:family-delete", args=[title.pk])).status_code == 302
    assert not FamilyCultureTitle.objects.filter(person=world.member).exists()


def test_agency_culture_title_is_the_evaluation_title(world: World):
    from thidua.evaluation.services import title_correct

    title_correct(actor=world.officer_above, unit=world.cdvc, year=YEAR, title="CQ_VAN_HOA",
                  action="add", reason="Quyết định của UBND thành phố", subject_unit=world.cdcs_a)
    assert selectors.agency_culture_count(world.cdvc, YEAR) == 1
    assert selectors.agency_culture_count(world.hbt, YEAR) == 0
    assert selectors.agency_culture_count(world.cdvc, YEAR - 1) == 0
