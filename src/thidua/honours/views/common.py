"""What the commendation pages share: the units an officer acts for, the forms' names, the upload
limit, the .xlsx answer every list gives to ?xuat=xlsx, and the scoped lookups as 404s."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import xlsxwriter
from django.http import HttpRequest, HttpResponse

from thidua.accounts.models import Role
from thidua.honours import catalogue
from thidua.org.models import Unit
from thidua.org.permissions import scope_paths
from thidua.org.selectors import live_unit_in, unit_options_in
from thidua.platform import uploads, web
from thidua.platform.actor import Visitor
from thidua.platform.forms import UnitOptions
from thidua.platform.spreadsheets.report import XLSX_CONTENT_TYPE
from thidua.platform.text import vn_date

#: (header, width, kind); kind: text, date, number, money
Column = tuple[str, int, str]


def officer_paths(user: Visitor) -> list[str]:
    """The subtrees where the user acts as an officer (sends, receives, issues)."""
    return scope_paths(user, Role.OFFICER)


def officer_unit_options(user: Visitor) -> UnitOptions:
    """A unit field's offer: the live units where the user is an officer, in a select when
    they are few; else a typed code suggesting the scope's two top levels (a province's
    officer has thousands of CĐCS below)."""
    return unit_options_in(user, officer_paths(user))


def officer_unit_by_code(user: Visitor, code: str) -> Unit | None:
    """The live unit of that code where the user is an officer (a code typed in a wide
    scope's unit field), or None."""
    return live_unit_in(user, officer_paths(user), code)


def is_officer_of(user: Visitor) -> Callable[[str], bool]:
    """`known` for a unit field of the units where the user is an officer."""
    return lambda code: officer_unit_by_code(user, code) is not None


def form_names(day: dt.date | None = None) -> dict[str, str]:
    """Code → name of every form of the catalogue (one read per page, not one per row)."""
    return {f.code: f.name for f in catalogue.forms(day)}


def form_name(code: str) -> str:
    try:
        return catalogue.form(code).name
    except KeyError:
        return code


int_param = web.int_param
too_big_page = web.attachment_too_big_page
limited_upload = web.limited_attachment_upload
upload_too_big = uploads.upload_too_big


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("xuat") == "xlsx"


def xlsx_response(*, filename: str, title: str, subtitle: str, columns: Sequence[Column],
                  rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """One sheet: a title, a subtitle, the Vietnamese header and the rows; dates as Excel dates
    shown dd/mm/yyyy, numbers as numbers (money grouped), text always as text (a name such as
    =HYPERLINK(...) never becomes a formula)."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                      "strings_to_urls": False})
    header = wb.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                            "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True})
    fmt = {"text": wb.add_format({"num_format": "@", "valign": "top", "text_wrap": True}),
           "date": wb.add_format({"num_format": "dd/mm/yyyy", "align": "center",
                                  "valign": "top"}),
           "number": wb.add_format({"align": "center", "valign": "top"}),
           "money": wb.add_format({"num_format": "#,##0", "valign": "top"})}
    ws = wb.add_worksheet("Danh sách")
    for i, (_, width, kind) in enumerate(columns):
        ws.set_column(i, i, width, fmt[kind])
    ws.write_string(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
    ws.write_string(1, 0, subtitle, wb.add_format({"italic": True}))
    head = 3
    for c, (label, _, _) in enumerate(columns):
        ws.write_string(head, c, label, header)
    ws.set_row(head, 30)
    ws.freeze_panes(head + 1, 0)
    r = head
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            kind = columns[c][2]
            if value is None or value == "":
                continue
            if kind in ("number", "money"):
                ws.write_number(r, c, value, fmt[kind])
            elif kind == "date":
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt["date"])
            else:
                ws.write_string(r, c, str(value), fmt["text"])
    ws.autofilter(head, 0, max(r, head + 1), len(columns) - 1)
    wb.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def today_text() -> str:
    return vn_date(dt.date.today())
