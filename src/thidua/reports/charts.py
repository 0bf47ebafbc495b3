"""The year-end report's charts as native Word charts (ADR 0023): each one a DrawingML chart part
(`c:chartSpace`, drawn by xlsxwriter) with its data in an embedded workbook, so Word and
LibreOffice draw it and an officer can edit its figures ("Chỉnh sửa dữ liệu").

Charts come from the figures dict only (`reports.figures`). Like the prose, a chart whose data is
zero or absent is left out, and so is one with a single bar: it would only repeat its sentence.
Labels are written on the bars as text ("10.141", "97,5 %"), not as number formats, which Word
and LibreOffice would print in the reader's locale."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.shared import Cm

from thidua.councils.models import Level
from thidua.platform.text import vn_number
from thidua.reports.compose import LEVELS_DOWN, award_groups, target_text
from thidua.reports.measures import PERCENT

CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Sheet1"
FONT = "Times New Roman"
#: the report's text width is 165 mm (NĐ 30/2020 margins); the chart leaves a little air
WIDTH = Cm(16)
DARK, LIGHT, GREY = "#1F4E79", "#9DC3E6", "#A6A6A6"
#: docPr ids of the drawings: far above the few the template's own shapes use
_FIRST_ID = 9001


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]
    labels: list[str]  # printed at the end of each bar; "" prints nothing
    colour: str


@dataclass(frozen=True)
class Chart:
    """One bar chart: `section` is the Roman number of the report section it illustrates."""

    section: str
    title: str
    categories: list[str]
    series: list[Series]
    percent: bool = False

    @property
    def height(self) -> int:
        """EMU: room for each category's bars and the legend."""
        per_bar = 0.55 if len(self.series) > 1 else 0.75
        bars = len(self.categories) * max(len(self.series), 1)
        return int(Cm(2.2 + per_bar * bars + 0.35 * len(self.categories)))


def _num(value: float) -> str:
    return vn_number(value, 0 if value == int(value) else 1)


def _pct(value: float) -> str:
    return f"{_num(value)} %"


def _span(f: Mapping[str, Any]) -> str:
    years = f["years"]
    return f"năm {years[0]}" if len(years) == 1 else f"năm {years[0]}–{years[-1]}"


def _bars(chart: Chart) -> int:
    return sum(1 for s in chart.series for v in s.values if v)


def targets_chart(f: Mapping[str, Any]) -> Chart:
    """Each percentage target whose actual is known: the actual beside the target (the lower
    bound of a range), both labelled as the plan writes them."""
    rows = [r for r in f.get("targets") or []
            if r.get("kind") == PERCENT and r.get("actual") is not None]
    # the lower bound of a range; "không có" (none at all) is a bar of nought, labelled
    targets = [float(r["target"][0] if r["comparison"] == "range" else r["target"]) for r in rows]
    target_labels = [target_text(r).replace("%", " %") for r in rows]
    actuals = [float(r["actual"]) for r in rows]
    return Chart("II", f"Kết quả thực hiện các chỉ tiêu thi đua {_span(f)} so với chỉ tiêu đề ra",
                 [_name(r["name"]) for r in rows],
                 [Series("Chỉ tiêu", targets, target_labels, GREY),
                  Series("Thực hiện", actuals, [_pct(v) for v in actuals], DARK)],
                 percent=True)


def _name(name: str) -> str:
    return name[:1].upper() + name[1:]


def awards_chart(f: Mapping[str, Any]) -> Chart:
    """Collectives and individuals awarded, by issuer in the figures' order."""
    by_issuer: dict[str, list[Any]] = {}
    for row in award_groups(f):
        entry = by_issuer.setdefault(row["issuer"], [row.get("issuer_name") or row["issuer"], 0, 0])
        entry[1] += int(row.get("collectives") or 0)
        entry[2] += int(row.get("individuals") or 0)
    rows = [e for e in by_issuer.values() if e[1] + e[2]]
    series = [Series(name, values, [vn_number(v) if v else "" for v in values], colour)
              for name, values, colour in (("Tập thể", [e[1] for e in rows], DARK),
                                           ("Cá nhân", [e[2] for e in rows], LIGHT))
              if any(values)]
    return Chart("III", f"Tập thể, cá nhân được khen thưởng theo cấp khen, {_span(f)}",
                 [e[0] for e in rows], series)


def initiatives_chart(f: Mapping[str, Any]) -> Chart:
    """Initiatives recognised at each level, the highest first, each level named as the unit's
    tree names it ("Cấp Thành phố", "Cấp quận") when it can be."""
    data = f.get("initiatives") or {}
    names = f.get("level_names") or {}

    def label(lvl: Level) -> str:
        name = names.get(lvl.value)
        return str(name[:1].upper() + name[1:]) if name else str(lvl.label)

    levels = [(label(lvl), int(data.get(lvl.value) or 0)) for lvl in LEVELS_DOWN]
    levels = [(label, n) for label, n in levels if n]
    values = [float(n) for _, n in levels]
    return Chart("II", f"Sáng kiến, sáng tạo được công nhận theo cấp, {_span(f)}",
                 [label for label, _ in levels],
                 [Series("Sáng kiến, sáng tạo", values, [_num(v) for v in values], DARK)])


def welfare_chart(f: Mapping[str, Any]) -> Chart:
    """Members and workers visited or given a gift, by occasion."""
    rows = [r for r in (f.get("welfare") or {}).get("occasions") or []
            if int(r.get("beneficiaries") or 0)]
    values = [float(r["beneficiaries"]) for r in rows]
    return Chart("II", f"Lượt đoàn viên, người lao động được thăm hỏi, tặng quà theo dịp, "
                       f"{_span(f)}",
                 [r["name"] for r in rows],
                 [Series("Lượt người", values, [_num(v) for v in values], DARK)])


def report_charts(f: Mapping[str, Any]) -> list[Chart]:
    """The charts worth printing, in the order of the report's prose."""
    made = [initiatives_chart(f), welfare_chart(f), targets_chart(f), awards_chart(f)]
    return [c for c in made if _bars(c) >= 2]


# --- the chart and its workbook -----------------------------------------------------------------

def _font(size: float = 11, bold: bool = False) -> dict[str, Any]:
    return {"name": FONT, "size": size, "bold": bold}


def _write(chart: Chart, *, draw: bool) -> bytes:
    """The workbook of `chart`'s data (categories in A, one column per series), with the chart
    on the sheet when `draw`: the chart part is taken from that copy."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet(SHEET)
    n = len(chart.categories)
    sheet.write_string(0, 0, "")
    sheet.write_column(1, 0, chart.categories)
    sheet.set_column(0, 0, max((len(c) for c in chart.categories), default=10))
    for col, s in enumerate(chart.series, start=1):
        sheet.write_string(0, col, s.name)
        sheet.write_column(1, col, s.values)
    if draw:
        sheet.insert_chart("A1", _bar_chart(book, chart, n))
    book.close()
    return out.getvalue()


def _bar_chart(book: Any, chart: Chart, n: int) -> Any:
    bar = book.add_chart({"type": "bar"})
    for col, s in enumerate(chart.series, start=1):
        custom = [{"value": label} if label else {"delete": True} for label in s.labels]
        bar.add_series({
            "name": [SHEET, 0, col],
            "categories": [SHEET, 1, 0, n, 0],
            "values": [SHEET, 1, col, n, col],
            "fill": {"color": s.colour}, "border": {"none": True},
            "gap": 60, "overlap": -5,
            "data_labels": {"value": True, "position": "outside_end", "font": _font(10),
                            "custom": custom},
        })
    axis: dict[str, Any] = {"visible": False, "major_gridlines": {"visible": False}, "min": 0}
    if chart.percent:
        axis["max"] = 115  # room for "trên 75 %" beyond a full bar
    else:
        axis["max"] = max(v for s in chart.series for v in s.values) * 1.2
    bar.set_x_axis(axis)
    # the first category on top, as the prose lists them
    bar.set_y_axis({"reverse": True, "num_font": _font(10), "line": {"color": GREY},
                    "major_tick_mark": "none"})
    if len(chart.series) > 1:
        bar.set_legend({"position": "top", "font": _font(10)})
    else:
        bar.set_legend({"none": True})
    bar.set_title({"none": True})
    bar.set_chartarea({"border": {"none": True}})
    bar.set_plotarea({"border": {"none": True}})
    return bar


def chart_part_xml(chart: Chart, workbook_rid: str | None) -> bytes:
    """The `c:chartSpace` of `chart`, pointing at its embedded workbook when `workbook_rid`."""
    with zipfile.ZipFile(io.BytesIO(_write(chart, draw=True))) as drawn:
        xml = drawn.read("xl/charts/chart1.xml").decode("utf-8")
    xml = xml.replace('<c:lang val="en-US"/>', '<c:lang val="vi-VN"/>', 1)
    if workbook_rid:
        link = (f'<c:externalData r:id="{workbook_rid}"><c:autoUpdate val="0"/>'
                f'</c:externalData>')
        # CT_ChartSpace: externalData comes after txPr and before printSettings
        xml = re.sub(r"(<c:printSettings>|</c:chartSpace>)", lambda m: link + m.group(1), xml,
                     count=1)
    return xml.encode("utf-8")


def chart_workbook(chart: Chart) -> bytes:
    return _write(chart, draw=False)


# --- into the Word document ---------------------------------------------------------------------

def add_chart(part: Any, chart: Chart, number: int) -> str:
    """Add `chart` and its workbook to the package of `part` (the story being rendered); return
    the `w:drawing` run that shows it."""
    package = part.package
    book = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
                WORKBOOK_TYPE, chart_workbook(chart), package)
    chart_part = _ChartPart(package.next_partname("/word/charts/chart%d.xml"), CHART_TYPE,
                            b"", package)
    chart_part.blob_value = chart_part_xml(chart, chart_part.relate_to(book, RT.PACKAGE))
    rid = part.relate_to(chart_part, RT.CHART)
    ident = _FIRST_ID + chart_part.partname.idx  # unique even if a template prints one twice
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{int(WIDTH)}" cy="{chart.height}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{ident}" name="Biểu đồ {number}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


class _ChartPart(Part):
    """A part whose XML is written once its own relationship (to the workbook) has an id."""

    blob_value = b""

    @property
    def blob(self) -> bytes:
        return self.blob_value


class ChartDrawing:
    """A chart in a docxtpl context (`{{ c.drawing }}`, alone in its paragraph): rendered, it adds
    the chart's parts to the document being rendered, as docxtpl's InlineImage does for a
    picture. Made by `drawings`, bound to the template it will be rendered by."""

    def __init__(self, tpl: Any, chart: Chart, number: int) -> None:
        self.tpl, self.chart, self.number = tpl, chart, number

    def __html__(self) -> str:
        run = add_chart(self.tpl.current_rendering_part, self.chart, self.number)
        return f'</w:t></w:r>{run}<w:r><w:t xml:space="preserve">'

    __str__ = __html__


def drawings(tpl: Any, charts: list[Chart]) -> Iterator[tuple[Chart, dict[str, Any]]]:
    """Each chart with its context entry, numbered in order: {"drawing", "caption"}."""
    for number, chart in zip(itertools.count(1), charts, strict=False):
        yield chart, {"drawing": ChartDrawing(tpl, chart, number),
                      "caption": f"Biểu đồ {number}. {chart.title}"}
