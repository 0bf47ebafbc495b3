"""Two clusters of LĐLĐ TP Hà Nội on the shared test world (`thidua.testing.make_world`), built
through the services: Cụm số 1 (CĐVC TP Hà Nội, head, with LĐLĐ quận Đống Đa, deputy, and
LĐLĐ quận Ba Đình) and Cụm số 2 (LĐLĐ quận Hai Bà Trưng with LĐLĐ huyện Gia Lâm), and a sheet
of five criteria: a group with a target and a yes/no line, a directly scored line, a bonus and
a penalty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from thidua.accounts.services import role_grant_create
from thidua.clusters.models import Cluster, Criterion, Membership
from thidua.clusters.services import setup, sheets
from thidua.org.models import Unit
from thidua.testing import World, make_unit, make_user

YEAR = 2024


@dataclass
class Clusters:
    world: World
    one: Cluster
    two: Cluster
    dongda: Unit
    badinh: Unit
    gialam: Unit
    officer_ldld: Any  # officer of the issuer, LĐLĐ TP Hà Nội
    officer_dongda: Any
    officer_badinh: Any
    officer_hbt: Any  # officer of the head of the other cluster
    criteria: dict[str, Criterion]

    def member(self, cluster: Cluster, unit: Unit) -> Membership:
        return cluster.memberships.get(unit=unit)


def officer(username: str, unit: Unit) -> Any:
    user = make_user(username)
    role_grant_create(actor=None, user=user, unit=unit, role="officer")
    return user


def sheet(cluster: Cluster, actor: Any) -> dict[str, Criterion]:
    out: dict[str, Criterion] = {}
    out["I"] = setup.criterion_add(actor=actor, cluster=cluster, code="I", kind="nhom",
                                   name="Phong trào thi đua", max_points=60)
    out["1"] = setup.criterion_add(actor=actor, cluster=cluster, code="1", kind="chi_tieu",
                                   name="CĐCS phát động phong trào thi đua", max_points=40,
                                   parent=out["I"], target=100, unit_label="%",
                                   source="cdcs_phat_dong")
    out["2"] = setup.criterion_add(actor=actor, cluster=cluster, code="2", kind="co_khong",
                                   name="Ký giao ước thi đua đúng hạn", max_points=20,
                                   parent=out["I"])
    out["3"] = setup.criterion_add(actor=actor, cluster=cluster, code="3", kind="tu_cham",
                                   name="Công tác chăm lo đời sống đoàn viên", max_points=40)
    out["4"] = setup.criterion_add(actor=actor, cluster=cluster, code="4", kind="thuong",
                                   name="Mô hình mới, cách làm hay", max_points=5)
    out["5"] = setup.criterion_add(actor=actor, cluster=cluster, code="5", kind="tru",
                                   name="Báo cáo chậm", max_points=5)
    return out


def make_clusters(world: World) -> Clusters:
    hn = world.hn
    dongda = make_unit("LDLD-DD", "cap_tren_co_so", hn, name="Liên đoàn Lao động quận Đống Đa")
    badinh = make_unit("LDLD-BD", "cap_tren_co_so", hn, name="Liên đoàn Lao động quận Ba Đình")
    gialam = make_unit("LDLD-GL", "cap_tren_co_so", hn, name="Liên đoàn Lao động huyện Gia Lâm")
    ldld = officer("canbo_ldld", hn)
    one = setup.cluster_create(actor=ldld, issuer=hn, year=YEAR, number=1,
                               pledge_text="1. 100% CĐCS phát động phong trào thi đua.\n"
                                           "2. Gửi báo cáo đúng hạn.")
    two = setup.cluster_create(actor=ldld, issuer=hn, year=YEAR, number=2)
    setup.member_add(actor=ldld, cluster=one, unit=world.cdvc, role="truong")
    setup.member_add(actor=ldld, cluster=one, unit=dongda, role="pho")
    setup.member_add(actor=ldld, cluster=one, unit=badinh)
    setup.member_add(actor=ldld, cluster=two, unit=world.hbt, role="truong")
    setup.member_add(actor=ldld, cluster=two, unit=gialam)
    criteria = sheet(one, ldld)
    setup.criteria_copy(actor=ldld, cluster=two, source=one)
    return Clusters(world, one, two, dongda, badinh, gialam, ldld, officer("canbo_dd", dongda),
                    officer("canbo_bd", badinh), officer("canbo_hbt", world.hbt), criteria)


def fill(cs: Clusters, unit: Unit, actor: Any, values: dict[str, object], *,
         cluster: Cluster | None = None, submit: bool = True) -> Membership:
    cluster = cluster or cs.one
    m = cs.member(cluster, unit)
    crit = {c.code: c for c in cluster.criteria.all()}
    sheets.sheet_save(actor=actor, membership=m, known={}, entries=[
        sheets.Entry(crit[code].pk, value) for code, value in values.items()])
    if submit:
        sheets.sheet_submit(actor=actor, membership=m)
    m.refresh_from_db()
    return m


def day(month: int, d: int) -> dt.date:
    return dt.date(YEAR, month, d)
