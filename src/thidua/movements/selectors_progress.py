"""A unit's registration progress for a year: members registered (and with enough
commitments) per child unit, the units' own registrations by type, the subtree's totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from thidua.movements.catalogue import UNIT_TYPE_ORDER
from thidua.movements.models import Registration, RegistrationRule
from thidua.movements.registered import registered_sums
from thidua.movements.selectors import Calendar, CoverageLine, RuleBook
from thidua.org.models import Unit, UnitVersion
from thidua.org.selectors import kept_children, kept_subtree
from thidua.platform.text import vn_date, vn_number


@dataclass(kw_only=True)
class RegistrationCounts:
    """What the page counts for the unit's subtree and for each child's: members and workers
    on the roster at the day, those registered (members with the commitments the rule asks),
    and the unit's own registration."""

    members: int = 0
    members_registered: int = 0
    members_enough: int = 0
    workers: int = 0
    workers_registered: int = 0
    unit_registered: bool = False
    unit_commitments: int = 0

    @property
    def members_missing(self) -> int:
        return self.members - self.members_registered


@dataclass
class ChildProgress(RegistrationCounts):
    code: str
    name: str
    unit_type: str
    path: str

    @property
    def complete(self) -> bool:
        return self.members_registered == self.members and self.unit_registered


@dataclass
class RegistrationProgress(RegistrationCounts):
    unit: Unit
    version: UnitVersion | None
    year: int
    day: dt.date
    calendar: Calendar
    rule: RegistrationRule | None
    children: list[ChildProgress] = field(default_factory=list)
    units_by_type: list[CoverageLine] = field(default_factory=list)  # launched = registered

    @property
    def members_short(self) -> int:
        """Registered, but with fewer commitments than the rule asks."""
        return self.members_registered - self.members_enough

    @property
    def deadline(self) -> dt.date | None:
        return self.rule.deadline if self.rule else None

    @property
    def min_member(self) -> int:
        return self.rule.min_commitments_member if self.rule else 0

    @property
    def min_unit(self) -> int:
        return self.rule.min_commitments_unit if self.rule else 0

    def banner(self) -> str:
        """"Còn 12 đoàn viên chưa đăng ký, hạn 25/01/2018." — empty when everyone has."""
        parts = []
        if self.members_missing:
            parts.append(f"Còn {vn_number(self.members_missing)} đoàn viên chưa đăng ký")
        if self.members_short and self.min_member:
            parts.append(f"{vn_number(self.members_short)} đoàn viên chưa đủ "
                         f"{self.min_member} việc làm cụ thể")
        if not parts:
            return ""
        text = ", ".join(parts)
        if self.deadline:
            text += f", hạn {vn_date(self.deadline)}"
        return text + "."


def registration_progress(*, unit: Unit, year: int, today: dt.date) -> RegistrationProgress:
    """Members registered (and with enough commitments) per child unit, the units' own
    registrations, and the totals of the subtree, as the roster stood on the year's reference
    day. Read from the kept figures (the roster's, ADR 0025 and 0035; who has registered,
    ADR 0037), in a fixed number of queries that read no membership, employment or unit
    below the children, whatever the size of the subtree."""
    book = RuleBook(unit.path, year)
    calendar = book.calendar(unit.path)
    rule = book.rule(unit.path, year)
    day = calendar.reference_day(year, today)
    version = unit.versions.filter(
        Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))).first()
    progress = RegistrationProgress(unit, version, year, day, calendar, rule)
    if version is None:
        return progress
    need = rule.min_commitments_member if rule else 0
    need_unit = rule.min_commitments_unit if rule else 0
    kids = kept_children(version, day)
    node = kept_subtree(unit_path=version.path, day=day)
    ids = [unit.pk, *(k.unit_id for k in kids)]
    own = dict(Registration.objects.filter(unit_id__in=ids, year=year)
               .values_list("unit_id", "commitment_count"))
    sums = registered_sums(ids, year=year, day=day)

    def fill(target: RegistrationCounts, people: dict[str, int],
             registered: dict[str, int]) -> None:
        target.members, target.workers = people["members"], people["workers"]
        target.workers_registered = registered.get("w", 0)
        for key, n in registered.items():
            kind, _, commitments = key.partition(":")
            if kind == "m":
                target.members_registered += n
                if int(commitments) >= need:
                    target.members_enough += n

    fill(progress, node.people, sums[unit.pk])
    progress.unit_commitments = own.get(unit.pk, 0)
    progress.unit_registered = unit.pk in own and progress.unit_commitments >= need_unit
    for k in kids:
        child = ChildProgress(k.code, k.name, k.type, k.path,
                              unit_registered=k.unit_id in own and own[k.unit_id] >= need_unit,
                              unit_commitments=own.get(k.unit_id, 0))
        fill(child, k.kept.people, sums[k.unit_id])
        progress.children.append(child)
    # the units below by type, and how many registered (launched: with the commitments the
    # rule asks for units); the unit's own registration is in its subtree's sums, not below
    registered: dict[str, list[int]] = {}
    for key, n in sums[unit.pk].items():
        kind, _, rest = key.partition(":")
        if kind == "u":
            unit_type, _, commitments = rest.rpartition(":")
            line = registered.setdefault(unit_type, [0, 0])
            line[0] += n
            line[1] += n if int(commitments) >= need_unit else 0
    if unit.pk in own:
        line = registered.setdefault(unit.type, [0, 0])
        line[0] -= 1
        line[1] -= 1 if own[unit.pk] >= need_unit else 0
    order = {t: i for i, t in enumerate(UNIT_TYPE_ORDER)}
    progress.units_by_type = sorted(
        (CoverageLine(unit_type, total, *registered.get(unit_type, [0, 0]))
         for unit_type, total in node.units_below().items()),
        key=lambda x: order.get(x.unit_type, 99))
    return progress
