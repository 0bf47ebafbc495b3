"""Ratings of a unit's people from an .xlsx or .csv file, on the platform row importer: people
are found by CCCD or member code, every problem is reported with the row number Excel shows, and
nothing is written unless every row is right. The template is the unit's roster at year end,
ready to fill in."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from thidua.evaluation import permissions
from thidua.evaluation.models import RATING_SHORT, Rating, RatingCode, year_end
from thidua.evaluation.selectors import lock_covering, lock_paths, year_roster
from thidua.evaluation.services.common import check_eval_year, ensure_open, locked_message
from thidua.evaluation.services.ratings import RatingRow, rating_row_problems, ratings_save
from thidua.org.models import Unit
from thidua.people.imports import cccd_from_cell
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.spreadsheets.cells import display, is_blank, parse_int
from thidua.platform.spreadsheets.importer import (
    Columns,
    RawRow,
    RawRows,
    RowError,
    RowImporter,
    data_rows,
    open_table,
    repeats,
)
from thidua.platform.spreadsheets.reader import HEADER_SCAN_ROWS, file_sha256, row_limit
from thidua.platform.spreadsheets.report import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from thidua.platform.text import clean_spaces, fold, vn_date, vn_number

HEADERS: dict[str, str] = {
    "full_name": "Họ và tên",
    "cccd": "Số CCCD",
    "member_code": "Mã đoàn viên",
    "code": "Xếp loại",
    "absence_days": "Số ngày nghỉ",
    "maternity_days": "Số ngày nghỉ thai sản",
    "service_months": "Số tháng công tác",
    "family_ok": "Đảm việc nhà",
    "note": "Ghi chú",
}
ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("ho va ten", "ho ten", "ho va ten doan vien", "ho ten doan vien"),
    "cccd": ("so cccd", "cccd", "so can cuoc cong dan", "so can cuoc", "so dinh danh",
             "so dinh danh ca nhan", "so cccd cmnd", "cccd cmnd"),
    "member_code": ("ma doan vien", "ma dv", "so the doan vien", "ma so doan vien"),
    "code": ("xep loai", "xep loai danh gia", "muc xep loai", "ket qua danh gia",
             "danh gia xep loai", "xep loai nam", "muc do hoan thanh nhiem vu"),
    "absence_days": ("so ngay nghi", "ngay nghi", "so ngay nghi khong ke thai san",
                     "so ngay nghi khong ke nghi thai san", "nghi khong ke thai san"),
    "maternity_days": ("so ngay nghi thai san", "nghi thai san", "ngay nghi thai san",
                       "thai san"),
    "service_months": ("so thang cong tac", "thang cong tac", "so thang lam viec",
                       "so thang cong tac trong nam"),
    "family_ok": ("dam viec nha", "tieu chi dam viec nha", "dat dam viec nha"),
    "note": ("ghi chu",),
}
COLUMNS = Columns(HEADERS, ALIASES)
ROW_KEYS = tuple(HEADERS)
NO_HEADER = (f"Không tìm thấy dòng tiêu đề: trong {HEADER_SCAN_ROWS} dòng đầu phải có một dòng "
             "chứa cột «Xếp loại» và cột «Số CCCD» hoặc «Mã đoàn viên».")

# what officials write in the Xếp loại column, folded
_RATING_WORDS: dict[str, str] = {}
for _code in RatingCode:
    for _text in (_code.value, _code.label, RATING_SHORT[_code]):
        _RATING_WORDS[fold(_text).replace(" ", "")] = _code.value
for _word, _value in (("HTXS", "HTXSNV"), ("HTT", "HTTNV"), ("HT", "HTNV"), ("KHT", "KHTNV"),
                      ("Xuất sắc", "HTXSNV"), ("Hoàn thành tốt", "HTTNV"),
                      ("Không hoàn thành", "KHTNV")):
    _RATING_WORDS[fold(_word).replace(" ", "")] = _value


@dataclass
class RatingsImportResult:
    total: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    skipped: int = 0  # rows with nothing filled in (the template's roster as it came)

    def summary(self) -> str:
        counts = (f"thêm mới {vn_number(self.created)}, cập nhật {vn_number(self.updated)}, "
                  f"không đổi {vn_number(self.unchanged)}")
        if self.skipped:
            counts += f", bỏ qua {vn_number(self.skipped)} dòng chưa ghi gì"
        if self.written:
            return f"Đã nhập xếp loại {vn_number(self.total)} dòng: {counts}."
        if self.errors:
            rows = len({e.row for e in self.errors})
            return (f"Kiểm tra {vn_number(self.total)} dòng: {vn_number(rows)} dòng có lỗi; "
                    "chưa ghi dòng nào.")
        return f"Kiểm tra {vn_number(self.total)} dòng: {counts}."


def _is_header(keys: set[str]) -> bool:
    return "code" in keys and bool(keys & {"cccd", "member_code"})


def read_ratings(path: str | os.PathLike[str], file_name: str | None = None
                 ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """(header text per key, rows as dicts with "_row") of a ratings file."""
    with open_table(path, file_name, columns=COLUMNS, accept=_is_header,
                    not_found=NO_HEADER) as (table, rows):
        read = table.reader()
        watched = [idxs[0] for idxs in table.columns.values()]
        out = [read(n, cells) for n, cells in data_rows(rows, limit=row_limit(), watch=watched)]
    return table.names(), out


@dataclass
class _Counts:
    good: list[RatingRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class RatingsImporter(RowImporter[RatingRow, _Counts]):
    """Rows of the year's roster to `RatingRow`s; `ratings_save` writes them."""

    columns = COLUMNS

    def __init__(self, *, actor: Actor, unit: Unit, year: int, headers: dict[str, str] | None,
                 source: str) -> None:
        super().__init__(headers=headers)
        self.actor = actor
        self.unit = unit
        self.year = year
        self.source = source
        self.blank = 0
        self.day = vn_date(year_end(year))
        self.seen: dict[int, list[int]] = defaultdict(list)
        self.unknown_cccd: list[tuple[int, str]] = []
        self.saved: Any = None

    def prepare(self, rows: RawRows) -> None:
        roster = list(year_roster(self.unit, self.year).values_list(
            "person_id", "person__cccd", "person__member_code", "person__name_folded",
            "unit__path"))
        self.by_cccd = {c: pid for pid, c, _, _, _ in roster if c}
        self.by_code = {m.upper(): pid for pid, _, m, _, _ in roster if m}
        self.folded = {pid: name for pid, _, _, name, _ in roster}
        self.paths = {pid: path for pid, _, _, _, path in roster}
        self.locks = lock_paths(self.year)

    def parse_row(self, raw: RawRow) -> RatingRow | None:
        number = int(raw.get("_row") or 0)
        n_errors = len(self.errors)
        unit, day = self.unit, self.day

        def err(key: str, message: str) -> None:
            self.cell_error(raw, key, message)

        cccd = cccd_from_cell(raw.get("cccd"), None, None) if not is_blank(raw.get("cccd")) else ""
        member_code = clean_spaces(display(raw.get("member_code"))).upper()
        pid = None
        if not cccd and not member_code:
            err("cccd", "Cần Số CCCD hoặc Mã đoàn viên để biết là ai.")
        else:
            by_c = self.by_cccd.get(cccd) if cccd else None
            by_m = self.by_code.get(member_code) if member_code else None
            if cccd and by_c is None:
                self.unknown_cccd.append((number, cccd))
                err("cccd", f"Người có số CCCD này không có trong danh sách của «{unit.name}» "
                            f"ngày {day}.")
            elif member_code and by_m is None and not cccd:
                err("member_code", f"Mã đoàn viên này không có trong danh sách của «{unit.name}» "
                                   f"ngày {day}.")
            elif by_c is not None and by_m is not None and by_c != by_m:
                err("member_code", "Mã đoàn viên và số CCCD là của hai người khác nhau.")
            else:
                pid = by_c if by_c is not None else by_m
        name = clean_spaces(display(raw.get("full_name")))
        if pid is not None and name and fold(name) != self.folded[pid]:
            err("full_name", "Họ và tên không khớp với người có số CCCD (mã đoàn viên) này.")
        if pid is not None:
            lock = lock_covering(self.paths[pid], self.locks)
            if lock is not None:
                err("cccd", locked_message(lock))
        code_raw = raw.get("code")
        code = ""
        if not is_blank(code_raw):
            code = _RATING_WORDS.get(fold(display(code_raw)).replace(" ", ""), "")
            if not code:
                err("code", "Xếp loại ghi HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ "
                            "(ví dụ «Hoàn thành tốt nhiệm vụ»).")
        numbers: dict[str, int | None] = {}
        for key, label in (("absence_days", "Số ngày nghỉ"),
                           ("maternity_days", "Số ngày nghỉ thai sản"),
                           ("service_months", "Số tháng công tác")):
            try:
                numbers[key] = parse_int(raw.get(key))
            except (ValueError, OverflowError):
                err(key, f"{label} phải là số nguyên.")
                numbers[key] = None
        family_raw = raw.get("family_ok")
        family: bool | None = None
        if not is_blank(family_raw):
            word = fold(display(family_raw)).strip()
            if word in ("co", "x", "dat", "yes", "1"):
                family = True
            elif word in ("khong", "chua dat", "no", "0"):
                family = False
            else:
                err("family_ok", "Đảm việc nhà ghi «có» hoặc «không» (để trống khi chưa xác nhận).")
        row = RatingRow(person_id=pid or 0, code=code, family_ok=family,
                        absence_days=numbers["absence_days"] or 0,
                        maternity_days=numbers["maternity_days"] or 0,
                        service_months=numbers["service_months"],
                        note=clean_spaces(display(raw.get("note"))), row=number)
        if len(self.errors) == n_errors:
            for key, message in rating_row_problems(row):
                err(key, message)
        if pid is not None:
            self.seen[pid].append(number)
        if len(self.errors) != n_errors:
            return None
        if not code and all(is_blank(raw.get(k)) for k in (
                "code", "absence_days", "maternity_days", "service_months", "note")):
            self.blank += 1
            return None
        return row

    def check_together(self, parsed: Iterable[RatingRow], rows: RawRows) -> Iterable[RatingRow]:
        for n, others in repeats(self.seen):
            self.error(n, "cccd", "", f"Người này đã có ở dòng {others}; mỗi người chỉ ghi một "
                                      "dòng.")
        if self.unknown_cccd:
            _explain_unknown(self.actor, self.unknown_cccd, self.errors, self.head("cccd"))
        return parsed

    def plan(self, rows: Iterable[RatingRow]) -> _Counts:
        parsed = list(rows)
        counts = _Counts(good=parsed)
        if self.errors:  # nothing is written: the counts would mislead
            return counts
        existing = dict(_existing(self.year, [r.person_id for r in parsed]))
        for r in parsed:
            before = existing.get(r.person_id)
            values = (r.code, r.absence_days, r.maternity_days, r.service_months, r.note)
            if before is None:
                counts.created += 1
            elif before == values:
                counts.unchanged += 1
            else:
                counts.updated += 1
        return counts

    def write(self, plan: _Counts) -> None:
        saved = ratings_save(actor=self.actor, unit=self.unit, year=self.year, rows=plan.good,
                             source=self.source)
        plan.created, plan.updated, plan.unchanged = saved.created, saved.updated, saved.unchanged


def ratings_import_rows(*, actor: Actor, unit: Unit, year: int, rows: list[dict[str, Any]],
                        headers: dict[str, str] | None = None, dry_run: bool = False,
                        source_name: str = "", sha256: str = "") -> RatingsImportResult:
    """Check every row; unless `dry_run` or any row is wrong, save them all in one transaction
    (services.ratings_save, audited with the file's name and digest)."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    ensure_open(unit, year)
    importer = RatingsImporter(actor=actor, unit=unit, year=year, headers=headers,
                               source=f"import:{source_name}:{sha256[:16]}")
    checked = importer.run(rows, dry_run=dry_run)
    checked.errors.sort(key=lambda e: (e.row, e.column))
    counts = checked.plan
    return RatingsImportResult(
        total=checked.total, created=counts.created, updated=counts.updated,
        unchanged=counts.unchanged, errors=checked.errors, written=checked.written,
        skipped=importer.blank)


def _existing(year: int, person_ids: list[int]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for pid, *values in Rating.objects.filter(year=year, person_id__in=person_ids).values_list(
            "person_id", "code", "absence_days", "maternity_days", "service_months", "note"):
        yield pid, tuple(values)


def _explain_unknown(actor: Actor, unknown: list[tuple[int, str]], errors: list[RowError],
                     column: str) -> None:
    """A CCCD off this roster but of someone the actor may see gets a hint: the person is
    elsewhere. Only them: for anyone else the hint would tell that the number exists."""
    known = set(Person.objects.restrict(actor).filter(cccd__in=[c for _, c in unknown])
                .values_list("cccd", flat=True))
    for e in errors:
        if e.column == column and e.value in known and "không có trong danh sách" in e.message:
            e.message += (" Người này có trong hệ thống nhưng không thuộc đơn vị vào ngày đó; "
                          "nếu đã chuyển đến, hãy cập nhật danh sách trước.")


def ratings_import_file(*, actor: Actor, unit: Unit, year: int, path: str | os.PathLike[str],
                        file_name: str | None = None, dry_run: bool = False
                        ) -> RatingsImportResult:
    permissions.require_entry(actor, unit)
    name = file_name or Path(path).name
    headers, rows = read_ratings(path, name)
    return ratings_import_rows(actor=actor, unit=unit, year=year, rows=rows, headers=headers,
                               dry_run=dry_run, source_name=name, sha256=file_sha256(path))


def ratings_template(*, actor: Actor, unit: Unit, year: int,
                     target: str | os.PathLike[str] | IO[bytes]) -> int:
    """The unit's roster on 31/12 of `year` with the ratings already entered, ready to fill in.
    Returns the number of people written."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    employments = list(year_roster(unit, year))
    ratings = {r.person_id: r for r in Rating.objects.filter(
        year=year, person_id__in=[e.person_id for e in employments])}
    out = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False})
    title = wb.add_format({"bold": True, "font_size": 14})
    header = wb.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                            "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet("Xếp loại")
    ws.write_string(0, 0, f"Đánh giá, xếp loại năm {year} — {unit.name}", title)
    ws.write_string(1, 0, f"Danh sách người lao động ngày {vn_date(year_end(year))}. Xếp loại: "
                          "HTXSNV, HTTNV, HTNV, KHTNV. Số ngày nghỉ không kể nghỉ thai sản.")
    columns = [("STT", 6), (HEADERS["full_name"], 28), (HEADERS["cccd"], 16),
               (HEADERS["member_code"], 16), ("Đơn vị", 30), (HEADERS["code"], 12),
               (HEADERS["absence_days"], 12), (HEADERS["maternity_days"], 14),
               (HEADERS["service_months"], 14), (HEADERS["note"], 30)]
    for c, (label, width) in enumerate(columns):
        ws.set_column(c, c, width, text if label in (HEADERS["cccd"], HEADERS["member_code"])
                      else None)
        ws.write_string(3, c, label, header)
    ws.set_row(3, 30)
    ws.freeze_panes(4, 2)
    ws.data_validation(4, 5, 4 + max(len(employments), 1) + 500, 5, {
        "validate": "list", "source": list(RatingCode.values),
        "error_title": HEADERS["code"], "error_message": "Chỉ ghi HTXSNV, HTTNV, HTNV, KHTNV."})
    for i, e in enumerate(employments):
        r = ratings.get(e.person_id)
        row = 4 + i
        ws.write_number(row, 0, i + 1)
        ws.write_string(row, 1, e.person.full_name)
        ws.write_string(row, 2, e.person.cccd or "", text)
        ws.write_string(row, 3, e.person.member_code or "", text)
        ws.write_string(row, 4, e.unit.name)
        if r is not None:
            if r.code:
                ws.write_string(row, 5, r.code)
            ws.write_number(row, 6, r.absence_days)
            ws.write_number(row, 7, r.maternity_days)
            if r.service_months is not None:
                ws.write_number(row, 8, r.service_months)
            if r.note:
                ws.write_string(row, 9, r.note)
    wb.close()
    return len(employments)
