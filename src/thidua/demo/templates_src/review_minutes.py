"""Build the Word template of the review minutes (biên bản bình xét), docxtpl syntax inside.

Run it after changing the layout:  python -m thidua.demo.templates_src.review_minutes
It writes evaluation/docx/bien_ban_binh_xet.docx, which is committed; a union may then edit it in Word (keep the {{ … }} and
{%p … %} / {%tr … %} tags) and docxtpl renders whatever they made of it.

Layout after Nghị định 30/2020/NĐ-CP Phụ lục I and the union templates of QĐ 933/QĐ-TLĐ 2024,
as far as domain.md §5 confirms them: A4; margins top/bottom 20 mm, left 30 mm, right 15 mm;
Times New Roman; the two-line issuer block on the left (cơ quan chủ quản over the unit, bold),
Quốc hiệu (upper case, bold, 12 pt) and Tiêu ngữ (13 pt, bold, underlined) on the right, then
place and date in italics; the type name "BIÊN BẢN" centred in bold. Sizes domain.md leaves
unconfirmed (13 pt body, 14 pt type name) are the common practice and stay editable here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from thidua.demo.templates_src import PACKAGE, fix_zip_dates

MINUTES = PACKAGE / "evaluation" / "docx" / "bien_ban_binh_xet.docx"
FONT = "Times New Roman"


def _font(run: Any, size: float = 13, bold: bool = False, italic: bool = False,
          underline: bool = False) -> None:
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run.underline = underline


def _para(container: Any, text: str = "", *, size: float = 13, bold: bool = False,
          italic: bool = False, underline: bool = False, align: Any = None, after: float = 6,
          before: float = 0, indent: bool = False) -> Any:
    p = container.add_paragraph()
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.15
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Mm(10)
    return p


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _cell_text(cell: Any, text: str, *, size: float = 12, bold: bool = False, italic: bool = False,
               underline: bool = False, align: Any = WD_ALIGN_PARAGRAPH.CENTER, first: bool = True) -> Any:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    return p


def _header(doc: Any) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    _cell_text(left, "{{ parent_name|upper }}", size=12)
    _cell_text(left, "{{ unit_name|upper }}", size=12, bold=True, first=False)
    _cell_text(left, "———————", size=12, first=False)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _cell_text(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True,
               first=False)
    _cell_text(right, "", first=False)
    _cell_text(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year_signed }}",
               size=13, italic=True, first=False)


def _grid_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


VOTE_COLUMNS = [
    ("TT", 9, "{{ c.n }}"),
    ("Họ và tên / Tập thể", 42, "{{ c.subject }}"),
    ("Đơn vị", 30, "{{ c.unit }}"),
    ("Danh hiệu đề nghị", 30, "{{ c.title }}"),
    ("Đồng ý", 13, "{{ c.for }}"),
    ("Không đồng ý", 13, "{{ c.against }}"),
    ("Vắng", 11, "{{ c.absent }}"),
    ("Tỷ lệ đồng ý", 15, "{{ c.share }}"),
    ("Kết quả", 17, "{{ c.result }}"),
]


def _votes_table(doc: Any) -> None:
    table = doc.add_table(rows=4, cols=len(VOTE_COLUMNS))
    _grid_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, loop_start, body, loop_end = table.rows
    for i, (title, width, value) in enumerate(VOTE_COLUMNS):
        for row in table.rows:
            row.cells[i].width = Mm(width)
        _cell_text(head.cells[i], title, size=11, bold=True)
        align = WD_ALIGN_PARAGRAPH.LEFT if i in (1, 2, 3) else WD_ALIGN_PARAGRAPH.CENTER
        _cell_text(body.cells[i], value, size=11, align=align)
    _cell_text(loop_start.cells[0], "{%tr for c in candidates %}", size=11)
    _cell_text(loop_end.cells[0], "{%tr endfor %}", size=11)


def _signatures(doc: Any) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, role, name in zip(table.rows[0].cells, ("THƯ KÝ", "CHỦ TỌA"),
                                ("{{ secretary }}", "{{ chair }}"), strict=True):
        _cell_text(cell, role, size=13, bold=True)
        _cell_text(cell, "(Ký, ghi rõ họ tên)", size=13, italic=True, first=False)
        for _ in range(4):
            _cell_text(cell, "", first=False)
        _cell_text(cell, name, size=13, bold=True, first=False)


def build_minutes(path: Path = MINUTES) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    doc.core_properties.title = "Biên bản họp Hội đồng bình xét thi đua"
    doc.core_properties.author = "Thi Đua"
    doc.core_properties.last_modified_by = "Thi Đua"
    # fixed stamps: rebuilding without a layout change gives the same file
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(2026, 1, 1)
    doc.core_properties.revision = 1

    _header(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _para(doc, "BIÊN BẢN", size=14, bold=True, align=center, before=18, after=0)
    _para(doc, "Họp Hội đồng bình xét thi đua năm {{ year }}", size=14, bold=True, align=center,
          after=0)
    _para(doc, "———", align=center, after=12)

    _para(doc, "Thời gian: ngày {{ meeting_date }}.", indent=True)
    _para(doc, "Địa điểm: {{ meeting_place }}.", indent=True)
    _para(doc, "I. THÀNH PHẦN", bold=True, before=6)
    _para(doc, "Hội đồng bình xét gồm {{ council_size }} thành viên; có mặt {{ present_count }}, "
               "vắng mặt {{ absent_count }}{% if written_count %} ({{ written_count }} thành "
               "viên vắng có ý kiến bằng văn bản){% endif %}.", indent=True)
    _para(doc, "{%p for m in members %}")
    _para(doc, "{{ m.n }}. {{ m.name }}{% if m.position %}, {{ m.position }}{% endif %} — "
               "{{ m.role }}{% if not m.present %} (vắng mặt){% endif %}.", indent=True, after=2)
    _para(doc, "{%p endfor %}")
    _para(doc, "Chủ tọa: {{ chair }}. Thư ký: {{ secretary }}.", indent=True)

    _para(doc, "II. NỘI DUNG", bold=True, before=6)
    _para(doc, "Hội đồng xem xét danh sách đề nghị xét danh hiệu thi đua năm {{ year }} của "
               "{{ unit_name }}, lập theo tiêu chuẩn của {{ rule_set }} trên cơ sở kết quả đánh "
               "giá, xếp loại và đăng ký thi đua của từng cá nhân, tập thể.", align=justify,
          indent=True)
    _para(doc, "{%p if adjustments %}")
    _para(doc, "Các điều chỉnh danh sách so với đề nghị tính theo tiêu chuẩn:", indent=True)
    _para(doc, "{%p for a in adjustments %}")
    _para(doc, "- {{ a }}", indent=True, after=2)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endif %}")
    _para(doc, "Tỷ lệ phiếu đồng ý tính trên tổng số thành viên Hội đồng (kể cả thành viên "
               "vắng mặt):", indent=True)
    _para(doc, "{%p for t in thresholds %}")
    _para(doc, "- {{ t.title }}: {{ t.text }} ({{ t.source }}).", indent=True, after=2)
    _para(doc, "{%p endfor %}")

    _para(doc, "III. KẾT QUẢ BỎ PHIẾU", bold=True, before=6)
    _votes_table(doc)

    _para(doc, "IV. KẾT LUẬN", bold=True, before=12)
    _para(doc, "Căn cứ kết quả bỏ phiếu, Hội đồng thống nhất đề nghị công nhận:", indent=True)
    _para(doc, "{%p for s in summary %}")
    _para(doc, "- Danh hiệu «{{ s.title }}»: {{ s.passed }}/{{ s.total }} "
               "{{ s.noun }}.", indent=True, after=2)
    _para(doc, "{%p endfor %}")
    _para(doc, "Biên bản được lập thành 02 bản, đã thông qua trước Hội đồng và được các thành "
               "viên có mặt nhất trí.", align=justify, indent=True, after=12)

    _signatures(doc)
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_minutes())
