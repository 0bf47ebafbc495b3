"""Build the Word template of the application for recognition of an initiative (Đơn yêu cầu công
nhận sáng kiến, Thông tư 18/2013/TT-BKHCN Phụ lục I), docxtpl syntax inside.

Run it after changing the layout:  python -m thidua.demo.templates_src.initiative_application
It writes initiatives/docx/don_yeu_cau_cong_nhan_sang_kien.docx, which is committed; a union may edit it in Word (keep the {{ … }}, {%p … %} and
{%tr … %} tags) and docxtpl renders whatever they made of it.

The wording and order of the items are those of Phụ lục I. Page layout after Nghị định
30/2020/NĐ-CP Phụ lục I as far as domain.md §5 confirms it: A4; margins top/bottom 20 mm, left
30 mm, right 15 mm; Times New Roman; Quốc hiệu upper case bold 12 pt, Tiêu ngữ 13 pt bold
underlined. The 13 pt body and 14 pt title are common practice and stay editable here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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

APPLICATION = PACKAGE / "initiatives" / "docx" / "don_yeu_cau_cong_nhan_sang_kien.docx"
FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _font(run: Any, size: float = 13, bold: bool = False, italic: bool = False,
          underline: bool = False) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run.underline = underline


def _para(container: Any, text: str = "", *, size: float = 13, bold: bool = False,
          italic: bool = False, underline: bool = False, align: Any = JUSTIFY, after: float = 4,
          before: float = 0, indent: bool = False) -> Any:
    p = container.add_paragraph()
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.15
    p.alignment = align
    if indent:
        fmt.first_line_indent = Mm(10)
    return p


def _label_value(container: Any, label: str, value: str, *, after: float = 4) -> Any:
    """"- Label: value" with the label in bold, as the form prints it."""
    p = _para(container, after=after, indent=True)
    _font(p.add_run(label), 13, bold=True)
    _font(p.add_run(value), 13)
    return p


def _borders(table: Any, value: str) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _cell_text(cell: Any, text: str, *, size: float = 12, bold: bool = False, italic: bool = False,
               underline: bool = False, align: Any = CENTER, first: bool = True) -> Any:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    return p


def _loop_table(doc: Any, columns: Sequence[tuple[str, float, str]], loop: str, item: str) -> None:
    """A bordered table: a header row, then one row per item (docxtpl {%tr for %})."""
    table = doc.add_table(rows=4, cols=len(columns))
    _borders(table, "single")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, start, body, end = table.rows
    for i, (title, width, value) in enumerate(columns):
        for row in table.rows:
            row.cells[i].width = Mm(width)
        _cell_text(head.cells[i], title, size=11, bold=True)
        _cell_text(body.cells[i], value, size=11, align=LEFT if i in (1, 3) else CENTER)
    _cell_text(start.cells[0], f"{{%tr for {item} in {loop} %}}", size=11)
    _cell_text(end.cells[0], "{%tr endfor %}", size=11)


AUTHOR_COLUMNS = [
    ("Số TT", 11, "{{ a.n }}"),
    ("Họ và tên", 34, "{{ a.name }}"),
    ("Ngày tháng năm sinh", 22, "{{ a.birth_date }}"),
    ("Nơi công tác (hoặc nơi thường trú)", 34, "{{ a.workplace }}"),
    ("Chức danh", 22, "{{ a.job_title }}"),
    ("Trình độ chuyên môn", 22, "{{ a.qualification }}"),
    ("Tỷ lệ (%) đóng góp vào việc tạo ra sáng kiến", 20, "{{ a.share }}"),
]
PARTICIPANT_COLUMNS = [
    ("Số TT", 11, "{{ p.n }}"),
    ("Họ và tên", 34, "{{ p.name }}"),
    ("Ngày tháng năm sinh", 22, "{{ p.birth_date }}"),
    ("Nơi công tác", 34, "{{ p.workplace }}"),
    ("Chức danh", 22, "{{ p.job_title }}"),
    ("Trình độ chuyên môn", 22, "{{ p.qualification }}"),
    ("Nội dung công việc hỗ trợ", 20, "{{ p.task }}"),
]


def _lines(doc: Any, name: str) -> None:
    """A multi-paragraph text: one Word paragraph per line the author wrote."""
    _para(doc, f"{{%p for line in {name} %}}")
    _para(doc, "{{ line }}", indent=True, after=2)
    _para(doc, "{%p endfor %}")


def build_application(path: Path = APPLICATION) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    doc.core_properties.title = "Đơn yêu cầu công nhận sáng kiến"
    doc.core_properties.author = "Thi Đua"
    doc.core_properties.last_modified_by = "Thi Đua"
    # fixed stamps: rebuilding without a layout change gives the same file
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(2026, 1, 1)
    doc.core_properties.revision = 1

    _para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=CENTER, after=0)
    _para(doc, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, align=CENTER,
          after=18)
    _para(doc, "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", size=14, bold=True, align=CENTER, after=12)
    _para(doc, "Kính gửi: {{ addressee }}", align=CENTER, after=12)
    _para(doc, "Tôi (chúng tôi) ghi tên dưới đây:", indent=True)
    _loop_table(doc, AUTHOR_COLUMNS, "authors", "a")
    _para(doc, "", after=4)
    _para(doc, "Là {% if authors|length > 1 %}nhóm tác giả{% else %}tác giả{% endif %} đề nghị "
               "xét công nhận sáng kiến: {{ title }}", indent=True)
    _label_value(doc, "- Chủ đầu tư tạo ra sáng kiến: ", "{{ investor }}")
    _label_value(doc, "- Lĩnh vực áp dụng sáng kiến: ", "{{ field }} ({{ kind }})")
    _label_value(doc, "- Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử: ",
                 "{{ first_applied_on }}")
    _label_value(doc, "- Mô tả bản chất của sáng kiến:", "")
    _lines(doc, "description")
    _label_value(doc, "- Những thông tin cần được bảo mật: ", "{{ confidential }}")
    _label_value(doc, "- Những điều kiện cần thiết để áp dụng sáng kiến:", "")
    _lines(doc, "conditions")
    _label_value(doc, "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng "
                      "kiến theo ý kiến của tác giả:", "")
    _lines(doc, "benefit_author")
    _para(doc, "{%p if benefit_expected %}")
    _para(doc, "Giá trị làm lợi dự kiến: {{ benefit_expected }}.", indent=True, after=2)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if benefit_measured %}")
    _para(doc, "Giá trị làm lợi đã tính được: {{ benefit_measured }}.", indent=True, after=2)
    _para(doc, "{%p endif %}")
    _label_value(doc, "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng "
                      "kiến theo ý kiến của tổ chức, cá nhân đã tham gia áp dụng sáng kiến lần "
                      "đầu, kể cả áp dụng thử:", "")
    _lines(doc, "benefit_others")
    _label_value(doc, "- Danh sách những người đã tham gia áp dụng thử hoặc áp dụng sáng kiến "
                      "lần đầu: ", "{% if not participants %}không có.{% endif %}")
    _para(doc, "{%p if participants %}")
    _loop_table(doc, PARTICIPANT_COLUMNS, "participants", "p")
    _para(doc, "{%p endif %}")
    _para(doc, "Tôi (chúng tôi) xin cam đoan mọi thông tin nêu trong đơn là trung thực, đúng sự "
               "thật và hoàn toàn chịu trách nhiệm trước pháp luật.", indent=True, before=8)

    table = doc.add_table(rows=1, cols=2)
    _borders(table, "nil")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    _cell_text(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year_signed }}",
               size=13, italic=True)
    _cell_text(right, "Người nộp đơn", size=13, bold=True, first=False)
    _cell_text(right, "(Ký và ghi rõ họ tên)", size=13, italic=True, first=False)
    for _ in range(4):
        _cell_text(right, "", first=False)
    _cell_text(right, "{{ signer }}", size=13, bold=True, first=False)

    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_application())
