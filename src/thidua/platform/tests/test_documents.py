from __future__ import annotations

import io

import docx

from thidua.platform.documents import render_docx


def _template(tmp_path):
    document = docx.Document()
    document.add_paragraph("Kính gửi: {{ addressee }}")
    document.add_paragraph("{%p for m in members %}")
    document.add_paragraph("- {{ m.name }}")
    document.add_paragraph("{%p endfor %}")
    path = tmp_path / "mau.docx"
    document.save(str(path))
    return path


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_render_from_a_path_or_bytes_with_plain_dicts(tmp_path):
    path = _template(tmp_path)
    context = {"addressee": "Hội đồng «A & B» <thi đua>",
               "members": [{"name": "Nguyễn Văn An"}, {"name": "Trần Thị Bình"}]}
    from_path = render_docx(path, context)
    assert _paragraphs(from_path) == ["Kính gửi: Hội đồng «A & B» <thi đua>", "- Nguyễn Văn An",
                                      "- Trần Thị Bình"]
    assert _paragraphs(render_docx(path.read_bytes(), context)) == _paragraphs(from_path)
    assert path.read_bytes() != from_path  # the template itself is left as it was


def test_official_text_keeps_working_notes_and_local_defaults_out() -> None:
    from thidua.platform.documents import official_text

    assert official_text("Giả định: quá bán") == ""
    assert official_text("Thực tiễn địa phương: quá bán tổng số thành viên Hội đồng") == ""
    assert official_text("NĐ 91/2017/NĐ-CP, Điều 45 khoản 8") == "NĐ 91/2017/NĐ-CP, Điều 45 khoản 8"
