"""Build the Word template of a decision (quyết định) with its attached list
(honours/docx/quyet_dinh.docx).

Run it after changing the layout:  python -m thidua.demo.templates_src.honours_quyet_dinh
Layout of QĐ 933/QĐ-TLĐ Phụ lục III Mẫu 1.3 (quyết định cá biệt) for a union body, NĐ 30/2020
otherwise: the issuer block and "Số: 12/QĐ-CĐ", place and date; "QUYẾT ĐỊNH / Về việc …";
the authority ("BAN THƯỜNG VỤ …"), the grounds in italics, "QUYẾT ĐỊNH:", Điều 1–3; "Nơi nhận"
and the signature (TM./KT., title, name). Then, on a new page, the list "DANH SÁCH … (Kèm theo
Quyết định số …)" as one table whose body is a single row template `{%tr for r in rows %}`
(a decision of 1.000 recipients renders as fast as the same table from a plain list)."""

from __future__ import annotations

from pathlib import Path

from thidua.demo.templates_src import PACKAGE, fix_zip_dates
from thidua.demo.templates_src.honours_to_trinh import signature_block
from thidua.demo.templates_src.layout import (
    CENTER,
    font,
    header_block,
    loop_table,
    new_document,
    page_break,
    para,
)

QUYET_DINH = PACKAGE / "honours" / "docx" / "quyet_dinh.docx"

COLUMNS = [
    ("STT", 11, "{{ r.n }}"),
    ("Họ và tên / Tên tập thể", 46, "{{ r.name }}"),
    ("Chức vụ, đơn vị công tác", 58, "{{ r.position }}"),
    ("Số sổ vàng", 20, "{{ r.book }}"),
    ("Tiền thưởng (đồng)", 30, "{{ r.cash }}"),
]


def _article(doc: object, number: str, text: str) -> None:
    p = para(doc, indent=True)
    font(p.add_run(f"Điều {number}. "), 13, bold=True)
    font(p.add_run(text), 13)


def build_quyet_dinh(path: Path = QUYET_DINH) -> Path:
    doc = new_document("Quyết định khen thưởng")
    header_block(doc, upper="{{ upper_name|upper }}", issuer="{{ issuer_name|upper }}",
                 number="Số: {{ number }}", date_line="{{ place }}, {{ date_line }}")
    para(doc, "QUYẾT ĐỊNH", size=14, bold=True, align=CENTER, before=18, after=0)
    para(doc, "{{ title }}", size=14, bold=True, align=CENTER, after=0)
    para(doc, "———", align=CENTER, after=8)
    para(doc, "{{ authority }}", size=14, bold=True, align=CENTER, after=8)
    para(doc, "{%p for b in basis %}")
    para(doc, "{{ b }}", italic=True, indent=True, after=3)
    para(doc, "{%p endfor %}")
    para(doc, "QUYẾT ĐỊNH:", size=14, bold=True, align=CENTER, before=6, after=8)
    _article(doc, "1", "{{ article1 }}")
    para(doc, "{%p if cash_line %}")
    para(doc, "{{ cash_line }}", indent=True)
    para(doc, "{%p endif %}")
    _article(doc, "2", "{{ article2 }}")
    _article(doc, "3", "{{ article3 }}")
    para(doc, "", after=6)
    signature_block(doc)

    para(doc, "{%p if rows %}")
    page_break(doc)
    para(doc, "DANH SÁCH", size=14, bold=True, align=CENTER, after=0)
    para(doc, "{{ list_title }}", size=13, bold=True, align=CENTER, after=0)
    para(doc, "(Kèm theo Quyết định số {{ number }} {{ date_line }} của {{ authority_title }})",
         italic=True, align=CENTER, after=8)
    loop_table(doc, COLUMNS, "r in rows", size=11, head_size=11, left=(1, 2))
    para(doc, "{%p if cash_total %}")
    para(doc, "Tổng cộng: {{ count_text }}; tổng số tiền thưởng {{ cash_total }} đồng.",
         italic=True, before=6)
    para(doc, "{%p else %}")
    para(doc, "Tổng cộng: {{ count_text }}.", italic=True, before=6)
    para(doc, "{%p endif %}")
    para(doc, "{%p endif %}")
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_quyet_dinh())
