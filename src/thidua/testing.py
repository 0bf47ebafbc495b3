"""Factories and personas for tests (and benchmarks): data is built through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from thidua.accounts.services import role_grant_create
from thidua.org.models import Unit
from thidua.org.services import unit_create
from thidua.people.models import Person
from thidua.people.services import person_create
from thidua.platform.actor import Actor

SYSTEM = None  # actor for set-up steps: recorded as "hệ thống" in the audit trail
D0 = dt.date(2010, 1, 1)
_seq = itertools.count(1)
TEST_PASSWORD = "matkhau-thu-nghiem"  # every account the test helpers create


def datalist(html: str, list_id: str) -> str:
    """The suggestions of a typed unit field (`platform.forms.unit_field`): its <datalist>."""
    start = html.index(f'<datalist id="{list_id}">')
    return html[start:html.index("</datalist>", start)]


def make_user(username: str, *, superuser: bool = False, password: str = TEST_PASSWORD) -> Any:
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username=username, password=password)
    return User.objects.create_user(username=username, password=password)


def make_unit(code: str, type_: str, parent: Unit | None = None, *, name: str | None = None,
              day: dt.date = D0) -> Unit:
    return unit_create(actor=SYSTEM, code=code, name=name or f"Công đoàn {code}", type=type_,
                       parent=parent, valid_from=day)


def cccd_for(birth: dt.date, gender: str, n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    century_digit = (0 if birth.year < 2000 else 2) + (1 if gender == "nu" else 0)
    return f"001{century_digit}{birth.year % 100:02d}{n % 1_000_000:06d}"


def make_person(unit: Unit, name: str = "Nguyễn Văn Đức", *, gender: str = "nam",
                member: bool = True, birth: dt.date = dt.date(1985, 5, 17),
                start: dt.date = D0, actor: Actor | None = None) -> Person:
    admin = actor or _root_admin()
    return person_create(actor=admin, unit=unit, full_name=name, gender=gender, birth_date=birth,
                         cccd=cccd_for(birth, gender), start_date=start, is_member=member,
                         position="Chuyên viên")


def _root_admin() -> Any:
    User = get_user_model()
    user = User.objects.filter(username="__factory_admin").first()
    return user or make_user("__factory_admin", superuser=True)


@dataclass
class World:
    tld: Unit
    hn: Unit
    cdvc: Unit
    cdcs_a: Unit
    to_a1: Unit
    cdcs_b: Unit
    hbt: Unit
    cdcs_c: Unit
    officer_cdcs: Any  # officer of CDCS-A
    officer_above: Any  # officer of CDVC-HN (the level above grassroots)
    leader: Any  # leader of LDLD-HN
    outsider: Any  # officer of CDCS-C, a sibling branch
    viewer: Any  # viewer of CDVC-HN
    admin: Any
    member_user: Any  # a member of CDCS-A with an account
    member: Person


def make_world() -> World:
    tld = make_unit("TLD", "tld", name="Tổng Liên đoàn Lao động Việt Nam")
    hn = make_unit("LDLD-HN", "ldld_tinh", tld, name="Liên đoàn Lao động Thành phố Hà Nội")
    cdvc = make_unit("CDVC-HN", "cap_tren_co_so", hn, name="Công đoàn Viên chức thành phố Hà Nội")
    cdcs_a = make_unit("CDCS-A", "cdcs", cdvc, name="Công đoàn Sở Tư pháp")
    to_a1 = make_unit("TO-A1", "to_cd", cdcs_a, name="Tổ công đoàn Văn phòng")
    cdcs_b = make_unit("CDCS-B", "cdcs", cdvc, name="Công đoàn Sở Y tế")
    hbt = make_unit("LDLD-HBT", "cap_tren_co_so", hn, name="Liên đoàn Lao động quận Hai Bà Trưng")
    cdcs_c = make_unit("CDCS-C", "cdcs", hbt, name="Công đoàn cơ quan UBND quận Hai Bà Trưng")
    users = {}
    for username, unit, role in [
        ("canbo_cdcs", cdcs_a, "officer"),
        ("canbo_captren", cdvc, "officer"),
        ("lanhdao_hn", hn, "leader"),
        ("nguoingoai", cdcs_c, "officer"),
        ("chixem", cdvc, "viewer"),
    ]:
        users[username] = make_user(username)
        role_grant_create(actor=SYSTEM, user=users[username], unit=unit, role=role)
    admin = make_user("quantri", superuser=True)
    member = make_person(to_a1, "Trần Thị Ánh", gender="nu", birth=dt.date(1990, 3, 8), actor=admin)
    member_user = make_user("doanvien")
    member.user = member_user
    member.save(update_fields=["user"])
    return World(tld, hn, cdvc, cdcs_a, to_a1, cdcs_b, hbt, cdcs_c, users["canbo_cdcs"],
                 users["canbo_captren"], users["lanhdao_hn"], users["nguoingoai"], users["chixem"],
                 admin, member_user, member)
