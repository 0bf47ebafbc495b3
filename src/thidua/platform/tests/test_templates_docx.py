"""Replaceable Word templates: the registry, the checks an upload passes (placeholders known,
Jinja that parses, renders with the sample), and what renderers use once one is active."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError
from docx import Document

from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.models import DocumentTemplate
from thidua.platform.templates_docx import (
    check_template,
    get_template,
    register_template,
    registered,
    render_sample,
    render_template,
    template_source,
    template_variables,
    unregister_template,
)

KEY = "tests.giay_moi"


def sample() -> dict[str, object]:
    return {"ho_ten": "Trần Thị Ánh", "don_vi": "Công đoàn Sở Tư pháp",
            "hang_muc": [{"ten": "Lao động tiên tiến"}, {"ten": "Chiến sĩ thi đua cơ sở"}]}


def docx(*paragraphs: str) -> bytes:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture
def default(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "giay_moi.docx"
    path.write_bytes(docx("Kính gửi {{ ho_ten }}, {{ don_vi }}",
                          "{%p for h in hang_muc %}", "– {{ h.ten }}", "{%p endfor %}"))
    register_template(KEY, label="Giấy mời", default=path, sample=sample, group="Thử")
    yield path
    unregister_template(KEY)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def activate(data: bytes, key: str = KEY) -> DocumentTemplate:
    name = default_storage.save("templates/thu.docx", io.BytesIO(data))
    return DocumentTemplate.objects.create(key=key, file=name, original_name="thu.docx",
                                           sha256="0" * 64)


@pytest.mark.django_db
def test_the_three_shipped_templates_are_registered_and_render_their_samples():
    keys = {t.key for t in registered()}
    assert {"evaluation.bien_ban_binh_xet", "initiatives.don_yeu_cau",
            "initiatives.giay_chung_nhan"} <= keys
    for t in registered():
        if t.key.startswith("tests."):
            continue
        # the shipped file itself passes the upload check, and prints the sample's values
        assert check_template(t.key, t.default.read_bytes()).unused == ()
        body = "\n".join(p.text for p in Document(io.BytesIO(render_sample(t.key))).paragraphs)
        assert "{{" not in body and "{%" not in body


def test_registry_lists_the_key_and_refuses_an_unknown_one(default):
    assert get_template(KEY).label == "Giấy mời"
    with pytest.raises(NotFoundError):
        get_template("khong.co")
    with pytest.raises(ValueError):
        register_template(KEY, label="Khác", default=Path("/khac.docx"), sample=sample)


@pytest.mark.django_db
def test_renderers_use_the_shipped_file_until_a_replacement_is_active(default, media):
    assert template_source(KEY) == default
    assert "Kính gửi Trần Thị Ánh" in text(render_template(KEY, sample()))
    row = activate(docx("Thân mời {{ ho_ten }} dự hội nghị"))
    assert template_source(KEY) != default
    assert text(render_template(KEY, sample())) == "Thân mời Trần Thị Ánh dự hội nghị"
    row.active = False
    row.save()
    assert template_source(KEY) == default


@pytest.mark.django_db
def test_a_replacement_lost_from_the_storage_falls_back_to_the_shipped_file(default, media):
    row = activate(docx("Thân mời {{ ho_ten }}"))
    default_storage.delete(row.file)
    assert template_source(KEY) == default


@pytest.mark.django_db
def test_one_active_replacement_per_key(default, media):
    activate(docx("A"))
    with pytest.raises(IntegrityError):
        activate(docx("B"))


def test_an_edited_copy_of_the_default_passes_and_loop_variables_are_not_unknown(default):
    doc = Document(str(default))
    doc.add_paragraph("Đơn vị: {{ don_vi | upper }}")
    out = io.BytesIO()
    doc.save(out)
    check = check_template(KEY, out.getvalue())
    assert check.variables == {"ho_ten", "don_vi", "hang_muc"}
    assert check.unused == ()


def test_an_unknown_placeholder_is_refused_naming_each_one(default):
    with pytest.raises(ApplicationError) as exc:
        check_template(KEY, docx("{{ ho_ten }} {{ chuc_vu }} {{ ngay_sinh }}"))
    assert "«{{ chuc_vu }}»" in exc.value.message and "«{{ ngay_sinh }}»" in exc.value.message
    assert "ho_ten" not in exc.value.message
    assert exc.value.field == "file"


def test_broken_jinja_is_refused_pointing_at_the_paragraph(default):
    with pytest.raises(ApplicationError) as exc:
        check_template(KEY, docx("Dòng một {{ ho_ten }}", "Dòng hai {{ don_vi }", "Dòng ba"))
    message = exc.value.message
    assert message.startswith("Mẫu có lỗi cú pháp ở đoạn văn thứ 2")
    assert "«Dòng hai {{ don_vi }" in message


def test_an_unclosed_block_is_refused(default):
    with pytest.raises(ApplicationError, match="lỗi cú pháp"):
        check_template(KEY, docx("{% for h in hang_muc %}", "{{ h.ten }}"))


def test_an_unknown_filter_is_refused(default):
    with pytest.raises(ApplicationError, match="No filter named 'khong_co_bo_loc'"):
        check_template(KEY, docx("{{ ho_ten | khong_co_bo_loc }}"))


def test_a_template_that_does_not_render_with_the_sample_is_refused(default):
    with pytest.raises(ApplicationError, match="không tạo được văn bản với dữ liệu mẫu"):
        check_template(KEY, docx("{{ ho_ten.khong_co() }}"))


def test_a_file_that_is_not_word_is_refused(default):
    with pytest.raises(ApplicationError, match="Không đọc được tệp Word"):
        check_template(KEY, b"MZ\x90\x00" + b"\x00" * 100)


def test_placeholders_of_the_default_the_upload_drops_are_a_warning(default):
    check = check_template(KEY, docx("Kính gửi {{ ho_ten }}"))
    assert check.unused == ("don_vi", "hang_muc")


def test_variables_include_headers_and_footers(default):
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{{ don_vi }}"
    doc.add_paragraph("{{ ho_ten }}")
    out = io.BytesIO()
    doc.save(out)
    assert template_variables(out.getvalue()) == {"don_vi", "ho_ten"}
