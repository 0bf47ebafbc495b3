"""Party candidates and welfare beneficiaries from an .xlsx or .csv file, on the platform row
importer: people are found by CCCD or member code among those of the unit's subtree, every
problem is reported with the row number Excel shows, and nothing is written unless every row
is right (or in a dry run)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from thidua.org.models import Unit
from thidua.people.imports import cccd_from_cell
from thidua.platform.actor import Actor
from thidua.platform.spreadsheets.cells import display, is_blank, parse_date
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
from thidua.platform.text import clean_spaces, fold, vn_number
from thidua.platform.years import check_year
from thidua.reports import permissions
from thidua.reports.models import (
    FamilyCultureTitle,
    FundingSource,
    GiftKind,
    PartyCandidate,
    WelfareOccasion,
)
from thidua.reports.services.common import subtree_people
from thidua.reports.services.family import family_titles_save
from thidua.reports.services.party import (
    CandidateRow,
    candidate_row_problems,
    party_candidates_save,
)
from thidua.reports.services.welfare import (
    BeneficiaryRow,
    beneficiary_problems,
    welfare_create,
)

PERSON_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("ho va ten", "ho ten", "ho va ten doan vien", "ho ten doan vien"),
    "cccd": ("so cccd", "cccd", "so can cuoc cong dan", "so can cuoc", "so dinh danh",
             "so dinh danh ca nhan", "so cccd cmnd", "cccd cmnd"),
    "member_code": ("ma doan vien", "ma dv", "so the doan vien", "ma so doan vien"),
    "note": ("ghi chu",),
}

PARTY_HEADERS: dict[str, str] = {
    "full_name": "Họ và tên", "cccd": "Số CCCD", "member_code": "Mã đoàn viên",
    "introduced_on": "Ngày giới thiệu", "admitted_on": "Ngày kết nạp", "note": "Ghi chú",
}
PARTY_COLUMNS = Columns(PARTY_HEADERS, {
    **PERSON_ALIASES,
    "introduced_on": ("ngay gioi thieu", "ngay gioi thieu ket nap dang",
                      "ngay cong doan gioi thieu", "gioi thieu ngay"),
    "admitted_on": ("ngay ket nap", "ngay ket nap dang", "ngay vao dang", "ket nap ngay"),
})

WELFARE_HEADERS: dict[str, str] = {
    "date": "Ngày", "occasion": "Dịp", "funding": "Nguồn kinh phí", "title": "Nội dung",
    "full_name": "Họ và tên", "cccd": "Số CCCD", "member_code": "Mã đoàn viên",
    "amount": "Số tiền (đồng)", "gift": "Hình thức", "note": "Ghi chú",
}
WELFARE_COLUMNS = Columns(WELFARE_HEADERS, {
    **PERSON_ALIASES,
    "date": ("ngay", "ngay cham lo", "ngay tang qua", "ngay chi", "thoi gian"),
    "occasion": ("dip", "dip cham lo", "nhan dip", "noi dung cham lo", "loai"),
    "funding": ("nguon kinh phi", "nguon", "nguon chi"),
    "title": ("noi dung", "hoat dong", "ten hoat dong"),
    "amount": ("so tien", "so tien dong", "so tien vnd", "thanh tien", "tien", "gia tri",
               "muc ho tro", "so tien ho tro"),
    "gift": ("hinh thuc", "hinh thuc ho tro", "loai qua"),
})


@dataclass
class ImportResult:
    """What an import found and did, for the page and the command line."""

    total: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    what: str = "dòng"

    def summary(self) -> str:
        counts = (f"thêm mới {vn_number(self.created)}, cập nhật {vn_number(self.updated)}, "
                  f"không đổi {vn_number(self.unchanged)}")
        if self.written:
            return f"Đã nhập {vn_number(self.total)} dòng: {counts}."
        if self.errors:
            rows = len({e.row for e in self.errors})
            return (f"Kiểm tra {vn_number(self.total)} dòng: {vn_number(rows)} dòng có lỗi; "
                    "chưa ghi dòng nào.")
        return f"Kiểm tra {vn_number(self.total)} dòng, chưa ghi: {counts}."


def _read(path: str | os.PathLike[str], file_name: str | None, columns: Columns,
          accept: Callable[[set[str]], bool], not_found: str
          ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    with open_table(path, file_name, columns=columns, accept=accept,
                    not_found=not_found) as (table, rows):
        read = table.reader()
        out = [read(n, cells) for n, cells in data_rows(rows, limit=row_limit())]
    return table.names(), out


class _People:
    """The people of a unit's subtree by CCCD and by member code (one query)."""

    def __init__(self, unit: Unit) -> None:
        rows = list(subtree_people(unit).values_list("pk", "cccd", "member_code", "name_folded",
                                                    "full_name"))
        self.by_cccd = {c: pk for pk, c, _, _, _ in rows if c}
        self.by_code = {m.upper(): pk for pk, _, m, _, _ in rows if m}
        self.folded = {pk: f for pk, _, _, f, _ in rows}
        self.names = {pk: n for pk, _, _, _, n in rows}

    def find(self, importer: RowImporter[Any, Any], raw: RawRow, unit: Unit, *,
             required: bool) -> int | None:
        """The person the row names, or None (an error is reported when it names someone not
        found, or when `required` and it names no one)."""
        cccd = cccd_from_cell(raw.get("cccd"), None, None) if not is_blank(raw.get("cccd")) else ""
        code = clean_spaces(display(raw.get("member_code"))).upper()
        if not cccd and not code:
            if required:
                importer.cell_error(raw, "cccd", "Cần Số CCCD hoặc Mã đoàn viên để biết là ai.")
            return None
        by_c = self.by_cccd.get(cccd) if cccd else None
        by_m = self.by_code.get(code) if code else None
        if cccd and by_c is None:
            importer.cell_error(raw, "cccd", f"Người có số CCCD này không có trong danh sách "
                                             f"của «{unit.name}».")
            return None
        if code and by_m is None and not cccd:
            importer.cell_error(raw, "member_code", f"Mã đoàn viên này không có trong danh sách "
                                                    f"của «{unit.name}».")
            return None
        if by_c is not None and by_m is not None and by_c != by_m:
            importer.cell_error(raw, "member_code", "Mã đoàn viên và số CCCD là của hai người "
                                                    "khác nhau.")
            return None
        pid = by_c if by_c is not None else by_m
        name = clean_spaces(display(raw.get("full_name")))
        if pid is not None and name and fold(name) != self.folded[pid]:
            importer.cell_error(raw, "full_name", "Họ và tên không khớp với người có số CCCD "
                                                  "(mã đoàn viên) này.")
            return None
        return pid


def _date(importer: RowImporter[Any, Any], raw: RawRow, key: str, label: str) -> dt.date | None:
    try:
        return parse_date(raw.get(key))
    except (ValueError, OverflowError):
        importer.cell_error(raw, key, f"{label} không đọc được; hãy ghi theo dạng ngày/tháng/năm, "
                                      "ví dụ 03/02/2017.")
        return None


# --- Party candidates ----------------------------------------------------------------------------


@dataclass
class _PartyPlan:
    rows: list[CandidateRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class PartyImporter(RowImporter[CandidateRow, _PartyPlan]):
    columns = PARTY_COLUMNS

    def __init__(self, *, actor: Actor, unit: Unit, headers: dict[str, str] | None,
                 source: str) -> None:
        super().__init__(headers=headers)
        self.actor, self.unit, self.source = actor, unit, source
        self.seen: dict[tuple[int, dt.date], list[int]] = defaultdict(list)

    def prepare(self, rows: RawRows) -> None:
        self.people = _People(self.unit)

    def parse_row(self, raw: RawRow) -> CandidateRow | None:
        n_errors = len(self.errors)
        pid = self.people.find(self, raw, self.unit, required=True)
        introduced = _date(self, raw, "introduced_on", "Ngày giới thiệu")
        admitted = _date(self, raw, "admitted_on", "Ngày kết nạp")
        if introduced is None and is_blank(raw.get("introduced_on")):
            self.cell_error(raw, "introduced_on", "Hãy ghi ngày công đoàn giới thiệu người này.")
        if len(self.errors) != n_errors or pid is None or introduced is None:
            return None
        row = CandidateRow(person_id=pid, introduced_on=introduced, admitted_on=admitted,
                           note=clean_spaces(display(raw.get("note"))), row=int(raw["_row"]))
        for key, message in candidate_row_problems(row):
            self.cell_error(raw, key, message)
        if len(self.errors) != n_errors:
            return None
        self.seen[(pid, introduced)].append(row.row)
        return row

    def check_together(self, parsed: Iterable[CandidateRow], rows: RawRows) -> Iterable[CandidateRow]:
        for n, others in repeats(self.seen):
            self.error(n, "cccd", "", f"Người này với cùng ngày giới thiệu đã có ở dòng {others}.")
        return parsed

    def plan(self, rows: Iterable[CandidateRow]) -> _PartyPlan:
        parsed = list(rows)
        plan = _PartyPlan(rows=parsed)
        existing = {(p, d): (a, note) for p, d, a, note in PartyCandidate.objects.filter(
            person_id__in=[r.person_id for r in parsed]).values_list(
            "person_id", "introduced_on", "admitted_on", "note")}
        for r in parsed:
            before = existing.get((r.person_id, r.introduced_on))
            if before is None:
                plan.created += 1
            elif before == (r.admitted_on or before[0], r.note or before[1]):
                plan.unchanged += 1
            else:
                plan.updated += 1
        return plan

    def write(self, plan: _PartyPlan) -> None:
        saved = party_candidates_save(actor=self.actor, unit=self.unit, rows=plan.rows,
                                      source=self.source)
        plan.created, plan.updated, plan.unchanged = saved.created, saved.updated, saved.unchanged


PARTY_NOT_FOUND = (f"Không tìm thấy dòng tiêu đề: trong {HEADER_SCAN_ROWS} dòng đầu phải có một "
                   "dòng chứa cột «Ngày giới thiệu» và cột «Số CCCD» hoặc «Mã đoàn viên».")


def party_import_file(*, actor: Actor, unit: Unit, path: str | os.PathLike[str],
                      file_name: str | None = None, dry_run: bool = False) -> ImportResult:
    """Introductions and admissions from a file, into the unit (all rows or none)."""
    permissions.require_manage(actor, unit)
    name = file_name or Path(path).name
    headers, rows = _read(path, name, PARTY_COLUMNS,
                          lambda keys: "introduced_on" in keys and bool(keys & {"cccd", "member_code"}),
                          PARTY_NOT_FOUND)
    importer = PartyImporter(actor=actor, unit=unit, headers=headers,
                             source=f"import:{name}:{file_sha256(path)[:16]}")
    checked = importer.run(rows, dry_run=dry_run)
    p = checked.plan
    return ImportResult(total=checked.total, created=p.created, updated=p.updated,
                        unchanged=p.unchanged, errors=checked.errors, written=checked.written)


# --- welfare beneficiaries -----------------------------------------------------------------------

_OCCASION_WORDS: dict[str, str] = {}
for _code, _label in WelfareOccasion.choices:
    _OCCASION_WORDS[fold(_code)] = _code
    _OCCASION_WORDS[fold(str(_label))] = _code
for _word, _code in (("tet nguyen dan", "TET"), ("om dau", "OM_DAU"), ("om", "OM_DAU"),
                     ("kho khan", "KHO_KHAN"), ("hoan canh kho khan", "KHO_KHAN"),
                     ("kham suc khoe", "KHAM_SK"), ("kham sk", "KHAM_SK"), ("khac", "KHAC")):
    _OCCASION_WORDS[_word] = _code
_DAY_MONTH = re.compile(r"(\d{1,2})\s*[/_.-]\s*(\d{1,2})")
_FUNDING_WORDS = {fold(str(label)): code for code, label in FundingSource.choices} | {
    fold(code): code for code in FundingSource.values} | {
    "cong doan": "kp_cong_doan", "kinh phi cong doan": "kp_cong_doan",
    "cap tren": "cd_cap_tren", "co quan": "co_quan_dv", "don vi": "co_quan_dv",
    "tai tro": "tai_tro", "xa hoi hoa": "tai_tro", "khac": "nguon_khac"}
_GIFT_WORDS = {fold(str(label)): code for code, label in GiftKind.choices} | {
    "tien": "tien_mat", "qua": "hien_vat", "hien vat": "hien_vat", "tien mat": "tien_mat"}


def occasion_of(value: object) -> str:
    """The occasion code an official's cell names ("8/3", "Tết", "Quốc tế Phụ nữ 8/3"), or ""."""
    text = fold(display(value)).strip()
    if text in _OCCASION_WORDS:
        return _OCCASION_WORDS[text]
    m = _DAY_MONTH.search(text)
    if m:
        code = f"{int(m.group(1))}_{int(m.group(2))}"
        if code in WelfareOccasion.values:
            return code
    return ""


def amount_of(value: object) -> int | None:
    """Đồng as officials write them: 500000, "500.000", "500.000 đ", "1.200.000 đồng"; None
    for blank; ValueError otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if float(value).is_integer():
            return int(value)
        raise ValueError(value)
    text = fold(str(value)).replace(" ", "")
    for suffix in ("vnd", "dong", "d"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    digits = text.replace(".", "").replace(",", "")
    if digits.isascii() and digits.isdigit():
        return int(digits)
    raise ValueError(value)


@dataclass
class _WelfareRow:
    key: tuple[dt.date, str, str, str]  # (date, occasion, funding, title): one activity each
    beneficiary: BeneficiaryRow


@dataclass
class _WelfarePlan:
    groups: dict[tuple[dt.date, str, str, str], list[BeneficiaryRow]] = field(default_factory=dict)
    created: int = 0


class WelfareImporter(RowImporter[_WelfareRow, _WelfarePlan]):
    columns = WELFARE_COLUMNS

    def __init__(self, *, actor: Actor, unit: Unit, headers: dict[str, str] | None,
                 source: str, year: int | None = None) -> None:
        super().__init__(headers=headers)
        self.actor, self.unit, self.source, self.year = actor, unit, source, year
        self.seen: dict[tuple[Any, ...], list[int]] = defaultdict(list)

    def prepare(self, rows: RawRows) -> None:
        self.people = _People(self.unit)

    def parse_row(self, raw: RawRow) -> _WelfareRow | None:
        n_errors = len(self.errors)
        number = int(raw["_row"])
        day = _date(self, raw, "date", "Ngày")
        if day is None and is_blank(raw.get("date")):
            self.cell_error(raw, "date", "Hãy ghi ngày chăm lo.")
        elif day is not None and self.year is not None and day.year != self.year:
            self.cell_error(raw, "date", f"Ngày phải thuộc năm {self.year} (đang nhập danh sách "
                                         f"chăm lo năm {self.year}).")
        occasion = occasion_of(raw.get("occasion"))
        if not occasion:
            self.cell_error(raw, "occasion", "Dịp ghi 8/3, 20/10, 19/11, 28/6, Tết, ốm đau, "
                                             "khó khăn, khám sức khỏe hoặc khác.")
        funding = FundingSource.UNION.value
        if not is_blank(raw.get("funding")):
            funding = _FUNDING_WORDS.get(fold(display(raw.get("funding"))).strip(), "")
            if not funding:
                self.cell_error(raw, "funding", "Nguồn kinh phí ghi «Kinh phí công đoàn cơ sở», "
                                                "«Công đoàn cấp trên hỗ trợ», «Cơ quan, đơn vị», "
                                                "«Tài trợ, xã hội hóa» hoặc «Nguồn khác».")
        gift = GiftKind.CASH.value
        if not is_blank(raw.get("gift")):
            gift = _GIFT_WORDS.get(fold(display(raw.get("gift"))).strip(), "")
            if not gift:
                self.cell_error(raw, "gift", "Hình thức ghi «Tiền mặt» hoặc «Hiện vật».")
        amount = 0
        try:
            amount = amount_of(raw.get("amount")) or 0
        except (ValueError, OverflowError):
            self.cell_error(raw, "amount", "Số tiền phải là số đồng, ví dụ 500.000.")
        pid = self.people.find(self, raw, self.unit, required=False)
        name = clean_spaces(display(raw.get("full_name")))
        row = BeneficiaryRow(name=name or (self.people.names.get(pid, "") if pid else ""),
                             person_id=pid, amount=amount, gift=gift or "tien_mat",
                             note=clean_spaces(display(raw.get("note"))), row=number)
        if len(self.errors) == n_errors:
            for key, message in beneficiary_problems(row):
                self.cell_error(raw, "full_name" if key == "name" else key, message)
        if len(self.errors) != n_errors or day is None:
            return None
        group = (day, occasion, funding, clean_spaces(display(raw.get("title")))[:255])
        if pid is not None:
            self.seen[(*group, pid)].append(number)
        return _WelfareRow(key=group, beneficiary=row)

    def check_together(self, parsed: Iterable[_WelfareRow], rows: RawRows) -> Iterable[_WelfareRow]:
        for n, others in repeats(self.seen):
            self.error(n, "cccd", "", f"Người này đã có ở dòng {others} trong cùng hoạt động.")
        return parsed

    def plan(self, rows: Iterable[_WelfareRow]) -> _WelfarePlan:
        parsed = list(rows)
        plan = _WelfarePlan()
        for r in parsed:
            plan.groups.setdefault(r.key, []).append(r.beneficiary)
        plan.created = len(parsed)
        return plan

    def write(self, plan: _WelfarePlan) -> None:
        for (day, occasion, funding, title), rows in plan.groups.items():
            welfare_create(actor=self.actor, unit=self.unit, date=day, occasion=occasion,
                           funding=funding, title=title, beneficiaries=rows, source=self.source)


WELFARE_NOT_FOUND = (f"Không tìm thấy dòng tiêu đề: trong {HEADER_SCAN_ROWS} dòng đầu phải có "
                     "một dòng chứa các cột «Ngày», «Dịp» và «Họ và tên».")


def welfare_import_file(*, actor: Actor, unit: Unit, path: str | os.PathLike[str],
                        file_name: str | None = None, dry_run: bool = False,
                        year: int | None = None) -> ImportResult:
    """Beneficiaries from a file, one row each; rows of the same day, occasion, funding source
    and content make one activity. All rows or none; with `year`, every day must be in it."""
    permissions.require_manage(actor, unit)
    name = file_name or Path(path).name
    headers, rows = _read(path, name, WELFARE_COLUMNS,
                          lambda keys: {"date", "occasion", "full_name"} <= keys, WELFARE_NOT_FOUND)
    importer = WelfareImporter(actor=actor, unit=unit, headers=headers, year=year,
                               source=f"import:{name}:{file_sha256(path)[:16]}")
    checked = importer.run(rows, dry_run=dry_run)
    return ImportResult(total=checked.total, created=checked.plan.created, errors=checked.errors,
                        written=checked.written)


# --- family culture titles ----------------------------------------------------------------------

FAMILY_HEADERS: dict[str, str] = {
    "full_name": "Họ và tên", "cccd": "Số CCCD", "member_code": "Mã đoàn viên", "note": "Ghi chú",
}
FAMILY_COLUMNS = Columns(FAMILY_HEADERS, PERSON_ALIASES)
FAMILY_NOT_FOUND = (f"Không tìm thấy dòng tiêu đề: trong {HEADER_SCAN_ROWS} dòng đầu phải có "
                    "một dòng chứa cột «Họ và tên» và cột «Số CCCD» hoặc «Mã đoàn viên».")


@dataclass
class _FamilyPlan:
    ids: list[int] = field(default_factory=list)
    created: int = 0
    unchanged: int = 0


class FamilyImporter(RowImporter[int, _FamilyPlan]):
    """Each row names a worker whose family is "Gia đình văn hóa" for the year."""

    columns = FAMILY_COLUMNS

    def __init__(self, *, actor: Actor, unit: Unit, year: int, headers: dict[str, str] | None,
                 source: str) -> None:
        super().__init__(headers=headers)
        self.actor, self.unit, self.year, self.source = actor, unit, year, source
        self.seen: dict[int, list[int]] = defaultdict(list)

    def prepare(self, rows: RawRows) -> None:
        self.people = _People(self.unit)

    def parse_row(self, raw: RawRow) -> int | None:
        n_errors = len(self.errors)
        pid = self.people.find(self, raw, self.unit, required=True)
        if pid is None or len(self.errors) != n_errors:
            return None
        self.seen[pid].append(int(raw["_row"]))
        return pid

    def check_together(self, parsed: Iterable[int], rows: RawRows) -> Iterable[int]:
        for n, others in repeats(self.seen):
            self.error(n, "cccd", "", f"Người này đã có ở dòng {others}; mỗi người chỉ ghi một "
                                      "dòng.")
        return parsed

    def plan(self, rows: Iterable[int]) -> _FamilyPlan:
        parsed = list(rows)
        already = set(FamilyCultureTitle.objects.filter(year=self.year, person_id__in=parsed)
                      .values_list("person_id", flat=True))
        new = [p for p in parsed if p not in already]
        return _FamilyPlan(ids=parsed, created=len(new), unchanged=len(parsed) - len(new))

    def write(self, plan: _FamilyPlan) -> None:
        saved = family_titles_save(actor=self.actor, unit=self.unit, year=self.year,
                                   person_ids=plan.ids, source=self.source)
        plan.created, plan.unchanged = saved.created, saved.unchanged


def family_import_file(*, actor: Actor, unit: Unit, year: int, path: str | os.PathLike[str],
                       file_name: str | None = None, dry_run: bool = False) -> ImportResult:
    """The workers whose families are "Gia đình văn hóa" for the year (all rows or none)."""
    permissions.require_manage(actor, unit)
    check_year(year)
    name = file_name or Path(path).name
    headers, rows = _read(path, name, FAMILY_COLUMNS,
                          lambda keys: "full_name" in keys and bool(keys & {"cccd", "member_code"}),
                          FAMILY_NOT_FOUND)
    importer = FamilyImporter(actor=actor, unit=unit, year=year, headers=headers,
                              source=f"import:{name}:{file_sha256(path)[:16]}")
    checked = importer.run(rows, dry_run=dry_run)
    p = checked.plan
    return ImportResult(total=checked.total, created=p.created, unchanged=p.unchanged,
                        errors=checked.errors, written=checked.written)


# --- templates -----------------------------------------------------------------------------------


def import_template(*, kind: str, target: str | os.PathLike[str] | IO[bytes]) -> None:
    """An empty file with the columns of the Party, welfare or family import (`kind`)."""
    headers, title, hint = {
        "party": (PARTY_HEADERS, "Giới thiệu đoàn viên ưu tú kết nạp Đảng",
                  "Ngày ghi theo dạng ngày/tháng/năm. Để trống «Ngày kết nạp» khi chưa được "
                  "kết nạp."),
        "welfare": (WELFARE_HEADERS, "Danh sách chăm lo đoàn viên",
                    "Mỗi dòng một người. Dịp: 8/3, 20/10, 19/11, 28/6, Tết, ốm đau, khó khăn, "
                    "khám sức khỏe, khác. Số CCCD hoặc Mã đoàn viên để trống nếu người nhận "
                    "không có trong danh sách (người đã nghỉ hưu, con đoàn viên…)."),
        "family": (FAMILY_HEADERS, "Gia đình đạt danh hiệu «Gia đình văn hóa»",
                   "Mỗi dòng một người lao động có gia đình được công nhận «Gia đình văn hóa» "
                   "trong năm."),
    }[kind]
    out = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                          "border": 1, "text_wrap": True})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet("Danh sách")
    ws.write_string(0, 0, title, bold)
    ws.write_string(1, 0, hint)
    for c, (key, label) in enumerate(headers.items()):
        ws.set_column(c, c, 26 if key in ("full_name", "title", "note") else 16,
                      text if key in ("cccd", "member_code") else None)
        ws.write_string(3, c, label, head)
    ws.freeze_panes(4, 0)
    wb.close()
