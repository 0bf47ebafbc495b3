"""The administrators' Word templates page: replacing a template with a checked upload, the
refusals beside the field, going back to the shipped file, who may do what."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from thidua.accounts.services import role_grant_create, user_create
from thidua.audit.models import AuditEntry
from thidua.initiatives.documents import CERTIFICATE, certificate_sample
from thidua.platform.models import DocumentTemplate
from thidua.platform.templates_docx import registered, render_template
from thidua.web.tests.conftest import PASSWORD

KEY = "initiatives.giay_chung_nhan"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def admin_tld(world) -> Any:
    """Administrator of the root unit: the whole tree, without being a superuser."""
    user = user_create(actor=None, username="quantri.tld", password=PASSWORD,
                       full_name="Hoàng Văn Toàn")
    role_grant_create(actor=None, user=user, unit=world.tld, role="admin")
    return user


def edited_certificate(*lines: str) -> bytes:
    """The shipped certificate with paragraphs added, as an administrator would in Word."""
    doc = Document(str(CERTIFICATE))
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def body(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def upload(client, data: bytes, name: str = "giay chung nhan moi.docx", key: str = KEY) -> Any:
    return client.post(reverse("doc_templates:upload", args=[key]),
                       {"file": SimpleUploadedFile(name, data, content_type=DOCX)})


def stored_files(media: Path) -> list[Path]:
    folder = media / "templates"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_page_lists_every_registered_template_and_what_is_in_use(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("doc_templates:list")).content.decode()
    for label in ("Biên bản họp bình xét thi đua", "Đơn yêu cầu công nhận sáng kiến",
                  "Giấy chứng nhận sáng kiến"):
        assert label in html
    assert html.count("Mẫu mặc định") == len(registered())
    assert 'enctype="multipart/form-data"' in html


def test_a_valid_replacement_is_used_for_the_next_documents(client, world, media):
    client.force_login(world.admin)
    data = edited_certificate("Ghi chú: cấp lại theo số {{ certificate_no }}")
    response = upload(client, data)
    assert response.status_code == 302 and response["Location"].endswith("#mau-initiatives-"
                                                                         "giay-chung-nhan")
    row = DocumentTemplate.objects.get(key=KEY, active=True)
    assert row.original_name == "giay chung nhan moi.docx" and row.uploaded_by == world.admin
    # the renderer the initiatives app calls now fills the upload
    text = body(render_template(KEY, certificate_sample()))
    assert "Ghi chú: cấp lại theo số SK-2024-0007" in text
    assert "cấp lại theo số SK-2024-0007" in body(
        client.get(reverse("doc_templates:sample", args=[KEY])).content)
    current = client.get(reverse("doc_templates:current", args=[KEY]))
    assert b"".join(current.streaming_content) == data
    entry = AuditEntry.objects.get(action="document_template.replace")
    assert entry.actor == world.admin and entry.after["id"] == row.pk
    html = client.get(reverse("doc_templates:list")).content.decode()
    assert "Mẫu thay thế" in html and "bởi" in html and "quantri" in html
    assert html.count("Mẫu mặc định") == len(registered()) - 1


def test_a_second_replacement_keeps_the_first_in_the_history(client, world):
    client.force_login(world.admin)
    upload(client, edited_certificate("Lần một"), name="lan-1.docx")
    upload(client, edited_certificate("Lần hai"), name="lan-2.docx")
    rows = list(DocumentTemplate.objects.filter(key=KEY).order_by("pk"))
    assert [(r.original_name, r.active) for r in rows] == [("lan-1.docx", False),
                                                           ("lan-2.docx", True)]
    assert "Lần hai" in body(render_template(KEY, certificate_sample()))


def test_an_unknown_placeholder_is_refused_beside_the_field(client, world, media):
    client.force_login(world.admin)
    response = upload(client, edited_certificate("{{ so_quyet_dinh_moi }} {{ authors }}"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "«{{ so_quyet_dinh_moi }}» không có trong dữ liệu của «Giấy chứng nhận sáng kiến»" \
        in html.replace("&#x27;", "'")
    assert 'class="error" id="id_mau-initiatives-giay-chung-nhan_file-loi"' in html
    assert not DocumentTemplate.objects.exists()
    assert stored_files(media) == []  # nothing kept from a refused upload


def test_broken_jinja_is_refused_naming_the_paragraph(client, world, media):
    client.force_login(world.admin)
    response = upload(client, edited_certificate("Số: {{ certificate_no }"))
    assert response.status_code == 400
    assert "Mẫu có lỗi cú pháp ở đoạn văn thứ" in response.content.decode()
    assert not DocumentTemplate.objects.exists() and stored_files(media) == []


def test_an_exe_renamed_docx_is_refused(client, world, media):
    client.force_login(world.admin)
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    response = upload(client, exe, name="giay-chung-nhan.docx")
    assert response.status_code == 400
    assert "Chỉ nhận tài liệu Word (.docx)" in response.content.decode()
    assert not DocumentTemplate.objects.exists() and stored_files(media) == []


def test_dropping_a_placeholder_of_the_default_is_accepted_with_a_warning(client, world):
    client.force_login(world.admin)
    doc = Document()
    doc.add_paragraph("GIẤY CHỨNG NHẬN {{ title }} — {{ authors }}")
    out = io.BytesIO()
    doc.save(out)
    response = upload(client, out.getvalue())
    page = client.get(response["Location"]).content.decode()
    assert "Đã thay mẫu «Giấy chứng nhận sáng kiến»" in page
    assert "Mẫu mới không dùng" in page and "{{ decision_no }}" in page


def test_restore_the_default(client, world):
    client.force_login(world.admin)
    upload(client, edited_certificate("Bản sửa"))
    response = client.post(reverse("doc_templates:restore", args=[KEY]))
    assert response.status_code == 302
    assert not DocumentTemplate.objects.filter(active=True).exists()
    assert DocumentTemplate.objects.filter(key=KEY).count() == 1  # kept in the history
    assert "Bản sửa" not in body(render_template(KEY, certificate_sample()))
    assert AuditEntry.objects.filter(action="document_template.restore_default").count() == 1
    default = client.get(reverse("doc_templates:current", args=[KEY]))
    assert b"".join(default.streaming_content) == CERTIFICATE.read_bytes()
    # nothing to restore: no second audit entry
    client.post(reverse("doc_templates:restore", args=[KEY]))
    assert AuditEntry.objects.filter(action="document_template.restore_default").count() == 1


def test_the_default_and_the_sample_download(client, world):
    client.force_login(world.admin)
    default = client.get(reverse("doc_templates:default", args=[KEY]))
    assert b"".join(default.streaming_content) == CERTIFICATE.read_bytes()
    assert "giay_chung_nhan_sang_kien.docx" in default["Content-Disposition"]
    sample = client.get(reverse("doc_templates:sample", args=[KEY]))
    assert sample["Content-Type"] == DOCX
    text = body(sample.content)
    assert "Số hóa quy trình tiếp nhận hồ sơ công chứng" in text and "{{" not in text


def test_officers_leaders_and_members_get_the_404_of_the_administration_pages(client, world):
    for user in (world.officer_cdcs, world.officer_above, world.leader, world.member_user):
        client.force_login(user)
        assert client.get(reverse("doc_templates:list")).status_code == 404
        assert client.get(reverse("doc_templates:sample", args=[KEY])).status_code == 404
        assert upload(client, edited_certificate("x")).status_code == 404
        assert client.post(reverse("doc_templates:restore", args=[KEY])).status_code == 404
    assert not DocumentTemplate.objects.exists()


def test_a_branch_administrator_sees_the_page_but_cannot_change_the_shared_templates(
        client, world, admin_cdvc):
    client.force_login(admin_cdvc)
    html = client.get(reverse("doc_templates:list")).content.decode()
    assert "chỉ quản trị viên toàn hệ thống mới thay" in html
    assert 'enctype="multipart/form-data"' not in html
    response = upload(client, edited_certificate("Bản của một nhánh"))
    assert response.status_code == 403
    assert "chỉ quản trị viên toàn hệ thống" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_the_administrator_of_the_root_unit_changes_them(client, world, admin_tld):
    client.force_login(admin_tld)
    assert upload(client, edited_certificate("Bản của Tổng Liên đoàn")).status_code == 302
    assert DocumentTemplate.objects.get(active=True).uploaded_by == admin_tld


def test_an_unknown_key_is_a_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("doc_templates:default", args=["khong.co"])).status_code == 404
    assert upload(client, edited_certificate("x"), key="khong.co").status_code == 404


def test_the_administration_page_links_to_it(client, world, admin_cdvc):
    client.force_login(admin_cdvc)
    html = client.get(reverse("accounts:list")).content.decode()
    assert f'href="{reverse("doc_templates:list")}"' in html
