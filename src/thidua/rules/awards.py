"""The award catalogue (`awards.toml`): forms of commendation per issuer level, who decides them,
quotas, conditions, cash multiples and the base salary table.

Pure Python like the rest of `rules`. Every entry cites its source and carries the confidence
mark C/L/G of the briefs. Dates: `valid_from` inclusive, `valid_to` exclusive (None: open).
Cash: multiple × lương cơ sở in force on the day, rounded half up to the đồng (`rounding =
"dong"`); the briefs give no rounding rule of NĐ 152/2025, so no other rounding is applied."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from thidua.rules.titles import by_code as titles_by_code

AWARDS_FILE = Path(__file__).with_name("awards.toml")
CONFIDENCE = ("C", "L", "G")
RECIPIENTS = ("ca_nhan", "tap_the")
FAMILIES = ("cong_doan", "nha_nuoc")
DECIDERS = ("cong_doan", "thu_truong", "cap_tren")
KINDS = ("hinh_thuc", "danh_hieu")
CONDITION_KINDS = ("dieu_kien", "khoang_cach", "loai_tru")
ROUNDINGS = ("dong",)
ISSUER_TYPES = frozenset({"tld", "ldld_tinh", "cd_nganh_tw", "cd_tong_cong_ty", "cap_tren_co_so",
                          "cdcs", "cdcs_thanh_vien"})


@dataclass(frozen=True)
class Cited:
    source: str
    confidence: str  # C | L | G
    basis: str  # which brief marks it, and how


@dataclass(frozen=True)
class AwardForm:
    code: str
    name: str
    kind: str  # hinh_thuc | danh_hieu
    family: str  # cong_doan | nha_nuoc
    issuer_types: tuple[str, ...]  # empty: decided above the union
    proposer_types: tuple[str, ...]
    recipients: tuple[str, ...]
    decider: str  # cong_doan | thu_truong | cap_tren
    decider_label: str
    cited: Cited
    valid_from: dt.date
    valid_to: dt.date | None = None
    note: str = ""

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def leaves_the_system(self) -> bool:
        """Decided above the union: the proposal is sent out and its outcome recorded later."""
        return self.decider == "cap_tren"


@dataclass(frozen=True)
class Quota:
    form: str
    code: str
    value: int | None  # None: the text has a quota whose figure the briefs lack
    per: str
    scope: str
    text: str
    cited: Cited


@dataclass(frozen=True)
class Condition:
    form: str
    kind: str  # dieu_kien | khoang_cach | loai_tru
    recipient: str  # "" = any
    text: str
    params: tuple[tuple[str, int | str], ...]
    cited: Cited


@dataclass(frozen=True)
class BaseSalary:
    amount: int
    valid_from: dt.date
    cited: Cited


@dataclass(frozen=True)
class CashRate:
    code: str
    recipient: str  # "" = any
    multiple: Decimal | None  # None: a setting not yet given
    setting: bool
    valid_from: dt.date
    valid_to: dt.date | None
    cited: Cited

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class Catalogue:
    rounding: str
    forms: tuple[AwardForm, ...]
    quotas: tuple[Quota, ...]
    conditions: tuple[Condition, ...]
    base_salaries: tuple[BaseSalary, ...]
    cash: tuple[CashRate, ...]


def _err(path: Path, where: str, message: str) -> ValueError:
    return ValueError(f"{path.name}: {where}: {message}")


def _text(path: Path, where: str, d: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = d.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _err(path, where, f"thiếu '{key}' hoặc không phải chuỗi.")
    return value


def _date(path: Path, where: str, d: dict[str, Any], key: str, *,
          required: bool = True) -> dt.date | None:
    value = d.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise _err(path, where, f"'{key}' phải là một ngày (YYYY-MM-DD).")
    return value


def _cited(path: Path, where: str, d: dict[str, Any]) -> Cited:
    confidence = _text(path, where, d, "confidence")
    if confidence not in CONFIDENCE:
        raise _err(path, where, f"confidence '{confidence}' không hợp lệ (C, L, G).")
    return Cited(source=_text(path, where, d, "source"), confidence=confidence,
                 basis=_text(path, where, d, "basis"))


def _choices(path: Path, where: str, d: dict[str, Any], key: str,
             allowed: tuple[str, ...] | frozenset[str], *, empty: bool = False) -> tuple[str, ...]:
    values = d.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _err(path, where, f"'{key}' phải là danh sách chuỗi.")
    if not values and not empty:
        raise _err(path, where, f"'{key}' không được để trống.")
    bad = [v for v in values if v not in allowed]
    if bad:
        raise _err(path, where, f"'{key}' có giá trị không hợp lệ: {', '.join(bad)}.")
    return tuple(values)


def _one_of(path: Path, where: str, d: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = _text(path, where, d, key)
    if value not in allowed:
        raise _err(path, where, f"'{key}' = '{value}' không hợp lệ ({', '.join(allowed)}).")
    return value


def _form(path: Path, i: int, d: dict[str, Any]) -> AwardForm:
    where = f"forms mục {i + 1}"
    code = _text(path, where, d, "code")
    if not code.isascii() or code.upper() != code or " " in code:
        raise _err(path, where, f"mã '{code}' phải viết hoa, ASCII, nối bằng '_'.")
    where = f"hình thức {code}"
    issuers = _choices(path, where, d, "issuer_types", ISSUER_TYPES, empty=True)
    proposers = _choices(path, where, d, "proposer_types", ISSUER_TYPES, empty=True)
    if not issuers and not proposers:
        raise _err(path, where, "cần issuer_types (cấp ban hành) hoặc proposer_types (cấp đề nghị).")
    decider = _one_of(path, where, d, "decider", DECIDERS)
    if decider == "cong_doan" and not issuers:
        raise _err(path, where, "hình thức do công đoàn quyết định phải có issuer_types.")
    valid_from = _date(path, where, d, "valid_from")
    valid_to = _date(path, where, d, "valid_to", required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to <= valid_from:
        raise _err(path, where, "valid_to phải sau valid_from.")
    return AwardForm(
        code=code, name=_text(path, where, d, "name"),
        kind=_one_of(path, where, d, "kind", KINDS),
        family=_one_of(path, where, d, "family", FAMILIES),
        issuer_types=issuers, proposer_types=proposers,
        recipients=_choices(path, where, d, "recipients", RECIPIENTS),
        decider=decider, decider_label=_text(path, where, d, "decider_label"),
        cited=_cited(path, where, d), valid_from=valid_from, valid_to=valid_to,
        note=_text(path, where, d, "note", required=False))


def _params(path: Path, where: str, d: dict[str, Any]) -> tuple[tuple[str, int | str], ...]:
    raw = d.get("params", {})
    if not isinstance(raw, dict):
        raise _err(path, where, "'params' phải là một bảng.")
    out: list[tuple[str, int | str]] = []
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _err(path, where, f"params.{key} phải là số nguyên hoặc chuỗi.")
        out.append((str(key), value))
    return tuple(out)


def load(path: Path = AWARDS_FILE) -> Catalogue:
    """Read and check a catalogue file; raise ValueError (Vietnamese message) when it is wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: không đọc được TOML ({exc}).") from exc
    rounding = raw.get("rounding", "dong")
    if rounding not in ROUNDINGS:
        raise _err(path, "rounding", f"'{rounding}' không hợp lệ ({', '.join(ROUNDINGS)}).")

    forms: list[AwardForm] = []
    seen: set[str] = set()
    titles = titles_by_code()
    for i, d in enumerate(raw.get("forms", [])):
        f = _form(path, i, d)
        if f.code in seen:
            raise _err(path, f"hình thức {f.code}", "mã lặp lại.")
        if f.code in titles and f.kind != "danh_hieu":
            raise _err(path, f"hình thức {f.code}", "mã trùng một danh hiệu của titles.toml; "
                                                    "chỉ được khi kind = \"danh_hieu\".")
        if f.kind == "danh_hieu" and f.code not in titles:
            raise _err(path, f"hình thức {f.code}", "danh hiệu không có trong titles.toml.")
        seen.add(f.code)
        forms.append(f)
    if not forms:
        raise _err(path, "forms", "danh mục không có hình thức nào.")

    quotas: list[Quota] = []
    quota_codes: set[str] = set()
    for i, d in enumerate(raw.get("quotas", [])):
        where = f"quotas mục {i + 1}"
        form = _text(path, where, d, "form")
        if form not in seen:
            raise _err(path, where, f"hình thức '{form}' không có trong danh mục.")
        code = _text(path, where, d, "code")
        if code in quota_codes or code in seen:
            raise _err(path, where, f"mã '{code}' lặp lại.")
        quota_codes.add(code)
        value = d.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value <= 0):
            raise _err(path, where, "'value' phải là số nguyên dương.")
        quotas.append(Quota(form=form, code=code, value=value, per=_text(path, where, d, "per"),
                            scope=_text(path, where, d, "scope"),
                            text=_text(path, where, d, "text"), cited=_cited(path, where, d)))

    conditions: list[Condition] = []
    for i, d in enumerate(raw.get("conditions", [])):
        where = f"conditions mục {i + 1}"
        form = _text(path, where, d, "form")
        if form not in seen:
            raise _err(path, where, f"hình thức '{form}' không có trong danh mục.")
        recipient = _text(path, where, d, "recipient", required=False)
        if recipient not in ("", *RECIPIENTS):
            raise _err(path, where, f"recipient '{recipient}' không hợp lệ.")
        conditions.append(Condition(form=form,
                                    kind=_one_of(path, where, d, "kind", CONDITION_KINDS),
                                    recipient=recipient, text=_text(path, where, d, "text"),
                                    params=_params(path, where, d), cited=_cited(path, where, d)))

    salaries: list[BaseSalary] = []
    for i, d in enumerate(raw.get("base_salary", [])):
        where = f"base_salary mục {i + 1}"
        amount = d.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise _err(path, where, "'amount' phải là số nguyên dương (đồng).")
        start = _date(path, where, d, "valid_from")
        assert start is not None
        salaries.append(BaseSalary(amount=amount, valid_from=start, cited=_cited(path, where, d)))
    salaries.sort(key=lambda s: s.valid_from)
    if len({s.valid_from for s in salaries}) != len(salaries):
        raise _err(path, "base_salary", "hai mức lương cơ sở cùng ngày áp dụng.")

    cash: list[CashRate] = []
    for i, d in enumerate(raw.get("cash", [])):
        where = f"cash mục {i + 1}"
        code = _text(path, where, d, "code")
        if code not in seen and code not in titles:
            raise _err(path, where, f"mã '{code}' không có trong danh mục hay titles.toml.")
        recipient = _text(path, where, d, "recipient", required=False)
        if recipient not in ("", *RECIPIENTS):
            raise _err(path, where, f"recipient '{recipient}' không hợp lệ.")
        raw_multiple = d.get("multiple")
        multiple: Decimal | None = None
        if raw_multiple is not None:
            if isinstance(raw_multiple, bool) or not isinstance(raw_multiple, int | float) \
                    or raw_multiple <= 0:
                raise _err(path, where, "'multiple' phải là số dương.")
            multiple = Decimal(str(raw_multiple))
        setting = d.get("setting", False)
        if not isinstance(setting, bool):
            raise _err(path, where, "'setting' phải là true hoặc false.")
        if multiple is None and not setting:
            raise _err(path, where, "thiếu 'multiple' (chỉ được bỏ trống khi setting = true).")
        start = _date(path, where, d, "valid_from")
        end = _date(path, where, d, "valid_to", required=False)
        assert start is not None
        rate = CashRate(code=code, recipient=recipient, multiple=multiple, setting=setting,
                        valid_from=start, valid_to=end, cited=_cited(path, where, d))
        for other in cash:
            if (other.code, other.recipient) == (code, recipient) and _overlap(other, rate):
                raise _err(path, where, f"hai mức thưởng của {code} chồng thời gian.")
        cash.append(rate)

    return Catalogue(rounding=str(rounding), forms=tuple(forms), quotas=tuple(quotas),
                     conditions=tuple(conditions), base_salaries=tuple(salaries),
                     cash=tuple(cash))


def _overlap(a: CashRate, b: CashRate) -> bool:
    a_end = a.valid_to or dt.date.max
    b_end = b.valid_to or dt.date.max
    return a.valid_from < b_end and b.valid_from < a_end


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue, read once per process."""
    return load()


def award_forms() -> tuple[AwardForm, ...]:
    """Every form of the catalogue, in file order."""
    return catalogue().forms


@cache
def _by_code() -> dict[str, AwardForm]:
    return {f.code: f for f in award_forms()}


def form(code: str) -> AwardForm:
    """One form by its code; KeyError when the catalogue has no such code."""
    return _by_code()[code]


def forms_for_issuer(unit_type: str, day: dt.date) -> tuple[AwardForm, ...]:
    """The forms a unit of this type issues (decides itself) on that day."""
    return tuple(f for f in award_forms() if unit_type in f.issuer_types and f.in_force(day))


def forms_proposed_by(unit_type: str, day: dt.date) -> tuple[AwardForm, ...]:
    """The forms decided outside the union (or by the agency's head) that this level proposes."""
    return tuple(f for f in award_forms() if unit_type in f.proposer_types and f.in_force(day))


def quota(code: str) -> tuple[Quota, ...]:
    """The quotas of a form (empty when the briefs state none)."""
    return tuple(q for q in catalogue().quotas if q.form == code)


def conditions(code: str) -> tuple[Condition, ...]:
    """Prerequisites, minimum intervals and exclusions of a form."""
    return tuple(c for c in catalogue().conditions if c.form == code)


def base_salary(day: dt.date) -> int | None:
    """Lương cơ sở in force on that day, in đồng; None before the first value the catalogue has."""
    found: int | None = None
    for s in catalogue().base_salaries:
        if s.valid_from <= day:
            found = s.amount
    return found


def cash_rate(code: str, day: dt.date, *, recipient: str = "") -> CashRate | None:
    """The rate in force on that day: the recipient's own row first, then the row for any."""
    rates = [r for r in catalogue().cash if r.code == code and r.in_force(day)]
    for wanted in ((recipient, "") if recipient else ("",)):
        for r in rates:
            if r.recipient == wanted:
                return r
    return None


def cash_amount(code: str, day: dt.date, *, recipient: str = "") -> int | None:
    """Cash in đồng: multiple × lương cơ sở in force on `day` (the decision date), rounded half
    up to the đồng. None when no rate is in force, the rate is an unset setting, or no base
    salary is known for that day."""
    rate = cash_rate(code, day, recipient=recipient)
    salary = base_salary(day)
    if rate is None or rate.multiple is None or salary is None:
        return None
    return amount_for(rate.multiple, salary)


def amount_for(multiple: Decimal, salary: int) -> int:
    """multiple × lương cơ sở in đồng, rounded as the catalogue's `rounding` says (half up to
    the đồng)."""
    return int((multiple * salary).quantize(Decimal(1), rounding=ROUND_HALF_UP))
