"""Attachments: judged by their bytes, capped in size, saved through the storage API under a
name relative to the storage root, read back through it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.platform.errors import ApplicationError
from thidua.platform.files import (
    FileRules,
    clean_original_name,
    open_stored,
    remove_stored,
    size_text,
    sniff_kind,
    store_upload,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
DOCUMENTS = FileRules(folder="ho-so", kinds=("pdf", "docx", "jpg"))


def office(part: str, with_types: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if with_types:
            zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(part, "<x/>")
    return buf.getvalue()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def test_a_stored_name_is_relative_and_opens_through_the_storage(media):
    stored = store_upload(SimpleUploadedFile("Kế hoạch.pdf", PDF), DOCUMENTS)
    assert stored.name.startswith("ho-so/") and stored.name.endswith(".pdf")
    assert not Path(stored.name).is_absolute() and ".." not in stored.name
    assert (stored.kind, stored.size, stored.original_name) == ("pdf", len(PDF), "Kế hoạch.pdf")
    assert default_storage.path(stored.name) == str(media / stored.name)
    with open_stored(stored.name) as f:
        assert f.read() == PDF
    remove_stored(stored.name)
    assert not default_storage.exists(stored.name)
    with pytest.raises(FileNotFoundError):
        open_stored(stored.name)


def test_a_spoofed_extension_is_refused_and_nothing_is_stored(media):
    with pytest.raises(ApplicationError) as exc:
        store_upload(SimpleUploadedFile("ban-ve.pdf", EXE), DOCUMENTS)
    assert exc.value.field == "file"
    assert exc.value.message == (
        "Chỉ nhận tài liệu PDF, Word (.docx) hoặc ảnh JPG; nội dung tệp đã chọn không phải một "
        "trong các loại này (hệ thống kiểm tra nội dung tệp, không chỉ phần đuôi tên).")
    assert not media.exists() or not any(media.rglob("*"))


def test_a_kind_the_app_does_not_take_is_refused(media):
    slides = office("ppt/presentation.xml")
    with pytest.raises(ApplicationError, match="Chỉ nhận tài liệu"):
        store_upload(SimpleUploadedFile("slide.pptx", slides), DOCUMENTS)
    assert store_upload(SimpleUploadedFile("slide.pptx", slides),
                        FileRules(folder="sang-kien")).kind == "pptx"


def test_an_over_size_file_is_refused(media, settings):
    settings.THIDUA_MAX_ATTACHMENT_BYTES = 1024
    with pytest.raises(ApplicationError) as exc:
        store_upload(SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000), DOCUMENTS)
    assert exc.value.message == "Tệp quá lớn: mỗi tài liệu đính kèm tối đa 1 KB."


def test_an_over_size_stream_is_stopped_whatever_its_size_claims(media, settings):
    settings.THIDUA_MAX_ATTACHMENT_BYTES = 1024

    class Lying:
        name = "a.pdf"
        size = 10

        def chunks(self):
            yield PDF
            yield b"0" * 4096
            raise AssertionError("read past the limit")

    with pytest.raises(ApplicationError, match="Tệp quá lớn"):
        store_upload(Lying(), DOCUMENTS)
    assert not media.exists() or not any(media.rglob("*"))


def test_an_empty_file_is_refused(media):
    with pytest.raises(ApplicationError, match="không có nội dung"):
        store_upload(SimpleUploadedFile("rong.pdf", b""), DOCUMENTS)


@pytest.mark.parametrize("content, kind", [
    (PDF, "pdf"),
    (b"\xff\xd8\xff\xe0" + b"0" * 100, "jpg"),
    (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "png"),
    (office("word/document.xml"), "docx"),
    (office("xl/workbook.xml"), "xlsx"),
    (office("ppt/presentation.xml"), "pptx"),
    (office("word/document.xml", with_types=False), None),
    (b"PK\x03\x04 not really a zip", None),
    (b"<html><script>alert(1)</script></html>", None),
    (EXE, None),
])
def test_kinds_come_from_the_bytes(content, kind):
    f = io.BytesIO(content)
    assert sniff_kind(f) == kind and f.tell() == 0


def test_the_given_name_is_kept_for_display_only():
    assert clean_original_name("ban ve/..\\so lieu.pdf") == "so lieu.pdf"
    assert clean_original_name('a<b>:"c".pdf') == "abc.pdf"
    assert clean_original_name("") == "tai-lieu"


def test_rules_and_sizes_as_shown():
    assert DOCUMENTS.accept == ".pdf,.docx,.jpg,.jpeg"
    assert FileRules(folder="x", kinds=("png",)).wrong_kind.startswith("Chỉ nhận tài liệu ảnh PNG;")
    assert size_text(10 * 1024 * 1024) == "10 MB"
    assert size_text(1536 * 1024) == "1,5 MB"
    assert size_text(100) == "1 KB"
