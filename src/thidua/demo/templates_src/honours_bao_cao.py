"""Build the Word templates of the achievement reports (báo cáo thành tích) of an individual and
of a collective (honours/docx/bao_cao_ca_nhan.docx, bao_cao_tap_the.docx).

Run it after changing the layout:  python -m thidua.demo.templates_src.honours_bao_cao
Layout of the forms annexed to the decree on emulation and commendation (NĐ 152/2025, with the
forms of TT 15/2025/TT-BNV; the same headings as the earlier NĐ 91/2017 and NĐ 98/2023 forms):
the unit block on the left, Quốc hiệu and the place and date on the right; "BÁO CÁO THÀNH TÍCH
ĐỀ NGHỊ TẶNG …"; I. the person's particulars (or the collective's situation and tasks), II. the
achievements, III. the awards already received (titles and forms, each with the decision that
gave it); the signatures. What the system does not hold is printed as a dotted line the unit
fills by hand."""

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
    font,
    header_block,
    keep_row,
    loop_table,
    new_document,
    para,
)

CA_NHAN = PACKAGE / "honours" / "docx" / "bao_cao_ca_nhan.docx"
TAP_THE = PACKAGE / "honours" / "docx" / "bao_cao_tap_the.docx"

TITLE_COLUMNS = [
    ("Năm", 20, "{{ t.year }}"),
    ("Danh hiệu thi đua", 60, "{{ t.name }}"),
    ("Số, ngày, tháng, năm của quyết định; cơ quan ban hành", 85, "{{ t.decision }}"),
]
AWARD_COLUMNS = [
    ("Năm", 20, "{{ a.year }}"),
    ("Hình thức khen thưởng", 60, "{{ a.name }}"),
    ("Số, ngày, tháng, năm của quyết định; cơ quan ban hành", 85, "{{ a.decision }}"),
]


def label_value(doc: Any, label: str, value: str) -> Any:
    """"- Label: value", left-aligned: a dotted value to fill by hand must not be stretched."""
    p = para(doc, align=LEFT, after=4, indent=True)
    font(p.add_run(label), 13, bold=True)
    font(p.add_run(value), 13)
    return p


def _head(doc: Any) -> None:
    header_block(doc, upper="{{ upper_name|upper }}", issuer="{{ unit_name|upper }}",
                 number="", date_line="{{ place }}, {{ date_line }}")
    para(doc, "BÁO CÁO THÀNH TÍCH", size=14, bold=True, align=CENTER, before=18, after=0)
    para(doc, "ĐỀ NGHỊ TẶNG {{ form_name|upper }}", size=14, bold=True, align=CENTER, after=0)
    para(doc, "{{ year_line }}", size=13, bold=True, align=CENTER, after=0)
    para(doc, "———", align=CENTER, after=10)


def _awards(doc: Any) -> None:
    para(doc, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", bold=True, before=8, keep_next=True)
    para(doc, "1. Danh hiệu thi đua:", bold=True, keep_next=True)
    para(doc, "{%p if titles %}")
    loop_table(doc, TITLE_COLUMNS, "t in titles", size=11, left=(1, 2))
    para(doc, "{%p else %}")
    para(doc, "{{ dots }}", align=LEFT, indent=True)
    para(doc, "{%p endif %}")
    para(doc, "2. Hình thức khen thưởng:", bold=True, before=6, keep_next=True)
    para(doc, "{%p if awards %}")
    loop_table(doc, AWARD_COLUMNS, "a in awards", size=11, left=(1, 2))
    para(doc, "{%p else %}")
    para(doc, "{{ dots }}", align=LEFT, indent=True)
    para(doc, "{%p endif %}")


def _signatures(doc: Any, left_title: str, right_title: str, right_hint: str) -> None:
    half = TEXT_WIDTH / 2
    table = fixed_table(doc, [half, half], 1, grid=False)
    left, right = table.rows[0].cells
    keep_row(table.rows[0])
    cell_text(left, left_title, size=13, bold=True)
    cell_text(left, "(Ký, ghi rõ họ tên, đóng dấu)", size=12, italic=True, first=False)
    cell_text(right, right_title, size=13, bold=True)
    cell_text(right, right_hint, size=12, italic=True, first=False)
    for cell in (left, right):
        for _ in range(4):
            cell_text(cell, "", first=False)
    cell_text(left, "{{ head_name }}", size=13, bold=True, first=False)
    cell_text(right, "{{ signer_name }}", size=13, bold=True, first=False)


def build_ca_nhan(path: Path = CA_NHAN) -> Path:
    doc = new_document("Báo cáo thành tích cá nhân")
    _head(doc)
    para(doc, "I. SƠ LƯỢC LÝ LỊCH", bold=True, before=4, keep_next=True)
    label_value(doc, "- Họ và tên: ", "{{ name }}")
    label_value(doc, "- Sinh ngày, tháng, năm: ", "{{ birth }}     Giới tính: {{ gender }}")
    label_value(doc, "- Dân tộc: ", "{{ ethnicity }}")
    label_value(doc, "- Quê quán: ", "{{ hometown }}")
    label_value(doc, "- Trú quán: ", "{{ residence }}")
    label_value(doc, "- Đơn vị công tác: ", "{{ workplace }}")
    label_value(doc, "- Chức vụ (Đảng, chính quyền, đoàn thể): ", "{{ position }}")
    label_value(doc, "- Trình độ chuyên môn, nghiệp vụ: ", "{{ qualification }}")
    label_value(doc, "- Học hàm, học vị, danh hiệu, giải thưởng: ", "{{ degrees }}")
    para(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True, before=8, keep_next=True)
    para(doc, "1. Quyền hạn, nhiệm vụ được giao hoặc đảm nhận:", bold=True, keep_next=True)
    para(doc, "{{ duties }}", align=LEFT, indent=True)
    para(doc, "2. Thành tích đạt được của cá nhân:", bold=True, keep_next=True)
    para(doc, "{%p for line in achievement %}")
    para(doc, "{{ line }}", indent=True, after=3)
    para(doc, "{%p endfor %}")
    para(doc, "{%p if initiatives %}")
    para(doc, "Sáng kiến, giải pháp được công nhận:", indent=True, keep_next=True)
    para(doc, "{%p for i in initiatives %}")
    para(doc, "- {{ i }}", indent=True, after=2)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    _awards(doc)
    para(doc, "", after=8)
    _signatures(doc, "THỦ TRƯỞNG ĐƠN VỊ\nXÁC NHẬN, ĐỀ NGHỊ", "NGƯỜI BÁO CÁO THÀNH TÍCH",
                "(Ký, ghi rõ họ tên)")
    doc.save(str(path))
    fix_zip_dates(path)
    return path


def build_tap_the(path: Path = TAP_THE) -> Path:
    doc = new_document("Báo cáo thành tích tập thể")
    _head(doc)
    label_value(doc, "Tên tập thể đề nghị: ", "{{ name }}")
    para(doc, "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH", bold=True, before=6, keep_next=True)
    para(doc, "1. Đặc điểm, tình hình:", bold=True, keep_next=True)
    label_value(doc, "- Địa điểm trụ sở chính, điện thoại: ", "{{ address }}")
    label_value(doc, "- Quá trình thành lập và phát triển: ", "{{ history }}")
    label_value(doc, "- Cơ cấu tổ chức, số đoàn viên, người lao động: ", "{{ structure }}")
    para(doc, "2. Chức năng, nhiệm vụ:", bold=True, keep_next=True)
    para(doc, "{{ duties }}", align=LEFT, indent=True)
    para(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True, before=8, keep_next=True)
    para(doc, "{%p for line in achievement %}")
    para(doc, "{{ line }}", indent=True, after=3)
    para(doc, "{%p endfor %}")
    _awards(doc)
    para(doc, "", after=8)
    _signatures(doc, "THỦ TRƯỞNG ĐƠN VỊ CẤP TRÊN\nTRỰC TIẾP NHẬN XÉT, XÁC NHẬN",
                "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)")
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_ca_nhan())
    print(build_tap_the())
