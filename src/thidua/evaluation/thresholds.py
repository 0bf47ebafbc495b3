"""Vote thresholds of the review council, as rules with their sources: which share a title
needs. The arithmetic (met or not, the explanation) is the councils app's `Threshold`.

Order of look-up for a title and a year: the rule sets judging the year, if one states it (a
parameter `vote_percent_<TITLE>`);
then a `VoteThreshold` row (an installation's override, valid for the year's last day); then
DEFAULTS below. Every threshold is a share of ALL council members, absent ones included
(NĐ 98/2023 Art. 30.7: absent members give their opinion in writing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q

from thidua.councils.tally import Threshold
from thidua.evaluation.models import VoteThreshold
from thidua.rules.ruleset import RuleSetError, rulesets_for_year

# For years whose rule sets state no share (before NĐ 98/2023, or the union's own titles): the
# shares of NĐ 98/2023 Art. 30.7, marked L because that decree did not govern those years.
NDD98 = ("NĐ 98/2023/NĐ-CP, Điều 30 khoản 7 (áp dụng khi bộ quy tắc của năm không quy định "
         "ngưỡng)")
def _t(title: str, share: str, strict: bool, source: str, confidence: str) -> Threshold:
    return Threshold(Fraction(Decimal(share)), strict, source, confidence, title)


DEFAULTS: tuple[Threshold, ...] = (
    _t("CSTDCS", "0.80", False, NDD98, "L"),
    _t("CSTD_TINH", "0.90", False, NDD98, "L"),
    _t("CSTD_TQ", "0.90", False, NDD98, "L"),
    # Cờ thi đua (Bộ/tỉnh, Chính phủ): 80 % under the same clause; kept for the flag titles.
    _t("CO_TD_TINH", "0.80", False, NDD98, "L"),
    _t("CO_TD_CP", "0.80", False, NDD98, "L"),
    # No source sets a share for LĐTT, TTLĐTT and the union titles: a simple majority of all
    # members is assumed until the union's regulation (QĐ 999/QĐ-TLĐ) is read.
    _t("", "0.50", True,
       "Giả định: quá bán tổng số thành viên Hội đồng (chưa tìm thấy văn bản quy định)", "G"),
)


def _from_engine(title: str, year: int) -> Threshold | None:
    """A threshold stated by a rule set judging `year`: a parameter `vote_percent_<TITLE>`
    (with `vote_strict_<TITLE>` true for "more than"), carrying its source and confidence."""
    try:
        rulesets = rulesets_for_year(year)
    except RuleSetError:
        return None
    for rs in rulesets:
        param = rs.params.get(f"vote_percent_{title}")
        if param is None:
            continue
        strict = rs.params.get(f"vote_strict_{title}")
        return Threshold(Fraction(Decimal(str(param.value))) / 100,
                         bool(strict.value) if strict else False,
                         param.source, param.confidence, title)
    return None


def threshold_for(title: str, year: int) -> Threshold:
    engine = _from_engine(title, year)
    if engine is not None:
        return engine
    day = dt.date(year, 12, 31)
    alive = (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    rows = {r.title: r for r in VoteThreshold.objects.filter(alive, title__in=[title, ""])}
    row = rows.get(title)
    if row is None:
        default = next((t for t in DEFAULTS if t.title == title), None)
        if default is not None:
            return default
        row = rows.get("")
    if row is not None:
        return Threshold(Fraction(row.share), row.strict, row.source, row.confidence, title)
    return next(t for t in DEFAULTS if t.title == "")


def thresholds_for(titles: list[str], year: int) -> dict[str, Threshold]:
    return {t: threshold_for(t, year) for t in titles}
