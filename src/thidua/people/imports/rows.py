"""One roster row: its cells parsed and checked, the unit it names found in the subtree."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from thidua.accounts.models import Role
from thidua.org.models import Unit, UnitVersion
from thidua.org.permissions import can
from thidua.org.selectors import version_at
from thidua.people.cccd import cccd_problems, normalise_cccd
from thidua.people.models import Gender
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.cells import display, is_blank, parse_date, text
from thidua.platform.text import fold, vn_date

_GENDERS = {"nam": Gender.MALE.value, "nu": Gender.FEMALE.value, "male": Gender.MALE.value,
            "female": Gender.FEMALE.value}
_YES = {"co", "x", "1", "yes", "c", "dung", "la doan vien", "true", "v"}
_NO = {"khong", "0", "no", "k", "chua", "false", "ko"}
_PHONE_RE = re.compile(r"^[0-9+().\s-]{6,20}$")
_word_folds: dict[str, str] = {}


def fold_name(name: str) -> str:
    """fold() of a cleaned name, word by word with a memo: a roster of 100.000 people has a few
    thousand distinct words. Same result as fold(), which works character by character."""
    out = []
    for word in name.split(" "):
        folded = _word_folds.get(word)
        if folded is None:
            folded = fold(word)
            if len(_word_folds) < 200_000:
                _word_folds[word] = folded
        if not folded or " " in folded:
            return fold(name)
        out.append(folded)
    return " ".join(out)


@functools.lru_cache(maxsize=256)
def _small_fold(value: str) -> str:
    """fold() of the few values a column like Giới tính or Đoàn viên takes, computed once each."""
    return fold(value)


def cccd_from_cell(raw: object, birth: dt.date | None, gender: str | None) -> str:
    """The CCCD as text. A number cell has lost every leading zero: Hà Nội's 001 leaves ten
    digits. Ten digits typed as text get their zeros back only when the result checks out."""
    if isinstance(raw, float | int) and not isinstance(raw, bool) and float(raw).is_integer():
        number = int(raw)
        if 10**9 <= number < 10**12:
            return f"{number:012d}"
    if isinstance(raw, str) and len(raw) == 12 and raw.isdigit():
        return raw
    digits = normalise_cccd(raw)
    if len(digits) == 10 and digits.isdigit():
        padded = "00" + digits
        if not cccd_problems(padded, birth_date=birth, gender=gender):
            return padded
    return digits


class RosterRow:
    """A row that passed the checks, in the form it is written."""

    __slots__ = ("row", "fields", "cccd", "birth_date", "is_member", "member_explicit",
                 "join_date", "unit", "group_given")

    def __init__(self, row: int) -> None:
        self.row = row
        self.fields: dict[str, Any] = {}
        self.cccd = ""
        self.birth_date: dt.date | None = None
        self.is_member = False
        self.member_explicit = False
        self.join_date: dt.date | None = None
        self.unit: Unit | None = None
        self.group_given = False

    def __reduce__(self) -> tuple[Any, ...]:
        # an import spools its rows (platform.spreadsheets.spool): a plain tuple pickles in
        # two thirds of the time the default way for __slots__ takes
        return (_restore_row, (self.row, self.fields, self.cccd, self.birth_date, self.is_member,
                               self.member_explicit, self.join_date, self.unit, self.group_given))


def _restore_row(row: int, fields: dict[str, Any], cccd: str, birth_date: dt.date | None,
                 is_member: bool, member_explicit: bool, join_date: dt.date | None,
                 unit: Unit | None, group_given: bool) -> RosterRow:
    out = RosterRow.__new__(RosterRow)
    out.row, out.fields, out.cccd, out.birth_date = row, fields, cccd, birth_date
    out.is_member, out.member_explicit, out.join_date = is_member, member_explicit, join_date
    out.unit, out.group_given = unit, group_given
    return out


class Units:
    """The units of the target's subtree alive at the effective date, found by code or name."""

    def __init__(self, actor: Actor, unit: Unit, day: dt.date) -> None:
        version = version_at(unit, day)
        if version is None:
            raise ApplicationError(
                f"Đơn vị «{unit.name}» không hoạt động vào ngày {vn_date(day)}."
            )
        self.root = unit
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        self.ids: set[int] = set()
        for v in UnitVersion.objects.at(day).subtree(version.path).select_related("unit"):
            u = v.unit
            if not can(actor, u.path, Role.OFFICER):
                continue
            self.ids.add(u.pk)
            self.by_code[u.code.upper()] = u
            for name in {fold(v.name), fold(u.name), fold(u.short_name)} - {""}:
                if u not in self.by_name[name]:
                    self.by_name[name].append(u)
        self.cache: dict[str, Unit | str] = {}

    def resolve(self, name: str) -> Unit | str:
        """The unit, or a Vietnamese message saying what is wrong."""
        hit = self.cache.get(name)
        if hit is not None:
            return hit
        unit = self.by_code.get(name.strip().upper())
        if unit is None:
            found = self.by_name.get(fold(name), [])
            if len(found) == 1:
                unit = found[0]
            elif len(found) > 1:
                codes = ", ".join(u.code for u in found[:5])
                self.cache[name] = (f"Có {len(found)} đơn vị cùng tên này ({codes}); hãy ghi mã "
                                    "đơn vị thay cho tên.")
                return self.cache[name]
        result: Unit | str = unit if unit is not None else (
            f"Không có tổ công đoàn hay đơn vị này trực thuộc «{self.root.name}»; hãy ghi đúng mã "
            "hoặc tên như trên cây tổ chức."
        )
        self.cache[name] = result
        return result


def parse_roster_row(raw: dict[str, object], *, day: dt.date, units: Units,
                     err: Callable[[str, str], None]) -> RosterRow:
    """Every cell of `raw` checked; each problem goes to `err(column key, message)`. The row is
    returned in any case (its CCCD serves the duplicate check); it is good only when `err` was
    not called."""
    number = int(raw.get("_row") or 0)  # type: ignore[call-overload]
    row = RosterRow(number)

    name = text(raw.get("full_name"))
    if not name:
        err("full_name", "Họ và tên không được để trống.")
    elif len(name) > 150:
        err("full_name", "Họ và tên dài quá 150 ký tự.")
    row.fields["full_name"] = name

    gender_raw = raw.get("gender")
    gender = _GENDERS.get(_small_fold(gender_raw) if isinstance(gender_raw, str) else "")
    if gender is None:
        err("gender", "Giới tính không được để trống; ghi Nam hoặc Nữ." if is_blank(gender_raw)
            else "Giới tính phải ghi Nam hoặc Nữ.")
    else:
        row.fields["gender"] = gender

    birth = None
    try:
        birth = parse_date(raw.get("birth_date"))
    except (ValueError, OverflowError):
        err("birth_date", "Ngày sinh không đúng dạng ngày/tháng/năm (ví dụ 17/05/1985).")
    if birth is not None:
        if birth.year < 1900:
            err("birth_date", "Năm sinh phải từ 1900 trở về sau.")
            birth = None
        elif birth > day:
            err("birth_date", f"Ngày sinh sau ngày hiệu lực của lần nhập ({vn_date(day)}).")
            birth = None
        else:
            row.fields["birth_date"] = birth
    row.birth_date = birth

    cccd = cccd_from_cell(raw.get("cccd"), birth, gender)
    if not cccd:
        err("cccd", "Số CCCD không được để trống.")
    else:
        for problem in cccd_problems(cccd, birth_date=birth, gender=gender):
            err("cccd", problem)
    row.cccd = cccd

    for key, limit, label in (("ethnicity", 50, "Dân tộc"), ("position", 150, "Chức vụ")):
        value = text(raw.get(key))
        if len(value) > limit:
            err(key, f"{label} dài quá {limit} ký tự.")
        elif value:
            row.fields[key] = value

    _phone_and_email(raw, row, err)
    _membership(raw, row, day, err)

    group = text(raw.get("group"))
    if group:
        row.group_given = True
        found = units.resolve(group)
        if isinstance(found, str):
            err("group", found)
        else:
            row.unit = found
    if row.unit is None:
        row.unit = units.root
    return row


def _phone_and_email(raw: dict[str, object], row: RosterRow,
                     err: Callable[[str, str], None]) -> None:
    phone_raw = raw.get("phone")
    phone = text(phone_raw)
    if phone:
        if isinstance(phone_raw, float) and phone.isdigit() and len(phone) == 9:
            phone = "0" + phone  # a number cell drops the leading 0 of a mobile number
        if not _PHONE_RE.match(phone):
            err("phone", "Số điện thoại chỉ gồm chữ số (có thể có dấu cách, +, -, dấu chấm), "
                "từ 6 đến 20 ký tự.")
        else:
            row.fields["phone"] = phone

    email = text(raw.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            err("email", "Địa chỉ email không hợp lệ.")
        else:
            if len(email) > 254:
                err("email", "Địa chỉ email dài quá 254 ký tự.")
            else:
                row.fields["email"] = email


def _membership(raw: dict[str, object], row: RosterRow, day: dt.date,
                err: Callable[[str, str], None]) -> None:
    join = None
    try:
        join = parse_date(raw.get("join_date"))
    except (ValueError, OverflowError):
        err("join_date", "Ngày vào Công đoàn không đúng dạng ngày/tháng/năm (ví dụ 01/03/2010).")
        join = dt.date.min  # given, though unreadable: it still says "member" below
    member_raw = raw.get("is_member")
    is_member: bool | None = None
    if isinstance(member_raw, bool):
        is_member = member_raw
    elif not is_blank(member_raw):
        flag = _small_fold(member_raw if isinstance(member_raw, str) else display(member_raw))
        if flag in _YES or flag in _NO:
            is_member = flag in _YES
        else:
            err("is_member", "Cột Đoàn viên chỉ ghi «Có» hoặc «Không».")
            is_member = False
    row.member_explicit = is_member is not None
    row.is_member = is_member if is_member is not None else join is not None
    birth = row.birth_date
    if join == dt.date.min:
        join = None
    elif row.is_member:
        if join is None:
            err("join_date", "Đoàn viên phải có Ngày vào Công đoàn (ngày/tháng/năm).")
        elif join > day:
            err("join_date", f"Ngày vào Công đoàn sau ngày hiệu lực của lần nhập ({vn_date(day)}).")
        elif birth is not None and join <= birth:
            err("join_date", "Ngày vào Công đoàn phải sau ngày sinh.")
        elif join.year < 1900:
            err("join_date", "Ngày vào Công đoàn phải từ năm 1900 trở về sau.")
    row.join_date = join if row.is_member else None
