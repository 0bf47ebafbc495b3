"""Build the Word template of the review minutes (biên bản bình xét), docxtpl syntax inside.

Run it after changing the layout:  python -m thidua.demo.templates_src.review_minutes
It writes evaluation/docx/bien_ban_binh_xet.docx, which is committed; a union may then edit it in
Word (keep the {{ … }} and {%p … %} / {%tr … %} tags) and docxtpl renders whatever they made of it.

Layout after Nghị định 30/2020/NĐ-CP Phụ lục I and, for a union body's minutes, QĐ 933/QĐ-TLĐ
(domain.md §5): the page of `layout.new_document`; the issuer block on the left (the body above
over the issuing body, underlined) with the number and symbol "Số: …/BB-…"; Quốc hiệu and Tiêu
ngữ on the right, then place and date; the type name "BIÊN BẢN" centred in bold. The context says
which body's minutes these are (`evaluation.documents.minutes_context`): the agency's council for
titles the agency's head decides, the union's Ban Chấp hành / Ban Thường vụ for the union's own
(signature "TM. BAN CHẤP HÀNH"). A long list of candidates goes to an annex (Phụ lục) after the
signatures, the body keeping the counts per title; its header row repeats on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua.demo.templates_src import PACKAGE, fix_zip_dates
from thidua.demo.templates_src.layout import (
    CENTER,
    JUSTIFY,
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

MINUTES = PACKAGE / "evaluation" / "docx" / "bien_ban_binh_xet.docx"

VOTE_COLUMNS = [
    ("TT", 9, "{{ c.n }}"),
    ("Họ và tên / Tập thể", 36, "{{ c.subject }}"),
    ("Chức vụ, nơi công tác", 33, "{{ c.workplace }}"),
    ("Danh hiệu đề nghị", 25, "{{ c.title }}"),
    ("Đồng ý", 12, "{{ c.for }}"),
    ("Không đồng ý", 12, "{{ c.against }}"),
    ("Vắng", 10, "{{ c.absent }}"),
    ("Tỷ lệ đồng ý", 15, "{{ c.share }}"),
    ("Kết quả", 13, "{{ c.result }}"),
]
SUMMARY_COLUMNS = [
    ("Danh hiệu", 69, "{{ s.title }}"),
    ("Số đề nghị", 24, "{{ s.total }}"),
    ("Đạt", 24, "{{ s.passed }}"),
    ("Không đạt", 24, "{{ s.failed }}"),
    ("Đơn vị tính", 24, "{{ s.noun }}"),
]


def _signatures(doc: Any) -> None:
    half = TEXT_WIDTH / 2
    table = fixed_table(doc, [half, half], 1, grid=False)
    left, right = table.rows[0].cells
    keep_row(table.rows[0])
    cell_text(left, "THƯ KÝ", size=13, bold=True)
    cell_text(left, "(Ký, ghi rõ họ tên)", size=13, italic=True, first=False)
    cell_text(right, "{% if sign_for %}{{ sign_for }}{% endif %}", size=13, bold=True)
    cell_text(right, "{{ sign_title }}", size=13, bold=True, first=False)
    cell_text(right, "(Ký, ghi rõ họ tên{% if sign_for %}, đóng dấu{% endif %})", size=13,
              italic=True, first=False)
    for cell in (left, right):
        for _ in range(4):
            cell_text(cell, "", first=False)
    cell_text(left, "{{ secretary }}", size=13, bold=True, first=False)
    cell_text(right, "{{ chair }}", size=13, bold=True, first=False)


def build_minutes(path: Path = MINUTES) -> Path:
    doc = new_document("Biên bản họp Hội đồng bình xét thi đua")
    header_block(doc, upper="{{ upper_name|upper }}", issuer="{{ issuer_name|upper }}",
                 number="Số:       /BB-{{ symbol }}", date_line="{{ place }}, {{ date_line }}")
    para(doc, "BIÊN BẢN", size=14, bold=True, align=CENTER, before=18, after=0)
    para(doc, "Họp {{ council_name }} năm {{ year }}", size=14, bold=True, align=CENTER, after=0)
    para(doc, "———", align=CENTER, after=12)

    para(doc, "Thời gian: cuộc họp bắt đầu lúc {{ start_time }}, {{ meeting_date }}.",
         indent=True)
    para(doc, "Địa điểm: {{ meeting_place }}.", indent=True)
    para(doc, "I. THÀNH PHẦN", bold=True, before=6, keep_next=True)
    para(doc, "{{ council_name }} gồm {{ council_size }} thành viên; có mặt {{ present_count }}, "
              "vắng mặt {{ absent_count }}{% if written_count %} ({{ written_count }} thành "
              "viên vắng có ý kiến bằng văn bản){% endif %}.", indent=True)
    para(doc, "{%p for m in members %}")
    para(doc, "{{ m.n }}. {{ m.name }}{% if m.position %}, {{ m.position }}{% endif %} — "
              "{{ m.role }}{% if not m.present %} (vắng mặt){% endif %}.", indent=True, after=2)
    para(doc, "{%p endfor %}")
    para(doc, "Chủ tọa: {{ chair }}. Thư ký: {{ secretary }}.", indent=True)

    para(doc, "II. NỘI DUNG", bold=True, before=6, keep_next=True)
    para(doc, "Hội đồng xem xét danh sách đề nghị xét danh hiệu thi đua năm {{ year }} của "
              "{{ unit_name }}, lập theo tiêu chuẩn của {{ rule_set }} trên cơ sở kết quả đánh "
              "giá, xếp loại và đăng ký thi đua của từng cá nhân, tập thể.", align=JUSTIFY,
         indent=True)
    para(doc, "Thẩm quyền quyết định danh hiệu:", indent=True, keep_next=True)
    para(doc, "{%p for d in deciders %}")
    para(doc, "- {{ d.title }}: {{ d.label }} ({{ d.source }}).", indent=True, after=2)
    para(doc, "{%p endfor %}")
    para(doc, "{%p if adjustments %}")
    para(doc, "Các điều chỉnh danh sách so với đề nghị tính theo tiêu chuẩn:", indent=True)
    para(doc, "{%p for a in adjustments %}")
    para(doc, "- {{ a }}", indent=True, after=2)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    para(doc, "Tỷ lệ phiếu đồng ý tính trên tổng số thành viên Hội đồng (kể cả thành viên "
              "vắng mặt):", indent=True, keep_next=True)
    para(doc, "{%p for t in thresholds %}")
    para(doc, "- {{ t.title }}: {{ t.text }} ({{ t.source }}).", indent=True, after=2)
    para(doc, "{%p endfor %}")

    para(doc, "III. KẾT QUẢ BỎ PHIẾU", bold=True, before=6, keep_next=True)
    para(doc, "Tổng hợp theo danh hiệu:", indent=True, keep_next=True)
    loop_table(doc, SUMMARY_COLUMNS, "s in summary", size=12, left=(0,))
    para(doc, "{%p if annex %}")
    para(doc, "Danh sách {{ candidate_count }} đề nghị và kết quả bỏ phiếu của từng cá nhân, "
              "tập thể tại Phụ lục kèm theo Biên bản này.", indent=True, before=6)
    para(doc, "{%p else %}")
    para(doc, "Kết quả bỏ phiếu của từng cá nhân, tập thể:", indent=True, before=6,
         keep_next=True)
    loop_table(doc, VOTE_COLUMNS, "c in candidates", size=11, head_size=9,
               left=(1, 2, 3))
    para(doc, "{%p endif %}")

    para(doc, "IV. KẾT LUẬN", bold=True, before=12, keep_next=True)
    para(doc, "Căn cứ kết quả bỏ phiếu, Hội đồng thống nhất đề nghị công nhận:", indent=True)
    para(doc, "{%p for s in summary %}")
    para(doc, "- Danh hiệu «{{ s.title }}»: {{ s.passed }}/{{ s.total }} "
              "{{ s.noun }}.", indent=True, after=2)
    para(doc, "{%p endfor %}")
    para(doc, "Cuộc họp kết thúc lúc {{ end_time }} cùng ngày. Biên bản được lập thành 02 bản, "
              "đã thông qua trước Hội đồng và được các thành viên có mặt nhất trí.",
         align=JUSTIFY, indent=True, after=12)
    _signatures(doc)

    para(doc, "{%p if annex %}")
    page_break(doc)
    para(doc, "PHỤ LỤC", size=14, bold=True, align=CENTER, after=0)
    para(doc, "KẾT QUẢ BỎ PHIẾU TỪNG ĐỀ NGHỊ", size=13, bold=True, align=CENTER, after=0)
    para(doc, "(Kèm theo Biên bản họp {{ council_name }} {{ meeting_date }})", italic=True,
         align=CENTER, after=8)
    loop_table(doc, VOTE_COLUMNS, "c in candidates", size=11, head_size=9,
               left=(1, 2, 3))
    para(doc, "{%p endif %}")
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_minutes())
