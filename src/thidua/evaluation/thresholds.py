"""Vote thresholds of the review council, as rules with their sources: which share a title
needs. The arithmetic (met or not, the explanation) is the councils app's `Threshold`.

Years before 2024 follow NĐ 91/2017 Art. 45.8 (90 % for CSTĐ tỉnh and toàn quốc, in the 2017
rule set; CSTĐ cơ sở left to each body: a setting); NĐ 98/2023 Art. 30.7 only from 2024.

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
from thidua.evaluation.issuer_settings import overrides_for
from thidua.evaluation.models import VoteThreshold
from thidua.org.models import Unit
from thidua.rules.ruleset import RuleSetError, rulesets_for_year

# NĐ 98/2023 Art. 30.7 governs from 01/01/2024 only: its shares for the flags (Cờ thi đua) are
# defaults from 2024 on; a year before 2024 never cites it (NĐ 91/2017 Art. 45.8 is in the
# 2017 rule set for CSTĐ tỉnh and toàn quốc; CSTĐ cơ sở is each body's setting).
NDD98_FROM = 2024
NDD98 = "NĐ 98/2023/NĐ-CP, Điều 30 khoản 7"
MAJORITY = "Thực tiễn địa phương: quá bán tổng số thành viên Hội đồng (không văn bản nào quy định tỷ lệ)"


def _t(title: str, share: str, strict: bool, source: str, confidence: str) -> Threshold:
    return Threshold(Fraction(Decimal(share)), strict, source, confidence, title)


#: From 2024: the flags' 80 % of NĐ 98/2023 (carried [L] under NĐ 152/2025 until checked).
DEFAULTS_2024: tuple[Threshold, ...] = (
    _t("CO_TD_TINH", "0.80", False, NDD98, "C"),
    _t("CO_TD_CP", "0.80", False, NDD98, "C"),
)
#: Any title and year no rule set, installation row or decree sets a share for (LĐTT,
#: TTLĐTT, the union's titles): a simple majority of all members, as a guess.
MAJORITY_DEFAULT = _t("", "0.50", True, MAJORITY, "G")
DEFAULTS: tuple[Threshold, ...] = (*DEFAULTS_2024, MAJORITY_DEFAULT)


def _from_settings(title: str, year: int, unit: Unit | None) -> Threshold | None:
    """The issuer's own share (a setting `vote_percent_<TITLE>`, e.g. CSTĐ cơ sở before 2024,
    which NĐ 91/2017 Art. 45.8 leaves to each body), where the rule set allows one."""
    if unit is None:
        return None
    found = overrides_for(unit, year)
    share = found.get(f"vote_percent_{title}")
    if share is None:
        return None
    try:
        allowed = any(rs.params.get(f"vote_percent_{title}") is not None
                      and rs.params[f"vote_percent_{title}"].setting
                      for rs in rulesets_for_year(year))
    except RuleSetError:
        return None
    if not allowed:
        return None
    strict = found.get(f"vote_strict_{title}")
    return Threshold(Fraction(int(share.value), 100), bool(strict.value) if strict else False,
                     share.by, "C", title)


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


def threshold_for(title: str, year: int, unit: Unit | None = None) -> Threshold:
    """The share `title` needs in `year`; with `unit` (the review's), the issuer's own setting
    first where the rule set leaves the share to each body."""
    own = _from_settings(title, year, unit)
    if own is not None:
        return own
    engine = _from_engine(title, year)
    if engine is not None:
        return engine
    day = dt.date(year, 12, 31)
    alive = (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    rows = {r.title: r for r in VoteThreshold.objects.filter(alive, title__in=[title, ""])}
    row = rows.get(title)
    if row is None:
        if year >= NDD98_FROM:
            default = next((t for t in DEFAULTS_2024 if t.title == title), None)
            if default is not None:
                return default
        row = rows.get("")
    if row is not None:
        return Threshold(Fraction(row.share), row.strict, row.source, row.confidence, title)
    return MAJORITY_DEFAULT


def thresholds_for(titles: list[str], year: int, unit: Unit | None = None
                   ) -> dict[str, Threshold]:
    return {t: threshold_for(t, year, unit) for t in titles}
