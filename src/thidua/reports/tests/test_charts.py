"""The year-end report's charts: native Word charts built from the figures dict only, left out
when their data is zero or absent, optional for a replaced template (ADR 0023)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
import pytest
from lxml import etree

from thidua.platform.documents import render_docx
from thidua.platform.templates_docx import check_template, render_sample
from thidua.reports.charts import report_charts
from thidua.reports.compose import NAMED_ISSUERS_MAX
from thidua.reports.documents import KEY, TEMPLATE, render_summary, summary_context
from thidua.reports.tests.helpers import YEAR
from thidua.reports.tests.test_compose import figures, giay_khen
from thidua.testing import World

NLD = "CBCCVCLĐ đạt danh hiệu Lao động tiên tiến, Chiến sĩ thi đua, Người tốt, việc tốt"
GVNDVN = "Nữ CBCCVCLĐ đạt danh hiệu «Giỏi việc nước, đảm việc nhà»"
YEU = "Công đoàn cơ sở xếp loại yếu"
CHART_SPACE = ["date1904", "lang", "roundedCorners", "AlternateContent", "style", "clrMapOvr",
               "pivotSource", "protection", "chart", "spPr", "txPr", "externalData",
               "printSettings", "userShapes", "extLst"]


def target(code: str, name: str, comparison: str, value: Any, actual: float | None,
           kind: str = "percent") -> dict[str, Any]:
    return {"code": code, "name": name, "kind": kind, "comparison": comparison, "target": value,
            "actual": actual, "met": None if actual is None else True, "inherited_from": None}


def full(**over: Any) -> dict[str, Any]:
    """The CĐVC Hà Nội 2017 figures of the composer's tests, with targets, initiatives and
    welfare such as a unit records them."""
    data = figures(
        as_of=f"{YEAR}-12-31", year=YEAR, since=YEAR, years=[YEAR],
        targets=[target("nld_danh_hieu", NLD, "gt", 75, 97.5),
                 target("nu_gvndvn", GVNDVN, "range", [85, 90], 88.4),
                 target("cdcs_yeu", YEU, "le", 0, 0),
                 target("dang_vien", "Đoàn viên ưu tú được kết nạp Đảng", "ge", 200, 291,
                        kind="count"),
                 target("gia_dinh_van_hoa", "Gia đình đạt «Gia đình văn hóa»", "ge", 95, None)],
        initiatives={"toan_quoc": 0, "tinh": 7, "huyen": 89, "total": 89,
                     "proposed_for_awards": 16},
        welfare={"occasions": [
            {"code": "TET", "name": "Tết", "activities": 2, "beneficiaries": 10141,
             "amount": 800_000_000},
            {"code": "8_3", "name": "Quốc tế Phụ nữ 8/3", "activities": 1, "beneficiaries": 490,
             "amount": 98_000_000},
            {"code": "28_6", "name": "Gia đình Việt Nam 28/6", "activities": 0,
             "beneficiaries": 0, "amount": 0}],
            "total": {"activities": 3, "beneficiaries": 10631, "amount": 898_000_000}})
    data.update(over)
    return data


def test_the_charts_worth_printing_from_the_figures() -> None:
    charts = {c.title.split(",")[0].split(" năm")[0]: c for c in report_charts(full())}
    assert list(charts) == ["Sáng kiến", "Lượt đoàn viên", "Kết quả thực hiện các chỉ tiêu thi đua",
                            "Tập thể"]
    awards = charts["Tập thể"]
    assert awards.section == "III"
    assert awards.title == "Tập thể, cá nhân được khen thưởng theo cấp khen, năm 2023"
    # one bar per issuer, its forms summed, in the figures' order
    assert awards.categories == ["Tổng Liên đoàn Lao động Việt Nam", "Công đoàn Viên chức Việt Nam",
                                 "Liên đoàn Lao động TP Hà Nội", "Công đoàn Viên chức thành phố"]
    collectives, people = awards.series
    assert (collectives.name, collectives.values) == ("Tập thể", [1, 3, 5, 38])
    assert (people.name, people.values, people.labels) == ("Cá nhân", [0, 6, 8, 100],
                                                           ["", "6", "8", "100"])
    targets = charts["Kết quả thực hiện các chỉ tiêu thi đua"]
    # percentages whose actual is known; a count is not set on a 0–100 % scale
    assert targets.categories == [NLD, GVNDVN, YEU] and targets.percent
    aim, done = targets.series
    assert aim.values == [75, 85, 0] and aim.labels == ["trên 75 %", "85–90 %", "không có"]
    assert done.values == [97.5, 88.4, 0] and done.labels == ["97,5 %", "88,4 %", "0 %"]
    initiatives = charts["Sáng kiến"]
    assert initiatives.categories == ["Cấp tỉnh, thành phố", "Cấp quận, huyện"]
    named = {**full(), "level_names": {"tinh": "cấp Thành phố", "huyen": "cấp quận"}}
    (by_level,) = [c for c in report_charts(named) if c.title.startswith("Sáng kiến")]
    assert by_level.categories == ["Cấp Thành phố", "Cấp quận"]  # as the unit's tree names them
    welfare = charts["Lượt đoàn viên"]
    assert welfare.categories == ["Tết", "Quốc tế Phụ nữ 8/3"]  # 28/6 reached nobody
    assert welfare.series[0].labels == ["10.141", "490"]


def test_many_issuers_below_the_unit_are_one_bar() -> None:
    many = NAMED_ISSUERS_MAX + 1
    # as the database groups them (`award_counts(group_over=…)`)
    group = giay_khen("*cdcs", people=2 * many) | {"collectives": many, "issuer_name": "",
                                                  "issuers": many, "type_issuers": many}
    rows = [*full()["awards"][:1], group]
    (awards,) = [c for c in report_charts({**full(), "awards": rows})
                 if c.title.startswith("Tập thể")]
    assert awards.categories == ["Tổng Liên đoàn Lao động Việt Nam", f"{many} công đoàn cơ sở"]
    assert [s.values for s in awards.series] == [[1, many], [0, 2 * many]]


def test_no_chart_for_zero_absent_or_single_figures() -> None:
    empty = figures(awards=[], initiatives={"total": 0, "proposed_for_awards": 0})
    assert report_charts(empty) == []
    assert report_charts({"years": [2017], "unit": {"name": "X"}}) == []
    zero = {"issuer": "TLD", "issuer_name": "Tổng Liên đoàn", "form": "BK", "collectives": 0,
            "individuals": 0}
    assert report_charts(figures(awards=[zero])) == []
    # a single bar would only repeat its sentence
    one = {**zero, "collectives": 1}
    assert report_charts(figures(awards=[one])) == []
    assert len(report_charts(figures(awards=[{**one, "individuals": 2}]))) == 1
    unknown = full(targets=[target("nld_danh_hieu", NLD, "gt", 75, None)])
    assert not any(c.percent for c in report_charts(unknown))


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


@pytest.mark.django_db
def test_the_report_holds_native_charts_with_their_workbooks(world: World) -> None:
    data = render_summary(world.cdvc, full())
    parts = _parts(data)
    charts = sorted(n for n in parts if re.fullmatch(r"word/charts/chart\d+\.xml", n))
    books = sorted(n for n in parts if n.startswith("word/embeddings/"))
    assert len(charts) == len(books) == 4
    types = parts["[Content_Types].xml"].decode()
    assert types.count("drawingml.chart+xml") == 4 and "spreadsheetml.sheet" in types
    document = parts["word/document.xml"].decode()
    assert document.count("<c:chart ") == 4
    rels = parts["word/_rels/document.xml.rels"].decode()
    assert rels.count("relationships/chart") == 4
    xml = {n: parts[n].decode() for n in charts}
    for chart_xml in xml.values():  # CT_ChartSpace's order, which Word checks
        children = [etree.QName(e).localname for e in etree.fromstring(chart_xml.encode())]
        assert [c for c in CHART_SPACE if c in children] == children, children
    awards = next(x for x in xml.values() if "Tổng Liên đoàn Lao động Việt Nam" in x)
    assert "<c:chartSpace" in awards and "<c:externalData r:id=" in awards
    assert "<c:v>Tập thể</c:v>" in awards and "<c:v>138</c:v>" not in awards  # by form: 38+100
    assert "<c:v>100</c:v>" in awards
    percent = next(x for x in xml.values() if "97,5 %" in x)
    assert "trên 75 %" in percent and "85–90 %" in percent
    # each chart points at its own workbook, which holds the chart's figures
    for name in charts:
        rel = parts[name.replace("charts/", "charts/_rels/") + ".rels"].decode()
        book = re.search(r'Target="\.\./embeddings/([^"]+)"', rel).group(1)  # type: ignore[union-attr]
        with zipfile.ZipFile(io.BytesIO(parts[f"word/embeddings/{book}"])) as z:
            strings = z.read("xl/sharedStrings.xml").decode()
            assert "xl/charts/chart1.xml" not in z.namelist()
        categories = re.findall(r"<c:cat>.*?</c:cat>", xml[name])[0]
        first = re.search(r"<c:v>([^<]+)</c:v>", categories).group(1)  # type: ignore[union-attr]
        assert first in strings
    text = _text(data)
    assert re.findall(r"Biểu đồ \d+\. [^,\n]+", text) == [
        "Biểu đồ 1. Sáng kiến", "Biểu đồ 2. Lượt đoàn viên",
        "Biểu đồ 3. Kết quả thực hiện các chỉ tiêu thi đua năm 2023 so với chỉ tiêu đề ra",
        "Biểu đồ 4. Tập thể"]
    # each chart in its section: the awards after section III's title, the others before it
    assert text.index("Biểu đồ 3.") < text.index("III. CÔNG TÁC KHEN THƯỞNG") < text.index(
        "Biểu đồ 4.")
    assert docx.Document(io.BytesIO(data))  # python-docx reads the package back


@pytest.mark.django_db
def test_no_chart_when_the_data_is_empty(world: World) -> None:
    data = render_summary(world.cdvc, figures(as_of=f"{YEAR}-12-31", year=YEAR, years=[YEAR],
                                              awards=[]))
    parts = _parts(data)
    assert not [n for n in parts if "chart" in n or "embeddings" in n]
    assert "Biểu đồ" not in _text(data)
    assert "<w:drawing>" not in parts["word/document.xml"].decode()


@pytest.mark.django_db
def test_a_template_without_the_chart_loop_still_renders(world: World, tmp_path: Any) -> None:
    """An administrator's template from before the charts: the report prints, without them and
    without parts nothing shows."""
    old = docx.Document()
    for line in ("{{ subject }}", "{%p for s in sections %}", "{{ s.title }}",
                 "{%p for line in s.paragraphs %}", "{{ line }}", "{%p endfor %}",
                 "{%p endfor %}"):
        old.add_paragraph(line)
    path = tmp_path / "cu.docx"
    old.save(str(path))
    source = path.read_bytes()
    assert check_template(KEY, source).unused  # a warning that it prints less, not a refusal
    data = render_docx(source, lambda doc: summary_context(world.cdvc, full(), document=doc))
    text = _text(data)
    assert "III. CÔNG TÁC KHEN THƯỞNG" in text and "Biểu đồ" not in text
    assert not [n for n in _parts(data) if "chart" in n]


@pytest.mark.django_db
def test_the_registry_sample_renders_and_the_shipped_template_passes_its_check() -> None:
    text = _text(render_sample(KEY))
    assert "Biểu đồ 1. Tập thể, cá nhân được khen thưởng theo cấp khen, năm 2017" in text
    assert {"sections", "subject"} <= check_template(KEY, TEMPLATE.read_bytes()).variables
