"""Build the Word template of the certificate of an initiative (Giấy chứng nhận sáng kiến), docxtpl
syntax inside: the printable twin of the certificate page, on A4 (it printed on Letter).

Run it after changing the layout:  python -m thidua.demo.templates_src.initiative_certificate
It writes initiatives/docx/giay_chung_nhan_sang_kien.docx, which is committed. Lines after the
certificate layout of domain.md §2 (NĐ 98/2023 Điều 104): Quốc hiệu and Tiêu ngữ, the issuer, the
title, the initiative and its authors, the level; decision and number bottom left, place, date
and signature bottom right; page of `layout.new_document`."""

from __future__ import annotations

from pathlib import Path

from thidua.demo.templates_src import PACKAGE, fix_zip_dates
from thidua.demo.templates_src.layout import (
    CENTER,
    LEFT,
    TEXT_WIDTH,
    cell_text,
    fixed_table,
    keep_row,
    new_document,
    para,
)

CERTIFICATE = PACKAGE / "initiatives" / "docx" / "giay_chung_nhan_sang_kien.docx"


def build_certificate(path: Path = CERTIFICATE) -> Path:
    doc = new_document("Giấy chứng nhận sáng kiến")
    para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=CENTER, after=0)
    para(doc, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, align=CENTER,
         after=36)
    para(doc, "{{ issuer|upper }}", size=14, bold=True, align=CENTER, after=24)
    para(doc, "GIẤY CHỨNG NHẬN", size=26, bold=True, align=CENTER, after=0)
    para(doc, "SÁNG KIẾN", size=26, bold=True, align=CENTER, after=24)
    para(doc, "Công nhận sáng kiến", align=CENTER, after=6)
    para(doc, "«{{ title }}»", size=16, bold=True, align=CENTER, after=12)
    para(doc, "của {{ author_noun }}: {{ authors }}", align=CENTER, after=6)
    para(doc, "{{ unit_name }}", align=CENTER, after=12)
    para(doc, "là sáng kiến {{ level }} năm {{ year }}", size=14, bold=True, align=CENTER,
         after=6)
    para(doc, "{%p if scope_note %}")
    para(doc, "{{ scope_note }}", italic=True, align=CENTER, after=6)
    para(doc, "{%p endif %}")
    para(doc, "", after=36)
    table = fixed_table(doc, [82, TEXT_WIDTH - 82], 1, grid=False)
    keep_row(table.rows[0])
    left, right = table.rows[0].cells
    cell_text(left, "Quyết định số {{ decision_no }}", size=13, align=LEFT)
    cell_text(left, "{{ decided_on }}", size=13, align=LEFT, first=False)
    cell_text(left, "Số giấy chứng nhận: {{ certificate_no }}", size=13, align=LEFT, first=False)
    cell_text(right, "{{ place }}, {{ date_line }}", size=13, italic=True)
    cell_text(right, "{{ issuer|upper }}", size=13, bold=True, first=False)
    cell_text(right, "(Ký tên, đóng dấu)", size=13, italic=True, first=False)
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_certificate())
