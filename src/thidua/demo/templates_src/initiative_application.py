"""Build the Word template of the application for recognition of an initiative (Đơn yêu cầu công
nhận sáng kiến, Thông tư 18/2013/TT-BKHCN Phụ lục I), docxtpl syntax inside.

Run it after changing the layout:  python -m thidua.demo.templates_src.initiative_application
It writes initiatives/docx/don_yeu_cau_cong_nhan_sang_kien.docx, which is committed; a union may
edit it in Word (keep the {{ … }}, {%p … %} and {%tr … %} tags) and docxtpl renders whatever they
made of it.

The wording and order of the items are those of Phụ lục I; the page is that of
`layout.new_document` (A4, NĐ 30/2020 margins), the Quốc hiệu 12 pt bold, the Tiêu ngữ 13 pt bold
underlined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua.demo.templates_src import PACKAGE, fix_zip_dates
from thidua.demo.templates_src.layout import (
    CENTER,
    TEXT_WIDTH,
    cell_text,
    fixed_table,
    keep_row,
    label_value,
    loop_table,
    new_document,
    para,
)

APPLICATION = PACKAGE / "initiatives" / "docx" / "don_yeu_cau_cong_nhan_sang_kien.docx"

AUTHOR_COLUMNS = [
    ("Số TT", 10, "{{ a.n }}"),
    ("Họ và tên", 32, "{{ a.name }}"),
    ("Ngày tháng năm sinh", 22, "{{ a.birth_date }}"),
    ("Nơi công tác (hoặc nơi thường trú)", 32, "{{ a.workplace }}"),
    ("Chức danh", 22, "{{ a.job_title }}"),
    ("Trình độ chuyên môn", 22, "{{ a.qualification }}"),
    ("Tỷ lệ (%) đóng góp vào việc tạo ra sáng kiến", 25, "{{ a.share }}"),
]
PARTICIPANT_COLUMNS = [
    ("Số TT", 10, "{{ p.n }}"),
    ("Họ và tên", 32, "{{ p.name }}"),
    ("Ngày tháng năm sinh", 22, "{{ p.birth_date }}"),
    ("Nơi công tác", 32, "{{ p.workplace }}"),
    ("Chức danh", 22, "{{ p.job_title }}"),
    ("Trình độ chuyên môn", 22, "{{ p.qualification }}"),
    ("Nội dung công việc hỗ trợ", 25, "{{ p.task }}"),
]


def _lines(doc: Any, name: str) -> None:
    """A multi-paragraph text: one Word paragraph per line the author wrote."""
    para(doc, f"{{%p for line in {name} %}}")
    para(doc, "{{ line }}", indent=True, after=2)
    para(doc, "{%p endfor %}")


def build_application(path: Path = APPLICATION) -> Path:
    doc = new_document("Đơn yêu cầu công nhận sáng kiến")
    para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=CENTER, after=0)
    para(doc, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, align=CENTER,
         after=18)
    para(doc, "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", size=14, bold=True, align=CENTER, after=12)
    para(doc, "Kính gửi: {{ addressee }}", align=CENTER, after=12)
    para(doc, "Tôi (chúng tôi) ghi tên dưới đây:", indent=True)
    loop_table(doc, AUTHOR_COLUMNS, "a in authors", left=(1, 3))
    para(doc, "", after=4)
    para(doc, "Là {% if authors|length > 1 %}nhóm tác giả{% else %}tác giả{% endif %} đề nghị "
              "xét công nhận sáng kiến: {{ title }}", indent=True)
    label_value(doc, "- Chủ đầu tư tạo ra sáng kiến: ", "{{ investor }}")
    label_value(doc, "- Lĩnh vực áp dụng sáng kiến: ", "{{ field }} ({{ kind }})")
    label_value(doc, "- Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử: ",
                "{{ first_applied_on }}")
    label_value(doc, "- Mô tả bản chất của sáng kiến:", "")
    _lines(doc, "description")
    label_value(doc, "- Những thông tin cần được bảo mật: ", "{{ confidential }}")
    label_value(doc, "- Những điều kiện cần thiết để áp dụng sáng kiến:", "")
    _lines(doc, "conditions")
    label_value(doc, "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng "
                     "kiến theo ý kiến của tác giả:", "")
    _lines(doc, "benefit_author")
    para(doc, "{%p if benefit_expected %}")
    para(doc, "Giá trị làm lợi dự kiến: {{ benefit_expected }}.", indent=True, after=2)
    para(doc, "{%p endif %}")
    para(doc, "{%p if benefit_measured %}")
    para(doc, "Giá trị làm lợi đã tính được: {{ benefit_measured }}.", indent=True, after=2)
    para(doc, "{%p endif %}")
    label_value(doc, "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng "
                     "kiến theo ý kiến của tổ chức, cá nhân đã tham gia áp dụng sáng kiến lần "
                     "đầu, kể cả áp dụng thử:", "")
    _lines(doc, "benefit_others")
    label_value(doc, "- Danh sách những người đã tham gia áp dụng thử hoặc áp dụng sáng kiến "
                     "lần đầu: ", "{% if not participants %}không có.{% endif %}")
    para(doc, "{%p if participants %}")
    loop_table(doc, PARTICIPANT_COLUMNS, "p in participants", left=(1, 3))
    para(doc, "{%p endif %}")
    para(doc, "Tôi (chúng tôi) xin cam đoan mọi thông tin nêu trong đơn là trung thực, đúng sự "
              "thật và hoàn toàn chịu trách nhiệm trước pháp luật.", indent=True, before=8)

    table = fixed_table(doc, [60, TEXT_WIDTH - 60], 1, grid=False)
    keep_row(table.rows[0])
    right = table.rows[0].cells[1]
    cell_text(right, "{{ place }}, {{ date_line }}", size=13, italic=True)
    cell_text(right, "Người nộp đơn", size=13, bold=True, first=False)
    cell_text(right, "(Ký và ghi rõ họ tên)", size=13, italic=True, first=False)
    for _ in range(4):
        cell_text(right, "", first=False)
    cell_text(right, "{{ signer }}", size=13, bold=True, first=False)

    doc.save(str(path))
    fix_zip_dates(path)
    return path


if __name__ == "__main__":
    print(build_application())
