"""Registrations from Excel (.xlsx) or CSV on the platform row importer: the header row found
among the first rows by folded text and in any column order, each error with the row number
Excel shows, and nothing written when a row is wrong (unless only valid rows are asked for). The
checks themselves are those of `registrations_bulk_create`, which also writes.

A row with a Số CCCD or a Mã đoàn viên registers that person; a row with only a Mã đơn vị
registers that unit (collective titles). The template is the unit's roster for the year, with
what is already registered filled in: re-importing it unchanged changes nothing."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

from thidua.movements.catalogue import TITLES, title_lookup, title_name
from thidua.movements.models import Source
from thidua.movements.permissions import require_manage
from thidua.movements.selectors import (
    Registered,
    RuleBook,
    registrations_by_person,
    registrations_by_unit,
)
from thidua.movements.services import (
    COL_COMMITMENTS,
    COL_PLEDGES,
    COL_TITLES,
    BulkResult,
    Mode,
    RegistrationInput,
    registrations_bulk_create,
)
from thidua.org.models import Unit, UnitVersion
from thidua.people.imports import cccd_from_cell
from thidua.people.models import Person
from thidua.people.selectors import people_for, roster
from thidua.platform.actor import Actor
from thidua.platform.spreadsheets.cells import display, is_blank
from thidua.platform.spreadsheets.importer import (
    Columns,
    RawRow,
    RawRows,
    RowError,
    RowImporter,
    Table,
    data_rows,
    open_table,
)
from thidua.platform.spreadsheets.reader import HEADER_SCAN_ROWS
from thidua.platform.spreadsheets.report import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from thidua.platform.text import clean_spaces, fold, vn_date

MAX_ROWS = 50_000
TEMPLATE_COMMITMENT_COLUMNS = 3

HEADERS: dict[str, str] = {
    "unit_code": "Mã đơn vị",
    "full_name": "Họ và tên",
    "cccd": "Số CCCD",
    "member_code": "Mã đoàn viên",
    "titles": COL_TITLES,
    "commitments": COL_COMMITMENTS,
    "pledges": COL_PLEDGES,
}
ALIASES: dict[str, tuple[str, ...]] = {
    "unit_code": ("ma don vi", "ma to cong doan", "ma cdcs", "ma don vi to cong doan"),
    "full_name": ("ho va ten", "ho ten", "ho va ten doan vien", "ten don vi",
                  "ho va ten ten don vi", "ho ten ten don vi"),
    "cccd": ("so cccd", "cccd", "so can cuoc cong dan", "so can cuoc", "so cccd cmnd",
             "so dinh danh", "so dinh danh ca nhan"),
    "member_code": ("ma doan vien", "ma dv", "so the doan vien", "ma so doan vien"),
    "titles": ("danh hieu dang ky", "danh hieu", "danh hieu thi dua", "dang ky danh hieu",
               "danh hieu thi dua dang ky"),
    "pledges": ("cam ket", "ky cam ket", "noi dung cam ket"),
}
# "Việc làm cụ thể 1", "… 2": every such column is one more commitment
_COMMITMENT_RE = re.compile(r"^(viec lam cu the|dang ky viec lam cu the|viec lam)( \d+)?$")
COLUMNS = Columns(HEADERS, ALIASES, patterns=((_COMMITMENT_RE, "commitments"),))
NO_HEADER = (f"Không tìm thấy dòng tiêu đề: trong {HEADER_SCAN_ROWS} dòng đầu của bảng tính phải "
             "có một dòng chứa cột «Số CCCD» (hoặc «Mã đoàn viên», «Mã đơn vị») và cột "
             "«Danh hiệu đăng ký» hoặc «Việc làm cụ thể». Hãy dùng tệp mẫu.")
_BULLET_RE = re.compile(r"^\s*(?:[-•+*–]|\d{1,2}[.)])\s*")
_YES = {"co", "x", "da ky", "1", "yes", "v", "ky"}


def _is_header(keys: set[str]) -> bool:
    return bool(keys & {"titles", "commitments"} and keys & {"cccd", "member_code", "unit_code"})


def read_registrations(path: str | os.PathLike[str], file_name: str | None = None
                       ) -> tuple[Table, list[dict[str, Any]]]:
    """Rows as dicts: single columns by key (the first filled one when a header repeats),
    commitment columns as a list, plus "_row"."""
    out: list[dict[str, Any]] = []
    with open_table(path, file_name, columns=COLUMNS, accept=_is_header,
                    not_found=NO_HEADER) as (table, rows):
        read = table.reader(many=table.columns)
        for number, cells in data_rows(rows, limit=MAX_ROWS):
            row: dict[str, Any] = {"_row": number}
            for key, values in read(number, cells).items():
                if key == "commitments":
                    row[key] = values
                elif key != "_row" and values:
                    row[key] = values[0]
            out.append(row)
    return table, out


def _split_titles(value: object) -> list[str]:
    text = display(value) if not isinstance(value, str) else value
    return [p.strip() for p in re.split(r"[,;\n]+", text or "") if p.strip()]


def _split_commitments(values: list[object]) -> list[str]:
    out = []
    for value in values:
        text = value if isinstance(value, str) else display(value)
        for line in str(text).splitlines():
            line = _BULLET_RE.sub("", line).strip()
            if line:
                out.append(line)
    return out


def _title_help() -> str:
    return "; ".join(f"{t.code} ({t.name})" for t in TITLES)


def _service_key(column: str) -> str:
    return {COL_TITLES: "titles", COL_COMMITMENTS: "commitments", COL_PLEDGES: "pledges"}.get(
        column, "full_name")


class RegistrationImporter(RowImporter[RegistrationInput, list[RegistrationInput]]):
    """Rows to `RegistrationInput`s; the service checks the rest and writes them (MERGE)."""

    columns = COLUMNS

    def __init__(self, *, actor: Actor, unit: Unit, year: int, headers: dict[str, str] | None,
                 registered_on: dt.date | None, late_reason: str) -> None:
        super().__init__(headers=headers)
        self.actor = actor
        self.unit = unit
        self.year = year
        self.registered_on = registered_on
        self.late_reason = late_reason
        self.blank = 0
        self.result = BulkResult()

    def prepare(self, rows: RawRows) -> None:
        """People named by the rows' CCCD and member codes, among those the actor may see, and
        the units named by code in the subtree."""
        book = RuleBook(self.unit.path, self.year)
        rule = book.rule(self.unit.path, self.year)
        self.rule_pledges = list(rule.pledges) if rule else []
        cccds = [cccd_from_cell(r.get("cccd"), None, None) for r in rows if r.get("cccd")]
        codes = [str(r["member_code"]).strip().upper() for r in rows if r.get("member_code")]
        visible = people_for(self.actor)
        self.by_cccd: dict[str, Person] = {}
        self.by_code: dict[str, Person] = {}
        for i in range(0, len(cccds), 900):
            for p in visible.filter(cccd__in=cccds[i:i + 900]):
                self.by_cccd[p.cccd] = p  # type: ignore[index]
        for i in range(0, len(codes), 900):
            for p in visible.filter(member_code__in=codes[i:i + 900]):
                self.by_code[p.member_code] = p  # type: ignore[index]
        unit_codes = {str(r["unit_code"]).strip().upper() for r in rows
                      if r.get("unit_code") and not (r.get("cccd") or r.get("member_code"))}
        self.units = {u.code: u for u in Unit.objects.filter(
            code__in=unit_codes, path__startswith=self.unit.path)}

    def parse_row(self, raw: RawRow) -> RegistrationInput | None:
        number = int(raw.get("_row") or 0)
        n_errors = len(self.errors)
        unit = self.unit

        def err(key: str, message: str, value: object = None) -> None:
            self.error(number, key, value if value is not None else raw.get(key), message)

        name = clean_spaces(display(raw.get("full_name")))
        person: Person | None = None
        subject_unit: Unit | None = None
        if raw.get("cccd"):
            person = self.by_cccd.get(cccd_from_cell(raw.get("cccd"), None, None))
            if person is None:
                err("cccd", f"Không tìm thấy người có số CCCD này trong danh sách của "
                    f"«{unit.name}».")
        elif raw.get("member_code"):
            person = self.by_code.get(str(raw["member_code"]).strip().upper())
            if person is None:
                err("member_code", f"Không tìm thấy đoàn viên có mã này trong danh sách của "
                    f"«{unit.name}».")
        elif raw.get("unit_code"):
            subject_unit = self.units.get(str(raw["unit_code"]).strip().upper())
            if subject_unit is None:
                err("unit_code", f"Không có đơn vị mã này trực thuộc «{unit.name}».")
        else:
            err("cccd", "Dòng không có số CCCD, mã đoàn viên hay mã đơn vị để biết là của ai.",
                name)
        if person is not None and name and fold(name) != person.name_folded:
            err("full_name", "Họ và tên không khớp với hồ sơ có số CCCD/mã đoàn viên này; hãy "
                "kiểm tra lại dòng này.")
        codes: list[str] = []
        for text in _split_titles(raw.get("titles")):
            title = title_lookup(text)
            if title is None:
                err("titles", f"Không có danh hiệu «{text}» trong danh mục. Ghi mã hoặc tên, cách "
                    f"nhau bởi dấu phẩy: {_title_help()}.", text)
            else:
                codes.append(title.code)
        pledges: list[str] = []
        pledge_raw = raw.get("pledges")
        if not is_blank(pledge_raw):
            flag = fold(display(pledge_raw))
            if flag in _YES:
                if not self.rule_pledges:
                    err("pledges", "Đơn vị cấp trên chưa quy định nội dung cam kết; hãy ghi rõ "
                        "nội dung cam kết thay cho «Có».")
                pledges = self.rule_pledges
            elif flag not in {"khong", "0", "no", "chua"}:
                pledges = _split_commitments([pledge_raw])
        if len(self.errors) > n_errors:
            return None
        commitments = _split_commitments(raw.get("commitments") or [])
        if not (codes or commitments or pledges):
            self.blank += 1  # a roster line of the template left empty: nobody to register
            return None
        return RegistrationInput(
            person_id=person.pk if person else None,
            unit_id=subject_unit.pk if subject_unit else None, titles=codes,
            commitments=commitments, pledges=pledges,
            row=number, label=(person.full_name if person else name or (
                subject_unit.name if subject_unit else "")))

    def plan(self, rows: Iterable[RegistrationInput]) -> list[RegistrationInput]:
        return list(rows)  # the registration service checks and writes them together

    def write(self, plan: list[RegistrationInput]) -> None:
        self._register(plan, dry_run=False)

    def finish(self, plan: list[RegistrationInput], *, write: bool) -> bool:
        # the service checks what only it knows (roster that year, deadlines, minimums) even
        # when nothing is to be written, so its errors join the file's
        if write:
            self.write(plan)
        else:
            self._register(plan, dry_run=True)
        return self.result.written

    def _register(self, plan: list[RegistrationInput], *, dry_run: bool) -> None:
        self.result = registrations_bulk_create(
            actor=self.actor, unit=self.unit, year=self.year, rows=plan, mode=Mode.MERGE,
            source=Source.IMPORT, valid_only=self.valid_only, dry_run=dry_run,
            registered_on=self.registered_on, late_reason=self.late_reason)
        self.errors += [RowError(e.row, self.names.get(_service_key(e.column), e.column),
                                 e.value, e.message) for e in self.result.errors]


def registration_import_rows(
    *, actor: Actor, unit: Unit, year: int, rows: list[dict[str, Any]],
    headers: dict[str, str] | None = None, valid_only: bool = False, dry_run: bool = False,
    registered_on: dt.date | None = None, late_reason: str = "",
) -> BulkResult:
    """Check every row, then register them all in one transaction (see module docstring)."""
    require_manage(actor, unit.path)
    importer = RegistrationImporter(actor=actor, unit=unit, year=year, headers=headers,
                                    registered_on=registered_on, late_reason=late_reason)
    checked = importer.run(rows, valid_only=valid_only, dry_run=dry_run)
    result = importer.result
    result.errors = checked.errors
    result.total = checked.total
    result.skipped = len(checked.bad_rows)
    result.blank = importer.blank
    return result


def registration_import_file(
    *, actor: Actor, unit: Unit, year: int, path: str | os.PathLike[str],
    file_name: str | None = None, valid_only: bool = False, dry_run: bool = False,
    late_reason: str = "",
) -> BulkResult:
    """Read a .xlsx or .csv of registrations and import it (see `registration_import_rows`)."""
    require_manage(actor, unit.path)
    table, rows = read_registrations(path, file_name)
    return registration_import_rows(actor=actor, unit=unit, year=year, rows=rows,
                                    headers=table.names(), valid_only=valid_only,
                                    dry_run=dry_run, late_reason=late_reason)


# The template to fill in: the unit's roster for the year, with what is registered already.
INSTRUCTIONS = [
    "HƯỚNG DẪN GHI BẢNG ĐĂNG KÝ THI ĐUA",
    "",
    "1. Mỗi người (hoặc mỗi tập thể) ghi một dòng ở trang «Đăng ký». Có thể đổi thứ tự cột, thêm "
    "cột khác; hệ thống chỉ đọc các cột có tên như dưới đây.",
    "2. Dòng có «Số CCCD» hoặc «Mã đoàn viên» là đăng ký của một người; dòng chỉ có «Mã đơn vị» là "
    "đăng ký của tập thể đơn vị đó (danh hiệu tập thể).",
    "3. «Danh hiệu đăng ký»: ghi mã hoặc tên danh hiệu, nhiều danh hiệu cách nhau bởi dấu phẩy, "
    "ví dụ «LDTT, CSTDCS» hoặc «Lao động tiên tiến».",
    "4. «Việc làm cụ thể»: mỗi việc một ô (các cột Việc làm cụ thể 1, 2, 3…) hoặc nhiều dòng "
    "trong một ô (Alt+Enter).",
    "5. «Cam kết»: ghi «Có» để ký các nội dung cam kết do cấp trên quy định, hoặc ghi rõ nội dung.",
    "6. Nhập lại tệp chỉ bổ sung những gì chưa có; không xoá danh hiệu đã đăng ký.",
    "7. Có một dòng sai thì không ghi dòng nào (trừ khi chọn «Chỉ nhập các dòng hợp lệ»).",
]


def registration_template(*, actor: Actor, unit: Unit, year: int, today: dt.date | None = None,
                          path_or_buffer: str | os.PathLike[str] | IO[bytes]) -> None:
    """The unit's people and units for the year, with their current registrations."""
    require_manage(actor, unit.path)
    today = today or timezone.localdate()
    book = RuleBook(unit.path, year)
    calendar = book.calendar(unit.path)
    rule = book.rule(unit.path, year)
    day = calendar.reference_day(year, today)
    version = UnitVersion.objects.at(day).filter(unit=unit).first()
    target = os.fspath(path_or_buffer) if isinstance(path_or_buffer, str | os.PathLike) \
        else path_or_buffer
    wb = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "font_size": 13})
    head = wb.add_format({"bold": True, "bg_color": "#0f2d5c", "font_color": "#ffffff",
                          "border": 1, "text_wrap": True, "valign": "vcenter"})
    text = wb.add_format({"num_format": "@", "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet("Đăng ký")
    columns = [("STT", 6), (HEADERS["unit_code"], 16), (HEADERS["full_name"], 30),
               (HEADERS["cccd"], 15), (HEADERS["member_code"], 15), ("Thuộc đơn vị", 30),
               (HEADERS["titles"], 30)]
    columns += [(f"{COL_COMMITMENTS} {i}", 40) for i in range(1, TEMPLATE_COMMITMENT_COLUMNS + 1)]
    columns += [(HEADERS["pledges"], 14)]
    for c, (_, width) in enumerate(columns):
        ws.set_column(c, c, width, text if c in (1, 3, 4) else wrap)
    label = calendar.label(year)
    ws.write_string(0, 0, f"ĐĂNG KÝ THI ĐUA {label.upper()} — {unit.name}", bold)
    sub = f"Danh sách tại ngày {vn_date(day)}."
    if rule is not None and rule.deadline:
        sub += f" Hạn đăng ký: {vn_date(rule.deadline)}."
    if rule is not None and (rule.min_commitments_member or rule.min_commitments_unit):
        sub += (f" Tối thiểu {rule.min_commitments_unit} việc làm cụ thể mỗi tập thể, "
                f"{rule.min_commitments_member} mỗi đoàn viên.")
    ws.write_string(1, 0, sub)
    header_row = 3
    for c, (title, _) in enumerate(columns):
        ws.write_string(header_row, c, title, head)
    ws.freeze_panes(header_row + 1, 0)
    row = header_row
    n = 0

    def put(values: list[str]) -> None:
        nonlocal row, n
        row += 1
        n += 1
        ws.write_number(row, 0, n)
        for c, value in enumerate(values, start=1):
            if value:
                ws.write_string(row, c, value)

    if version is not None:
        versions = list(UnitVersion.objects.at(day).subtree(version.path)
                        .select_related("unit").order_by("path"))
        unit_regs = registrations_by_unit(unit_ids=[v.unit_id for v in versions], year=year)
        names = {v.unit_id: v.name for v in versions}
        for v in versions:
            put(_cells(v.unit.code, v.name, "", "", "", unit_regs.get(v.unit_id)))
        employments = list(roster(user=actor, unit_path=version.path, day=day))
        regs = registrations_by_person(person_ids=[e.person_id for e in employments], year=year)
        for e in employments:
            p = e.person
            put(_cells("", p.full_name, p.cccd or "", p.member_code or "",
                       names.get(e.unit_id, e.unit.name), regs.get(p.pk)))
    guide = wb.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 110)
    guide.set_column(1, 1, 40)
    for i, line in enumerate(INSTRUCTIONS):
        guide.write_string(i, 0, line, bold if i == 0 else wrap)
    r = len(INSTRUCTIONS) + 1
    guide.write_string(r, 0, "Danh mục danh hiệu (mã — tên — cá nhân/tập thể)", bold)
    for t in TITLES:
        r += 1
        kind = "cá nhân" if t.kind == "individual" else "tập thể"
        guide.write_string(r, 0, f"{t.code} — {t.name} — {kind}")
    if rule is not None and rule.pledges:
        r += 2
        guide.write_string(r, 0, f"Nội dung cam kết do «{rule.issuer.name}» quy định", bold)
        for p in rule.pledges:
            r += 1
            guide.write_string(r, 0, p, wrap)
    wb.close()


def _cells(unit_code: str, name: str, cccd: str, member_code: str, home: str,
           reg: Registered | None) -> list[str]:
    titles = ", ".join(title_name(code) for code in reg.titles) if reg else ""
    commitments = list(reg.commitments) if reg else []
    if len(commitments) > TEMPLATE_COMMITMENT_COLUMNS:
        commitments = commitments[:TEMPLATE_COMMITMENT_COLUMNS - 1] + [
            "\n".join(commitments[TEMPLATE_COMMITMENT_COLUMNS - 1:])]
    commitments += [""] * (TEMPLATE_COMMITMENT_COLUMNS - len(commitments))
    pledges = "\n".join(reg.pledges) if reg else ""
    return [unit_code, name, cccd, member_code, home, titles, *commitments, pledges]
