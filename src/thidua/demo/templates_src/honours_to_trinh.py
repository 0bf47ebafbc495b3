"""Build the Word template of the tờ trình đề nghị khen thưởng (honours/docx/to_trinh.docx).

Run it after changing the layout:  python -m thidua.demo.templates_src.honours_to_trinh
The sender's document to the level that decides or forwards (NĐ 30/2020 Phụ lục I; QĐ 933/QĐ-TLĐ
for a union body): the sender's block and "Số: …/TTr-…", "TỜ TRÌNH / Về việc …", "Kính gửi:",
the grounds, the request with the counts, the list of candidates (in the body up to 25 names, in
an annex after the signature above that; its header row repeats on every page), the dossier
sent with it, "Nơi nhận" and the signature of the sender's signer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua.demo.templates_src import PACKAGE, fix_zip_dates
from thidua.demo.templates_src.layout import (
    CENTER,
    LEFT,
    TEXT_WIDTH,
    cell_text,
    fixed_table,
    header_block,
    keep_row,
    loop_table,
    new_document,
    page_break,
    para,
)

TO_TRINH = PACKAGE / "honours" / "docx" / "to_trinh.docx"

COLUMNS = [
    ("TT", 10, "{{ c.n }}"),
    ("Họ và tên / Tên tập thể", 45, "{{ c.name }}"),
    ("Chức vụ, đơn vị công tác", 50, "{{ c.position }}"),
    ("Thành tích", 60, "{{ c.achievement }}"),
]


def signature_block(doc: Any, *, recipients: bool = True) -> Any:
    """Left: "Nơi nhận:" and the `receivers` list (or nothing); right: `sign_for` ("TM. BAN
    THƯỜNG VỤ"), `sign_kt` ("KT. CHỦ TỊCH", a deputy's), `sign_title`, room for the signature
    and seal, `signer_name`."""
    left_w = 75
    table = fixed_table(doc, [left_w, TEXT_WIDTH - left_w], 1, grid=False)
    left, right = table.rows[0].cells
    keep_row(table.rows[0])
    if recipients:
        cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT)
        cell_text(left, "{%p for r in receivers %}", size=11, align=LEFT, first=False)
        cell_text(left, "- {{ r }}", size=11, align=LEFT, first=False)
        cell_text(left, "{%p endfor %}", size=11, align=LEFT, first=False)
    cell_text(right, "{{ sign_for }}", size=13, bold=True)
    cell_text(right, "{%p if sign_kt %}", size=13, first=False)
    cell_text(right, "{{ sign_kt }}", size=13, bold=True, first=False)
    cell_text(right, "{%p endif %}", size=13, first=False)
    cell_text(right, "{{ sign_title }}", size=13, bold=True, first=False)
    for _ in range(4):
        cell_text(right, "", first=False)
    cell_text(right, "{{ signer_name }}", size=13, bold=True, first=False)
    return table


def build_to_trinh(path: Path = TO_TRINH) -> Path:
    doc = new_document("Tờ trình đề nghị khen thưởng")
    header_block(doc, upper="{{ upper_name|upper }}", issuer="{{ issuer_name|upper }}",
                 number="Số: {{ number }}", date_line="{{ place }}, {{ date_line }}")
    para(doc, "TỜ TRÌNH", size=14, bold=True, align=CENTER, before=18, after=0)
    para(doc, "{{ subject }}", size=14, bold=True, align=CENTER, after=0)
    para(doc, "———", align=CENTER, after=8)
    para(doc, "Kính gửi: {{ recipient_name }}.", align=CENTER, after=10)
    para(doc, "{%p for g in grounds %}")
    para(doc, "{{ g }}", italic=True, indent=True, after=3)
    para(doc, "{%p endfor %}")
    para(doc, "{{ request }}", indent=True, before=4)
    para(doc, "{%p if annex %}")
    para(doc, "Danh sách {{ candidate_count }} tập thể, cá nhân được đề nghị tại Phụ lục kèm "
              "theo Tờ trình này.", indent=True)
    para(doc, "{%p else %}")
    para(doc, "Danh sách đề nghị:", indent=True, keep_next=True)
    loop_table(doc, COLUMNS, "c in candidates", size=11, left=(1, 2, 3))
    para(doc, "{%p endif %}")
    para(doc, "Hồ sơ kèm theo gồm:", indent=True, before=6, keep_next=True)
    para(doc, "{%p for d in dossier %}")
    para(doc, "- {{ d }}", indent=True, after=2)
    para(doc, "{%p endfor %}")
    para(doc, "{{ closing }}", indent=True, before=4, after=12)
    signature_block(doc)

    para(doc, "{%p if annex %}")
    page_break(doc)
    para(doc, "PHỤ LỤC", size=14, bold=True, align=CENTER, after=0)
    para(doc, "DANH SÁCH ĐỀ NGHỊ TẶNG {{ form_name|upper }}", size=13, bold=True,
         align=CENTER, after=0)
    para(doc, "(Kèm theo Tờ trình số {{ number }} {{ date_line }} của {{ issuer_name }})",
         italic=True, align=CENTER, after=8)
    loop_table(doc, COLUMNS, "c in candidates", size=11, left=(1, 2, 3))
    para(doc, "{%p endif %}")
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_to_trinh())
