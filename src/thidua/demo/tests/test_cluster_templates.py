"""The clusters' Word templates are the files their script builds (issue 12)."""

from __future__ import annotations

import docx

from thidua.clusters.documents import DOCX
from thidua.demo.templates_src import cluster_documents


def _text(path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_pledge_and_sheet_templates_are_built_by_their_script(tmp_path):
    assert cluster_documents.GIAO_UOC == DOCX / "giao_uoc_thi_dua.docx"
    assert cluster_documents.BANG_DIEM == DOCX / "bang_cham_diem.docx"
    pledge = cluster_documents.build_giao_uoc(tmp_path / "giao_uoc.docx")
    sheet = cluster_documents.build_bang_diem(tmp_path / "bang_diem.docx")
    assert pledge.read_bytes() == cluster_documents.GIAO_UOC.read_bytes()
    assert sheet.read_bytes() == cluster_documents.BANG_DIEM.read_bytes()
    assert "{{ line }}" in _text(pledge) and "{%tr for m in members %}" in _text(pledge)
    assert "{{ r.checked }}" in _text(sheet)
