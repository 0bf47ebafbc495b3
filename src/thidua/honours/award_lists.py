"""Awards and decisions as plain rows for the command line (`thidua awards list`,
`thidua decisions list`): the JSON each prints, and the awards as an .xlsx workbook with
Vietnamese headers (dates as dates, amounts as numbers; every text through `write_string`, so a
name such as =HYPERLINK(...) stays text)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet

from thidua.honours.models import Award, Decision, DecisionKind
from thidua.honours.selectors_lists import FormNames
from thidua.platform.spreadsheets.report import HEADER_FORMAT

# (key, header, width, kind); kind: text, date, number, money
AWARD_COLUMNS: list[tuple[str, str, int, str]] = [
    ("issuer", "Đơn vị khen thưởng (mã)", 16, "text"),
    ("issuer_name", "Đơn vị khen thưởng", 34, "text"),
    ("form_name", "Hình thức khen thưởng", 40, "text"),
    ("recipient_kind_label", "Cá nhân / Tập thể", 12, "text"),
    ("recipient", "Người, tập thể được khen", 32, "text"),
    ("recipient_code", "Mã tập thể", 14, "text"),
    ("home_unit", "Thuộc đơn vị (mã)", 16, "text"),
    ("decision", "Số quyết định", 16, "text"),
    ("decision_date", "Ngày quyết định", 14, "date"),
    ("year", "Năm khen thưởng", 10, "number"),
    ("golden_book_no", "Số sổ vàng", 10, "number"),
    ("cash_amount", "Tiền thưởng (đồng)", 16, "money"),
    ("revoked_label", "Đã thu hồi", 10, "text"),
]
KIND_LABELS = {"person": "Cá nhân", "unit": "Tập thể"}


def award_rows(awards: QuerySet[Award]) -> list[dict[str, Any]]:
    """One dict per award (the JSON of `thidua awards list`)."""
    form_name = FormNames()
    return [{
        "issuer": a.issuer.code, "issuer_name": a.issuer.name, "form": a.form,
        "form_name": form_name(a.form),
        "recipient_kind": "person" if a.person_id else "unit", "recipient": a.recipient_name,
        "recipient_code": a.subject_unit.code if a.subject_unit else None,
        "home_unit": a.home_unit.code, "decision": a.decision.number,
        "decision_date": a.decision.date.isoformat(), "year": a.year, "revoked": a.revoked,
        "golden_book_no": a.golden_book_no, "cash_amount": a.cash_amount,
    } for a in awards.iterator(chunk_size=2000)]


def decision_rows(decisions: QuerySet[Decision]) -> list[dict[str, Any]]:
    """One dict per decision (the JSON of `thidua decisions list`)."""
    return [{
        "number": d.number, "date": d.date.isoformat(), "issuer": d.issuer.code,
        "issuer_name": d.external_issuer or d.issuer.name,
        "recipients": int(getattr(d, "recipient_count", 0) or 0), "form": d.form,
        "kind": d.kind, "kind_label": DecisionKind(d.kind).label, "year": d.year,
        "title": d.title,
    } for d in decisions]


def awards_xlsx(rows: Iterable[dict[str, Any]], target: str | os.PathLike[str] | IO[bytes], *,
                title: str) -> int:
    """Write the awards to an .xlsx (a title line, the header, one row per award); returns the
    number of rows written."""
    out = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    wb = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    header = wb.add_format(HEADER_FORMAT)
    formats = {"text": wb.add_format({"num_format": "@"}),
               "date": wb.add_format({"num_format": "dd/mm/yyyy", "align": "center"}),
               "number": wb.add_format({"align": "center"}),
               "money": wb.add_format({"num_format": "#,##0"})}
    ws = wb.add_worksheet("Khen thưởng")
    ws.write_string(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
    head = 2
    ws.write_string(head, 0, "STT", header)
    ws.set_column(0, 0, 6, formats["number"])
    for c, (_, label, width, kind) in enumerate(AWARD_COLUMNS, 1):
        ws.set_column(c, c, width, formats[kind])
        ws.write_string(head, c, label, header)
    ws.set_row(head, 30)
    ws.freeze_panes(head + 1, 0)
    count = 0
    for row in rows:
        count += 1
        r = head + count
        ws.write_number(r, 0, count, formats["number"])
        values = {**row, "recipient_kind_label": KIND_LABELS[row["recipient_kind"]],
                  "revoked_label": "Có" if row["revoked"] else ""}
        for c, (key, _, _, kind) in enumerate(AWARD_COLUMNS, 1):
            value = values.get(key)
            if value is None or value == "":
                continue
            if kind == "date":
                ws.write_datetime(r, c, dt.date.fromisoformat(value), formats["date"])
            elif kind in ("number", "money"):
                ws.write_number(r, c, value, formats[kind])
            else:
                ws.write_string(r, c, str(value), formats["text"])
    ws.autofilter(head, 0, head + max(count, 1), len(AWARD_COLUMNS))
    wb.close()
    return count
