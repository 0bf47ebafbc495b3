"""Saved statistics reports and the Ministry's form 0602: who sees and edits them, the checks
on their parameters, the counts against awards written as the decisions write them, the .xlsx
read back, and the query counts pinned."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from thidua.audit.models import AuditEntry
from thidua.honours.models import Candidate, Proposal
from thidua.org.models import Unit
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.reports import selectors
from thidua.reports.form0602 import ROWS, form0602
from thidua.reports.models import StatisticsReport
from thidua.reports.services.statistics import (
    statistics_report_create,
    statistics_report_delete,
    statistics_report_update,
)
from thidua.reports.statistics import Params, params_problems, statistics_table
from thidua.reports.tests.helpers import award, decision
from thidua.testing import World, make_person, make_unit

pytestmark = pytest.mark.django_db
YEAR = 2023


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _params(unit: Unit, **more) -> Params:
    base = {"subtree": unit, "year_from": YEAR, "year_to": YEAR, "rows": "form",
            "values": ("collectives", "individuals", "total")}
    return Params(**(base | more))


def _awards(w: World) -> dict[str, object]:
    """CĐVC Hà Nội's Giấy khen to two people of CĐCS A and to CĐCS B (2023); LĐLĐ Hà Nội's
    Bằng khen to one person of CĐCS A with 1.170.000 đồng (2023); a Bằng khen of the Prime
    Minister recorded by the Confederation for CĐCS A (2023); a revoked Giấy khen; a 2022
    Giấy khen; one to CĐCS C (another branch)."""
    a1 = w.member
    a2 = make_person(w.cdcs_a, "Lê Văn Hai", birth=dt.date(1988, 2, 2), actor=w.admin)
    c1 = make_person(w.cdcs_c, "Lý Văn Ngoài", birth=dt.date(1987, 3, 3), actor=w.admin)
    gk = decision(w.cdvc)
    award(gk, "GK_CAP_TREN", person=a1)
    award(gk, "GK_CAP_TREN", person=a2)
    award(gk, "GK_CAP_TREN", unit=w.cdcs_b)
    award(gk, "GK_CAP_TREN", unit=w.cdcs_a, revoked=True)
    bk = decision(w.hn, number="5/QĐ")
    money = award(bk, "BK_LDLD", person=a1)
    money.cash_amount = 1_170_000
    money.save(update_fields=["cash_amount"])
    ttg = decision(w.tld, number="7/QĐ")
    ttg.external_issuer = "Thủ tướng Chính phủ"
    ttg.save(update_fields=["external_issuer"])
    proposal = Proposal.objects.create(unit=w.tld, recipient=w.tld, year=YEAR, kind="chuyen_de",
                                       form="BK_TTG", title="Đề nghị Bằng khen")
    cand = Candidate.objects.create(proposal=proposal, subject_unit=w.cdcs_a,
                                    display_name=w.cdcs_a.name)
    state = award(ttg, "BK_TTG", unit=w.cdcs_a)
    state.candidate = cand
    state.save(update_fields=["candidate"])
    award(decision(w.cdvc, year=YEAR - 1, number="2/QĐ"), "GK_CAP_TREN", person=a2)
    award(decision(w.hbt, number="9/QĐ"), "GK_CAP_TREN", person=c1)
    return {"a2": a2}


# --- the counts -------------------------------------------------------------------------------


def test_counts_by_form_follow_the_register(world: World):
    _awards(world)
    table = statistics_table(_params(world.cdvc))
    # rows in the catalogue's order, named as the catalogue names them
    assert [(line.label, line.cells) for line in table.rows] == [
        ("Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh/thành phố, Công đoàn ngành "
         "Trung ương", [0, 1, 1]),
        ("Giấy khen của Ban Chấp hành Công đoàn cấp trên trực tiếp cơ sở", [1, 2, 3]),
        ("Bằng khen của Thủ tướng Chính phủ", [1, 0, 1]),
    ]
    assert table.totals == [2, 3, 5]
    assert table.awards == 5


def test_levels_issuers_years_children_and_cash(world: World):
    _awards(world)
    by_level = statistics_table(_params(world.cdvc, rows="level", values=("total", "cash")))
    assert {line.label: line.cells for line in by_level.rows} == {
        "Cấp Nhà nước (Chủ tịch nước, Thủ tướng Chính phủ)": [1, 0],
        "LĐLĐ tỉnh, thành phố": [1, 1_170_000],
        "Công đoàn cấp trên trực tiếp cơ sở": [3, 0],
    }
    by_issuer = statistics_table(_params(world.cdvc, rows="issuer", values=("total",)))
    assert [(line.label, line.cells) for line in by_issuer.rows] == [
        ("Thủ tướng Chính phủ", [1]), ("Liên đoàn Lao động Thành phố Hà Nội", [1]),
        ("Công đoàn Viên chức thành phố Hà Nội", [3])]
    # two years, rows by child unit, columns by year (a «Cộng» block closes each row)
    grid = statistics_table(_params(world.cdvc, year_from=YEAR - 1, rows="child",
                                    columns="year", values=("total",)))
    assert grid.headers == [("2022", "Tổng số"), ("2023", "Tổng số"), ("Cộng", "Tổng số")]
    assert {line.label: line.cells for line in grid.rows} == {
        "Công đoàn Sở Tư pháp": [1, 4, 5], "Công đoàn Sở Y tế": [0, 1, 1]}
    assert grid.totals == [1, 5, 6]
    # filters: state forms only; collectives only; one issuer; issuer levels
    assert statistics_table(_params(world.cdvc, family="nha_nuoc")).totals == [1, 0, 1]
    assert statistics_table(_params(world.cdvc, recipients="tap_the")).totals == [2, 0, 2]
    assert statistics_table(_params(world.cdvc, issuer=world.hn)).totals == [0, 1, 1]
    assert statistics_table(_params(world.cdvc, issuer_levels=("nha_nuoc", "ldld_tinh"))
                            ).totals == [1, 1, 2]
    assert statistics_table(_params(world.cdvc, forms=("GK_CAP_TREN",))).totals == [1, 2, 3]
    # the other branch's award is in neither subtree of CĐVC
    assert statistics_table(_params(world.hbt)).totals == [0, 1, 1]


def test_a_unit_moved_away_counts_where_it_stood_that_year(world: World):
    from thidua.org.services import unit_move

    _awards(world)
    unit_move(actor=world.admin, unit=world.cdcs_b, new_parent=world.hbt,
              date=dt.date(YEAR + 1, 1, 1))
    # 2023: CĐCS B still under CĐVC; the tree of today puts it under LĐLĐ Hai Bà Trưng
    assert statistics_table(_params(world.cdvc)).totals == [2, 3, 5]
    assert statistics_table(_params(world.hbt)).totals == [0, 1, 1]


def test_query_count_does_not_grow_with_the_awards(world: World, django_assert_num_queries):
    extra = _awards(world)
    params = _params(world.cdvc, year_from=YEAR - 1, rows="child", columns="issuer",
                     values=("collectives", "individuals", "total", "cash"))
    with django_assert_num_queries(7):
        statistics_table(params)
    d = decision(world.cdvc, number="11/QĐ")
    for i in range(20):
        award(d, "GK_CAP_TREN", person=make_person(world.cdcs_b, f"Người {i}",
                                                    birth=dt.date(1980, 1, i + 1),
                                                    actor=world.admin))
    award(d, "GK_CAP_TREN", person=extra["a2"])  # type: ignore[arg-type]
    with django_assert_num_queries(7):
        table = statistics_table(params)
    assert table.totals[-2] == 6 + 21  # the «Cộng» block's total


# --- parameters and the services --------------------------------------------------------------


@pytest.mark.parametrize(("more", "field", "message"), [
    ({"year_from": 2024, "year_to": 2023}, "year_to", "«Đến năm» phải không trước «Từ năm»."),
    ({"year_from": 1990}, "year_from", "Từ năm phải từ"),
    ({"year_from": 2010, "year_to": 2023}, "year_to", "tối đa 10 năm"),
    ({"rows": "x"}, "rows", "Hãy chọn cách chia dòng"),
    ({"columns": "form"}, "columns", "Cột và dòng phải chia theo hai cách khác nhau."),
    ({"values": ()}, "values", "Hãy chọn ít nhất một số liệu"),
    ({"values": ("tien",)}, "values", "Số liệu không hợp lệ"),
    ({"issuer_levels": ("xa",)}, "issuer_levels", "Cấp khen thưởng không hợp lệ: xa."),
    ({"forms": ("KHONG_CO",)}, "forms", "Hình thức không có trong danh mục: KHONG_CO."),
    ({"forms": ("GK_CDCS",), "family": "nha_nuoc"}, "forms", "không phải hình thức khen thưởng "
                                                             "của Nhà nước"),
    ({"forms": ("CO_TD_LDLD",), "recipients": "ca_nhan"}, "forms", "không khen cá nhân"),
])
def test_bad_parameters_are_named(world: World, more, field, message):
    problems = params_problems(_params(world.cdvc, **more))
    assert problems and problems[0][0] == field and message in problems[0][1]


def test_services_save_change_and_remove_with_audit(world: World):
    report = statistics_report_create(actor=world.officer_above, unit=world.cdvc,
                                      name="  Khen thưởng   năm 2023 ",
                                      params=_params(world.cdcs_a, rows="level"))
    assert report.name == "Khen thưởng năm 2023" and report.subtree == world.cdcs_a
    with pytest.raises(ApplicationError, match="đã có báo cáo tên"):
        statistics_report_create(actor=world.officer_above, unit=world.cdvc,
                                 name="Khen thưởng năm 2023", params=_params(world.cdvc))
    with pytest.raises(ApplicationError, match="Chỉ thống kê được"):
        statistics_report_create(actor=world.officer_above, unit=world.cdvc, name="Khác",
                                 params=_params(world.cdcs_c))
    with pytest.raises(ApplicationError, match="Đơn vị khen thưởng phải là cấp trên"):
        statistics_report_create(actor=world.officer_above, unit=world.cdvc, name="Khác",
                                 params=_params(world.cdvc, issuer=world.hbt))
    with pytest.raises(ApplicationError, match="Hãy đặt tên"):
        statistics_report_create(actor=world.officer_above, unit=world.cdvc, name="  ",
                                 params=_params(world.cdvc))
    # a viewer may not save; the CĐCS officer and the outsider do not see the level above
    with pytest.raises(PermissionDeniedError):
        statistics_report_create(actor=world.viewer, unit=world.cdvc, name="X",
                                 params=_params(world.cdvc))
    with pytest.raises(NotFoundError):
        statistics_report_create(actor=world.officer_cdcs, unit=world.cdvc, name="X",
                                 params=_params(world.cdvc))
    with pytest.raises(NotFoundError):
        statistics_report_update(actor=world.outsider, report=report, name="X",
                                 params=_params(world.cdvc))
    statistics_report_update(actor=world.officer_above, report=report, name="Theo năm",
                             params=_params(world.cdvc, issuer=world.tld, rows="year"))
    report.refresh_from_db()
    assert (report.name, report.rows, report.issuer) == ("Theo năm", "year", world.tld)
    statistics_report_delete(actor=world.officer_above, report=report)
    assert not StatisticsReport.objects.exists()
    assert list(AuditEntry.objects.filter(object_type="reports_statisticsreport")
                .order_by("pk").values_list("action", flat=True)) == [
        "statistics_report.create", "statistics_report.update", "statistics_report.delete"]


# --- the pages --------------------------------------------------------------------------------


def _post_data(**more) -> dict[str, object]:
    return {"name": "Khen thưởng 2023", "subtree": "CDCS-A", "year_from": YEAR,
            "year_to": YEAR, "recipients": "ca_hai", "rows": "form", "columns": "",
            "values": ["collectives", "individuals", "total"]} | more


def test_officer_saves_runs_and_downloads(world: World):
    _awards(world)
    officer = _client(world.officer_cdcs)
    url = reverse("reports:statistics", args=["CDCS-A", YEAR])
    page = officer.get(url)
    assert page.status_code == 200 and "Lập báo cáo thống kê mới" in page.content.decode()
    bad = officer.post(url, _post_data(year_from=2024))
    assert bad.status_code == 400
    assert "«Đến năm» phải không trước «Từ năm»." in bad.content.decode()
    assert 'value="Khen thưởng 2023"' in bad.content.decode()  # nothing typed is lost
    r = officer.post(url, _post_data(columns="level", values=["total", "cash"]))
    assert r.status_code == 302
    report = StatisticsReport.objects.get()
    detail = officer.get(r["Location"]).content.decode()
    assert "Tổng cộng" in detail and "1.170.000" in detail and "Cấp Nhà nước" in detail
    xlsx = officer.get(reverse("reports:statistics-download", args=[report.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0
                                                                                    ).to_python()
    assert rows[0][0] == "Khen thưởng 2023"
    head = next(i for i, row in enumerate(rows) if row[0] == "Hình thức khen thưởng")
    assert "Cấp Nhà nước (Chủ tịch nước, Thủ tướng Chính phủ)" in rows[head]
    assert rows[head + 1][1:4] == ["Tổng số", "Tiền thưởng (đồng)", "Tổng số"]
    total = next(row for row in rows if row[0] == "Tổng cộng")
    assert total[-2:] == [4.0, 1_170_000.0]


def test_who_sees_and_edits(world: World):
    report = statistics_report_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                      name="Báo cáo A", params=_params(world.cdcs_a))
    urls = [reverse("reports:statistics-detail", args=[report.pk]),
            reverse("reports:statistics-download", args=[report.pk]),
            reverse("reports:statistics-edit", args=[report.pk])]
    for user in (world.outsider, world.member_user):
        c = _client(user)
        assert [c.get(u).status_code for u in urls] == [404, 404, 404]
        assert c.post(reverse("reports:statistics-delete", args=[report.pk])).status_code == 404
    above = _client(world.officer_above)
    assert [above.get(u).status_code for u in urls] == [200, 200, 200]
    viewer = _client(world.viewer)
    assert "Sửa điều kiện" not in viewer.get(urls[0]).content.decode()
    assert viewer.get(urls[2]).status_code == 403
    assert viewer.post(reverse("reports:statistics-delete", args=[report.pk])).status_code == 403
    r = above.post(urls[2], _post_data(name="Báo cáo A (sửa)", rows="year"))
    assert r.status_code == 302
    report.refresh_from_db()
    assert (report.name, report.rows) == ("Báo cáo A (sửa)", "year")
    # the CĐCS officer's list shows it; the outsider's own list does not
    assert "Báo cáo A (sửa)" in _client(world.officer_cdcs).get(
        reverse("reports:statistics", args=["CDCS-A", YEAR])).content.decode()
    assert "Báo cáo A" not in _client(world.outsider).get(
        reverse("reports:statistics", args=["CDCS-C", YEAR])).content.decode()
    assert list(selectors.statistics_reports(world.cdcs_c)) == []
    assert above.post(reverse("reports:statistics-delete", args=[report.pk])).status_code == 302
    assert not StatisticsReport.objects.exists()


def test_pages_query_counts_are_pinned(world: World, django_assert_max_num_queries):
    _awards(world)
    officer = _client(world.officer_above)
    for i in range(3):
        statistics_report_create(actor=world.officer_above, unit=world.cdvc, name=f"Báo cáo {i}",
                                 params=_params(world.cdvc, rows="child", columns="year"))
    report = StatisticsReport.objects.first()
    assert report is not None
    officer.get(reverse("reports:statistics-detail", args=[report.pk]))  # warm the session
    with django_assert_max_num_queries(22) as list_page:
        officer.get(reverse("reports:statistics", args=["CDVC-HN", YEAR]))
    with django_assert_max_num_queries(20) as detail_page:
        officer.get(reverse("reports:statistics-detail", args=[report.pk]))
    for i in range(3, 8):
        statistics_report_create(actor=world.officer_above, unit=world.cdvc, name=f"Báo cáo {i}",
                                 params=_params(world.cdvc))
    d = decision(world.cdvc, number="12/QĐ")
    for i in range(10):
        award(d, "GK_CAP_TREN", person=make_person(world.cdcs_b, f"Người {i}",
                                                    birth=dt.date(1981, 1, i + 1),
                                                    actor=world.admin))
    with django_assert_max_num_queries(len(list_page)):
        officer.get(reverse("reports:statistics", args=["CDVC-HN", YEAR]))
    with django_assert_max_num_queries(len(detail_page)):
        officer.get(reverse("reports:statistics-detail", args=[report.pk]))


# --- the Ministry's form 0602 -----------------------------------------------------------------


def test_form_0602_counts_state_awards_only(world: World, django_assert_num_queries):
    _awards(world)
    # the decisions were signed on 10/01/2024: in the period 01/12/2023–30/11/2024
    with django_assert_num_queries(3):
        form = form0602(world.cdvc, YEAR + 1)
    assert (form.start, form.end) == (dt.date(YEAR, 12, 1), dt.date(YEAR + 1, 11, 30))
    labels = [c.group_label for c in form.columns]
    bk = labels.index("Bằng khen của Thủ tướng Chính phủ")
    by_code = {row.code: (total, cells) for row, total, cells in form.rows if row.code}
    assert by_code["1"][0] == 1 and by_code["1"][1][bk] == 1  # one collective, Bằng khen TTg
    assert by_code["2"][0] == 1 and by_code["3"][0] == 0
    assert by_code["6"][0] == 1 and by_code["9"][0] == 0
    assert by_code["16"][0] == 1 and by_code["15"][0] == 0  # its proposal was chuyên đề
    assert by_code["7"] == (None, [None] * len(form.columns))  # the register cannot tell
    assert [r.code for r in ROWS if r.code] == [str(n) for n in (1, 2, 3, *range(6, 22))]
    before = form0602(world.cdvc, YEAR)
    assert before.rows[0][1] == 0  # nothing signed from 01/12/2022 to 30/11/2023


def test_form_0602_download(world: World):
    _awards(world)
    url = reverse("reports:statistics-form0602", args=["CDVC-HN", YEAR + 1])
    assert _client(world.outsider).get(url).status_code == 404
    r = _client(world.officer_above).get(url)
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    flat = [str(v) for row in rows for v in row]
    assert "Biểu số: 0602.N/BNV-TĐKT" in flat and "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC" in flat
    assert any("lifephongphanmem/thiduakhenthuong_php8" in v for v in flat)
    total = next(row for row in rows if row[0] == "Tổng số")
    assert total[1] == "1" and total[3] == 1.0


def test_a_new_unit_type_without_awards_gives_an_empty_table(world: World):
    make_unit("CDCS-D", "cdcs", world.cdvc)
    table = statistics_table(_params(Unit.objects.get(code="CDCS-D")))
    assert table.rows == [] and table.totals == [0, 0, 0]


def test_a_report_whose_subtree_left_the_unit_no_longer_runs(world: World):
    from thidua.org.services import unit_move

    _awards(world)
    report = statistics_report_create(actor=world.officer_above, unit=world.cdvc, name="Sở Y tế",
                                      params=_params(world.cdcs_b))
    unit_move(actor=world.admin, unit=world.cdcs_b, new_parent=world.hbt,
              date=dt.date(YEAR + 1, 1, 1))
    above = _client(world.officer_above)
    page = above.get(reverse("reports:statistics-detail", args=[report.pk]))
    assert page.status_code == 400
    assert "không còn trực thuộc «Công đoàn Viên chức thành phố Hà Nội»" in page.content.decode()
    assert above.get(reverse("reports:statistics-download", args=[report.pk])).status_code == 400


def test_a_wide_subtree_types_the_issuers_code(world: World, monkeypatch):
    """The issuer select listed every unit of the subtree (the TLĐ's: the nation's, dissolved
    ones too): beyond `UNIT_CHOICES` it takes a code, suggesting the issuers above the unit and
    the unit with the level below it; one from another branch is refused by name."""
    from thidua.platform import forms as platform_forms

    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 5)  # TLĐ, LĐLĐ HN and CĐVC's 4
    officer = _client(world.officer_above)
    url = reverse("reports:statistics", args=["CDVC-HN", YEAR])
    page = officer.get(url).content.decode()
    assert 'list="issuer-goi-y"' in page
    suggested = page[page.index('<datalist id="issuer-goi-y">'):]
    suggested = suggested[:suggested.index("</datalist>")]
    assert 'value="TLD"' in suggested and 'value="CDCS-B"' in suggested
    assert "TO-A1" not in suggested
    data = _post_data(subtree="CDVC-HN")
    r = officer.post(url, data | {"issuer": "to-a1"})
    assert r.status_code == 302
    assert StatisticsReport.objects.get().issuer == world.to_a1
    other = officer.post(url, data | {"name": "Khác", "issuer": "CDCS-C"})
    assert other.status_code == 400
    assert ("Không có đơn vị mã «CDCS-C» trong các đơn vị khen thưởng được đơn vị này hoặc "
            "thuộc đơn vị này" in other.content.decode())
    assert StatisticsReport.objects.count() == 1
    # the subtree's select (the unit and two levels below: a province's thousands of CĐCS)
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    assert 'list="subtree-goi-y"' in officer.get(url).content.decode()
    r = officer.post(url, data | {"name": "Tổ", "subtree": "to-a1"})
    assert r.status_code == 302
    assert StatisticsReport.objects.get(name="Tổ").subtree == world.to_a1
    away = officer.post(url, data | {"name": "Ngoài", "subtree": "CDCS-C"})
    assert away.status_code == 400 and "Không có đơn vị mã «CDCS-C»" in away.content.decode()
