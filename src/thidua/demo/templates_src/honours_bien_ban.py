"""Build the Word template of the minutes of the receiving level's honours council (biên bản
họp Hội đồng xét khen thưởng; honours/docx/bien_ban_hoi_dong.docx).

Run it after changing the layout:  python -m thidua.demo.templates_src.honours_bien_ban
The receiving level's block and "Số: …/BB-…"; "BIÊN BẢN / Họp Hội đồng …"; time and place;
I. the members, present or absent; II. the proposal considered, the ballot kind and the share
of votes the rule set in force asks; III. each candidate's votes and result (in an annex after
the signatures above 25 names); IV. the conclusion; the secretary's and the chair's signatures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua.demo.templates_src import PACKAGE, fix_zip_dates
from thidua.demo.templates_src.layout import (
    CENTER,
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

BIEN_BAN = PACKAGE / "honours" / "docx" / "bien_ban_hoi_dong.docx"

VOTE_COLUMNS = [
    ("TT", 9, "{{ c.n }}"),
    ("Họ và tên / Tên tập thể", 40, "{{ c.name }}"),
    ("Chức vụ, đơn vị công tác", 40, "{{ c.position }}"),
    ("Đồng ý", 14, "{{ c.for }}"),
    ("Không đồng ý", 15, "{{ c.against }}"),
    ("Vắng", 12, "{{ c.absent }}"),
    ("Tỷ lệ đồng ý", 17, "{{ c.share }}"),
    ("Kết quả", 18, "{{ c.result }}"),
]


def _signatures(doc: Any) -> None:
    half = TEXT_WIDTH / 2
    table = fixed_table(doc, [half, half], 1, grid=False)
    left, right = table.rows[0].cells
    keep_row(table.rows[0])
    cell_text(left, "THƯ KÝ", size=13, bold=True)
    cell_text(left, "(Ký, ghi rõ họ tên)", size=13, italic=True, first=False)
    cell_text(right, "CHỦ TỊCH HỘI ĐỒNG", size=13, bold=True)
    cell_text(right, "(Ký, ghi rõ họ tên)", size=13, italic=True, first=False)
    for cell in (left, right):
        for _ in range(4):
            cell_text(cell, "", first=False)
    cell_text(left, "{{ secretary }}", size=13, bold=True, first=False)
    cell_text(right, "{{ chair }}", size=13, bold=True, first=False)


def build_bien_ban(path: Path = BIEN_BAN) -> Path:
    doc = new_document("Biên bản họp Hội đồng xét khen thưởng")
    header_block(doc, upper="{{ upper_name|upper }}", issuer="{{ issuer_name|upper }}",
                 number="Số: {{ number }}", date_line="{{ place }}, {{ date_line }}")
    para(doc, "BIÊN BẢN", size=14, bold=True, align=CENTER, before=18, after=0)
    para(doc, "Họp {{ council_name }}", size=14, bold=True, align=CENTER, after=0)
    para(doc, "———", align=CENTER, after=12)
    para(doc, "Thời gian: cuộc họp bắt đầu lúc {{ start_time }}, {{ meeting_date }}.",
         indent=True)
    para(doc, "Địa điểm: {{ meeting_place }}.", indent=True)

    para(doc, "I. THÀNH PHẦN", bold=True, before=6, keep_next=True)
    para(doc, "{{ council_name }} gồm {{ council_size }} thành viên; có mặt {{ present_count }}, "
              "vắng mặt {{ absent_count }}.", indent=True)
    para(doc, "{%p for m in members %}")
    para(doc, "{{ m.n }}. {{ m.name }}{% if m.position %}, {{ m.position }}{% endif %} — "
              "{{ m.role }}{% if not m.present %} (vắng mặt){% endif %}.", indent=True, after=2)
    para(doc, "{%p endfor %}")
    para(doc, "Chủ trì: {{ chair }}. Thư ký: {{ secretary }}.", indent=True)

    para(doc, "II. NỘI DUNG", bold=True, before=6, keep_next=True)
    para(doc, "{{ agenda }}", indent=True)
    para(doc, "Hình thức biểu quyết: {{ ballot }}.", indent=True)
    para(doc, "Tỷ lệ phiếu đồng ý cần đạt: {{ threshold }}.", indent=True)

    para(doc, "III. KẾT QUẢ BIỂU QUYẾT", bold=True, before=6, keep_next=True)
    para(doc, "{%p if annex %}")
    para(doc, "Kết quả biểu quyết đối với {{ candidate_count }} tập thể, cá nhân tại Phụ lục "
              "kèm theo Biên bản này.", indent=True)
    para(doc, "{%p else %}")
    loop_table(doc, VOTE_COLUMNS, "c in candidates", size=11, head_size=10, left=(1, 2))
    para(doc, "{%p endif %}")

    para(doc, "IV. KẾT LUẬN", bold=True, before=12, keep_next=True)
    para(doc, "{{ conclusion }}", indent=True)
    para(doc, "{%p if failed_names %}")
    para(doc, "Không đạt tỷ lệ phiếu đồng ý: {{ failed_names }}.", indent=True)
    para(doc, "{%p endif %}")
    para(doc, "Cuộc họp kết thúc lúc {{ end_time }} cùng ngày. Biên bản được lập thành 02 bản, "
              "đã thông qua trước Hội đồng và được các thành viên có mặt nhất trí.",
         indent=True, after=12)
    _signatures(doc)

    para(doc, "{%p if annex %}")
    page_break(doc)
    para(doc, "PHỤ LỤC", size=14, bold=True, align=CENTER, after=0)
    para(doc, "KẾT QUẢ BIỂU QUYẾT TỪNG TẬP THỂ, CÁ NHÂN", size=13, bold=True, align=CENTER,
         after=0)
    para(doc, "(Kèm theo Biên bản họp {{ council_name }} {{ meeting_date }})", italic=True,
         align=CENTER, after=8)
    loop_table(doc, VOTE_COLUMNS, "c in candidates", size=11, head_size=10, left=(1, 2))
    para(doc, "{%p endif %}")
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_bien_ban())
