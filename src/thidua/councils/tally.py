"""The one tally and the one threshold test of every council.

`count(choices, members=…)` turns the votes cast on a subject (or a secret ballot's announced
counts) into a `Tally`; `decide(tally, threshold)` says whether it passes, with the Vietnamese
explanation. A threshold is a share of ALL members of the council, absent ones included
(NĐ 98/2023 Art. 30.7; TT 18/2013 Art. 8): a member who did not vote counts against.

The arithmetic is exact (fractions): 4 of 5 is exactly 80 %, and 2 of 3 is exactly 2/3."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from thidua.platform.text import vn_number

FOR, AGAINST, ABSENT = "dong_y", "khong_dong_y", "vang"


@dataclass(frozen=True)
class Tally:
    """Votes on one subject. `absent` = members who chose «vắng» plus those who cast nothing;
    `cast` = ballots actually recorded (of any choice)."""

    members: int
    votes_for: int
    votes_against: int
    absent: int
    cast: int

    @property
    def not_voted(self) -> int:
        """Members with no ballot for or against (absent or not yet voted)."""
        return self.members - self.votes_for - self.votes_against

    @property
    def missing(self) -> int:
        """Members with no ballot at all (not even «vắng»)."""
        return max(0, self.members - self.cast)

    def share_text(self) -> str:
        """"80,0%": the share of all members who voted for."""
        share = 100 * self.votes_for / self.members if self.members else 0
        return f"{vn_number(share, 1)}%"

    def as_counts(self) -> dict[str, int]:
        return {"for": self.votes_for, "against": self.votes_against, "absent": self.absent}


def count(choices: Iterable[str], *, members: int) -> Tally:
    """The tally of the ballots `choices` (one per member who voted) over `members` seats."""
    n_for = n_against = n_absent = 0
    for choice in choices:
        if choice == FOR:
            n_for += 1
        elif choice == AGAINST:
            n_against += 1
        elif choice == ABSENT:
            n_absent += 1
        else:
            raise ValueError(f"unknown vote choice {choice!r}")
    cast = n_for + n_against + n_absent
    return Tally(members, n_for, n_against, members - n_for - n_against, cast)


def counted(*, members: int, votes_for: int, votes_against: int, cast: int | None = None
            ) -> Tally:
    """A tally from counts already known (a secret ballot, or a result frozen at closing)."""
    return Tally(members, votes_for, votes_against, members - votes_for - votes_against,
                 members if cast is None else cast)


def _percent(share: Fraction) -> str:
    """80 % -> "80", 2/3 -> "66,67"."""
    text = f"{float(share * 100):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _exact_decimal(share: Fraction) -> str:
    """4/5 -> "0.8"; a share without a short decimal form keeps four places."""
    value = Decimal(share.numerator) / Decimal(share.denominator)
    if Fraction(value) == share:
        return format(value.normalize(), "f")
    return format(value.quantize(Decimal("0.0001")), "f")


@dataclass(frozen=True)
class Threshold:
    """At least (`strict` False) or more than (`strict` True) `share` of all members.
    `title`: what it applies to ("" = any); `source` and `confidence` (C confirmed, L likely,
    G guess) say where it comes from."""

    share: Fraction
    strict: bool = False
    source: str = ""
    confidence: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "share", Fraction(self.share))
        if not 0 < self.share <= 1:
            raise ValueError(f"threshold share {self.share} is not in (0, 1]")

    def needed(self, members: int) -> int:
        """Votes for needed to pass with `members` seats."""
        exact = self.share * members
        if self.strict:
            return int(exact) + 1
        return -(-exact.numerator // exact.denominator)  # ceiling

    def met(self, votes_for: int, members: int) -> bool:
        if members <= 0:
            return False
        lhs = Fraction(votes_for)
        rhs = self.share * members
        return lhs > rhs if self.strict else lhs >= rhs

    @property
    def fraction(self) -> str:
        """"2/3", "4/5"."""
        return f"{self.share.numerator}/{self.share.denominator}"

    @property
    def share_text(self) -> str:
        """The share as written in the sources: a percentage when it has a short decimal form
        (80%, 66,67%), the fraction otherwise (2/3)."""
        if 10**6 % self.share.denominator == 0:
            return f"{_percent(self.share)}%"
        return self.fraction

    @property
    def text(self) -> str:
        comparison = "trên" if self.strict else "từ"
        return f"{comparison} {self.share_text} tổng số thành viên Hội đồng"

    @property
    def decimal(self) -> str:
        """"0.8": the share for machines (API, stored results)."""
        return _exact_decimal(self.share)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "share": self.decimal, "strict": self.strict,
                "source": self.source, "confidence": self.confidence, "text": self.text}


@dataclass(frozen=True)
class Decision:
    tally: Tally
    threshold: Threshold

    @property
    def needed(self) -> int:
        return self.threshold.needed(self.tally.members)

    @property
    def passed(self) -> bool:
        return self.threshold.met(self.tally.votes_for, self.tally.members)

    @property
    def explanation(self) -> str:
        """"4/5 thành viên đồng ý (80,0%); cần từ 80% tổng số thành viên Hội đồng (ít nhất 4)"."""
        t = self.tally
        return (f"{vn_number(t.votes_for)}/{vn_number(t.members)} thành viên đồng ý "
                f"({t.share_text()}); cần {self.threshold.text} (ít nhất "
                f"{vn_number(self.needed)})")


def decide(tally: Tally, threshold: Threshold) -> Decision:
    return Decision(tally, threshold)
