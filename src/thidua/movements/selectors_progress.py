"""A unit's registration progress for a year: members registered (and with enough
commitments) per child unit, the units' own registrations by type, the subtree's totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from thidua.movements.catalogue import UNIT_TYPE_ORDER
from thidua.movements.models import Registration, RegistrationRule
from thidua.movements.selectors import STEPLEN, Calendar, CoverageLine, RuleBook
from thidua.org.models import Unit, UnitVersion
from thidua.platform.text import vn_date, vn_number

_MEMBERS_BY_CHILD_SQL = """
SELECT SUBSTR(v.path, 1, %(plen)s) AS prefix, COUNT(*) AS n,
       SUM(CASE WHEN r.id IS NOT NULL THEN 1 ELSE 0 END) AS registered,
       SUM(CASE WHEN r.id IS NOT NULL AND r.commitment_count >= %(need)s THEN 1 ELSE 0 END)
         AS enough
FROM {table} t
JOIN org_unitversion v ON v.unit_id = t.unit_id
     AND v.valid_from <= %(day)s AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
LEFT JOIN movements_registration r ON r.person_id = t.person_id AND r.year = %(year)s
WHERE v.path LIKE %(like)s
  AND t.valid_from <= %(day)s AND (t.valid_to IS NULL OR t.valid_to > %(day)s)
GROUP BY SUBSTR(v.path, 1, %(plen)s)
"""


# the subtree's units below the unit by type, and how many registered as units (launched:
# with the commitments the rule asks); a registration's (unit, year) is unique
_UNITS_BY_TYPE_SQL = """
SELECT u.type, COUNT(*) AS total, COUNT(r.id) AS acknowledged,
       SUM(CASE WHEN r.id IS NOT NULL AND r.commitment_count >= %(need)s THEN 1 ELSE 0 END)
         AS launched
FROM org_unitversion v
JOIN org_unit u ON u.id = v.unit_id
LEFT JOIN movements_registration r ON r.unit_id = v.unit_id AND r.year = %(year)s
WHERE v.path LIKE %(like)s AND v.depth > %(depth)s
  AND v.valid_from <= %(day)s AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
GROUP BY u.type
"""


@dataclass
class ChildProgress:
    code: str
    name: str
    unit_type: str
    path: str
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

    @property
    def complete(self) -> bool:
        return self.members_registered == self.members and self.unit_registered


@dataclass
class RegistrationProgress:
    unit: Unit
    version: UnitVersion | None
    year: int
    day: dt.date
    calendar: Calendar
    rule: RegistrationRule | None
    members: int = 0
    members_registered: int = 0
    members_enough: int = 0
    workers: int = 0
    workers_registered: int = 0
    unit_registered: bool = False
    unit_commitments: int = 0
    children: list[ChildProgress] = field(default_factory=list)
    units_by_type: list[CoverageLine] = field(default_factory=list)  # launched = registered

    @property
    def members_missing(self) -> int:
        return self.members - self.members_registered

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
    day. Six queries whatever the size of the subtree; none returns a row per unit below the
    children (the units by type are counted in the database)."""
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
    plen = len(version.path) + STEPLEN
    children: dict[str, ChildProgress] = {}
    # the unit and its children as objects; the subtree's units only counted, in the database
    # (the whole nation's 47.000 units at a tenth of its size were most of the TLĐ's page)
    near = list(
        UnitVersion.objects.at(day).filter(path__startswith=version.path,
                                           depth__lte=version.depth + 1)
        .select_related("unit").order_by("path")
    )
    own = {
        uid: n for uid, n in Registration.objects.filter(
            unit_id__in=[v.unit_id for v in near], year=year
        ).values_list("unit_id", "commitment_count")
    }
    for v in near:
        registered = v.unit_id in own and own[v.unit_id] >= need_unit
        if v.depth == version.depth + 1:
            children[v.path] = ChildProgress(
                v.unit.code, v.name, v.unit.type, v.path, unit_registered=registered,
                unit_commitments=own.get(v.unit_id, 0))
        elif v.pk == version.pk:
            progress.unit_registered = registered
            progress.unit_commitments = own.get(v.unit_id, 0)
    by_type: dict[str, CoverageLine] = {}
    with connection.cursor() as cursor:
        cursor.execute(_UNITS_BY_TYPE_SQL, {"need": need_unit, "day": day, "year": year,
                                            "like": version.path + "%",
                                            "depth": version.depth})
        for unit_type, total, acknowledged, launched in cursor.fetchall():
            by_type[unit_type] = CoverageLine(unit_type, int(total), int(acknowledged or 0),
                                              int(launched or 0))
    order = {t: i for i, t in enumerate(UNIT_TYPE_ORDER)}
    progress.units_by_type = sorted(by_type.values(), key=lambda x: order.get(x.unit_type, 99))
    params: dict[str, int | str | dt.date] = {"plen": plen, "need": need, "day": day, "year": year,
                                             "like": version.path + "%"}
    with connection.cursor() as cursor:
        for table, prefix_key in (("people_membership", "members"),
                                  ("people_employment", "workers")):
            cursor.execute(_MEMBERS_BY_CHILD_SQL.format(table=table), params)
            for prefix, n, reg_raw, enough_raw in cursor.fetchall():
                n_reg, n_enough = int(reg_raw or 0), int(enough_raw or 0)
                child = children.get(prefix)
                if prefix_key == "members":
                    progress.members += n
                    progress.members_registered += n_reg
                    progress.members_enough += n_enough
                    if child is not None:
                        child.members, child.members_registered = n, n_reg
                        child.members_enough = n_enough
                else:
                    progress.workers += n
                    progress.workers_registered += n_reg
                    if child is not None:
                        child.workers, child.workers_registered = n, n_reg
    progress.children = list(children.values())
    return progress
