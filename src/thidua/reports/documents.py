"""The year-end report as a Word document: the context (plain text ready to print) built from
the figures and the composer's sections, rendered through the platform's registered template,
which an administrator may replace."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from thidua.honours.documents import BLANK_DATE, _names, _place, _signature, _symbol_number
from thidua.org.models import Unit
from thidua.platform.templates_docx import register_template, render_template
from thidua.platform.text import doc_date
from thidua.reports.charts import drawings, report_charts
from thidua.reports.compose import report_title, sections

KEY = "reports.bao_cao_tong_ket"
TEMPLATE = Path(__file__).resolve().parent / "docx" / "bao_cao_tong_ket.docx"


def summary_context(unit: Unit, figures: Mapping[str, Any], *, signed_on: dt.date | None = None,
                    document: Any = None) -> dict[str, Any]:
    """The report's header names the unit and the body above it as they stood at the end of the
    report's year; the number and, unless given, the date are left for the office to fill. Each
    section lists its charts ({"drawing", "caption"}) when the DocxTemplate that will render the
    context is given as `document`: a chart adds its parts to it."""
    upper, name = _names(unit, dt.date.fromisoformat(figures["as_of"]))
    body = [{**dataclasses.asdict(s), "charts": []} for s in sections(figures)]
    if document is not None:
        by_number = {s["title"].split(".", 1)[0]: s for s in body}
        charts = [c for c in report_charts(figures) if c.section in by_number]
        for chart, entry in drawings(document, charts):
            by_number[chart.section]["charts"].append(entry)
    return {
        "upper_name": upper, "issuer_name": name,
        "number": _symbol_number(unit, "BC"),
        "place": _place(unit),
        "date_line": doc_date(signed_on) if signed_on else BLANK_DATE,
        "subject": report_title(figures),
        "sections": body,
        "receivers": ["Công đoàn cấp trên (để báo cáo);", "Lưu: VT."],
        **_signature(unit, "Chủ tịch", ""),
    }


def render_summary(unit: Unit, figures: Mapping[str, Any], *,
                   signed_on: dt.date | None = None) -> bytes:
    return render_template(KEY, lambda document: summary_context(
        unit, figures, signed_on=signed_on, document=document))


def sample_context() -> dict[str, Any]:
    return {
        "upper_name": "Liên đoàn Lao động Thành phố Hà Nội",
        "issuer_name": "Công đoàn Viên chức thành phố Hà Nội",
        "number": "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-CĐVC", "place": "Hà Nội",
        "date_line": BLANK_DATE,
        "subject": "Tổng kết công tác thi đua, khen thưởng năm 2017",
        "sections": [{"title": "I. TÌNH HÌNH CHUNG", "paragraphs": [
            "Công đoàn Viên chức thành phố Hà Nội đang quản lý trực tiếp 65 Công đoàn cơ sở "
            "với 10.141 đoàn viên/10.159 CBCCVCLĐ."], "charts": []},
            {"title": "III. CÔNG TÁC KHEN THƯỞNG", "paragraphs": [
                "Năm 2017, qua các phong trào thi đua đã xuất hiện nhiều tập thể, cá nhân tiêu "
                "biểu."],
             # the drawing needs the document being rendered: the sample shows where it goes
             "charts": [{"drawing": "", "caption": "Biểu đồ 1. Tập thể, cá nhân được khen "
                                                   "thưởng theo cấp khen, năm 2017"}]}],
        "receivers": ["Công đoàn cấp trên (để báo cáo);", "Lưu: VT."],
        "sign_for": "TM. BAN THƯỜNG VỤ", "sign_kt": "", "sign_title": "CHỦ TỊCH",
        "signer_name": "",
    }


register_template(KEY, label="Báo cáo tổng kết thi đua, khen thưởng năm", default=TEMPLATE,
                  sample=functools.partial(sample_context), group="Báo cáo")
