"""The year-end report converted by LibreOffice headless, as a union's office opens it: A4, one
page for a small unit, the header block, the title, the body, the charts and the signature read
back from the PDF. THIDUA_KEEP_PDF=<folder> keeps the PDF to look at (pdftoppm -r 60 -png)."""

from __future__ import annotations

import pytest
from tests.documents.test_libreoffice import (
    QUOC_HIEU,
    assert_a4,
    assert_no_working_notes,
    docx_text,
    to_pdf,
)

from thidua.reports.documents import render_summary
from thidua.reports.figures import year_figures
from thidua.reports.tests.helpers import YEAR, award, decision, title
from thidua.reports.tests.test_charts import full
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db


def test_the_year_end_report_prints_on_a4(world: World, tmp_path) -> None:
    w = world
    for i in range(12):
        person = make_person(w.cdcs_b, f"Nguyễn Thị Người Thứ {i:02d}", gender="nu",
                             actor=w.admin)
        title("GVNDVN", w.cdcs_b, person=person)
    award(decision(w.tld), "BK_TLD_TOAN_DIEN", unit=w.cdcs_a)
    award(decision(w.cdvc), "GK_CAP_TREN", person=w.member)
    data = render_summary(w.cdvc, year_figures(w.cdvc, YEAR))
    assert_no_working_notes(docx_text(data))
    count, pages, info = to_pdf(data, tmp_path, "bao-cao-tong-ket")
    assert_a4(info)
    assert count == 1, count
    page = pages[0]
    lines = page.splitlines()
    assert any(QUOC_HIEU in line for line in lines), page  # on one line, not wrapped
    assert "Độc lập - Tự do - Hạnh phúc" in page
    # the narrow left column wraps the bodies' names, as on the union's own reports
    assert "LIÊN ĐOÀN LAO ĐỘNG" in page and "CÔNG ĐOÀN VIÊN CHỨC" in page and "/BC-" in page
    assert "BÁO CÁO" in page and f"khen thưởng năm {YEAR}" in page
    flat = " ".join(page.split())
    assert "đang quản lý trực tiếp 2 Công đoàn cơ sở với 13 đoàn viên/13 CBCCVCLĐ" in flat
    assert "12/13 nữ CBCCVCLĐ (92,3%) đạt danh hiệu “Giỏi việc" in flat  # justified: spaced
    assert "01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen" in flat
    assert "TM. BAN THƯỜNG VỤ" in page and "Nơi nhận:" in page
    # the awards chart, drawn by LibreOffice from the chart part: its legend and labels
    assert "Biểu đồ 1. Tập thể, cá nhân được khen thưởng theo cấp khen, năm 2023" in flat
    assert "Tậpthể" in "".join(page.split()) and "Cánhân" in "".join(page.split())
    assert flat.index("Biểu đồ 1.") < flat.index("Nơi nhận:")


def test_every_chart_converts_with_its_labels_and_caption(world: World, tmp_path) -> None:
    data = render_summary(world.cdvc, full())
    count, pages, info = to_pdf(data, tmp_path, "bao-cao-bieu-do")
    assert_a4(info)
    assert count <= 3, count
    text = "\n".join(pages)
    flat = " ".join(text.split())
    for caption in ("Biểu đồ 1. Sáng kiến, sáng tạo được công nhận theo cấp, năm 2023",
                    "Biểu đồ 2. Lượt đoàn viên, người lao động được thăm hỏi, tặng quà theo dịp",
                    "Biểu đồ 3. Kết quả thực hiện các chỉ tiêu thi đua năm 2023 so với chỉ tiêu",
                    "Biểu đồ 4. Tập thể, cá nhân được khen thưởng theo cấp khen, năm 2023"):
        assert caption in flat, caption
    # the text LibreOffice drew inside the charts: categories, legends, labels as printed
    # (pdftotext spaces out the glyphs of chart text: "Ch ỉ tiêu")
    drawn = "".join(text.split())
    for label in ("Cấp tỉnh, thành phố", "Quốc tế Phụ nữ 8/3", "10.141", "Chỉ tiêu",
                  "Thực hiện", "97,5 %", "trên 75 %", "85–90 %", "không có", "Tập thể",
                  "Cá nhân", "100"):
        assert "".join(label.split()) in drawn, label
    assert flat.index("Biểu đồ 3.") < flat.index("III. CÔNG TÁC KHEN THƯỞNG") < flat.index(
        "Biểu đồ 4.")
