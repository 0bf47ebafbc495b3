"""The Word templates in the repository are what their generators write, so a union's edit in
Word is the only other way they change; and they carry the docxtpl tags their apps fill."""

from __future__ import annotations

import docx

from thidua.demo.templates_src import initiative_application, report_summary, review_minutes
from thidua.evaluation.documents import TEMPLATE as MINUTES
from thidua.initiatives.documents import TEMPLATE as APPLICATION
from thidua.reports.documents import TEMPLATE as REPORT


def _text(path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_review_minutes_template_is_built_by_its_script(tmp_path):
    assert review_minutes.MINUTES == MINUTES
    built = review_minutes.build_minutes(tmp_path / "bien_ban.docx")
    assert built.read_bytes() == MINUTES.read_bytes()
    text = _text(MINUTES)
    assert "{{ year }}" in text and "{%p for m in members %}" in text


def test_the_initiative_application_template_is_built_by_its_script(tmp_path):
    assert initiative_application.APPLICATION == APPLICATION
    built = initiative_application.build_application(tmp_path / "don.docx")
    assert built.read_bytes() == APPLICATION.read_bytes()
    text = _text(APPLICATION)
    assert "{{ title }}" in text and "{{ signer }}" in text


def test_the_year_end_report_template_is_built_by_its_script(tmp_path):
    assert report_summary.TONG_KET == REPORT
    built = report_summary.build_tong_ket(tmp_path / "bao_cao.docx")
    assert built.read_bytes() == REPORT.read_bytes()
    text = _text(REPORT)
    assert "{%p for s in sections %}" in text and "{{ signer_name }}" in text
