"""The year-end figures of a subtree, read as the tree stood on 31/12 of the report's year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.initiatives import services as initiatives
from thidua.initiatives.models import UseKind
from thidua.initiatives.tests.helpers import recognised, submitted
from thidua.movements import services as movements
from thidua.org.services import unit_dissolve, unit_move, unit_rename
from thidua.people.services.transfers import person_leave_unit
from thidua.platform.errors import ApplicationError
from thidua.reports.figures import year_figures
from thidua.reports.tests.helpers import YEAR, award, decision, title
from thidua.testing import World, make_person, make_unit

D = dt.date
pytestmark = pytest.mark.django_db

#: the JSON keys of issue 11 §4 ("next_targets" only when next year's targets are set)
KEYS = {"unit", "year", "since", "years", "as_of", "units", "direct_units", "workers", "members",
        "women", "awards", "initiatives", "titles", "movements", "party_introduced",
        "party_admitted", "welfare", "actuals", "targets", "level_names"}


def test_keys_and_the_roster_as_of_the_year_end(world: World) -> None:
    w = world
    make_person(w.cdcs_b, "Lê Văn Bình", member=False, actor=w.admin)
    leaves_later = make_person(w.cdcs_b, "Phạm Thị Cúc", gender="nu", actor=w.admin)
    left_before = make_person(w.cdcs_a, "Hoàng Văn Dũng", actor=w.admin)
    person_leave_unit(actor=w.admin, person=left_before, date=D(YEAR, 6, 1))
    person_leave_unit(actor=w.admin, person=leaves_later, date=D(YEAR + 1, 3, 1))
    make_person(w.cdcs_a, "Vũ Thị Én", gender="nu", start=D(YEAR + 1, 1, 2), actor=w.admin)

    f = year_figures(w.cdvc, YEAR)

    assert set(f) == KEYS
    assert f["unit"] == {"code": "CDVC-HN", "name": "Công đoàn Viên chức thành phố Hà Nội"}
    assert (f["year"], f["since"], f["years"], f["as_of"]) == (YEAR, YEAR, [YEAR], "2023-12-31")
    assert f["units"] == {"cdcs": 2, "to_cd": 1}
    assert f["direct_units"] == {"cdcs": 2}
    # Ánh (tổ A1), Bình (not a member), Cúc (leaves in March of the next year)
    assert (f["workers"], f["members"], f["women"]) == (3, 2, 2)
    assert f["awards"] == [] and f["titles"] == {} and f["movements"] == []
    assert f["initiatives"] == {"total": 0, "proposed_for_awards": 0}


def test_a_unit_moved_after_the_year_counts_where_it_stood(world: World) -> None:
    w = world
    make_person(w.cdcs_c, "Đỗ Văn Giang", actor=w.admin)
    award(decision(w.hbt), "GK_CAP_TREN", unit=w.cdcs_c)
    unit_move(actor=None, unit=w.cdcs_c, new_parent=w.cdvc, date=D(YEAR + 1, 2, 1))
    before = year_figures(w.cdvc, YEAR)
    after = year_figures(w.cdvc, YEAR + 1)
    assert before["units"] == {"cdcs": 2, "to_cd": 1} and before["workers"] == 1
    assert after["units"] == {"cdcs": 3, "to_cd": 1} and after["workers"] == 2
    assert before["awards"] == []
    # a report over several years reads the tree of the last year end
    assert year_figures(w.cdvc, YEAR + 1, since=YEAR)["awards"][0]["issuer"] == "LDLD-HBT"
    assert year_figures(w.hbt, YEAR)["direct_units"] == {"cdcs": 1}
    # the issuer as it was named then
    unit_rename(actor=None, unit=w.hbt, name="Công đoàn khu vực Hai Bà Trưng (minh họa)",
                date=D(YEAR + 1, 7, 1))
    (then,) = year_figures(w.hbt, YEAR)["awards"]
    assert (then["issuer_name"], then["collectives"]) == ("Liên đoàn Lao động quận Hai Bà Trưng", 1)
    assert year_figures(w.hbt, YEAR + 1)["units"] == {}


def test_awards_by_issuer_and_form_over_the_years_covered(world: World) -> None:
    w = world
    second = make_person(w.cdcs_b, "Lê Văn Bình", actor=w.admin)
    award(decision(w.tld), "BK_TLD_TOAN_DIEN", unit=w.cdcs_a)
    gk = decision(w.cdvc)
    award(gk, "GK_CAP_TREN", person=w.member)
    award(gk, "GK_CAP_TREN", person=second)
    award(gk, "GK_CAP_TREN", unit=w.to_a1)
    award(gk, "GK_CAP_TREN", person=second, revoked=True, home=w.cdcs_b)
    award(decision(w.cdvc, YEAR - 1, "9/QĐ"), "GK_CAP_TREN", unit=w.cdcs_b)
    award(decision(w.hbt), "GK_CAP_TREN", unit=w.cdcs_c)  # another branch

    f = year_figures(w.cdvc, YEAR)
    assert [{k: r[k] for k in ("issuer", "form", "collectives", "individuals")}
            for r in f["awards"]] == [
        {"issuer": "TLD", "form": "BK_TLD_TOAN_DIEN", "collectives": 1, "individuals": 0},
        {"issuer": "CDVC-HN", "form": "GK_CAP_TREN", "collectives": 1, "individuals": 2},
    ]
    assert f["awards"][0]["issuer_name"] == "Tổng Liên đoàn Lao động Việt Nam"
    assert f["awards"][1]["form_name"].startswith("Giấy khen")
    two = year_figures(w.cdvc, YEAR, since=YEAR - 1)
    assert two["years"] == [YEAR - 1, YEAR]
    assert two["awards"][1]["collectives"] == 2


def test_titles_over_workers_women_and_units(world: World) -> None:
    w = world
    man = make_person(w.cdcs_b, "Lê Văn Bình", actor=w.admin)
    title("LDTT", w.cdcs_a, person=w.member)
    title("LDTT", w.cdcs_b, person=man)
    title("CSTDCS", w.cdcs_b, person=man, revoked=True)
    title("GVNDVN", w.cdcs_a, person=w.member)
    title("CDCS_VUNG_MANH", w.cdvc, unit=w.cdcs_a)
    title("LDTT", w.cdcs_a, person=w.member, year=YEAR - 1)

    assert year_figures(w.cdvc, YEAR)["titles"] == {
        "CDCS_VUNG_MANH": {"count": 1, "of": 2},
        "GVNDVN": {"count": 1, "of": 1},
        "LDTT": {"count": 2, "of": 2},
    }


def test_movement_coverage_counts_units_reached_and_launching(world: World) -> None:
    w = world
    m = movements.movement_create(actor=w.officer_above, issuer=w.cdvc, catalogue_code="LDG",
                                  start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))
    plan = movements.plan_create(actor=w.officer_above, issuer=w.cdvc, number="01/KH-CĐVC",
                                 date=D(YEAR, 1, 10), title="Kế hoạch", movements=[m])
    movements.plan_deploy(actor=w.officer_above, plan=plan, levels=["cdcs"], day=D(YEAR, 1, 10))
    movements.deployment_launch(actor=w.officer_cdcs, deployment=plan.deployments.get(unit=w.cdcs_a),
                                launched_on=D(YEAR, 2, 1))
    f = year_figures(w.cdvc, YEAR)
    assert f["movements"] == [{"code": m.code, "name": m.name, "year": YEAR, "unit_type": "cdcs",
                               "coverage": {"done": 1, "of": 2}}]
    assert year_figures(w.cdvc, YEAR + 1)["movements"] == []


def test_initiatives_by_level_and_put_forward(world: World) -> None:
    w = world
    ini = recognised(world)
    initiatives.initiative_use_record(actor=w.officer_above, initiative=ini,
                                      kind=UseKind.COMMENDATION, reference="Giấy khen", year=YEAR)
    initiatives.recognition_create(actor=w.officer_above, initiative=ini, level="tinh",
                                   decided_on=D(YEAR, 12, 1), decision_no="7/QĐ-UBND",
                                   issuer="UBND Thành phố")
    submitted(world, title="Phần mềm quản lý hồ sơ lưu trữ của Văn phòng Sở")  # not recognised
    f = year_figures(w.cdvc, YEAR)
    assert f["initiatives"] == {"co_so": 1, "tinh": 1, "total": 1, "proposed_for_awards": 1}


def test_refusals_in_vietnamese(world: World) -> None:
    w = world
    with pytest.raises(ApplicationError, match="Năm báo cáo không hợp lệ"):
        year_figures(w.cdvc, "hai nghìn")
    with pytest.raises(ApplicationError, match="không được sau năm báo cáo"):
        year_figures(w.cdvc, YEAR, since=YEAR + 1)
    with pytest.raises(ApplicationError, match="tối đa 5 năm"):
        year_figures(w.cdvc, YEAR, since=YEAR - 5)
    late = make_unit("CDCS-MOI", "cdcs", w.cdvc, name="Công đoàn Sở Mới", day=D(YEAR + 1, 1, 1))
    with pytest.raises(ApplicationError, match="không hoạt động vào ngày 31/12/2023"):
        year_figures(late, YEAR)
    late = unit_dissolve(actor=w.admin, unit=late, date=D(YEAR + 2, 7, 1))
    with pytest.raises(ApplicationError) as ended:
        year_figures(late, YEAR + 2)
    assert ended.value.message == (
        f"Đơn vị «Công đoàn Sở Mới» đã kết thúc hoạt động từ ngày 01/07/{YEAR + 2}; không có số "
        f"liệu để báo cáo năm {YEAR + 2}. Báo cáo được lập đến năm {YEAR + 1}, theo cây tổ chức "
        f"ngày 31/12/{YEAR + 1}.")


def _grow(w: World, n: int) -> None:
    """`n` more CĐCS under CĐVC Hà Nội, each with a tổ, people, titles and awards."""
    gk = decision(w.cdvc, number="50/QĐ")
    for i in range(n):
        cdcs = make_unit(f"CDCS-X{i}", "cdcs", w.cdvc, name=f"Công đoàn Sở Thêm {i}")
        group = make_unit(f"TO-X{i}", "to_cd", cdcs, name=f"Tổ công đoàn Thêm {i}")
        person = make_person(group, f"Người Thêm Số {i}", gender="nu", actor=w.admin)
        title("LDTT", cdcs, person=person)
        title("CDCS_VUNG_MANH", w.cdvc, unit=cdcs)
        award(gk, "GK_CAP_TREN", person=person)
        award(gk, "GK_CAP_TREN", unit=group)


def test_query_count_does_not_grow_with_the_subtree(world: World, django_assert_num_queries
                                                    ) -> None:
    w = world
    _grow(w, 1)
    with CaptureQueriesContext(connection) as small:
        year_figures(w.cdvc, YEAR)
    _grow_more = 6
    for i in range(_grow_more):
        cdcs = make_unit(f"CDCS-Y{i}", "cdcs", w.cdvc, name=f"Công đoàn Sở Y {i}")
        make_person(cdcs, f"Người Y Số {i}", actor=w.admin)
    with django_assert_num_queries(len(small.captured_queries)):
        f = year_figures(w.cdvc, YEAR)
    assert f["units"]["cdcs"] == 9
    with django_assert_num_queries(QUERIES):  # two years: the initiatives counted
        year_figures(w.cdvc, YEAR, since=YEAR - 1)


#: year_figures' queries, pinned: the unit's version, unit types, direct children, roster (1,
#: the maintained figures), awards (2: one statement over the kept subtree sums, ADR 0036, then
#: the issuers' names; on PostgreSQL one more, the statement's `SET LOCAL jit = off`), the
#: catalogue's form names, initiatives (3), titles (3: people's and units' kept subtree sums,
#: the unit's own), movements (1; a second one when the unit launched any), Party (2), the
#: measures' actuals (2: the kept subtree sums of gradings and culture titles, of launches and
#: registrations), families (2), welfare (2), this year's and next year's targets (3 + 3), the
#: ancestors that name the levels; Party, families and welfare read reports.kept's sums too
QUERIES = 28 + (connection.vendor == "postgresql")
