"""The page and text helpers every Word template generator shares (one copy, not one per form).

Page after Nghị định 30/2020/NĐ-CP Phụ lục I (domain.md §5): A4 210 × 297 mm; margins top and
bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the page number centred in the top
margin, not on the first page. Tables get a fixed layout whose grid (w:tblGrid) carries the same
widths as their cells: Word reads the cell widths, LibreOffice reads the grid, and when the two
disagree LibreOffice stretches the table past the margins (79 pages for a minutes of 400 rows, the
Quốc hiệu wrapped onto two lines)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
PAGE_WIDTH, PAGE_HEIGHT = 210, 297  # mm, A4
MARGIN_TOP = MARGIN_BOTTOM = 20
MARGIN_LEFT, MARGIN_RIGHT = 30, 15
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def new_document(title: str) -> Any:
    """An empty A4 document with the margins, font and page numbers of NĐ 30/2020."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on page 1
    number = section.header.paragraphs[0]
    number.alignment = CENTER
    _page_field(number)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    doc.core_properties.title = title
    doc.core_properties.author = "Thi Đua"
    doc.core_properties.last_modified_by = "Thi Đua"
    # fixed stamps: rebuilding without a layout change gives the same file
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(2026, 1, 1)
    doc.core_properties.revision = 1
    return doc


def _page_field(p: Any) -> None:
    run = p.add_run()
    font(run, 13)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def font(run: Any, size: float = 13, bold: bool = False, italic: bool = False,
         underline: bool = False) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run.underline = underline


def para(container: Any, text: str = "", *, size: float = 13, bold: bool = False,
         italic: bool = False, underline: bool = False, align: Any = JUSTIFY, after: float = 6,
         before: float = 0, indent: bool = False, keep_next: bool = False) -> Any:
    p = container.add_paragraph()
    if text:
        font(p.add_run(text), size, bold, italic, underline)
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.15
    fmt.keep_with_next = keep_next or None
    p.alignment = align
    if indent:
        fmt.first_line_indent = Mm(10)
    return p


def label_value(container: Any, label: str, value: str, *, after: float = 4) -> Any:
    """"- Label: value" with the label in bold, as the forms print it."""
    p = para(container, after=after, indent=True)
    font(p.add_run(label), 13, bold=True)
    font(p.add_run(value), 13)
    return p


def page_break(doc: Any) -> Any:
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    return p


def cell_text(cell: Any, text: str, *, size: float = 12, bold: bool = False, italic: bool = False,
              underline: bool = False, align: Any = CENTER, first: bool = True) -> Any:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    if text:
        font(p.add_run(text), size, bold, italic, underline)
    return p


def borders(table: Any, value: str) -> None:
    """All borders of `table`: "single" (a grid) or "nil" (a layout table)."""
    tbl_pr = table._tbl.tblPr
    el_borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "000000")
        el_borders.append(el)
    tbl_pr.append(el_borders)


def fixed_table(doc: Any, widths: Sequence[float], rows: int, *, grid: bool = True) -> Any:
    """A table of `rows` rows whose columns are `widths` mm, in the grid and in every cell, with
    a fixed layout; the widths must add up to the text width at most."""
    if sum(widths) > TEXT_WIDTH + 0.01:
        raise ValueError(f"table of {sum(widths)} mm is wider than the text ({TEXT_WIDTH} mm)")
    table = doc.add_table(rows=rows, cols=len(widths))
    borders(table, "single" if grid else "nil")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(int(Mm(sum(widths)).twips)))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_pr.append(tbl_w)
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    if grid:  # narrow cell margins (1 mm): the numbers of a wide list fit their columns
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), "57")
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        tbl_pr.append(margins)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    return table


def repeat_header(row: Any) -> None:
    """Repeat this row at the top of every page the table runs onto (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def keep_row(row: Any) -> None:
    """Do not split this row across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def loop_table(doc: Any, columns: Sequence[tuple[str, float, str]], loop: str, *,
               size: float = 11, head_size: float | None = None,
               left: tuple[int, ...] = ()) -> Any:
    """A grid table: a header row repeated on each page, then one row per item of `loop`
    ("a in authors", docxtpl {%tr for %}); columns are (heading, width in mm, cell text)."""
    table = fixed_table(doc, [w for _, w, _ in columns], 4)
    head, start, body, end = table.rows
    repeat_header(head)
    keep_row(body)
    for i, (title, _, value) in enumerate(columns):
        cell_text(head.cells[i], title, size=head_size or size, bold=True)
        cell_text(body.cells[i], value, size=size, align=LEFT if i in left else CENTER)
    cell_text(start.cells[0], f"{{%tr for {loop} %}}", size=size)
    cell_text(end.cells[0], "{%tr endfor %}", size=size)
    return table


def national_title(cell: Any, *, first: bool = True) -> None:
    """Quốc hiệu (12 pt bold upper case) and Tiêu ngữ (13 pt bold, underlined) in one cell."""
    cell_text(cell, QUOC_HIEU, size=12, bold=True, first=first)
    cell_text(cell, TIEU_NGU, size=13, bold=True, underline=True, first=False)


def header_block(doc: Any, *, upper: str, issuer: str, number: str, date_line: str,
                 left: float = 62) -> Any:
    """The document header of NĐ 30/2020 and QĐ 933/QĐ-TLĐ: on the left the body above (upper
    case) over the issuing body (bold, underlined), then "Số: …"; on the right the Quốc hiệu
    and Tiêu ngữ, then place and date in italics. Texts may carry docxtpl tags."""
    table = fixed_table(doc, [left, TEXT_WIDTH - left], 1, grid=False)
    lcell, rcell = table.rows[0].cells
    cell_text(lcell, upper, size=12)
    cell_text(lcell, issuer, size=12, bold=True, underline=True, first=False)
    cell_text(lcell, "", size=6, first=False)
    cell_text(lcell, number, size=13, first=False)
    national_title(rcell)
    cell_text(rcell, "", size=6, first=False)
    cell_text(rcell, date_line, size=13, italic=True, first=False)
    return table
