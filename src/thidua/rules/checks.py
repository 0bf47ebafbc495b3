"""The vocabulary of checks a rule may use (`check = "…"` in a rule set), each a small class.

A check is compiled once per rule set. Judging is split in two so that results can be shared:
`key(facts, year, outcomes)` picks the few facts the check depends on (a hashable value, cheap
to compute), and `judge(key, year)` turns them into a Verdict with its Vietnamese text. The
engine caches outcomes by key, so the text of a given situation is written once per process,
not once per person.

`part(facts, year)` is the facts-only share of the key, and `part_id` names it: checks with
the same part_id read the same facts (every rating check reads this year's rating, whatever
rating it requires). The engine computes each distinct part once per evaluation, and since an
evaluation depends on nothing else, caches whole evaluations by their parts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from thidua.rules.facts import (
    DISCIPLINE_FORMS,
    DISCIPLINE_RANK,
    GENDERS,
    LEVEL_RANK,
    LEVELS,
    RATING_RANK,
    RATINGS,
    ROSTER_COUNTS,
    title_short,
)
from thidua.rules.ruleset import RuleSet, RuleSetError, RuleSpec


@dataclass(frozen=True, slots=True)
class Verdict:
    passed: bool
    text: str
    missing: tuple[str, ...] = ()
    grade: str | None = None


def num(value: float) -> str:
    """12 -> "12"; 2.5 -> "2,5" (Vietnamese decimal comma)."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def years(start: int, end: int) -> str:
    return str(end) if start == end else f"{start}–{end}"


def percent(part: int, whole: int) -> str:
    return num(round(part * 100 / whole, 1)) + "%" if whole else "—"


class Check:
    """Base class. Subclasses set `name`, `subjects` and implement key/judge."""

    name: ClassVar[str] = ""
    subjects: ClassVar[tuple[str, ...]] = ("person", "unit")

    def __init__(self, spec: RuleSpec, ruleset: RuleSet, defined: frozenset[str],
                 subject: str):
        self.spec = spec
        self.ruleset = ruleset
        self.subject = subject
        self.deps: tuple[str, ...] = ()  # titles of this evaluation it reads
        self.lookback = 0  # how many years before the judged one it reads
        self.setup(dict(spec.args), defined)

    def error(self, message: str) -> RuleSetError:
        return RuleSetError(f"{self.ruleset.path}: quy tắc {self.spec.id} ({self.name}): {message}")

    def arg(self, args: dict[str, Any], key: str, kind: Any,
            default: Any = ...) -> Any:
        if key not in args:
            if default is ...:
                raise self.error(f"thiếu tham số '{key}'.")
            return default
        value = args.pop(key)
        if isinstance(value, bool) and kind is not bool:
            raise self.error(f"tham số '{key}' sai kiểu.")
        if not isinstance(value, kind):
            raise self.error(f"tham số '{key}' sai kiểu.")
        return value

    def done(self, args: dict[str, Any]) -> None:
        if args:
            raise self.error(f"tham số không dùng: {', '.join(sorted(args))}.")

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.done(args)

    #: Names the facts `part` reads; None when the check reads only other titles' outcomes.
    part_id: Hashable = None

    def parts(self) -> list[Check]:
        """The checks whose `part` together determine this check's key."""
        return [self] if self.part_id is not None else []

    def part(self, f: Any, y: int) -> Hashable:
        return self.key(f, y, _NO_OUTCOMES)

    def reader(self) -> Callable[[Any, int], Hashable]:
        """`part` as a function of (facts, year); a check whose key reads no outcome is its own
        reader (one call less per evaluation)."""
        if type(self).part is Check.part:
            return functools.partial(type(self).key, self, outcomes=_NO_OUTCOMES)
        return self.part

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        raise NotImplementedError

    def judge(self, key: Any, y: int) -> Verdict:
        raise NotImplementedError


_NO_OUTCOMES: Mapping[str, Any] = {}
REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    REGISTRY[cls.name] = cls
    return cls


def compile_check(spec: RuleSpec, ruleset: RuleSet, defined: frozenset[str],
                  subject: str) -> Check:
    cls = REGISTRY.get(spec.check)
    if cls is None:
        raise RuleSetError(f"{ruleset.path}: quy tắc {spec.id}: kiểm tra '{spec.check}' không có "
                           f"trong bộ từ vựng ({', '.join(sorted(REGISTRY))}).")
    if subject not in cls.subjects:
        raise RuleSetError(f"{ruleset.path}: quy tắc {spec.id}: kiểm tra '{spec.check}' không áp "
                           f"dụng cho {'cá nhân' if subject == 'person' else 'tập thể'}.")
    return cls(spec, ruleset, defined, subject)


def _codes(check: Check, args: dict[str, Any], key: str) -> tuple[str, ...]:
    value = check.arg(args, key, list)
    if not value or not all(isinstance(c, str) and c for c in value):
        raise check.error(f"'{key}' phải là danh sách mã danh hiệu.")
    return tuple(value)


def _rating(check: Check, args: dict[str, Any], key: str) -> str:
    value: str = check.arg(args, key, str)
    if value not in RATING_RANK:
        raise check.error(f"'{key}' phải là một trong {', '.join(RATINGS)}.")
    return value


def _form(check: Check, args: dict[str, Any], key: str) -> str:
    value: str = check.arg(args, key, str)
    if value not in DISCIPLINE_RANK:
        raise check.error(f"'{key}' phải là một trong {', '.join(DISCIPLINE_FORMS)}.")
    return value


# --- checks on any subject (person or unit) --------------------------------------------------


@register
class Registered(Check):
    """Registered (đăng ký thi đua) this year for one of `any_of`."""

    name = "registered"

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.any_of = _codes(self, args, "any_of")
        self.done(args)
        self.names = ", ".join(title_short(c) for c in self.any_of)

    part_id = ("registered",)

    def part(self, f: Any, y: int) -> Hashable:
        regs = f.registered.get(y)
        return regs if regs is None or isinstance(regs, frozenset | tuple) else tuple(regs)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        regs = f.registered.get(y)
        if regs:
            for code in self.any_of:
                if code in regs:
                    return code
        return None

    def judge(self, key: Any, y: int) -> Verdict:
        if key is not None:
            return Verdict(True, f"Đã đăng ký thi đua năm {y} ({title_short(key)}).")
        return Verdict(False, f"Chưa đăng ký thi đua năm {y} (một trong: {self.names}).",
                       (f"Cần đăng ký thi đua năm {y} (một trong: {self.names}); chỉ người, tập "
                        "thể đã đăng ký mới được xét.",))


@register
class RatingAtLeast(Check):
    """This year's rating is `min` or better (HTXSNV > HTTNV > HTNV > KHTNV)."""

    name = "rating_at_least"

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.min = _rating(self, args, "min")
        self.rank = RATING_RANK[self.min]
        self.done(args)

    part_id = ("rating",)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        found: Hashable = f.ratings.get(y)
        return found

    def judge(self, key: Any, y: int) -> Verdict:
        need = RATINGS[self.min] + ("" if self.min == "HTXSNV" else " trở lên")
        if key is None:
            return Verdict(False, f"Chưa có xếp loại năm {y} (yêu cầu: {need}).",
                           (f"Cần xếp loại năm {y}: {need}.",))
        if RATING_RANK[key] >= self.rank:
            return Verdict(True, f"Năm {y} xếp loại {RATINGS[key]} (yêu cầu: {need}).")
        return Verdict(False, f"Năm {y} xếp loại {RATINGS[key]}, chưa đạt yêu cầu {need}.",
                       (f"Cần xếp loại {need} năm {y} (hiện: {RATINGS[key]}).",))


@register
class Streak(Check):
    """`title` received in `years` consecutive years ending with the judged year
    (`include_current = true`, the judged year counting this evaluation's own result for that
    title) or with the year before (`include_current = false`). Counts at most `years` years
    back: a gap breaks the streak."""

    name = "streak"

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.title = self.arg(args, "title", str)
        self.n = self.arg(args, "years", int)
        if self.n < 1:
            raise self.error("'years' phải từ 1 trở lên.")
        self.include_current = self.arg(args, "include_current", bool)
        self.done(args)
        self.offset = 0 if self.include_current else 1
        self.lookback = self.n - 1 + self.offset
        if self.include_current and self.title in defined:
            self.deps = (self.title,)
        self.short = title_short(self.title)
        self.part_id = ("streak", self.title, self.n, self.offset)

    def part(self, f: Any, y: int) -> tuple[bool, ...]:
        titles = f.titles
        code = self.title
        held = []
        for year in range(y - self.offset - self.n + 1, y - self.offset + 1):
            got = titles.get(year)
            held.append(got is not None and code in got)
        return tuple(held)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        held = self.part(f, y)
        if self.include_current and not held[-1]:
            # The judged year counts this evaluation's own result for the title.
            current = outcomes.get(self.title)
            if current is not None and current.eligible:
                held = (*held[:-1], True)
        return held

    def judge(self, key: Any, y: int) -> Verdict:
        end = y - self.offset
        start = end - self.n + 1
        run = 0
        for has in reversed(key):
            if not has:
                break
            run += 1
        got = [str(start + i) for i, has in enumerate(key) if has]
        lacking = [str(start + i) for i, has in enumerate(key) if not has]
        span = years(start, end)
        detail = f"có: {', '.join(got) or 'không năm nào'}"
        if lacking:
            detail += f"; chưa có: {', '.join(lacking)}"
        if run >= self.n:
            return Verdict(True, f"Đạt {self.short} {self.n} năm liên tục {span}.")
        return Verdict(
            False,
            f"Chưa đủ {self.n} năm liên tục đạt {self.short} ({span}): {detail}.",
            (f"Cần thêm {self.n - run} năm liên tục đạt {self.short} (hiện có {run}/{self.n}, "
             f"tính đến năm {end}).",))


# --- checks on a person ----------------------------------------------------------------------


@register
class ServiceAtLeast(Check):
    """At least `months` months of service in the judged year."""

    name = "service_at_least"
    subjects = ("person",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.months = self.arg(args, "months", int | float)
        self.done(args)

    part_id = ("service",)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        found: Hashable = f.service_months.get(y)
        return found

    def judge(self, key: Any, y: int) -> Verdict:
        need = num(self.months)
        if key is None:
            return Verdict(False, f"Chưa có số tháng công tác năm {y} (yêu cầu từ {need} tháng).",
                           (f"Cần nhập số tháng công tác năm {y} (từ {need} tháng trở lên).",))
        if key >= self.months:
            return Verdict(True, f"Năm {y} công tác {num(key)} tháng (yêu cầu từ {need} tháng).")
        return Verdict(False, f"Năm {y} mới công tác {num(key)} tháng, dưới {need} tháng.",
                       (f"Cần công tác từ {need} tháng trở lên trong năm {y} (hiện {num(key)} "
                        "tháng).",))


@register
class AbsenceBelow(Check):
    """Fewer than `days` working days absent in the judged year; with
    `maternity_counts_as_work`, the maternity days are not counted as absence."""

    name = "absence_below"
    subjects = ("person",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.days = self.arg(args, "days", int | float)
        self.maternity = self.arg(args, "maternity_counts_as_work", bool)
        self.done(args)

    part_id = ("absence",)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        absent = f.absence_days.get(y, 0)
        if not absent:
            return 0
        return (absent, f.maternity_days.get(y, 0))

    def judge(self, key: Any, y: int) -> Verdict:
        limit = num(self.days)
        if key == 0:
            return Verdict(True, f"Năm {y} không có ngày nghỉ được ghi nhận (giới hạn: dưới "
                                 f"{limit} ngày làm việc).")
        absent, maternity = key
        counted = max(absent - maternity, 0) if self.maternity else absent
        text = f"Năm {y} nghỉ {num(absent)} ngày làm việc"
        if maternity:
            text += (f", trong đó {num(maternity)} ngày nghỉ thai sản "
                     + ("được tính là thời gian làm việc" if self.maternity else "vẫn bị tính"))
            text += f"; tính {num(counted)} ngày"
        if counted < self.days:
            return Verdict(True, f"{text}, dưới mức {limit} ngày.")
        return Verdict(False, f"{text}, từ mức {limit} ngày trở lên.",
                       (f"Số ngày nghỉ năm {y}"
                        + (" (không kể nghỉ thai sản)" if self.maternity else "")
                        + f" phải dưới {limit} ngày làm việc (hiện {num(counted)} ngày).",))


@register
class NoDiscipline(Check):
    """No discipline of form `from` or heavier in effect on any day of the judged year."""

    name = "no_discipline"
    subjects = ("person",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.form = _form(self, args, "from")
        self.rank = DISCIPLINE_RANK[self.form]
        self.done(args)

    part_id = ("discipline",)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        worst = None
        worst_rank = 0
        for d in f.discipline:
            rank = d.rank_in(y)
            if rank > worst_rank:
                worst, worst_rank = d.form, rank
        return worst

    def judge(self, key: Any, y: int) -> Verdict:
        bar = f"từ {DISCIPLINE_FORMS[self.form]} trở lên"
        if key is None:
            return Verdict(True, f"Không có kỷ luật còn hiệu lực trong năm {y}.")
        form = DISCIPLINE_FORMS[key]
        if DISCIPLINE_RANK[key] < self.rank:
            return Verdict(True, f"Kỷ luật {form} có hiệu lực trong năm {y}, nhẹ hơn mức loại "
                                 f"trừ ({bar}).")
        return Verdict(False, f"Đang chịu kỷ luật {form} trong năm {y} (loại trừ {bar}).",
                       (f"Không được xét khi có kỷ luật {bar} còn hiệu lực trong năm {y} (hiện: "
                        f"{form}).",))


@register
class Title(Check):
    """Meets the standard of another title of this evaluation (e.g. CSTĐCS needs LĐTT)."""

    name = "title"
    subjects = ("person", "unit")

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.code = self.arg(args, "code", str)
        self.done(args)
        if self.code not in defined:
            raise self.error(f"danh hiệu '{self.code}' không có trong bộ quy tắc này.")
        self.deps = (self.code,)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        return outcomes.get(self.code)

    def judge(self, key: Any, y: int) -> Verdict:
        name = title_short(self.code)
        if key is None:
            return Verdict(False, f"Không thuộc diện xét {name} năm {y}.",
                           (f"Cần thuộc diện xét {name} năm {y}.",))
        if key.eligible:
            return Verdict(True, f"Đạt tiêu chuẩn {name} năm {y}.")
        return Verdict(False, f"Chưa đạt tiêu chuẩn {name} năm {y}.", tuple(key.missing))


@register
class InitiativeCheck(Check):
    """An initiative (or accepted research work) recognised at `level` or higher, in the judged
    year or up to `years_back` years before it."""

    name = "initiative"
    subjects = ("person",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.level = self.arg(args, "level", str)
        if self.level not in LEVEL_RANK:
            raise self.error(f"'level' phải là một trong {', '.join(LEVELS)}.")
        self.rank = LEVEL_RANK[self.level]
        self.back = self.arg(args, "years_back", int, 0)
        self.done(args)
        self.lookback = self.back
        self.part_id = ("initiative", self.back)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        best = 0
        first = y - self.back
        for i in f.initiatives:
            if first <= i.year <= y:
                rank = LEVEL_RANK[i.level]
                if rank > best:
                    best = rank
        return best

    def judge(self, key: Any, y: int) -> Verdict:
        span = years(y - self.back, y)
        need = LEVELS[self.level] + ("" if self.level == "toan_quoc" else " trở lên")
        if key >= self.rank:
            got = next(k for k, v in LEVEL_RANK.items() if v == key)
            return Verdict(True, f"Có sáng kiến (hoặc đề tài, công trình khoa học) được công "
                                 f"nhận {LEVELS[got]} trong {span} (yêu cầu: {need}).")
        return Verdict(False, f"Chưa có sáng kiến được công nhận {need} trong {span}.",
                       (f"Cần sáng kiến (hoặc đề tài, công trình khoa học) được công nhận {need} "
                        f"trong {span}.",))


@register
class Member(Check):
    """Is a union member (đoàn viên công đoàn)."""

    name = "member"
    subjects = ("person",)
    part_id = ("member",)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        found: Hashable = f.person.member
        return found

    def judge(self, key: Any, y: int) -> Verdict:
        if key:
            return Verdict(True, "Là đoàn viên công đoàn.")
        return Verdict(False, "Không phải đoàn viên công đoàn.",
                       ("Danh hiệu chỉ dành cho đoàn viên công đoàn.",))


@register
class Gender(Check):
    """The person's gender is `is` (nam or nu); an unknown gender does not pass."""

    name = "gender"
    subjects = ("person",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.gender = self.arg(args, "is", str)
        if self.gender not in GENDERS:
            raise self.error("'is' phải là nam hoặc nu.")
        self.done(args)

    part_id = ("gender",)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        found: Hashable = f.person.gender
        return found

    def judge(self, key: Any, y: int) -> Verdict:
        want = "lao động nữ" if self.gender == "nu" else "lao động nam"
        if key == self.gender:
            return Verdict(True, f"Thuộc đối tượng xét: {want}.")
        if not key:
            return Verdict(False, "Chưa có giới tính trong dữ liệu.",
                           (f"Cần ghi giới tính (danh hiệu dành cho {want}).",))
        return Verdict(False, f"Danh hiệu dành cho {want}.", (f"Danh hiệu dành cho {want}.",))


@register
class AnyOf(Check):
    """Passes when one of its sub-rules passes (e.g. HTXSNV or an initiative, Law Art. 23.2)."""

    name = "any_of"

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.done(args)
        self.children = [compile_check(s, self.ruleset, defined, self.subject)
                         for s in self.spec.rules]
        if len(self.children) < 2:
            raise self.error("cần ít nhất hai quy tắc con trong 'rules'.")
        self.deps = tuple(d for c in self.children for d in c.deps)
        self.lookback = max(c.lookback for c in self.children)

    def parts(self) -> list[Check]:
        return [p for c in self.children for p in c.parts()]

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        return tuple(c.key(f, y, outcomes) for c in self.children)

    def judge(self, key: Any, y: int) -> Verdict:
        verdicts = [c.judge(k, y) for c, k in zip(self.children, key, strict=True)]
        passed = [v for v in verdicts if v.passed]
        if passed:
            return Verdict(True, "Đạt một trong các điều kiện: " + passed[0].text)
        return Verdict(
            False, "Chưa đạt điều kiện nào trong: " + " | ".join(v.text for v in verdicts),
            ("Cần một trong các điều kiện: "
             + " hoặc ".join(v.missing[0].rstrip(".") for v in verdicts if v.missing) + ".",))


# --- checks on a unit ------------------------------------------------------------------------


def _count_name(check: Check, args: dict[str, Any], key: str) -> str:
    value: str = check.arg(args, key, str)
    if value not in ROSTER_COUNTS:
        raise check.error(f"'{key}' phải là một trong {', '.join(ROSTER_COUNTS)}.")
    return value


@register
class ShareAtLeast(Check):
    """`count` (e.g. ldtt) is at least `percent` % of the members (`strict`: more than)."""

    name = "share_at_least"
    subjects = ("unit",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.count = _count_name(self, args, "count")
        self.percent = self.arg(args, "percent", int | float)
        if not 0 < self.percent <= 100:
            raise self.error("'percent' phải trong khoảng (0, 100].")
        self.strict = self.arg(args, "strict", bool, False)
        self.done(args)
        self.what = ROSTER_COUNTS[self.count]
        self.part_id = ("share", self.count)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        return (getattr(f.roster, self.count), f.roster.members)

    def judge(self, key: Any, y: int) -> Verdict:
        part, whole = key
        bar = ("trên " if self.strict else "từ ") + num(self.percent) + "%"
        if whole == 0:
            return Verdict(False, f"Đơn vị chưa có thành viên được xếp loại năm {y}.",
                           (f"Cần danh sách thành viên và kết quả xếp loại năm {y}.",))
        scaled = part * 100
        target = self.percent * whole
        ok = scaled > target if self.strict else scaled >= target
        text = f"Số {self.what}: {part}/{whole} = {percent(part, whole)} (yêu cầu {bar})"
        if ok:
            return Verdict(True, text + ".")
        need = 0
        while not ((part + need) * 100 > target if self.strict else (part + need) * 100 >= target):
            need += 1
        return Verdict(False, text + ", chưa đạt.",
                       (f"Cần thêm {need} {self.what} để đạt tỷ lệ {bar} (hiện {part}/{whole} = "
                        f"{percent(part, whole)}).",))


@register
class CountAtLeast(Check):
    """`count` (e.g. cstdcs) is at least `min`."""

    name = "count_at_least"
    subjects = ("unit",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.count = _count_name(self, args, "count")
        self.min = self.arg(args, "min", int)
        self.done(args)
        self.what = ROSTER_COUNTS[self.count]
        self.part_id = ("count", self.count)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        found: Hashable = getattr(f.roster, self.count)
        return found

    def judge(self, key: Any, y: int) -> Verdict:
        if key >= self.min:
            return Verdict(True, f"Có {key} {self.what} năm {y} (yêu cầu ít nhất {self.min}).")
        return Verdict(False, f"Có {key} {self.what} năm {y}, dưới mức {self.min}.",
                       (f"Cần thêm {self.min - key} {self.what} năm {y}.",))


@register
class NoMemberDisciplined(Check):
    """Nobody in the unit under discipline of form `from` or heavier during the year."""

    name = "no_member_disciplined"
    subjects = ("unit",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.form = _form(self, args, "from")
        self.rank = DISCIPLINE_RANK[self.form]
        self.done(args)
        self.forms = tuple(f for f, r in DISCIPLINE_RANK.items() if r >= self.rank)
        self.part_id = ("unit_discipline", self.rank)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        d = f.roster.disciplined
        return sum(d.get(form, 0) for form in self.forms) if d else 0

    def judge(self, key: Any, y: int) -> Verdict:
        bar = f"từ {DISCIPLINE_FORMS[self.form]} trở lên"
        if key == 0:
            return Verdict(True, f"Không có cá nhân bị kỷ luật {bar} trong năm {y}.")
        return Verdict(False, f"Có {key} cá nhân bị kỷ luật {bar} trong năm {y}.",
                       (f"Không được có cá nhân bị kỷ luật {bar} trong năm {y} (hiện {key}).",))


@register
class OperatingMonths(Check):
    """The unit has operated at least `months` months (`after_reorganisation` months when it
    was formed by a split or a merger)."""

    name = "operating_at_least"
    subjects = ("unit",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.months = self.arg(args, "months", int | float)
        self.after = self.arg(args, "after_reorganisation", int | float, self.months)
        self.done(args)

    part_id = ("operating",)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        return (f.operating_months, f.reorganised)

    def judge(self, key: Any, y: int) -> Verdict:
        months, reorganised = key
        need = self.after if reorganised else self.months
        why = " (hình thành do chia tách, sáp nhập)" if reorganised else ""
        if months is None:
            return Verdict(False, f"Chưa có thời gian hoạt động của đơn vị{why}.",
                           (f"Cần nhập số tháng hoạt động (từ {num(need)} tháng).",))
        if months >= need:
            return Verdict(True, f"Đơn vị đã hoạt động {num(months)} tháng{why} (yêu cầu từ "
                                 f"{num(need)} tháng).")
        return Verdict(False, f"Đơn vị mới hoạt động {num(months)} tháng{why}, dưới "
                              f"{num(need)} tháng.",
                       (f"Cần hoạt động đủ {num(need)} tháng mới được xếp loại (hiện "
                        f"{num(months)}).",))


@register
class Grading(Check):
    """Scores the unit's grading sheet (`sheet`, criteria with maximum points) and places the
    total on `scale` (bands by share of the maximum, optionally with a minimum share per
    criterion); passes when the band is `band` or better. The band is the outcome's grade."""

    name = "grading"
    subjects = ("unit",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        sheet_id = self.arg(args, "sheet", str)
        scale_id = self.arg(args, "scale", str)
        band = self.arg(args, "band", str)
        self.done(args)
        sheet = self.ruleset.sheets.get(sheet_id)
        if not isinstance(sheet, Mapping) or not sheet.get("criteria"):
            raise self.error(f"không có bảng điểm '{sheet_id}' trong [sheets].")
        scale = self.ruleset.scales.get(scale_id)
        if not isinstance(scale, Mapping) or not scale.get("bands"):
            raise self.error(f"không có thang xếp loại '{scale_id}' trong [scales].")
        self.criteria: list[tuple[str, str, float]] = []
        for c in sheet["criteria"]:
            if not isinstance(c.get("max"), int | float) or c["max"] <= 0 or not c.get("code"):
                raise self.error(f"bảng điểm '{sheet_id}': tiêu chí cần 'code' và 'max' > 0.")
            self.criteria.append((c["code"], c.get("title", c["code"]), c["max"]))
        self.codes = frozenset(c[0] for c in self.criteria)
        self.part_id = ("grading", tuple(self.criteria))
        self.total = sum(c[2] for c in self.criteria)
        self.bands: list[tuple[str, str, float, float]] = []
        for b in scale["bands"]:
            if not b.get("code") or not isinstance(b.get("min_percent"), int | float):
                raise self.error(f"thang '{scale_id}': mỗi mức cần 'code' và 'min_percent'.")
            self.bands.append((b["code"], b.get("name", b["code"]), b["min_percent"],
                               b.get("min_each_percent", 0)))
        if self.bands[-1][2] != 0:
            raise self.error(f"thang '{scale_id}': mức cuối phải có min_percent = 0.")
        codes = [b[0] for b in self.bands]
        if band not in codes:
            raise self.error(f"mức '{band}' không có trong thang '{scale_id}'.")
        self.target = codes.index(band)
        self.band_name = self.bands[self.target][1]
        self.scale_title = str(scale.get("title", scale_id))

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        g = f.grading
        scores = tuple(g.get(c[0]) for c in self.criteria)
        extra = tuple(sorted(k for k in g if k not in self.codes)) if len(g) > len(
            [s for s in scores if s is not None]) else ()
        return (scores, extra)

    def place(self, scores: tuple[float, ...]) -> int:
        total = sum(scores)
        for i, (_code, _name, min_percent, min_each) in enumerate(self.bands):
            if total * 100 < min_percent * self.total:
                continue
            if min_each and any(s * 100 < min_each * c[2]
                                for s, c in zip(scores, self.criteria, strict=True)):
                continue
            return i
        return len(self.bands) - 1

    def judge(self, key: Any, y: int) -> Verdict:
        scores, extra = key
        lacking = [c[0] for c, s in zip(self.criteria, scores, strict=True) if s is None]
        if lacking:
            return Verdict(False, f"Bảng điểm năm {y} chưa chấm tiêu chí: {', '.join(lacking)}.",
                           (f"Cần chấm đủ các tiêu chí: {', '.join(lacking)}.",))
        if extra:
            return Verdict(False, f"Bảng điểm có tiêu chí lạ: {', '.join(extra)}.",
                           (f"Bỏ hoặc sửa các tiêu chí không có trong bảng điểm: "
                            f"{', '.join(extra)}.",))
        over = [f"{c[0]} ({num(s)}/{num(c[2])})" for c, s in zip(self.criteria, scores,
                                                                   strict=True) if s > c[2]]
        if over:
            return Verdict(False, f"Điểm vượt mức tối đa: {', '.join(over)}.",
                           (f"Sửa điểm vượt mức tối đa: {', '.join(over)}.",))
        total = sum(scores)
        band = self.place(scores)
        code, name, _min, _each = self.bands[band]
        parts = ", ".join(f"{c[0]} {num(s)}/{num(c[2])}"
                          for c, s in zip(self.criteria, scores, strict=True))
        text = (f"Tổng điểm năm {y}: {num(total)}/{num(self.total)} ({parts}) — xếp loại {name} "
                f"theo {self.scale_title} (yêu cầu: {self.band_name}).")
        if band <= self.target:
            return Verdict(True, text, grade=code)
        _c, tname, tmin, teach = self.bands[self.target]
        need_total = tmin * self.total / 100
        missing = []
        if total < need_total:
            missing.append(f"Cần thêm {num(need_total - total)} điểm để đạt {tname} (từ "
                           f"{num(need_total)}/{num(self.total)}).")
        if teach:
            low = [f"{c[0]} ({num(s)}/{num(c[2])})" for c, s in zip(self.criteria, scores,
                                                                     strict=True)
                   if s * 100 < teach * c[2]]
            if low:
                missing.append(f"Để đạt {tname}, không tiêu chí nào dưới {num(teach)}% số điểm; "
                               f"đang dưới: {', '.join(low)}.")
        return Verdict(False, text, tuple(missing), grade=code)


def vocabulary() -> list[tuple[str, str]]:
    """(check name, description) of every check, for `thidua rules show` and the README."""
    return [(name, " ".join((cls.__doc__ or "").split())) for name, cls in sorted(REGISTRY.items())]
