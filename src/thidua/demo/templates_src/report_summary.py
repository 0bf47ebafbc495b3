"""Build the Word template of the year-end report (reports/docx/bao_cao_tong_ket.docx).

Run it after changing the layout:  python -m thidua.demo.templates_src.report_summary
Layout of NĐ 30/2020 Phụ lục I and QĐ 933/QĐ-TLĐ for a union body's report: the body above and
the issuing body with "Số: …/BC-…" on the left, Quốc hiệu and Tiêu ngữ with the place and date on
the right; "BÁO CÁO" and its subject; the body sections, each a heading, its paragraphs and its
charts with their captions; "Nơi nhận" and the signature."""

from __future__ import annotations

from pathlib import Path

from thidua.demo.templates_src import PACKAGE, fix_zip_dates
from thidua.demo.templates_src.honours_to_trinh import signature_block
from thidua.demo.templates_src.layout import CENTER, header_block, new_document, para

TONG_KET = PACKAGE / "reports" / "docx" / "bao_cao_tong_ket.docx"


def build_tong_ket(path: Path = TONG_KET) -> Path:
    doc = new_document("Báo cáo tổng kết công tác thi đua, khen thưởng")
    header_block(doc, upper="{{ upper_name|upper }}", issuer="{{ issuer_name|upper }}",
                 number="Số: {{ number }}", date_line="{{ place }}, {{ date_line }}")
    para(doc, "BÁO CÁO", size=14, bold=True, align=CENTER, before=18, after=0)
    para(doc, "{{ subject }}", size=14, bold=True, align=CENTER, after=0)
    para(doc, "———", align=CENTER, after=10)
    para(doc, "{%p for s in sections %}")
    para(doc, "{{ s.title }}", bold=True, before=6, keep_next=True)
    para(doc, "{%p for line in s.paragraphs %}")
    para(doc, "{{ line }}", indent=True)
    para(doc, "{%p endfor %}")
    # the section's charts (reports.charts), each above its caption; a template without this
    # loop prints the report without them
    para(doc, "{%p for c in s.charts %}")
    para(doc, "{{ c.drawing }}", align=CENTER, before=6, after=2, keep_next=True)
    para(doc, "{{ c.caption }}", size=12, italic=True, align=CENTER, after=10)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "", after=8)
    signature_block(doc)
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_tong_ket())
