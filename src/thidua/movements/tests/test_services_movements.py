"""Movements and their documents: what creating one writes and audits, every refusal with its
Vietnamese message, and documents judged by their bytes and stored through the storage API."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.audit.models import AuditEntry
from thidua.movements import services
from thidua.movements.models import Attachment, YearKind
from thidua.movements.selectors import calendar_for
from thidua.movements.tests.helpers import YEAR, movement
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db
D = dt.date


def _last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


def test_movement_from_the_catalogue_takes_its_name_audience_and_content(world):
    m = movement(world, catalogue_code="GVNDVN")
    assert m.name == "Giỏi việc nước, đảm việc nhà"
    assert m.audience == "women" and "nữ" in m.content
    assert m.year == YEAR and m.code == f"GVNDVN-{YEAR}"
    entry = _last_audit()
    assert entry.action == "movement.create" and entry.after["name"] == m.name
    # the same catalogue movement again gets the next free code
    assert movement(world, catalogue_code="GVNDVN").code == f"GVNDVN-{YEAR}-2"


def test_own_movement_needs_a_name(world):
    with pytest.raises(ApplicationError, match="tên phong trào"):
        movement(world, catalogue_code="")
    own = movement(world, catalogue_code="", name="  Năm Kỷ cương   hành chính ")
    assert own.name == "Năm Kỷ cương hành chính" and own.code == f"PT-{YEAR}"


@pytest.mark.parametrize("kw, message", [
    ({"end_date": D(2000, 1, 1)}, "Ngày kết thúc phải sau ngày bắt đầu"),
    ({"catalogue_code": "KHONG_CO"}, "không có trong danh mục"),
    ({"code": "mã có dấu"}, "Mã phong trào"),
    ({"audience": "ai_do"}, "Đối tượng"),
    ({"year": 1800}, "Năm thi đua phải từ"),
])
def test_movement_bad_input_is_refused(world, kw, message):
    before = AuditEntry.objects.count()
    with pytest.raises(ApplicationError, match=message):
        movement(world, **kw)
    assert AuditEntry.objects.count() == before


def test_movement_code_is_unique_per_issuer(world):
    movement(world, code="LDG-X")
    with pytest.raises(ApplicationError, match="đã có phong trào mã «LDG-X»"):
        movement(world, code="ldg-x")


def test_movement_outside_scope_or_without_the_role(world):
    with pytest.raises(NotFoundError):
        services.movement_create(actor=world.outsider, issuer=world.cdvc, catalogue_code="LDG",
                                 start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))
    with pytest.raises(PermissionDeniedError):
        services.movement_create(actor=world.viewer, issuer=world.cdvc, catalogue_code="LDG",
                                 start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))


def test_school_year_maps_the_period_to_a_year(world):
    services.year_setting_set(actor=world.officer_above, unit=world.cdcs_b,
                              kind=YearKind.SCHOOL, start_month=9, start_day=5)
    calendar = calendar_for(world.cdcs_b)
    assert calendar.is_school and calendar.year_of(D(2017, 9, 5)) == 2018
    assert calendar.year_of(D(2017, 9, 4)) == 2017
    assert calendar.period(2018) == (D(2017, 9, 5), D(2018, 9, 5))
    assert calendar.label(2018) == "năm học 2017–2018"
    assert not calendar_for(world.cdcs_a).is_school  # a sibling keeps the calendar year
    m = services.movement_create(actor=world.officer_above, issuer=world.cdcs_b,
                                 catalogue_code="LDG", start_date=D(2017, 9, 10),
                                 end_date=D(2018, 5, 31))
    assert m.year == 2018


def _docx_bytes(with_types: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if with_types:
            zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("name, content, kind", [
    ("ke hoach.pdf", b"%PDF-1.7\n%...\n", "pdf"),
    ("ke-hoach.docx", _docx_bytes(), "docx"),
    ("anh.JPG", b"\xff\xd8\xff\xe0" + b"0" * 100, "jpg"),
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "png"),
])
def test_allowed_documents_are_stored_under_media_root(world, settings, tmp_path, name,
                                                       content, kind):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    att = services.attachment_add(actor=world.officer_above, movement=m,
                                  upload=SimpleUploadedFile(name, content))
    assert att.kind == kind and att.size == len(content) and att.original_name == name
    stored = Path(tmp_path) / att.file.name
    assert stored.read_bytes() == content
    assert stored.parent == Path(tmp_path) / "movements" and stored.name != name


@pytest.mark.parametrize("name, content", [
    ("virus.pdf", b"MZ\x90\x00" + b"0" * 100),  # an executable named .pdf
    ("bang.docx", _docx_bytes(with_types=False)),
    ("trang.html", b"<html><script>alert(1)</script></html>"),
    ("rong.pdf", b""),
])
def test_documents_are_judged_by_their_bytes(world, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    with pytest.raises(ApplicationError):
        services.attachment_add(actor=world.officer_above, movement=m,
                                upload=SimpleUploadedFile(name, content))
    assert not Attachment.objects.exists()
    folder = Path(tmp_path) / "movements"  # nothing reaches the storage before the checks
    assert not folder.exists() or list(folder.iterdir()) == []


def test_documents_above_the_size_limit_are_refused(world, settings, tmp_path):
    # through the `settings` fixture: an override_settings decorator mixed with it left the limit
    # at 1000 bytes for every later test of the run (its exit undid the fixture's, not its own)
    settings.THIDUA_MAX_ATTACHMENT_BYTES = 1000
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    with pytest.raises(ApplicationError, match="Tệp quá lớn"):
        services.attachment_add(actor=world.officer_above, movement=m,
                                upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 2000))
    assert not Attachment.objects.exists()


def test_only_officers_of_the_issuer_attach(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    with pytest.raises(NotFoundError):
        services.attachment_add(actor=world.officer_cdcs, movement=m,
                                upload=SimpleUploadedFile("a.pdf", b"%PDF-1"))


def test_launch_keeps_the_movement_when_its_document_is_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    launched = services.movement_launch(
        actor=world.officer_above, issuer=world.cdvc, catalogue_code="LDG",
        start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31),
        upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"0" * 100))
    assert launched.movement.pk is not None and launched.movement.name == "Lao động giỏi"
    assert launched.attachment_error and not Attachment.objects.exists()
    with_document = services.movement_launch(
        actor=world.officer_above, issuer=world.cdvc, catalogue_code="LDG",
        start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31),
        upload=SimpleUploadedFile("kh.pdf", b"%PDF-1.7\n"))
    assert with_document.attachment_error == ""
    assert [a.original_name for a in with_document.movement.attachments.all()] == ["kh.pdf"]


def test_the_year_bound_is_the_platforms(world, settings):
    settings.THIDUA_FIRST_YEAR = 2010
    with pytest.raises(ApplicationError, match=r"Năm thi đua phải từ 2010 đến \d{4}\."):
        movement(world, year=2009)
    assert movement(world, year=2010).year == 2010
