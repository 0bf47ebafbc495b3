"""The check on a run of earlier awards (`awards_in_a_row`: CSTĐ tỉnh "02 lần liên tục"…).
Registered into the vocabulary of `checks.py`, which imports this module."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from thidua.rules.checks import _NO_OUTCOMES, Check, Verdict, _span_years, register, years

_NONE3 = (False, False, False)


# the key of a person who did not receive `title` the year before: whatever the earlier years
# hold, `judge` answers the same; empty, so that it hashes at once (a tuple of the years read
# was hashed per row and title: a tenth of a microsecond each)
_NOTHING_HELD: tuple[tuple[bool, bool, bool], ...] = ()


@register
class AwardsInARow(Check):
    """`times` consecutive awards of `title` (e.g. CSTĐ tỉnh "02 lần liên tục"), the latest in
    the year before the judged one, each resting on its own `each_years` years of `base` (e.g.
    CSTĐ cơ sở) with `base` held every year of the whole run (six consecutive CSTĐ cơ sở years
    for two awards on three each). With `used_by`, an award already followed by that title (a
    CSTĐ toàn quốc granted on it) no longer counts."""

    name = "awards_in_a_row"
    subjects = ("person",)

    def setup(self, args: dict[str, Any], defined: frozenset[str]) -> None:
        self.title = self.arg(args, "title", str)
        self.times = self.arg(args, "times", int)
        self.base = self.arg(args, "base", str)
        self.each = self.arg(args, "each_years", int)
        self.used_by = self.arg(args, "used_by", str, "")
        if self.times < 2 or self.each < 1:
            raise self.error("'times' phải từ 2, 'each_years' từ 1 trở lên.")
        self.done(args)
        # room for awards a year or two further apart than `each_years`
        self.lookback = (self.each + 2) * self.times
        self.short = self.short_of(self.title)
        self.base_short = self.short_of(self.base)
        self.part_id = ("in_a_row", self.title, self.base, self.used_by, self.lookback)

    def key(self, f: Any, y: int, outcomes: Mapping[str, Any]) -> Hashable:
        titles = f.titles
        last = titles.get(y - 1) if titles else None
        if last is None or self.title not in last:
            # most people: without the title the year before, the years read do not matter
            # (`judge` answers the same whatever they hold)
            return _NOTHING_HELD
        title, base, used_by = self.title, self.base, self.used_by
        out = []
        for year in range(y - self.lookback, y):
            got = titles.get(year)
            if got is None:
                out.append(_NONE3)
            else:
                out.append((title in got, base in got, bool(used_by) and used_by in got))
        return tuple(out)

    def column(self, facts: Sequence[Any]) -> list[Hashable]:
        # most rows did not receive the title the year before: their key without a call
        nothing = _NOTHING_HELD
        title, key, none = self.title, self.key, _NO_OUTCOMES
        return [key(f, f.year, none)
                if (t := f.titles) and (last := t.get(f.year - 1)) is not None and title in last
                else nothing for f in facts]

    def _missing(self, y: int) -> tuple[str, ...]:
        total = self.each * self.times
        return (f"Cần {self.times} lần liên tục đạt {self.short}, mỗi lần trên {self.each} năm "
                f"{self.base_short} riêng ({total} năm {self.base_short} liên tục), lần gần nhất "
                f"vào năm {y - 1}.",)

    def judge(self, key: Any, y: int) -> Verdict:
        first = y - self.lookback
        awards = [first + i for i, (t, _b, _u) in enumerate(key) if t]
        base = {first + i for i, (_t, b, _u) in enumerate(key) if b}
        used = [first + i for i, (_t, _b, u) in enumerate(key) if u]
        if not awards or awards[-1] != y - 1:
            return Verdict(False, f"Năm {y - 1} chưa đạt {self.short} (xét vào năm liền sau lần "
                                  f"thứ {self.times}).", self._missing(y))
        chain = [awards[-1]]
        for z in reversed(awards[:-1]):
            if len(chain) == self.times:
                break
            later = chain[-1]
            if later - z < self.each:
                return Verdict(
                    False,
                    f"Các lần đạt {self.short} năm {z} và {later} cách nhau dưới {self.each} "
                    f"năm: lần sau không dựa trên {self.each} năm {self.base_short} riêng.",
                    self._missing(y))
            chain.append(z)
        if len(chain) < self.times:
            return Verdict(False, f"Mới có {len(chain)} lần đạt {self.short} (năm "
                                  f"{_span_years(sorted(chain))}).", self._missing(y))
        chain.reverse()
        run_start = chain[0] - self.each + 1
        gaps = [yr for yr in range(run_start, chain[-1] + 1) if yr not in base]
        if gaps:
            return Verdict(False, f"Đạt {self.short} năm {_span_years(chain)} nhưng {self.base_short} "
                                  f"không liên tục {years(run_start, chain[-1])} (chưa có: "
                                  f"{_span_years(gaps)}).", self._missing(y))
        spent = [u for u in used if u > chain[0]]
        if spent:
            return Verdict(False, f"Các lần đạt {self.short} năm {_span_years(chain)} đã được dùng "
                                  f"cho {self.short_of(self.used_by)} năm {_span_years(spent)}.",
                           self._missing(y))
        return Verdict(True, f"Đạt {self.short} {self.times} lần liên tục (năm "
                             f"{' và '.join(str(c) for c in chain)}), mỗi lần trên {self.each} năm "
                             f"{self.base_short} riêng: {self.base_short} liên tục "
                             f"{years(run_start, chain[-1])}.")
