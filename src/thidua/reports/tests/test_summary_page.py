"""The year-end report on the web (/bao-cao/<unit>/<year>/) as the personas use it: the prose,
the figures, the targets and the three downloads, which are what the command line writes."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.reports import services
from thidua.reports.summary import summary_figures, summary_file
from thidua.reports.tests.helpers import YEAR, award, decision, party, title
from thidua.testing import World, make_person, make_unit

pytestmark = pytest.mark.django_db
D = dt.date


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _url(code: str, year: int = YEAR, query: str = "") -> str:
    return reverse("reports:summary", args=[code, year]) + query


def _some_records(w: World) -> None:
    title("LDTT", w.cdcs_a, person=w.member)
    party(w.member, w.cdcs_a, D(YEAR, 3, 1), D(YEAR, 9, 1))
    award(decision(w.cdvc), "GK_CAP_TREN", person=w.member)
    services.target_set(actor=w.officer_above, unit=w.cdvc, year=YEAR, measure_code="nld_danh_hieu",
                        comparison="gt", value=Decimal(75))


def test_the_officer_above_reads_the_report_and_its_figures(world: World) -> None:
    w = world
    _some_records(w)
    r = _client(w.officer_above).get(_url("CDVC-HN"))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Tổng kết công tác thi đua, khen thưởng năm 2023" in page
    assert "đã có 1 đoàn viên ưu tú được kết nạp vào Đảng Cộng sản Việt Nam." in page
    assert "1/1 CBCCVCLĐ (100%) đạt danh hiệu “Lao động tiên tiến”" in page
    assert "Chỉ tiêu và kết quả năm 2023" in page and "trên 75%" in page and ">Đạt<" in page
    assert "Hà Nội đạt 1/1 chỉ tiêu thi đua đề ra: CBCCVCLĐ đạt danh hiệu" in page
    for fmt in ("docx", "md", "json"):
        assert reverse("reports:summary-download", args=["CDVC-HN", YEAR, fmt]) in page
    assert "Báo cáo tổng kết" in page  # the tab beside targets, welfare, Party


def test_the_cdcs_officer_sees_their_own_and_not_the_level_above(world: World) -> None:
    officer = _client(world.officer_cdcs)
    page = officer.get(_url("CDCS-A")).content.decode()
    assert ("Công đoàn Sở Tư pháp đang quản lý trực tiếp 1 Tổ công đoàn với 1 đoàn viên/1 "
            "CBCCVCLĐ.") in page
    assert officer.get(_url("CDVC-HN")).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "member_user"])
def test_out_of_sight_is_the_same_404_as_missing(world: World, who: str) -> None:
    c = _client(getattr(world, who))
    assert c.get(_url("CDCS-A")).status_code == 404
    assert c.get(reverse("reports:summary-download", args=["CDCS-A", YEAR, "json"])
                 ).status_code == 404
    assert c.get(_url("KHONG-CO")).status_code == 404
    assert Client().get(_url("CDCS-A")).status_code == 302  # anonymous: to the login page


def test_the_downloads_are_what_the_command_line_writes(world: World, tmp_path) -> None:
    w = world
    _some_records(w)
    c = _client(w.officer_above)

    def get(fmt: str, query: str = "") -> Any:
        return c.get(reverse("reports:summary-download", args=["CDVC-HN", YEAR, fmt]) + query)

    md = get("md")
    assert md["Content-Type"].startswith("text/markdown")
    assert 'filename="bao-cao-tong-ket-CDVC-HN-2023.md"' in md["Content-Disposition"]
    call_command("report_summary", unit="CDVC-HN", year=str(YEAR), format="md",
                 output=str(tmp_path / "r.md"))
    assert md.content == (tmp_path / "r.md").read_bytes()
    data = json.loads(get("json").content)
    assert data == summary_figures(w.cdvc, YEAR)
    assert data["party_admitted"] == 1 and data["targets"][0]["code"] == "nld_danh_hieu"
    docx = get("docx")
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        assert "Đảng Cộng sản Việt Nam" in z.read("word/document.xml").decode()
    two = get("json", "?tu_nam=2022")
    assert json.loads(two.content)["years"] == [2022, 2023]
    assert 'bao-cao-tong-ket-CDVC-HN-2022-2023.json' in two["Content-Disposition"]
    assert get("pdf").status_code == 404
    assert get("md", "?tu_nam=2024").status_code == 400


def test_several_years_and_refusals_in_vietnamese(world: World) -> None:
    c = _client(world.officer_above)
    page = c.get(_url("CDVC-HN", query="?tu_nam=2022")).content.decode()
    assert "năm 2022 - 2023" in page and "?tu_nam=2022" in page
    bad = c.get(_url("CDVC-HN", query="?tu_nam=2024"))
    assert bad.status_code == 400
    assert "Năm bắt đầu (2024) không được sau năm báo cáo (2023)." in bad.content.decode()
    bad = c.get(_url("CDVC-HN", query="?tu_nam=2015"))
    assert bad.status_code == 400 and "tối đa 5 năm" in bad.content.decode()


def test_the_unit_page_links_to_the_report(world: World) -> None:
    page = _client(world.officer_cdcs).get(reverse("org:unit", args=["CDCS-A"])).content.decode()
    assert "/bao-cao/CDCS-A/" in page and "Báo cáo tổng kết năm" in page


def test_the_page_makes_a_fixed_number_of_queries(world: World, django_assert_num_queries
                                                   ) -> None:
    w = world
    _some_records(w)
    c = _client(w.officer_above)
    with CaptureQueriesContext(connection) as small:
        assert c.get(_url("CDVC-HN")).status_code == 200
    for i in range(4):
        cdcs = make_unit(f"CDCS-Z{i}", "cdcs", w.cdvc, name=f"Công đoàn Sở Z {i}")
        make_person(cdcs, f"Người Z Số {i}", actor=w.admin)
    with django_assert_num_queries(len(small.captured_queries)):
        c.get(_url("CDVC-HN"))
    with django_assert_num_queries(PAGE_QUERIES):
        c.get(_url("CDVC-HN"))


#: the request's own (session, user, the unit in scope, the permission to manage) and the
#: report's figures (figures.year_figures, pinned in test_figures for two years; one year reads
#: its initiatives from the kept subtree sums, two queries fewer; the page reads the unit's kept
#: subtree sums, versions and targets in force once, `platform.reads.page_reads`); on
#: PostgreSQL the award rows grouped in the database turn JIT off first
#: (`platform.planner.without_jit`: one more)
PAGE_QUERIES = 21 + (connection.vendor == "postgresql")


def test_the_service_names_the_file_after_unit_and_years(world: World) -> None:
    f = summary_figures(world.cdcs_a, YEAR, YEAR - 1)
    report = summary_file(world.cdcs_a, f, "md")
    assert report.filename == "bao-cao-tong-ket-CDCS-A-2022-2023.md"
    assert report.content.decode().startswith("# BÁO CÁO")
