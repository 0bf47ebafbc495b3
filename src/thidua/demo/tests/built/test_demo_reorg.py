"""The 2025 reorganisation of the demo (issue 11 §5): CĐVC thành phố Hà Nội and LĐLĐ quận Hai Bà
Trưng end on 01/07/2025 and their units move to successors marked «(minh họa)»; the 2017 and
2022–2023 reports and dashboards, computed before and after it on the same records, are equal;
the officers of the ended bodies read their history and work in the successors. The package's
demo (conftest.py) is reorganised once for the module, in a savepoint rolled back at its end."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import RoleGrant
from thidua.audit.models import AuditEntry
from thidua.demo import names
from thidua.demo.builder import BINH_MINH, HOA_SEN, MERGED, demo_figures
from thidua.demo.reorg import (
    CDVC,
    ILLUSTRATIVE,
    LDLD_HBT,
    OFFICES,
    REORG_DAY,
    SERVICES,
    SUCCESSORS,
    WARD,
    cdvc_successor,
)
from thidua.demo.year import demo_reorganisation
from thidua.org.models import Unit, UnitEvent, UnitVersion
from thidua.org.selectors import tree_roots, version_at
from thidua.people.figures import DEPENDENTS, figures_differences
from thidua.people.models import Employment, Membership, Person
from thidua.people.stats import unit_stats
from thidua.reports.compose import markdown
from thidua.reports.dashboard import children_rows
from thidua.reports.dashboard_page import child_table, dashboard_page
from thidua.reports.figures import year_figures
from thidua.reports.permissions import may_manage

D = dt.date
EVE = REORG_DAY - dt.timedelta(days=1)
HBT = "CD-UBND-HBT"
CDVC_CDCS = [f"CDVC-HN-{i:02d}" for i in range(1, 66)]


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _snapshot() -> dict[str, Any]:
    """What the seed reports and their dashboards state, computed from the records."""
    cdvc = year_figures(_unit(CDVC), 2017)
    hbt = year_figures(_unit(HBT), 2023, since=2022)
    return {
        "cdvc_2017": cdvc, "cdvc_2017_text": markdown(cdvc),
        "hbt_2023": hbt, "hbt_2023_text": markdown(hbt),
        "cdvc_2017_dashboard": dashboard_page(_unit(CDVC), 2017),
        "hbt_2023_dashboard": dashboard_page(_unit(HBT), 2023),
        "hbt_2022_dashboard": dashboard_page(_unit(HBT), 2022),
        # every child of the table, not only the page of fifty the dashboard draws
        "cdvc_2017_children": child_table(children_rows(_unit(CDVC), 2017), 2017),
        "figures": demo_figures(),
    }


@pytest.fixture(scope="module")
def reorganised(demo: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The package's demo, reorganised in a savepoint rolled back when the module ends."""
    with django_db_blocker.unblock():
        savepoint = transaction.atomic()
        savepoint.__enter__()
        try:
            before = _snapshot()
            demo_reorganisation()
            yield {"before": before, "after": _snapshot()}
        finally:
            transaction.set_rollback(True)
            savepoint.__exit__(None, None, None)


@pytest.fixture
def built(reorganised: dict[str, Any], db: None) -> dict[str, Any]:
    return reorganised


def _children(code: str, day: dt.date) -> list[str]:
    version = version_at(_unit(code), day)
    if version is None:
        return []
    return sorted(UnitVersion.objects.at(day).filter(path__startswith=version.path,
                                                     depth=version.depth + 1)
                  .values_list("unit__code", flat=True))


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


# --- (a) today's tree ---------------------------------------------------------------------------


def test_the_ended_bodies_end_on_01_07_2025_and_their_units_sit_under_the_successors(
        built: dict[str, Any]) -> None:
    today = timezone.localdate()
    for code in (CDVC, LDLD_HBT):
        unit = _unit(code)
        assert unit.valid_to == REORG_DAY and not unit.is_alive(today), code
        assert version_at(unit, today) is None
        ended = UnitEvent.objects.get(units_before=unit, kind="dissolve")
        assert ended.date == REORG_DAY and "kết thúc hoạt động" in ended.note
    assert "203/2025/QH15" in UnitEvent.objects.get(units_before=_unit(LDLD_HBT),
                                                    kind="dissolve").note
    # the eve of the reorganisation: the tree of the seed articles
    assert _children(CDVC, EVE) == CDVC_CDCS
    assert _children(LDLD_HBT, EVE) == sorted([HBT, HOA_SEN, BINH_MINH])
    # today: the same CĐCS under the successors, by the kind of agency
    assert _children(OFFICES, today) + _children(SERVICES, today) != []
    assert sorted(_children(OFFICES, today) + _children(SERVICES, today)) == CDVC_CDCS
    offices = [f"CDVC-HN-{i:02d}" for i, (_, kind) in enumerate(names.CDVC_HN_CDCS, 1)
               if kind == "office"]
    assert _children(OFFICES, today) == offices
    assert {cdvc_successor(c) for c in _children(SERVICES, today)} == {SERVICES}
    assert _children(WARD, today) == sorted([HBT, MERGED])
    # the district level is gone: the successors and the city's sector unions remain
    assert _children("LDLD-HN", today) == sorted(
        [s.code for s in SUCCESSORS] + ["CDN-GD-HN", "CDN-XD-HN", "CDN-YT-HN"])
    for code in ("LDLD-HK", "LDLD-BD", "LDLD-DD"):  # the cluster demo's district peers
        assert _unit(code).valid_to == REORG_DAY, code
    for s in SUCCESSORS:
        unit = _unit(s.code)
        assert unit.name.endswith(ILLUSTRATIVE) and unit.valid_from == REORG_DAY
        assert version_at(unit, EVE) is None
    for code in [*CDVC_CDCS, HBT]:
        move = UnitEvent.objects.get(units_before=_unit(code), kind="move")
        assert move.date == REORG_DAY and "minh họa" in move.note


def test_the_people_follow_their_units(built: dict[str, Any]) -> None:
    today = timezone.localdate()
    was = unit_stats(_unit(CDVC), EVE)
    now = [unit_stats(_unit(code), today) for code in (OFFICES, SERVICES)]
    assert was["workers"] > 10_000
    assert sum(s["workers"] for s in now) == was["workers"]
    assert sum(s["members"] for s in now) == was["members"]
    assert unit_stats(_unit(HBT), today)["members"] == unit_stats(_unit(HBT), EVE)["members"]
    assert unit_stats(_unit(WARD), today)["workers"] == unit_stats(_unit(LDLD_HBT), EVE)["workers"]
    # nobody's period was cut: the people stay in their CĐCS and tổ, which moved
    moved = [*CDVC_CDCS, HBT]
    for model in (Employment, Membership):
        assert not model.objects.filter(valid_to=REORG_DAY,
                                        unit__code__in=moved).exists(), model.__name__
        assert not model.objects.filter(valid_to__isnull=True,
                                        unit__code__in=[CDVC, LDLD_HBT]).exists()


def test_the_kept_figures_equal_the_records(built: dict[str, Any]) -> None:
    """The demo goes through the services only (imports, moves, a merge, dissolutions, the
    year's reviews, decisions and revocations): the figures they kept (the roster's, ADR 0025,
    and every table registered with it: titles, the report's own, awards) are what the check
    recomputes from the records."""
    assert figures_differences() == []
    assert {d.name for d in DEPENDENTS} >= {"titles", "reports", "awards"}
    assert [row for dependent in DEPENDENTS for row in dependent.differences()] == []


# --- (b) the reports and dashboards of the past ---------------------------------------------------


def test_the_reports_and_dashboards_state_what_they_stated_before(built: dict[str, Any]) -> None:
    before, after = built["before"], built["after"]
    assert before.keys() == after.keys()
    for key in before:
        assert after[key] == before[key], key
    assert ("Công đoàn Viên chức thành phố Hà Nội đang quản lý trực tiếp 65 Công đoàn cơ sở với "
            "10.141 đoàn viên/10.159 CBCCVCLĐ.") in after["cdvc_2017_text"]
    assert "đang quản lý trực tiếp 19 Tổ công đoàn với 393 đoàn viên" in after["hbt_2023_text"]
    assert after["cdvc_2017_dashboard"]["children_total"] == 65
    assert len(after["cdvc_2017_children"]) == 65


def test_the_2017_dashboard_page_as_the_officer_of_the_ended_body_sees_it(
        built: dict[str, Any]) -> None:
    client = _client("canbo.cdvc")
    response = client.get(reverse("reports:dashboard", args=[CDVC, 2017]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Công đoàn Viên chức thành phố Hà Nội" in html
    # the children as they stood in 2017, each drilling down to a dashboard the officer may open
    child = reverse("reports:dashboard", args=["CDVC-HN-05", 2017])
    assert f'href="{child}"' in html
    assert client.get(child).status_code == 200
    summary = client.get(reverse("reports:summary", args=[CDVC, 2017]))
    assert summary.status_code == 200
    assert "10.141 đoàn viên/10.159 CBCCVCLĐ" in summary.content.decode()


# --- (c) a year after the end ---------------------------------------------------------------------


def test_a_report_of_a_year_after_the_end_says_so_in_vietnamese(built: dict[str, Any]) -> None:
    year = REORG_DAY.year + 1
    expected = (f"Đơn vị «Công đoàn Viên chức thành phố Hà Nội» đã kết thúc hoạt động từ ngày "
                f"01/07/2025; không có số liệu để báo cáo năm {year}. Báo cáo được lập đến năm "
                f"2024, theo cây tổ chức ngày 31/12/2024.")
    with pytest.raises(CommandError) as refused:
        call_command("report_summary", "--unit", CDVC, "--year", str(year), stdout=io.StringIO())
    assert str(refused.value) == expected
    client = _client("canbo.cdvc")
    for name in ("reports:summary", "reports:dashboard"):
        response = client.get(reverse(name, args=[CDVC, year]))
        assert response.status_code == 400, name
        assert expected in response.content.decode(), name


# --- the personas ---------------------------------------------------------------------------------


def test_the_officer_of_cdvc_reads_its_history_and_works_in_the_successors(
        built: dict[str, Any]) -> None:
    user = _user("canbo.cdvc")
    grants = {(g.unit.code, g.role) for g in RoleGrant.objects.filter(user=user)
              .select_related("unit")}
    assert grants == {(CDVC, "viewer"), (OFFICES, "officer"), (SERVICES, "officer")}
    today = timezone.localdate()
    assert [v.unit.code for v in tree_roots(user, today)] == [OFFICES, SERVICES]
    assert [v.unit.code for v in tree_roots(user, D(2017, 12, 31))] == [CDVC]
    assert not may_manage(user, _unit(CDVC))  # an ended body's records are read, not changed
    assert may_manage(user, _unit("CDVC-HN-05"))
    someone = Employment.objects.filter(unit__code="CDVC-HN-05").values_list("person_id",
                                                                              flat=True)[0]
    assert Person.objects.restrict(user).filter(pk=someone).exists()
    client = _client("canbo.cdvc")
    page = client.get(reverse("org:unit", args=[CDVC])).content.decode()
    assert "chấm dứt hoạt động từ ngày 01/07/2025" in page
    tree = client.get(reverse("org:tree")).content.decode()
    assert f"Công đoàn Khối các cơ quan thành phố Hà Nội {ILLUSTRATIVE}" in tree
    old = client.get(reverse("org:tree") + "?ngay=31/12/2017")
    assert old.status_code == 200 and "Công đoàn Viên chức thành phố Hà Nội" in old.content.decode()
    kids = client.get(reverse("org:tree-children", args=["CDVC-HN-05"]) + "?ngay=2017-12-31")
    assert kids.status_code == 200


def test_the_district_officer_moves_to_the_ward_union_and_the_cdcs_officer_keeps_the_unit(
        built: dict[str, Any]) -> None:
    quan = _user("canbo.quan")
    assert {(g.unit.code, g.role) for g in RoleGrant.objects.filter(user=quan)
            .select_related("unit")} == {(LDLD_HBT, "viewer"), (WARD, "officer")}
    assert [v.unit.code for v in tree_roots(quan, timezone.localdate())] == [WARD]
    assert [v.unit.code for v in tree_roots(quan, D(2023, 12, 31))] == [LDLD_HBT]
    cdcs = _user("canbo.cdcs")
    assert [(g.unit.code, g.role) for g in RoleGrant.objects.filter(user=cdcs)
            .select_related("unit")] == [(HBT, "officer")]
    assert may_manage(cdcs, _unit(HBT))
    for username in ("canbo.cdcs", "canbo.quan"):
        response = _client(username).get(reverse("reports:summary", args=[HBT, 2023])
                                          + "?tu_nam=2022")
        assert response.status_code == 200, username
        assert "19 Tổ công đoàn với 393 đoàn viên" in response.content.decode(), username
    member = _user("doanvien").person
    assert member.employments.get(valid_to__isnull=True).unit.path.startswith(_unit(HBT).path)


# --- running the demo again -----------------------------------------------------------------------


def test_a_second_run_changes_nothing(built: dict[str, Any]) -> None:
    """Moved here from test_demo.py, whose module builds only the tree: there the command's run
    was the first of the year data and of the reorganisation."""
    models = [Person, Unit, UnitVersion, UnitEvent, Membership, Employment, RoleGrant,
              get_user_model()]

    def counts() -> dict[str, int]:
        # the roster re-import records its (empty) runs; roles and the tree record nothing
        return {m.__name__: m.objects.count() for m in models} | {
            prefix: AuditEntry.objects.filter(action__startswith=prefix).count()
            for prefix in ("role.", "unit.")}

    before = counts()
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert counts() == before
    text = out.getvalue()
    assert "không tạo thêm gì" in text
    assert "Đang tạo" not in text, "a second run creates nothing and must not say it does"
    assert "Đang đối chiếu cây đơn vị đã có" in text
    assert "10.141" in text and "10.159" in text and "31/12/2017" in text
    assert "393" in text and "31/12/2023" in text
    for username in ["canbo.cdcs", "canbo.cdvc", "lanhdao.ldld", "quantri", "doanvien"]:
        assert username in text
    assert "thidua@2026" in text
    # the accounts table names the units each account works in today
    assert f"Công đoàn phường Hai Bà Trưng {ILLUSTRATIVE}" in text
    assert ("Công đoàn Viên chức thành phố Hà Nội (chỉ xem: kết thúc hoạt động từ 01/07/2025)"
            in text)
