"""The arithmetic of a cluster's scoring sheet and ranking, on plain values (no database).

Points of a criterion (`points_for`):
- TARGET: the figure against the unit's target, in proportion and capped at the maximum
  (`max × min(value / target, 1)`); a target of 0 gives the maximum to any figure;
- YES_NO: the maximum for 1 (có), 0 for 0 (không);
- POINTS, BONUS, PENALTY: the points entered, 0 to the maximum; a penalty counts negative;
- GROUP: the sum of its children (computed by `sheet_total`).

The proportional rule for a target is ours (settings, ADR 0023): no public union regulation
giving a cluster's formula was found.

Ranking (`rank`): by total, highest first; level totals go through the issuer's tie-break rules
in order; units still level share a rank (1, 1, 3) and the cluster meeting's vote decides,
unless the head unit (or the issuer) has put them in order by hand with its reason (`by_hand`,
read only between units the rules left level: `BY_HAND` then names what separated them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
BY_HAND = "theo_tay"  # decided_by of units put in order by hand
ZERO = Decimal(0)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def points_for(kind: str, max_points: Decimal, value: Decimal | None,
               target: Decimal | None = None) -> Decimal | None:
    """The points one entry earns (negative for a penalty); None while nothing is entered or a
    target is missing."""
    if value is None:
        return None
    if kind == "chi_tieu":
        if target is None:
            return None
        if target <= 0:
            return q2(max_points)
        return q2(max_points * min(value / target, Decimal(1)))
    if kind == "co_khong":
        return q2(max_points) if value else ZERO
    capped = min(max(value, ZERO), max_points)
    return q2(-capped) if kind == "tru" else q2(capped)


@dataclass(frozen=True)
class Line:
    """A criterion as the arithmetic sees it."""

    id: int
    parent_id: int | None
    kind: str
    max_points: Decimal


@dataclass
class Totals:
    total: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO  # as a positive number
    groups: dict[int, Decimal] = field(default_factory=dict)  # group id -> its points
    missing: int = 0  # scored criteria without points


def sheet_total(lines: Sequence[Line], points: Mapping[int, Decimal | None]) -> Totals:
    """The totals of one sheet: `points` maps a criterion id to its (final) points."""
    out = Totals()
    groups = {ln.id for ln in lines if ln.kind == "nhom"}
    for ln in lines:
        if ln.kind == "nhom":
            continue
        p = points.get(ln.id)
        if p is None:
            out.missing += 1
            continue
        out.total += p
        if ln.kind == "thuong":
            out.bonus += p
        elif ln.kind == "tru":
            out.penalty -= p
        parent = ln.parent_id
        seen: set[int] = set()
        while parent is not None and parent in groups and parent not in seen:
            seen.add(parent)
            out.groups[parent] = out.groups.get(parent, ZERO) + p
            parent = next((x.parent_id for x in lines if x.id == parent), None)
    out.total = q2(out.total)
    return out


@dataclass(frozen=True)
class Entry:
    """One member in the ranking: `key` identifies it; `submitted` orders "gửi sớm hơn"."""

    key: int
    totals: Totals
    submitted: float = 0.0


@dataclass(frozen=True)
class Ranked:
    key: int
    rank: int
    total: Decimal
    tied: bool  # shares its rank after the tie-break rules
    decided_by: str  # the tie-break rule that separated it from the one above, if any


def _tie_key(entry: Entry, rule: str, first_group: int | None) -> Decimal | float:
    t = entry.totals
    if rule == "it_diem_tru":
        return -t.penalty
    if rule == "nhieu_diem_thuong":
        return t.bonus
    if rule == "nhom_dau":
        return t.groups.get(first_group, ZERO) if first_group is not None else ZERO
    if rule == "gui_som":
        return -entry.submitted
    raise ValueError(rule)


def rank(entries: Sequence[Entry], tie_breaks: Sequence[str], *,
         first_group: int | None = None,
         by_hand: Mapping[int, int] | None = None) -> list[Ranked]:
    """Competition ranking by total then the tie-break rules in order, then the hand order
    (`by_hand`: key -> position, 1 first; units without one come after those with one)."""
    hand = dict(by_hand or {})
    rules = [*tie_breaks, BY_HAND] if hand else list(tie_breaks)

    def key(e: Entry) -> tuple[Decimal | float, ...]:
        tail = (-hand.get(e.key, 10_000),) if hand else ()
        return (e.totals.total, *(_tie_key(e, r, first_group) for r in tie_breaks), *tail)

    ordered = sorted(entries, key=key, reverse=True)
    out: list[Ranked] = []
    for i, e in enumerate(ordered):
        k = key(e)
        prev = ordered[i - 1] if i else None
        same_as_prev = prev is not None and key(prev) == k
        same_as_next = i + 1 < len(ordered) and key(ordered[i + 1]) == k
        position = out[-1].rank if same_as_prev else i + 1
        decided = ""
        if prev is not None and not same_as_prev and prev.totals.total == e.totals.total:
            kp = key(prev)
            decided = next(r for j, r in enumerate(rules) if kp[j + 1] != k[j + 1])
        out.append(Ranked(e.key, position, e.totals.total, same_as_prev or same_as_next,
                          decided))
    # the unit separated by a rule from the one below it also says which rule did it
    for i in range(len(out) - 1):
        if out[i + 1].decided_by and not out[i].decided_by:
            out[i] = Ranked(out[i].key, out[i].rank, out[i].total, out[i].tied,
                            out[i + 1].decided_by)
    return out
