"""The facts the engine judges: plain dataclasses built from the FACTS.json dictionaries, and the
vocabulary they use (rating, initiative level and discipline codes, title names).

Nothing here knows a regulation: which rating a title needs, which discipline excludes and how
many days of absence are too many live in the rule sets (`rulesets/*.toml`).

Person-year (FACTS.json)::

    {"year": 2024,
     "person": {"gender": "nu", "birth_date": "1985-05-17", "member": true},
     "ratings": {"2024": "HTXSNV"},                 # year -> HTXSNV | HTTNV | HTNV | KHTNV
     "registered": {"2024": ["CSTDCS"]},            # year -> title codes registered
     "titles": {"2022": ["CSTDCS"], "2023": ["LDTT", "CSTDCS"]},   # earlier years -> received
     "initiatives": [{"year": 2024, "level": "co_so"}],            # co_so | tinh | toan_quoc
     "discipline": [{"form": "khien_trach", "from": "2023-03-01", "to": "2023-09-01"}],
     "absence_days": {"2024": 12},                  # working days absent, maternity included
     "maternity_days": {"2024": 0},                 # of which maternity leave (counts as work)
     "service_months": {"2024": 12},
     "pending": [{"kind": "thanh_tra", "from": "2025-01-10"}],   # open matters hold the review
     "family": {"2024": true}}                      # year -> the "đảm việc nhà" half met

Unit-year (`"kind": "unit"`)::

    {"kind": "unit", "year": 2024,
     "unit": {"code": "CDCS-A", "type": "cdcs", "operating_months": 60, "reorganised": false},
     "ratings": {"2024": "HTXSNV"}, "registered": {"2024": ["TTLDXS"]}, "titles": {},
     "roster": {"members": 40, "ldtt": 30, "cstdcs": 2, "completed_tasks": 40, "women": 29,
                "disciplined": {"khien_trach": 1}},
     "grading": {"C1": 36, "C2": 30, "C3": 21}}

Discipline periods follow the project's convention: `from` is the first day in effect, `to` the
first day no longer in effect (exclusive); a missing `to` means still in effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from thidua.rules import titles as catalogue

# --- vocabulary ------------------------------------------------------------------------------

#: Ratings from best to worst (Nghị định 90/2020 and 48/2023 on rating civil servants; the same
#: four labels rate units and grassroots unions).
RATINGS: dict[str, str] = {
    "HTXSNV": "Hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHTNV": "Không hoàn thành nhiệm vụ",
}
RATING_RANK: dict[str, int] = {"HTXSNV": 4, "HTTNV": 3, "HTNV": 2, "KHTNV": 1}

#: Recognition levels of an initiative (sáng kiến) or an accepted research work, lowest first.
LEVELS: dict[str, str] = {
    "co_so": "cấp cơ sở",
    "tinh": "cấp bộ, ban, ngành, tỉnh",
    "toan_quoc": "toàn quốc",
}
LEVEL_RANK: dict[str, int] = {"co_so": 1, "tinh": 2, "toan_quoc": 3}

#: Discipline forms, lightest first, with their rank. Civil servants (Luật Cán bộ, công chức):
#: khiển trách, cảnh cáo, hạ bậc lương, giáng chức, cách chức, buộc thôi việc; workers under the
#: Labour Code: khiển trách … sa thải (ranked with buộc thôi việc).
DISCIPLINE_FORMS: dict[str, str] = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
    "sa_thai": "sa thải",
}
DISCIPLINE_RANK: dict[str, int] = {
    "khien_trach": 1, "canh_cao": 2, "ha_bac_luong": 3, "giang_chuc": 4, "cach_chuc": 5,
    "buoc_thoi_viec": 6, "sa_thai": 6,
}

#: Title codes: (full name, short name used in messages), from the one catalogue (titles.toml).
#: Rule sets name their titles too; this names the codes a rule may refer to without defining
#: them (e.g. a streak of CSTDCS in the union rule set).
TITLES: dict[str, tuple[str, str]] = {t.code: (t.name, t.short) for t in catalogue.titles()}

GENDERS: dict[str, str] = {"nam": "Nam", "nu": "Nữ"}

#: Matters that hold a person's review until they end (NĐ 152/2025 Điều 4 khoản 4): the text
#: after "đang …" in the Vietnamese messages.
PENDING_KINDS: dict[str, str] = {
    "xem_xet_ky_luat": "bị xem xét kỷ luật",
    "thanh_tra": "bị thanh tra",
    "kiem_tra": "bị kiểm tra",
    "khieu_nai_to_cao": "có đơn thư khiếu nại, tố cáo đang được giải quyết",
}

#: Unit types of the organisation tree (org.models.UnitType values, repeated here because this
#: package does not import Django).
UNIT_TYPES: frozenset[str] = frozenset({
    "tld", "ldld_tinh", "cd_nganh_tw", "cd_tong_cong_ty", "cap_tren_co_so", "cdcs",
    "cdcs_thanh_vien", "cd_bo_phan", "to_cd", "co_quan",
})

#: Counts a unit's roster may carry for the judged year.
ROSTER_COUNTS: dict[str, str] = {
    "members": "thành viên",
    "ldtt": "người đạt LĐTT",
    "cstdcs": "người đạt CSTĐ cơ sở",
    "completed_tasks": "người hoàn thành nhiệm vụ trở lên",
    "women": "người là nữ",
}


class FactsError(ValueError):
    """The facts are malformed; `message` says where, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def title_short(code: str) -> str:
    return TITLES[code][1] if code in TITLES else code


def title_name(code: str) -> str:
    return TITLES[code][0] if code in TITLES else code


# --- dataclasses -----------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Initiative:
    year: int
    level: str  # co_so | tinh | toan_quoc


@dataclass(slots=True, frozen=True)
class Discipline:
    form: str
    start: dt.date  # JSON "from": first day in effect
    end: dt.date | None = None  # JSON "to": first day no longer in effect; None = still

    def rank_in(self, year: int) -> int:
        """The form's rank if it is in effect on some day of `year`, else 0."""
        if self.start.year > year or (self.end is not None and self.end <= dt.date(year, 1, 1)):
            return 0
        return DISCIPLINE_RANK[self.form]


@dataclass(slots=True, frozen=True)
class Pending:
    """A matter that holds the review (discipline review, inspection, complaint): `start` the
    day it was opened, `end` the day it ended (None while open). Only an open one holds."""

    kind: str
    start: dt.date
    end: dt.date | None = None

    @property
    def open(self) -> bool:
        return self.end is None


@dataclass(slots=True)
class Person:
    gender: str = ""  # "nam" | "nu" | "" (unknown)
    birth_date: dt.date | None = None
    member: bool = True  # a union member (đoàn viên); workers who are not can hold state titles


@dataclass(slots=True)
class Facts:
    """One person judged for one year. Year-keyed mappings use int years."""

    year: int
    person: Person = field(default_factory=Person)
    ratings: Mapping[int, str] = field(default_factory=dict)
    registered: Mapping[int, Collection[str]] = field(default_factory=dict)
    titles: Mapping[int, Collection[str]] = field(default_factory=dict)
    initiatives: tuple[Initiative, ...] = ()
    discipline: tuple[Discipline, ...] = ()
    absence_days: Mapping[int, float] = field(default_factory=dict)
    service_months: Mapping[int, float] = field(default_factory=dict)
    maternity_days: Mapping[int, float] = field(default_factory=dict)
    pending: tuple[Pending, ...] = ()
    family: Mapping[int, bool] = field(default_factory=dict)  # year -> "đảm việc nhà" met

    kind = "person"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Facts:
        return _person_facts(data)


@dataclass(slots=True)
class Roster:
    """Counts over the unit's members for the judged year (people rated in the unit that year)."""

    members: int = 0
    ldtt: int = 0
    cstdcs: int = 0
    completed_tasks: int = 0  # rated HTNV or better
    women: int = 0
    disciplined: Mapping[str, int] = field(default_factory=dict)  # form -> people whose
    # heaviest discipline in effect during the year is that form


@dataclass(slots=True)
class UnitFacts:
    """One unit judged for one year."""

    year: int
    code: str = ""
    unit_type: str = ""
    operating_months: float | None = None
    reorganised: bool = False  # formed by a split or a merger (grading needs 6 months, not 12)
    ratings: Mapping[int, str] = field(default_factory=dict)
    registered: Mapping[int, Collection[str]] = field(default_factory=dict)
    titles: Mapping[int, Collection[str]] = field(default_factory=dict)
    roster: Roster = field(default_factory=Roster)
    grading: Mapping[str, float] = field(default_factory=dict)  # criterion code -> points

    kind = "unit"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UnitFacts:
        return _unit_facts(data)


def facts_from_dict(data: Mapping[str, Any]) -> Facts | UnitFacts:
    """Build person or unit facts from a FACTS.json dictionary (a unit when `"kind": "unit"` or
    when it carries a `roster`). Raises FactsError with a Vietnamese message."""
    if not isinstance(data, Mapping):
        raise FactsError("Dữ liệu phải là một đối tượng JSON.")
    kind = data.get("kind")
    if kind == "unit" or (kind is None and ("roster" in data or "unit" in data)):
        return _unit_facts(data)
    if kind not in (None, "person"):
        raise FactsError(f"kind: '{kind}' không hợp lệ (person hoặc unit).")
    return _person_facts(data)


# --- parsing ---------------------------------------------------------------------------------

_PERSON_KEYS = frozenset({
    "kind", "year", "person", "ratings", "registered", "titles", "initiatives", "discipline",
    "absence_days", "service_months", "maternity_days", "rule_set", "pending", "family",
})
_UNIT_KEYS = frozenset({
    "kind", "year", "unit", "ratings", "registered", "titles", "roster", "grading", "rule_set",
})


def _check_keys(data: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise FactsError(f"{where}: khóa không hợp lệ: {', '.join(unknown)}.")


def _year(value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise FactsError(f"{where}: năm không hợp lệ.")
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise FactsError(f"{where}: năm '{value}' không hợp lệ.") from None
    if isinstance(value, float) and value != year:
        raise FactsError(f"{where}: năm '{value}' không hợp lệ.")
    if not 1900 <= year <= 2200:
        raise FactsError(f"{where}: năm {year} nằm ngoài khoảng 1900–2200.")
    return year


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FactsError(f"{where}: phải là một số (nhận được {value!r}).")
    if value < 0 or value != value:
        raise FactsError(f"{where}: không được âm.")
    return value


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise FactsError(f"{where}: ngày '{value}' không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy).")


def _known(value: Any, table: Collection[str]) -> TypeGuard[str]:
    """`value in table` for a value that may be any JSON (a list is unhashable)."""
    return isinstance(value, str) and value in table


def _code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value or not value.replace("_", "").isalnum() \
            or not value.isupper():
        raise FactsError(f"{where}: mã danh hiệu '{value}' không hợp lệ (ví dụ LDTT, CSTDCS).")
    return value


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[Any, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise FactsError(f"{key}: phải là một đối tượng năm → giá trị.")
    return value


def _ratings(data: Mapping[str, Any]) -> dict[int, str]:
    out = {}
    for k, v in _mapping(data, "ratings").items():
        if not _known(v, RATING_RANK):
            raise FactsError(f"ratings['{k}']: xếp loại '{v}' không hợp lệ "
                             f"({', '.join(RATINGS)}).")
        out[_year(k, f"ratings['{k}']")] = v
    return out


def _code_lists(data: Mapping[str, Any], key: str) -> dict[int, frozenset[str]]:
    out = {}
    for k, v in _mapping(data, key).items():
        where = f"{key}['{k}']"
        if isinstance(v, str) or not isinstance(v, list | tuple):
            raise FactsError(f"{where}: phải là danh sách mã danh hiệu.")
        out[_year(k, where)] = frozenset(_code(c, where) for c in v)
    return out


def _numbers(data: Mapping[str, Any], key: str) -> dict[int, float]:
    return {_year(k, f"{key}['{k}']"): _number(v, f"{key}['{k}']")
            for k, v in _mapping(data, key).items()}


def _person_facts(data: Mapping[str, Any]) -> Facts:
    _check_keys(data, _PERSON_KEYS, "Dữ liệu cá nhân")
    if "year" not in data:
        raise FactsError("year: thiếu năm cần xét.")
    year = _year(data["year"], "year")
    raw_person = data.get("person") or {}
    if not isinstance(raw_person, Mapping):
        raise FactsError("person: phải là một đối tượng.")
    _check_keys(raw_person, frozenset({"gender", "birth_date", "member", "name", "id"}), "person")
    gender = raw_person.get("gender") or ""
    if gender and not _known(gender, GENDERS):
        raise FactsError(f"person.gender: '{gender}' không hợp lệ (nam hoặc nu).")
    birth = raw_person.get("birth_date")
    member = raw_person.get("member", True)
    if not isinstance(member, bool):
        raise FactsError("person.member: phải là true hoặc false.")
    person = Person(gender=gender, birth_date=_date(birth, "person.birth_date") if birth else None,
                    member=member)

    initiatives = []
    raw_initiatives = data.get("initiatives") or []
    if not isinstance(raw_initiatives, list):
        raise FactsError("initiatives: phải là danh sách.")
    for i, item in enumerate(raw_initiatives):
        where = f"initiatives[{i}]"
        if not isinstance(item, Mapping):
            raise FactsError(f"{where}: phải là đối tượng {{year, level}}.")
        level = item.get("level")
        if not _known(level, LEVEL_RANK):
            raise FactsError(f"{where}.level: '{level}' không hợp lệ ({', '.join(LEVELS)}).")
        initiatives.append(Initiative(_year(item.get("year"), f"{where}.year"), level))

    discipline = []
    raw_discipline = data.get("discipline") or []
    if not isinstance(raw_discipline, list):
        raise FactsError("discipline: phải là danh sách.")
    for i, item in enumerate(raw_discipline):
        where = f"discipline[{i}]"
        if not isinstance(item, Mapping):
            raise FactsError(f"{where}: phải là đối tượng {{form, from, to}}.")
        form = item.get("form")
        if not _known(form, DISCIPLINE_RANK):
            raise FactsError(f"{where}.form: '{form}' không hợp lệ "
                             f"({', '.join(DISCIPLINE_FORMS)}).")
        if not item.get("from"):
            raise FactsError(f"{where}.from: thiếu ngày bắt đầu.")
        start = _date(item["from"], f"{where}.from")
        end = _date(item["to"], f"{where}.to") if item.get("to") else None
        if end is not None and end <= start:
            raise FactsError(f"{where}: ngày kết thúc phải sau ngày bắt đầu.")
        discipline.append(Discipline(form, start, end))

    pending = []
    raw_pending = data.get("pending") or []
    if not isinstance(raw_pending, list):
        raise FactsError("pending: phải là danh sách.")
    for i, item in enumerate(raw_pending):
        where = f"pending[{i}]"
        if not isinstance(item, Mapping):
            raise FactsError(f"{where}: phải là đối tượng {{kind, from, to}}.")
        kind = item.get("kind")
        if kind not in PENDING_KINDS:
            raise FactsError(f"{where}.kind: '{kind}' không hợp lệ ({', '.join(PENDING_KINDS)}).")
        if not item.get("from"):
            raise FactsError(f"{where}.from: thiếu ngày bắt đầu.")
        start = _date(item["from"], f"{where}.from")
        end = _date(item["to"], f"{where}.to") if item.get("to") else None
        if end is not None and end < start:
            raise FactsError(f"{where}: ngày kết thúc phải từ ngày bắt đầu trở đi.")
        pending.append(Pending(kind, start, end))

    family = {}
    for k, v in _mapping(data, "family").items():
        if not isinstance(v, bool):
            raise FactsError(f"family['{k}']: phải là true hoặc false.")
        family[_year(k, f"family['{k}']")] = v

    return Facts(
        year=year, person=person, ratings=_ratings(data),
        registered=_code_lists(data, "registered"), titles=_code_lists(data, "titles"),
        initiatives=tuple(initiatives), discipline=tuple(discipline),
        absence_days=_numbers(data, "absence_days"),
        service_months=_numbers(data, "service_months"),
        maternity_days=_numbers(data, "maternity_days"),
        pending=tuple(pending), family=family,
    )


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FactsError(f"{where}: phải là số nguyên không âm (nhận được {value!r}).")
    return value


def _unit_facts(data: Mapping[str, Any]) -> UnitFacts:
    _check_keys(data, _UNIT_KEYS, "Dữ liệu đơn vị")
    if "year" not in data:
        raise FactsError("year: thiếu năm cần xét.")
    year = _year(data["year"], "year")
    unit = data.get("unit") or {}
    if not isinstance(unit, Mapping):
        raise FactsError("unit: phải là một đối tượng.")
    _check_keys(unit, frozenset({"code", "type", "name", "operating_months", "reorganised"}),
                "unit")
    unit_type = unit.get("type") or ""
    if unit_type and not _known(unit_type, UNIT_TYPES):
        raise FactsError(f"unit.type: '{unit_type}' không hợp lệ ({', '.join(sorted(UNIT_TYPES))}).")
    months = unit.get("operating_months")
    reorganised = unit.get("reorganised", False)
    if not isinstance(reorganised, bool):
        raise FactsError("unit.reorganised: phải là true hoặc false.")

    raw = data.get("roster") or {}
    if not isinstance(raw, Mapping):
        raise FactsError("roster: phải là một đối tượng.")
    _check_keys(raw, frozenset({*ROSTER_COUNTS, "disciplined"}), "roster")
    counts = {k: _count(raw.get(k, 0), f"roster.{k}") for k in ROSTER_COUNTS}
    disciplined = raw.get("disciplined") or {}
    if not isinstance(disciplined, Mapping):
        raise FactsError("roster.disciplined: phải là đối tượng hình thức → số người.")
    for form, n in disciplined.items():
        if not _known(form, DISCIPLINE_RANK):
            raise FactsError(f"roster.disciplined: hình thức '{form}' không hợp lệ "
                             f"({', '.join(DISCIPLINE_FORMS)}).")
        _count(n, f"roster.disciplined.{form}")
    for k in ("ldtt", "cstdcs", "completed_tasks", "women"):
        if counts[k] > counts["members"]:
            raise FactsError(f"roster.{k}: {counts[k]} lớn hơn số thành viên ({counts['members']}).")
    roster = Roster(disciplined=dict(disciplined), **counts)

    grading = _mapping(data, "grading")
    scores = {}
    for k, v in grading.items():
        if not isinstance(k, str) or not k:
            raise FactsError("grading: mã tiêu chí không hợp lệ.")
        scores[k] = _number(v, f"grading.{k}")

    return UnitFacts(
        year=year, code=str(unit.get("code") or ""), unit_type=unit_type,
        operating_months=_number(months, "unit.operating_months") if months is not None else None,
        reorganised=reorganised, ratings=_ratings(data),
        registered=_code_lists(data, "registered"), titles=_code_lists(data, "titles"),
        roster=roster, grading=scores,
    )
