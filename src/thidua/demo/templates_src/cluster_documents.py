"""Build the Word templates of the clusters (clusters/docx/): the pledge (giao ước thi đua) and
a member's scoring sheet (bảng chấm điểm).

Run it after changing a layout:  python -m thidua.demo.templates_src.cluster_documents
The pledge: the issuer above the cluster's name on the left, Quốc hiệu and Tiêu ngữ with place
and date on the right; "GIAO ƯỚC THI ĐUA", the year; the commitments; a table of the member
units with who signed for each and when. The sheet: the same header, the unit, a table of
criteria (number, content, maximum, figure, known figure, points, head's points), the totals."""

from __future__ import annotations

from pathlib import Path

from thidua.demo.templates_src import PACKAGE, fix_zip_dates
from thidua.demo.templates_src.layout import CENTER, header_block, loop_table, new_document, para

GIAO_UOC = PACKAGE / "clusters" / "docx" / "giao_uoc_thi_dua.docx"
BANG_DIEM = PACKAGE / "clusters" / "docx" / "bang_cham_diem.docx"


def build_giao_uoc(path: Path = GIAO_UOC) -> Path:
    doc = new_document("Giao ước thi đua")
    header_block(doc, upper="{{ issuer_name|upper }}", issuer="{{ cluster_title|upper }}",
                 number="", date_line="{{ place }}, {{ date_line }}")
    para(doc, "GIAO ƯỚC THI ĐUA", size=14, bold=True, align=CENTER, before=18, after=0)
    para(doc, "Năm {{ year }}", size=14, bold=True, align=CENTER, after=0)
    para(doc, "———", align=CENTER, after=10)
    para(doc, "{{ intro }}", indent=True)
    para(doc, "{%p for line in commitments %}")
    para(doc, "{{ line }}", indent=True)
    para(doc, "{%p endfor %}")
    para(doc, "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC", bold=True, align=CENTER, before=10, after=6)
    loop_table(doc, [("TT", 10, "{{ m.n }}"), ("Đơn vị", 62, "{{ m.unit }}"),
                     ("Vai trò", 25, "{{ m.role }}"),
                     ("Người ký (chức vụ)", 45, "{{ m.signer }}"),
                     ("Ngày ký", 23, "{{ m.signed_on }}")], "m in members", left=(1, 3))
    doc.save(str(path))
    fix_zip_dates(path)
    return path


def build_bang_diem(path: Path = BANG_DIEM) -> Path:
    doc = new_document("Bảng chấm điểm thi đua")
    header_block(doc, upper="{{ issuer_name|upper }}", issuer="{{ cluster_title|upper }}",
                 number="", date_line="{{ place }}, {{ date_line }}")
    para(doc, "BẢNG CHẤM ĐIỂM THI ĐUA NĂM {{ year }}", size=14, bold=True, align=CENTER,
         before=18, after=0)
    para(doc, "Đơn vị: {{ unit_name }}", size=13, bold=True, align=CENTER, after=0)
    para(doc, "Trạng thái: {{ status }}", size=12, align=CENTER, after=10)
    loop_table(doc, [("TT", 11, "{{ r.code }}"), ("Tiêu chí", 66, "{{ r.name }}"),
                     ("Tối đa", 15, "{{ r.max }}"), ("Số liệu", 20, "{{ r.value }}"),
                     ("Hệ thống", 20, "{{ r.known }}"), ("Tự chấm", 16, "{{ r.points }}"),
                     ("Cụm trưởng", 17, "{{ r.checked }}")], "r in rows", size=10,
               left=(1,))
    para(doc, "", after=4)
    para(doc, "Tổng điểm: {{ total }}/{{ max_total }} (điểm thưởng {{ bonus }}, điểm trừ "
              "{{ penalty }}). Xếp thứ {{ rank }} trong cụm.", bold=True)
    para(doc, "{%p if check_note %}")
    para(doc, "Nhận xét của cụm trưởng: {{ check_note }}", italic=True)
    para(doc, "{%p endif %}")
    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_giao_uoc())
    print(build_bang_diem())
