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

import datetime as dt
import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
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

    def short_of(self, code: str) -> str:
        """A title's short name as this rule's own rule set names it (the union's CSTD_TINH is
        "CSTĐ Tổng Liên đoàn"), else the catalogue's."""
        spec = self.ruleset.titles.get(code)
        return spec.short if spec is not None else title_short(code)

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
    #: The key as a function of the part alone, when the part is finer than the key (a
    #: title's outcomes are then found by the key); None when the key is the part.
    key_of_part: Callable[[Hashable], Hashable] | None = None
    #: The titles of `deps` whose outcome this check's key reads whole (their texts), not
    #: only whether they are met.
    reads_whole: ClassVar[bool] = True

    def whole_deps(self) -> tuple[str, ...]:
        return self.deps if self.reads_whole else ()

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

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        """`part` of each of `facts` (each for its own year) as one list; checks reading one
        plain fact override it with a comprehension (no call per person)."""
        read = self.reader()
        return [read(f, f.year) for f in facts]

    def key_column(self, part: Callable[[Check], list[Any]],
                   outcomes: Callable[[str], list[Any]]) -> list[Any] | None:
        """`key` for every row at once, from the column of its part (`part(check)`) and those
        of the outcomes of other titles (`outcomes(code)`); None when it cannot be had so."""
        if self.part_id is None or self.deps:
            return None
        if self.key_of_part is not None:
            return derived(part(self), self.key_of_part)
        if type(self).part is not Check.part:
            return None
        return part(self)  # a key that reads no outcome is its part

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        raise NotImplementedError

    def judge(self, key: Any, y: int) -> Verdict:
        raise NotImplementedError

    def decide(self, key: Any, y: int) -> tuple[bool, str | None]:
        """(passed, grade) of `judge` without writing its texts; overridden by checks whose
        keys are many, the others' verdicts being few and cached."""
        verdict = self.judge(key, y)
        return verdict.passed, verdict.grade


_NO_OUTCOMES: Mapping[str, Any] = {}


# The last column `derived` read: (the column, each row's place among its distinct values,
# those values). The titles of a batch derive their keys from the same column (each title its
# own registration): its values are hashed once, not once per title.
_coded: tuple[list[Any], list[int], list[Any]] | None = None


def derived(column: list[Any], of: Callable[[Any], Any]) -> list[Any]:
    """`of` of each value of a column, computed once per distinct value."""
    global _coded
    coded = _coded
    if coded is None or coded[0] is not column:
        distinct = list(set(column))
        place = dict(zip(distinct, range(len(distinct)), strict=True))
        coded = _coded = (column, list(map(place.__getitem__, column)), distinct)
    return list(map([of(v) for v in coded[2]].__getitem__, coded[1]))
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


_PLAIN = frozenset({tuple, frozenset})  # hashable as they are (tested before isinstance: faster)


@register
class Registered(Check):
    """Registered (đăng ký thi đua) this year for one of `any_of`; with `required = false` (a
    setting: the 2022 Law does not list registration) the rule only reports it."""

    name = "registered"

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.any_of = _codes(self, args, "any_of")
        self.required = self.arg(args, "required", bool, True)
        self.done(args)
        self.names = ", ".join(self.short_of(c) for c in self.any_of)
        self.key_of_part = self._registered_for

    part_id = ("registered",)

    def part(self, f: Any, y: int) -> Hashable:
        regs = f.registered.get(y)
        return regs if regs is None or isinstance(regs, frozenset | tuple) else tuple(regs)

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        found = [f.registered.get(f.year) for f in facts]
        return [r if r is None or type(r) in _PLAIN or isinstance(r, frozenset | tuple)
                else tuple(r) for r in found]

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        return self._registered_for(f.registered.get(y))

    def _registered_for(self, regs: Any) -> Hashable:
        if regs:
            for code in self.any_of:
                if code in regs:
                    return code
        return None

    def judge(self, key: Any, y: int) -> Verdict:
        if key is not None:
            return Verdict(True, f"Đã đăng ký thi đua năm {y} ({self.short_of(key)}).")
        if not self.required:
            return Verdict(True, f"Chưa đăng ký thi đua năm {y}; đăng ký không phải là điều kiện "
                                 "xét năm này.")
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

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        return [f.ratings.get(f.year) for f in facts]

    def judge(self, key: Any, y: int) -> Verdict:
        need = RATINGS[self.min] + ("" if self.min == "HTXSNV" else " trở lên")
        if key is None:
            return Verdict(False, f"Chưa có xếp loại năm {y} (yêu cầu: {need}).",
                           (f"Cần xếp loại năm {y}: {need}.",))
        if RATING_RANK[key] >= self.rank:
            return Verdict(True, f"Năm {y} xếp loại {RATINGS[key]} (yêu cầu: {need}).")
        return Verdict(False, f"Năm {y} xếp loại {RATINGS[key]}, chưa đạt yêu cầu {need}.",
                       (f"Cần xếp loại {need} năm {y} (hiện: {RATINGS[key]}).",))


#: A year's state in a streak: not held, held, held but already used by an earlier award.
_NO, _HELD, _USED = 0, 1, 2


def _span_years(items: list[int]) -> str:
    return ", ".join(str(i) for i in items)


def _next_years(start: int, count: int) -> str:
    return f"năm {years(start, start + count - 1)}"


@register
class Streak(Check):
    """`title` received in `years` consecutive years ending with the judged year
    (`include_current = true`, the judged year counting this evaluation's own result for that
    title, or the facts' decided title when this rule set does not judge it) or with the year
    before (`include_current = false`). Counts at most `years` years back: a gap breaks the
    streak. With `used_by = "<title>"`, a year in which that title was received ends the count:
    that award used up the years it rests on (one achievement, one award)."""

    name = "streak"
    reads_whole = False  # only whether this year's title is met

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.title = self.arg(args, "title", str)
        self.n = self.arg(args, "years", int)
        if self.n < 1:
            raise self.error("'years' phải từ 1 trở lên.")
        self.include_current = self.arg(args, "include_current", bool)
        self.used_by = self.arg(args, "used_by", str, "")
        self.done(args)
        self.offset = 0 if self.include_current else 1
        self.lookback = self.n - 1 + self.offset
        self.judged_here = self.title in defined
        if self.include_current and self.judged_here:
            self.deps = (self.title,)
        self.short = self.short_of(self.title)
        self.used_short = self.short_of(self.used_by) if self.used_by else ""
        self.part_id = ("streak", self.title, self.n, self.offset, self.used_by)

    def key_column(self, part: Callable[[Check], list[Any]],
                   outcomes: Callable[[str], list[Any]]) -> list[Any] | None:
        held = part(self)
        if not self.include_current:
            return held
        return [(*h[:-1], _HELD) if h[-1] == _NO and o is not None and o.eligible else h
                for h, o in zip(held, outcomes(self.title), strict=True)]

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        nothing = (_NO,) * self.n  # nothing received in the years read
        part = self.part
        # people of a batch often share one history object (a reader that builds each
        # distinct history once): read each (history, year) once; the objects are alive
        # throughout, so their ids stay theirs
        seen: dict[tuple[int, int], Hashable] = {}
        # (no call per row: the lookup written out)
        return [(seen.get(key := (id(t), f.year)) or seen.setdefault(key, part(f, f.year)))
                if (t := f.titles) else nothing for f in facts]

    def part(self, f: Any, y: int) -> tuple[int, ...]:
        titles = f.titles
        code = self.title
        if not self.used_by:
            return tuple([_HELD if (got := titles.get(year)) is not None and code in got else _NO
                          for year in range(y - self.offset - self.n + 1, y - self.offset + 1)])
        held = []
        used_until = None
        for year in range(y - self.offset - self.n + 1, y - self.offset + 1):
            got = titles.get(year)
            held.append(_HELD if got is not None and code in got else _NO)
            if self.used_by and got is not None and self.used_by in got:
                used_until = len(held) - 1
        if used_until is not None:
            held = [_USED if i <= used_until and h else h for i, h in enumerate(held)]
        return tuple(held)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        held = self.part(f, y)
        if self.include_current and held[-1] == _NO:
            # The judged year counts this evaluation's own result for the title.
            current = outcomes.get(self.title)
            if current is not None and current.eligible:
                held = (*held[:-1], _HELD)
        return held

    def decide(self, key: Any, y: int) -> tuple[bool, str | None]:
        return len(key) >= self.n and all(has == _HELD for has in key[-self.n:]), None

    def judge(self, key: Any, y: int) -> Verdict:
        end = y - self.offset
        start = end - self.n + 1
        run = 0
        for has in reversed(key):
            if has != _HELD:
                break
            run += 1
        got = [start + i for i, has in enumerate(key) if has == _HELD]
        used = [start + i for i, has in enumerate(key) if has == _USED]
        lacking = [start + i for i, has in enumerate(key) if has == _NO]
        span = years(start, end)
        detail = f"có: {_span_years(got) or 'không năm nào'}"
        if used:
            detail += f"; đã dùng cho lần đạt {self.used_short} trước: {_span_years(used)}"
        if lacking:
            detail += f"; chưa có: {_span_years(lacking)}"
        if run >= self.n:
            fresh = f" (chưa dùng cho lần đạt {self.used_short} nào)" if self.used_by else ""
            return Verdict(True, f"Đạt {self.short} {self.n} năm liên tục {span}{fresh}.")
        text = f"Chưa đủ {self.n} năm liên tục đạt {self.short} ({span}): {detail}."
        if self.include_current and not self.judged_here and end in lacking:
            text += (f" Năm {end}: chưa có quyết định {self.short} (bộ quy tắc này không xét danh "
                     "hiệu đó; lấy từ danh hiệu đã được quyết định của năm).")
            if key[:-1] == (_HELD,) * (self.n - 1):
                return Verdict(False, text, (
                    f"Cần có quyết định {self.short} năm {end} (bộ quy tắc này không xét danh "
                    f"hiệu đó; ghi vào danh hiệu đã đạt của năm {end}).",))
        need = self.n - run
        after = f"{run} năm liên tục tính đến năm {end}" if run else "chưa có năm nào liên tục"
        return Verdict(
            False, text,
            (f"Cần đạt tiếp {self.short} {_next_years(end + 1, need)} (hiện {after}; cần "
             f"{self.n} năm liên tục).",))


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

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        return [f.service_months.get(f.year) for f in facts]

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

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        return [(absent, f.maternity_days.get(f.year, 0))
                if (absent := f.absence_days.get(f.year, 0)) else 0 for f in facts]

    def decide(self, key: Any, y: int) -> tuple[bool, str | None]:
        if key == 0:
            return True, None
        absent, maternity = key
        return (max(absent - maternity, 0) if self.maternity else absent) < self.days, None

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
        ended: dt.date | None = None
        for d in f.discipline:
            rank = d.rank_in(y)
            if rank > worst_rank:
                worst, worst_rank = d.form, rank
                ended = d.end if d.end is not None and d.end.year == y else None
        return None if worst is None else (worst, ended)

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        return [self.key(f, f.year, _NO_OUTCOMES) if f.discipline else None for f in facts]

    def decide(self, key: Any, y: int) -> tuple[bool, str | None]:
        return key is None or DISCIPLINE_RANK[key[0]] < self.rank, None

    def judge(self, key: Any, y: int) -> Verdict:
        bar = f"từ {DISCIPLINE_FORMS[self.form]} trở lên"
        if key is None:
            return Verdict(True, f"Không có kỷ luật còn hiệu lực trong năm {y}.")
        code, ended = key
        form = DISCIPLINE_FORMS[code]
        if ended is not None:
            when = (f"Chịu kỷ luật {form} trong năm {y}, hết hiệu lực từ ngày "
                    f"{ended:%d/%m/%Y}")
        else:
            when = f"Đang chịu kỷ luật {form} đến hết năm {y}"
        if DISCIPLINE_RANK[code] < self.rank:
            return Verdict(True, f"{when}, nhẹ hơn mức loại trừ ({bar}).")
        return Verdict(False, f"{when} (loại trừ {bar}).",
                       (f"Không được xét khi có kỷ luật {bar} có hiệu lực trong năm {y} (hiện: "
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

    def decide(self, key: Any, y: int) -> tuple[bool, str | None]:
        return key is not None and bool(key.eligible), None

    def key_column(self, part: Callable[[Check], list[Any]],
                   outcomes: Callable[[str], list[Any]]) -> list[Any] | None:
        return outcomes(self.code)

    def judge(self, key: Any, y: int) -> Verdict:
        name = self.short_of(self.code)
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

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        return [self.key(f, f.year, _NO_OUTCOMES) if f.initiatives else 0 for f in facts]

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

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        return [f.person.member for f in facts]

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

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        return [f.person.gender for f in facts]

    def judge(self, key: Any, y: int) -> Verdict:
        want = "lao động nữ" if self.gender == "nu" else "lao động nam"
        if key == self.gender:
            return Verdict(True, f"Thuộc đối tượng xét: {want}.")
        if not key:
            return Verdict(False, "Chưa có giới tính trong dữ liệu.",
                           (f"Cần ghi giới tính (danh hiệu dành cho {want}).",))
        return Verdict(False, f"Danh hiệu dành cho {want}.", (f"Danh hiệu dành cho {want}.",))


@register
class Family(Check):
    """The "đảm việc nhà" half of Giỏi việc nước, đảm việc nhà is confirmed for the judged year
    (`family[year]`): `criteria` names what each federation checks (a setting); a missing fact
    asks for the confirmation instead of passing silently."""

    name = "family"
    subjects = ("person",)
    part_id = ("family",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.criteria: str = self.arg(args, "criteria", str)
        self.done(args)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        found: Hashable = f.family.get(y)
        return found

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        return [f.family.get(f.year) for f in facts]

    def judge(self, key: Any, y: int) -> Verdict:
        if key is True:
            return Verdict(True, f"Đạt tiêu chí đảm việc nhà năm {y} ({self.criteria}).")
        if key is None:
            return Verdict(False, f"Chưa có xác nhận tiêu chí đảm việc nhà năm {y}.",
                           (f"Cần xác nhận tiêu chí đảm việc nhà năm {y} ({self.criteria}).",))
        return Verdict(False, f"Chưa đạt tiêu chí đảm việc nhà năm {y}.",
                       (f"Cần đạt tiêu chí đảm việc nhà ({self.criteria}).",))


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

    def whole_deps(self) -> tuple[str, ...]:
        return tuple(d for c in self.children for d in c.whole_deps())

    def key_column(self, part: Callable[[Check], list[Any]],
                   outcomes: Callable[[str], list[Any]]) -> list[Any] | None:
        found = [c.key_column(part, outcomes) for c in self.children]
        if any(k is None for k in found):
            return None
        return list(zip(*found, strict=True))

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        return tuple([c.key(f, y, outcomes) for c in self.children])

    def judge(self, key: Any, y: int) -> Verdict:
        verdicts = [c.judge(k, y) for c, k in zip(self.children, key, strict=True)]
        passed = [v for v in verdicts if v.passed]
        if passed:
            return Verdict(True, "Đạt một trong các điều kiện: " + passed[0].text)
        return Verdict(
            False, "Chưa đạt điều kiện nào trong: " + " | ".join(v.text for v in verdicts),
            ("Cần một trong các điều kiện: "
             + "; hoặc ".join(_need(v.missing[0]) for v in verdicts if v.missing) + ".",))


def _need(text: str) -> str:
    """"Cần xếp loại … năm 2024." -> "xếp loại … năm 2024" (one "Cần" for the whole list)."""
    text = text.rstrip(".")
    return text[4:] if text.startswith("Cần ") else text[:1].lower() + text[1:]


# The checks on a unit, and the run of earlier awards, live in their own modules; importing
# them registers them.
from thidua.rules import checks_awards, checks_unit  # noqa: E402, F401


def vocabulary() -> list[tuple[str, str]]:
    """(check name, description) of every check, for `thidua rules show` and the README."""
    return [(name, " ".join((cls.__doc__ or "").split())) for name, cls in sorted(REGISTRY.items())]
