"""The checks on a unit (`subjects = ("unit",)`): shares and counts of its roster, its members'
discipline, how long it has operated, and its grading sheet. Registered into the vocabulary of
`checks.py`, which imports this module."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from thidua.rules.checks import Check, Verdict, _form, num, percent, register
from thidua.rules.facts import DISCIPLINE_FORMS, DISCIPLINE_RANK, ROSTER_COUNTS


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


