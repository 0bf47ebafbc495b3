"""The 2025 reorganisation applied to the demo's seed organisations (issue 11 §5), as dated tree
events made through the org services after every historical record exists (`thidua demo` runs
it last): the records were made against the tree of their day, and the reports read the tree as
it stood, so the 2017 and 2023 figures stay what they were while today's tree has the new shape.

What is known (shared/domain.md §0.4, and the public texts named here):
- District-level government ends on 01/07/2025: Nghị quyết 203/2025/QH15 of 16/06/2025 amending
  the Constitution (two-tier local government, in force 01/07/2025); in Hà Nội, which Nghị quyết
  202/2025/QH15 of 12/06/2025 leaves whole at province level, Nghị quyết 1656/NQ-UBTVQH15 of
  16/06/2025 sets the 126 communes and wards, phường Hai Bà Trưng among them, from 01/07/2025.
  LĐLĐ quận Hai Bà Trưng ends that day.
- The 11th Central Committee plenum (10–12/04/2025) ends «công đoàn viên chức»: Công đoàn Viên
  chức thành phố Hà Nội ends. Its real end date is not known; the demo uses 01/07/2025.

What is not known: which union bodies took over the grassroots unions, and whether unions in
state-funded agencies were ended instead (Kết luận 157-KL/TW). The demo moves every CĐCS to
successor bodies under LĐLĐ thành phố Hà Nội whose names say «(minh họa)», and nobody leaves a
roster: the people stay in their CĐCS and tổ, which move with them.

The officers of the ended bodies keep reading their history (a viewer's role on the ended unit)
and carry on as officers of the successors that received their CĐCS. Running it again changes
nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from thidua.accounts.models import Role, RoleGrant
from thidua.accounts.services import role_grant_create, role_grant_revoke
from thidua.demo import names
from thidua.org.models import Unit, UnitType
from thidua.org.services import unit_create, unit_move
from thidua.people.services import unit_dissolve_with_roster
from thidua.platform.actor import Actor
from thidua.platform.text import vn_date

REORG_DAY = dt.date(2025, 7, 1)
ILLUSTRATIVE = "(minh họa)"
CDVC, LDLD_HBT, CITY = "CDVC-HN", "LDLD-HBT", "LDLD-HN"
OFFICES, SERVICES, WARD = "CD-KHOI-CQ-HN", "CD-KHOI-SN-HN", "CD-PHUONG-HBT"


@dataclass(frozen=True)
class Successor:
    code: str
    name: str
    short_name: str


SUCCESSORS = [
    Successor(OFFICES, f"Công đoàn Khối các cơ quan thành phố Hà Nội {ILLUSTRATIVE}",
              f"CĐ Khối cơ quan TP Hà Nội {ILLUSTRATIVE}"),
    Successor(SERVICES, f"Công đoàn Khối các đơn vị sự nghiệp thành phố Hà Nội {ILLUSTRATIVE}",
              f"CĐ Khối sự nghiệp TP Hà Nội {ILLUSTRATIVE}"),
    Successor(WARD, f"Công đoàn phường Hai Bà Trưng {ILLUSTRATIVE}",
              f"CĐ phường Hai Bà Trưng {ILLUSTRATIVE}"),
]

UNKNOWN = "Dữ liệu mẫu: đơn vị tiếp nhận là minh họa, đơn vị tiếp nhận thực tế chưa xác minh."
CDVC_BASIS = ("Công đoàn Viên chức thành phố Hà Nội kết thúc hoạt động theo chủ trương kết thúc "
              "hoạt động của công đoàn viên chức (Hội nghị Trung ương 11, 10–12/4/2025); ngày "
              f"{vn_date(REORG_DAY)} là ngày minh họa.")
HBT_BASIS = ("Chính quyền cấp huyện kết thúc hoạt động từ ngày 01/07/2025 (Nghị quyết "
             "203/2025/QH15 sửa đổi, bổ sung Hiến pháp; Nghị quyết 1656/NQ-UBTVQH15 sắp xếp đơn vị "
             "hành chính cấp xã của thành phố Hà Nội), Liên đoàn Lao động quận Hai Bà Trưng kết "
             "thúc hoạt động.")
CREATED_NOTE = {
    OFFICES: "Tiếp nhận các CĐCS cơ quan của Công đoàn Viên chức thành phố Hà Nội. ",
    SERVICES: "Tiếp nhận các CĐCS đơn vị sự nghiệp của Công đoàn Viên chức thành phố Hà Nội. ",
    WARD: "Tiếp nhận các đơn vị trực thuộc Liên đoàn Lao động quận Hai Bà Trưng. ",
}

# the demo officers of the ended bodies: (username, ended unit, successors now in their care)
OFFICERS = [("canbo.cdvc", CDVC, [OFFICES, SERVICES]), ("canbo.quan", LDLD_HBT, [WARD])]


def cdvc_successor(code: str) -> str:
    """The successor of a CĐCS of CĐVC Hà Nội (CDVC-HN-07): agencies to the khối of agencies,
    schools, hospitals, theatres, newspapers, libraries and museums to the khối sự nghiệp."""
    _, kind = names.CDVC_HN_CDCS[int(code.rsplit("-", 1)[1]) - 1]
    return OFFICES if kind == "office" else SERVICES


def _live_children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1,
                                    valid_to__isnull=True).order_by("path"))


DISTRICT = re.compile(r"\b(quận|huyện|thị xã)\b")
DISTRICT_BASIS = ("Chính quyền cấp huyện kết thúc hoạt động từ ngày 01/07/2025 (Nghị quyết "
                  "203/2025/QH15 sửa đổi, bổ sung Hiến pháp), {name} kết thúc hoạt động.")


def _districts(city: Unit) -> list[Unit]:
    """The district-level federations still under the city federation."""
    return [u for u in _live_children(city)
            if u.type == UnitType.CAP_TREN_CO_SO and DISTRICT.search(u.name)]


def _successors(actor: Actor, city: Unit) -> tuple[dict[str, Unit], int]:
    units = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in SUCCESSORS])}
    created = 0
    for s in SUCCESSORS:
        if s.code not in units:
            created += 1
            units[s.code] = unit_create(
                actor=actor, code=s.code, name=s.name, short_name=s.short_name,
                type=UnitType.CAP_TREN_CO_SO, valid_from=REORG_DAY, parent=city,
                note=CREATED_NOTE[s.code] + UNKNOWN)
    return units, created


def _end(actor: Actor, unit: Unit, target: dict[str, Unit], pick: dict[int, str],
         basis: str) -> None:
    """Move the live children of `unit` to their successors (`pick`: child id → successor code),
    then end `unit` on REORG_DAY."""
    if unit.valid_to is not None:
        return
    moved: dict[str, int] = {}
    for child in _live_children(unit):
        successor = target[pick[child.pk]]
        unit_move(actor=actor, unit=child, new_parent=successor, date=REORG_DAY,
                  note=f"{basis} {UNKNOWN}")
        moved[successor.name] = moved.get(successor.name, 0) + 1
    where = "; ".join(f"{n} đơn vị chuyển về «{name}»" for name, n in moved.items())
    unit_dissolve_with_roster(actor=actor, unit=Unit.objects.get(pk=unit.pk), date=REORG_DAY,
                              note=f"{basis} Các đơn vị trực thuộc: {where}. {UNKNOWN}")


def _officers(actor: Actor, units: dict[str, Unit]) -> None:
    """The officer of an ended body reads its history and works in the successors."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[name for name, _, _ in OFFICERS])}
    for username, ended, successors in OFFICERS:
        user = users.get(username)
        if user is None:
            continue
        for code in successors:
            role_grant_create(actor=actor, user=user, unit=units[code], role=Role.OFFICER)
        role_grant_create(actor=actor, user=user, unit=units[ended], role=Role.VIEWER)
        for grant in RoleGrant.objects.filter(user=user, unit=units[ended]).exclude(
                role=Role.VIEWER).select_related("unit"):
            role_grant_revoke(actor=actor, grant=grant)


def demo_reorg(*, actor: Actor) -> int:
    """Apply the 2025 reorganisation (after the demo's records) and return the number of units
    it created; a second run changes nothing."""
    units = {u.code: u for u in Unit.objects.filter(code__in=[CDVC, LDLD_HBT, CITY])}
    if len(units) < 3:
        return 0
    with transaction.atomic():
        successors, created = _successors(actor, units[CITY])
        units |= successors
        cdvc = units[CDVC]
        _end(actor, cdvc, units, {c.pk: cdvc_successor(c.code) for c in _live_children(cdvc)},
             CDVC_BASIS)
        hbt = units[LDLD_HBT]
        _end(actor, hbt, units, {c.pk: WARD for c in _live_children(hbt)}, HBT_BASIS)
        # every other district federation of the city ends the same day (the cluster demo
        # adds Hoàn Kiếm, Ba Đình, Đống Đa); what it still holds goes up to the city federation
        for district in _districts(units[CITY]):
            _end(actor, district, units, {c.pk: CITY for c in _live_children(district)},
                 DISTRICT_BASIS.format(name=district.name))
        units |= {u.code: u for u in Unit.objects.filter(code__in=[CDVC, LDLD_HBT])}
        _officers(actor, units)
    return created
