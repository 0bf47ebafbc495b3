"""The pages as the personas use them: the CĐCS officer, the officer of the level above, the
viewer, the officer of another branch and a member; query counts pinned on the list pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from thidua.reports import services
from thidua.reports.models import Beneficiary, PartyCandidate, Target, WelfareActivity
from thidua.reports.services import BeneficiaryRow
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db
YEAR = 2023


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_targets_page_shows_inherited_and_sets_an_override(world: World):
    services.target_set(actor=world.officer_above, unit=world.cdvc, year=YEAR,
                        measure_code="nu_gvndvn", comparison="range", value=Decimal(85),
                        value_max=Decimal(90), source="Kế hoạch năm 2023")
    url = reverse("reports:targets", args=["CDCS-A", YEAR])
    officer = _client(world.officer_cdcs)
    page = officer.get(url).content.decode()
    assert "85–90%" in page and "Cấp trên" in page and "Công đoàn Viên chức thành phố Hà Nội" in page
    r = officer.post(url, {"measure": "nu_gvndvn", "comparison": "gt", "value": "97",
                           "source": "Nghị quyết Hội nghị công chức"})
    assert r.status_code == 302
    page = officer.get(url).content.decode()
    assert "&gt; 97%" in page and "Riêng của đơn vị" in page
    bad = officer.post(url, {"measure": "gia_dinh_van_hoa", "comparison": "ge", "value": "120"})
    assert bad.status_code == 400 and "Tỷ lệ phải từ 0 đến 100 %." in bad.content.decode()
    bad = officer.post(url, {"measure": "gia_dinh_van_hoa", "comparison": "ge", "value": "nhiều"})
    assert bad.status_code == 400 and "Hãy nhập một số" in bad.content.decode()
    assert Target.objects.filter(unit=world.cdcs_a).count() == 1
    # a CĐCS officer cannot set the level above's targets: the page is out of sight
    assert officer.get(reverse("reports:targets", args=["CDVC-HN", YEAR])).status_code == 404


def test_who_sees_what(world: World):
    url = reverse("reports:targets", args=["CDCS-A", YEAR])
    assert _client(world.outsider).get(url).status_code == 404
    assert _client(world.member_user).get(url).status_code == 404
    assert _client(world.officer_above).get(url).status_code == 200
    viewer = _client(world.viewer)
    page = viewer.get(url).content.decode()
    assert "Lưu chỉ tiêu" not in page
    refused = viewer.post(url, {"measure": "cdcs_yeu", "comparison": "le", "value": "0"})
    assert refused.status_code == 403
    assert _client(world.officer_cdcs).get(
        reverse("reports:targets", args=["CDCS-A", 1800])).status_code == 404


def _welfare(world: World, n: int) -> None:
    for i in range(n):
        services.welfare_create(
            actor=world.admin, unit=world.cdcs_a if i % 2 else world.to_a1,
            date=dt.date(YEAR, 3, 8), occasion="8_3" if i % 2 else "TET",
            beneficiaries=[BeneficiaryRow(name=f"Người {i} {j}", amount=100_000)
                           for j in range(3)])


def test_welfare_pages(world: World, django_assert_num_queries):
    officer = _client(world.officer_cdcs)
    url = reverse("reports:welfare", args=["CDCS-A", YEAR])
    r = officer.post(url, {"date": "08/03/2023", "occasion": "8_3", "funding": "kp_cong_doan",
                           "title": "Tặng quà nữ đoàn viên"})
    activity = WelfareActivity.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("reports:welfare-detail",
                                                             args=[activity.pk])
    wrong = officer.post(url, {"date": "08/03/2022", "occasion": "8_3", "funding": "kp_cong_doan"})
    assert wrong.status_code == 400 and "Ngày phải thuộc năm 2023." in wrong.content.decode()
    detail = reverse("reports:welfare-detail", args=[activity.pk])
    r = officer.post(detail, {"who": world.member.cccd, "amount": "500000", "gift": "tien_mat"})
    assert r.status_code == 302
    r = officer.post(detail, {"who": "", "name": "", "amount": "1", "gift": "tien_mat"})
    assert r.status_code == 400 and "Hãy ghi họ và tên" in r.content.decode()
    r = officer.post(detail, {"who": "999999999999", "amount": "1", "gift": "tien_mat"})
    assert r.status_code == 400 and "Không có ai trong danh sách" in r.content.decode()
    assert Beneficiary.objects.get().name == "Trần Thị Ánh"
    assert _client(world.outsider).get(detail).status_code == 404
    _welfare(world, 6)
    officer = _client(world.officer_cdcs)
    with django_assert_num_queries(9):
        page = officer.get(url)
    text = page.content.decode()
    assert "Tặng quà nữ đoàn viên" in text and "2.300.000" in text  # 500.000 + 6 × 300.000
    _welfare(world, 6)
    with django_assert_num_queries(9):  # the same with twice the rows
        officer.get(url)


def _party_file(rows: list[list[object]]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Họ và tên", "Số CCCD", "Ngày giới thiệu", "Ngày kết nạp"])
    for i, row in enumerate(rows):
        ws.write_row(1 + i, 0, row)
    wb.close()
    return SimpleUploadedFile("dang.xlsx", buffer.getvalue())


def test_party_pages_and_import(world: World, django_assert_num_queries):
    officer = _client(world.officer_cdcs)
    url = reverse("reports:party", args=["CDCS-A", 2017])
    r = officer.post(url, {"who": world.member.cccd, "introduced_on": "01/03/2017"})
    assert r.status_code == 302
    candidate = PartyCandidate.objects.get()
    r = officer.post(reverse("reports:party-admit", args=[candidate.pk]),
                     {"admitted_on": "07/11/2017"})
    assert r.status_code == 302
    candidate.refresh_from_db()
    assert candidate.admitted_on == dt.date(2017, 11, 7)
    r = officer.post(reverse("reports:party-admit", args=[candidate.pk]),
                     {"admitted_on": "01/01/2017"})
    candidate.refresh_from_db()
    assert candidate.admitted_on == dt.date(2017, 11, 7)  # refused: before the introduction
    assert _client(world.outsider).post(reverse("reports:party-admit", args=[candidate.pk]),
                                        {"admitted_on": ""}).status_code == 404
    people = [make_person(world.cdcs_a, f"Đoàn Viên {i}", birth=dt.date(1990, 1, i + 1),
                          actor=world.admin) for i in range(4)]
    imp = reverse("reports:party-import", args=["CDCS-A", 2017])
    bad = officer.post(imp, {"file": _party_file([["Đoàn Viên 0", people[0].cccd, "32/01/2017"]])})
    assert "không đọc được" in bad.content.decode() and PartyCandidate.objects.count() == 1
    good = officer.post(imp, {"file": _party_file(
        [[p.full_name, p.cccd, "02/03/2017", "09/12/2017" if i % 2 else ""]
         for i, p in enumerate(people)])})
    assert "Đã nhập 4 dòng" in good.content.decode()
    officer = _client(world.officer_cdcs)
    with django_assert_num_queries(10):
        page = officer.get(url).content.decode()
    assert "<strong>5</strong> đoàn viên ưu tú được giới thiệu" in page
    assert "<strong>3</strong> được kết nạp" in page
    assert _client(world.outsider).get(url).status_code == 404
    assert _client(world.officer_above).get(reverse(
        "reports:party", args=["CDVC-HN", 2017])).status_code == 200


def test_unit_page_links_to_the_year_pages(world: World):
    page = _client(world.officer_cdcs).get(reverse("org:unit", args=["CDCS-A"])).content.decode()
    year = dt.date.today().year
    assert reverse("reports:targets", args=["CDCS-A", year]) in page
    assert reverse("reports:party", args=["CDCS-A", year]) in page


def test_a_beneficiary_is_removed_from_the_detail_page(world: World):
    activity = services.welfare_create(
        actor=world.officer_cdcs, unit=world.cdcs_a, date=dt.date(YEAR, 3, 8), occasion="8_3",
        beneficiaries=[BeneficiaryRow(name="Người A", amount=1), BeneficiaryRow(name="Người B")])
    first = activity.beneficiaries.order_by("pk").first()
    assert first is not None
    url = reverse("reports:beneficiary-remove", args=[first.pk])
    assert _client(world.outsider).post(url).status_code == 404
    r = _client(world.officer_cdcs).post(url)
    assert r.status_code == 302 and r["Location"] == reverse("reports:welfare-detail",
                                                             args=[activity.pk])
    assert list(activity.beneficiaries.values_list("name", flat=True)) == ["Người B"]
