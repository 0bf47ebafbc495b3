"""The dashboard of a unit's year (/bang-dieu-khien/<unit>/<year>/, issue 11 §3) as the personas
use it: the children as the tree stood that year, their figures, the red and green flags against
the targets in force for each child, and a query count that does not grow with the children."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.org.models import Unit
from thidua.org.services import unit_move
from thidua.reports import services
from thidua.reports.dashboard import ROW_MEASURES, children_rows
from thidua.reports.figures import year_figures
from thidua.reports.tests.helpers import YEAR, award, decision, party, title, welfare
from thidua.testing import World, make_person, make_unit

pytestmark = pytest.mark.django_db
D = dt.date


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _url(code: str, year: int = YEAR) -> str:
    return reverse("reports:dashboard", args=[code, year])


def _rows(w: World, unit: Any = None, year: int = YEAR) -> dict[str, Any]:
    return {r.code: r for r in children_rows(unit or w.cdvc, year)}


def test_officer_of_a_cdcs_sees_its_own_dashboard(world: World) -> None:
    w = world
    response = _client(w.officer_cdcs).get(_url("CDCS-A"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bảng điều khiển năm 2023" in html
    assert "Tổ công đoàn Văn phòng" in html  # its tổ, a child row
    assert 'id="dashboard-data"' in html and "<script>" not in html


def test_officer_above_sees_the_children_rows_linked_to_their_dashboards(world: World) -> None:
    w = world
    response = _client(w.officer_above).get(_url("CDVC-HN"))
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("CDCS-A", "CDCS-B"):
        assert f'href="{_url(code)}"' in html
    assert "CDCS-C" not in html
    # the tab next to the report's, and the link from the unit page
    assert f'href="{reverse("reports:summary", args=["CDVC-HN", YEAR])}"' in html
    unit_page = _client(w.officer_above).get(reverse("org:unit", args=["CDVC-HN"])).content.decode()
    assert "/bang-dieu-khien/CDVC-HN/" in unit_page


@pytest.mark.parametrize("who", ["outsider", "member_user", "officer_cdcs"])
def test_out_of_sight_is_404_like_a_missing_unit(world: World, who: str) -> None:
    w = world
    client = _client(getattr(w, who))
    assert client.get(_url("CDVC-HN")).status_code == 404
    assert client.get(_url("KHONG-CO")).status_code == 404


def test_a_year_outside_the_range_is_404(world: World) -> None:
    assert _client(world.officer_above).get(_url("CDVC-HN", 1800)).status_code == 404


def test_children_as_the_tree_stood_that_year(world: World) -> None:
    w = world
    make_person(w.cdcs_c, "Đỗ Văn Giang", actor=w.admin)
    award(decision(w.hbt), "GK_CAP_TREN", unit=w.cdcs_c)
    unit_move(actor=None, unit=w.cdcs_c, new_parent=w.cdvc, date=D(YEAR + 1, 2, 1))
    before, after = _rows(w), _rows(w, year=YEAR + 1)
    assert set(before) == {"CDCS-A", "CDCS-B"}
    assert set(after) == {"CDCS-A", "CDCS-B", "CDCS-C"}
    # in 2023 it still counts under Hai Bà Trưng, with its worker and its award
    (c,) = children_rows(w.hbt, YEAR)
    assert (c.code, c.workers, c.awards) == ("CDCS-C", 1, 1)
    assert children_rows(w.hbt, YEAR + 1) == []
    assert _rows(w, w.hn)["LDLD-HBT"].grassroots == 1


def test_figures_of_a_child_row(world: World) -> None:
    w = world
    women = [make_person(w.cdcs_b, f"Lê Thị Hoa {i}", gender="nu", actor=w.admin)
             for i in range(3)]
    title("LDTT", w.cdvc, person=women[0])
    title("CSTDCS", w.cdvc, person=women[0])  # two worker titles: one worker with a title
    title("GVNDVN", w.cdvc, person=women[0])
    title("GVNDVN", w.cdvc, person=women[1])
    party(women[2], w.cdcs_b, D(YEAR, 3, 1), D(YEAR, 9, 1))
    welfare(w.cdcs_b, D(YEAR, 3, 8), "8_3", *[(p, 500_000) for p in women])
    award(decision(w.cdvc), "GK_CAP_TREN", person=women[0])
    b = _rows(w)["CDCS-B"]
    assert (b.workers, b.women, b.worker_titles, b.gvndvn) == (3, 3, 1, 2)
    assert (b.party_introduced, b.party_admitted) == (1, 1)
    assert (b.welfare_beneficiaries, b.welfare_amount, b.awards) == (3, 1_500_000, 1)
    assert b.share("nu_gvndvn") == 66.7
    a = _rows(w)["CDCS-A"]
    assert (a.workers, a.women, a.awards) == (1, 1, 0)  # Ánh, in the tổ below CDCS-A


def test_flags_against_the_targets_in_force_for_each_child(world: World) -> None:
    w = world
    make_person(w.cdcs_a, "Nguyễn Văn An", actor=w.admin)  # CDCS-A: 2 workers, 1 titled (50 %)
    titled = make_person(w.cdcs_b, "Lê Văn Bình", actor=w.admin)  # CDCS-B: 1 of 1 (100 %)
    title("LDTT", w.cdvc, person=titled)
    title("LDTT", w.cdvc, person=w.member)
    # set above (inherited by both), and overridden by CDCS-A with a lower bar
    services.target_set(actor=w.leader, unit=w.hn, year=YEAR, measure_code="nld_danh_hieu",
                        comparison="gt", value=Decimal(75))
    services.target_set(actor=w.officer_above, unit=w.cdvc, year=YEAR,
                        measure_code="dang_gioi_thieu", comparison="ge", value=Decimal(1))
    rows = _rows(w)
    assert rows["CDCS-B"].met == {"nld_danh_hieu": True, "dang_gioi_thieu": False}
    assert rows["CDCS-A"].met["nld_danh_hieu"] is False
    services.target_set(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR,
                        measure_code="nld_danh_hieu", comparison="ge", value=Decimal(50))
    assert _rows(w)["CDCS-A"].met["nld_danh_hieu"] is True
    html = _client(w.officer_above).get(_url("CDVC-HN")).content.decode()
    assert 'class="num db-met"' in html and 'class="num db-unmet"' in html


def _grow(w: World, n: int, start: int) -> None:
    gk = decision(w.cdvc, number=f"{start}/QĐ")
    for i in range(start, start + n):
        cdcs = make_unit(f"CDCS-X{i}", "cdcs", w.cdvc, name=f"Công đoàn Sở Thêm {i}")
        group = make_unit(f"TO-X{i}", "to_cd", cdcs, name=f"Tổ công đoàn Thêm {i}")
        person = make_person(group, f"Người Thêm Số {i}", gender="nu", actor=w.admin)
        title("LDTT", cdcs, person=person)
        title("GVNDVN", cdcs, person=person)
        award(gk, "GK_CAP_TREN", person=person)
        party(person, cdcs, D(YEAR, 3, 1))
        welfare(group, D(YEAR, 3, 8), "8_3", (person, 200_000))


#: children_rows' queries, pinned: the unit's version and its children (2), the CĐCS and the
#: roster by child (1, the kept figures), titles (1), gradings and agency culture titles (1),
#: launches and registrations (1), Party, welfare and families (3), awards (1), initiatives (1):
#: the children's kept subtree sums (ADR 0036); the unit's targets in force (3) and the
#: children's own (1)
CHILDREN_QUERIES = 15
#: the same inside a page (`platform.reads.page_reads`): the kept subtree sums of titles,
#: gradings, launches, Party, welfare, families and initiatives read in one query, and the
#: unit's version in the year read once for its children and its targets
CHILDREN_PAGE_QUERIES = 8
#: the whole page: the request's own (session, user, the unit in scope, may manage: 4),
#: `year_figures` and the children's rows, reading the unit's kept subtree sums, versions and
#: targets in force once for the page (22); on PostgreSQL the award rows grouped in the
#: database turn JIT off first (`platform.planner.without_jit`: one more)
PAGE_QUERIES = 26 + (connection.vendor == "postgresql")


def test_query_count_does_not_grow_when_the_children_double(world: World,
                                                            django_assert_num_queries: Any,
                                                            ) -> None:
    w = world
    services.target_set(actor=w.officer_above, unit=w.cdvc, year=YEAR,
                        measure_code="nld_danh_hieu", comparison="gt", value=Decimal(75))
    _grow(w, 2, 0)
    with django_assert_num_queries(CHILDREN_QUERIES):
        assert len(children_rows(w.cdvc, YEAR)) == 4
    client = _client(w.officer_above)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url("CDVC-HN")).status_code == 200
    _grow(w, 4, 2)
    with django_assert_num_queries(CHILDREN_QUERIES):
        rows = children_rows(w.cdvc, YEAR)
    assert len(rows) == 8
    assert all(r.met["nld_danh_hieu"] for r in rows if r.code.startswith("CDCS-X"))
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url("CDVC-HN")).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries) == PAGE_QUERIES


def test_chartjs_is_served_by_us_with_its_licence(world: World) -> None:
    from django.conf import settings
    vendored = settings.STATICFILES_DIRS[0] / "vendor" / "chart.umd.min.js"
    assert vendored.read_text()[:120].count("Released under the MIT License") == 1
    html = _client(world.officer_above).get(_url("CDVC-HN")).content.decode()
    assert 'src="/static/vendor/chart.umd.min.js"' in html
    # every script is ours (no CDN); a random token may spell "cdn", so the sources are checked
    assert all(src.startswith("/static/") for src in re.findall(r'<script[^>]* src="([^"]+)"', html))


def test_each_child_row_agrees_with_the_childs_own_report(year_of_records: World) -> None:
    """Every measure the table flags is counted per child as the child's own year-end report
    counts it for its subtree: launches, registrations, culture agencies, titles, families,
    gradings, Party."""
    rows = _rows(year_of_records)
    assert set(rows) == {"CDCS-A", "CDCS-B"}
    for code, row in rows.items():
        own = year_figures(Unit.objects.get(code=code), YEAR)["actuals"]
        for measure_code in ROW_MEASURES:
            assert row.actuals[measure_code].value == own[measure_code]["actual"], (
                code, measure_code)
    a, b = rows["CDCS-A"], rows["CDCS-B"]
    assert (a.launched, a.registered, a.culture_registered, a.culture, a.base) == (1, 1, 1, 1, 1)
    assert (b.launched, b.registered, b.culture_registered, b.culture) == (0, 1, 0, 0)
    assert b.share("cdcs_phat_dong") == 0.0 and a.share("co_quan_van_hoa") == 100.0


def test_the_childrens_cells_sort_by_plain_numbers_and_show_vietnamese_ones(world: World
                                                                           ) -> None:
    """The page's script sorts a column by `parseFloat(data-sort)`: a share must be "50.0",
    not the localised "50,0" (read as 50, so 50,4 % and 50,9 % came out in any order)."""
    w = world
    html = _client(w.officer_above).get(_url("CDVC-HN")).content.decode()
    body = html.split('<table class="db-children"', 1)[1].split("</table>", 1)[0]
    keys = re.findall(r'<td class="num[^"]*" data-sort="([^"]*)">([^<]*)', body)
    assert keys, "no cell in the children's table"
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", k) or k == "" for k, _ in keys), keys
    shares = [(k, text) for k, text in keys if text.endswith("%")]
    assert shares, "no share column"
    for key, text in shares:  # the same number, written two ways
        assert float(key) == float(text.removesuffix("%").replace(",", "."))


def test_a_childs_name_is_escaped_in_the_table() -> None:
    from thidua.reports.dashboard_page import child_rows_html

    cell = {"text": "1.234", "sort": 1234, "state": "unmet"}
    html = str(child_rows_html([{"code": "A&B", "name": '<b>"Tổ" 1</b>', "url": "/x?a=1&b=2",
                                 "cells": [cell]}]))
    assert '<b>' not in html and "&lt;b&gt;&quot;Tổ&quot; 1&lt;/b&gt;" in html
    assert 'href="/x?a=1&amp;b=2"' in html and "A&amp;B" in html
    assert ('<td class="num db-unmet" data-sort="1234">1.234<span class="sr-only"> (chưa đạt)'
            '</span></td>') in html
