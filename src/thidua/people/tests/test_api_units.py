"""`/api/units/{code}`: one unit with its figures and issuers, as of a date, inside and outside
the scope."""

import datetime as dt

import pytest
from django.test import Client

from thidua.org.services import award_line_create, unit_rename
from thidua.testing import make_person, make_unit

pytestmark = pytest.mark.django_db
D = dt.date


def api(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- one unit ---------------------------------------------------------------------------------


def test_unit_detail_with_stats_and_issuers(world):
    make_person(world.cdcs_a, "Nguyễn Văn Đức")
    make_person(world.cdcs_a, "Lê Thị Hoa", gender="nu", member=False, birth=D(1992, 1, 2))
    make_person(world.cdcs_c, "Phạm Văn Nam")  # other branch: not counted
    cdvc_vn = make_unit("CDVC-VN", "cd_nganh_tw", world.tld, name="Công đoàn Viên chức Việt Nam")
    award_line_create(actor=world.admin, unit=world.cdvc, issuer=cdvc_vn, valid_from=D(2012, 1, 1))

    response = api(world.officer_cdcs).get("/api/units/CDCS-A")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["code"] == "CDCS-A" and body["name"] == "Công đoàn Sở Tư pháp"
    stats = body["stats"]
    # world.member (woman, member, in TO-A1) + Đức (man, member) + Hoa (woman, not a member)
    assert stats["workers"] == 3
    assert stats["members"] == 2
    assert stats["women"] == 2
    assert stats["women_members"] == 1
    assert stats["members_active"] == 2 and stats["members_suspended"] == 0
    assert stats["units"] == {"to_cd": 1}
    # the award line of CĐVC Hà Nội reaches the CĐCS under it
    assert [i["code"] for i in body["issuers"]] == ["TLD", "LDLD-HN", "CDVC-HN", "CDVC-VN"]

    cdvc = api(world.officer_above).get("/api/units/cdvc-hn").json()
    assert cdvc["stats"]["workers"] == 3
    assert cdvc["stats"]["units"] == {"cdcs": 2, "to_cd": 1}
    assert [i["code"] for i in cdvc["issuers"]] == ["TLD", "LDLD-HN", "CDVC-VN"]
    # before the award line existed, only the tree ancestors
    early = api(world.officer_above).get("/api/units/CDVC-HN", {"date": "2011-06-01"}).json()
    assert [i["code"] for i in early["issuers"]] == ["TLD", "LDLD-HN"]


def test_unit_detail_as_of_a_date_uses_the_name_then(world):
    unit_rename(actor=world.admin, unit=world.cdcs_a, name="Công đoàn Sở Tư pháp Hà Nội",
                date=D(2020, 1, 1))
    unit_rename(actor=world.admin, unit=world.hn, name="LĐLĐ TP Hà Nội (tên mới)",
                date=D(2020, 1, 1))
    client = api(world.officer_cdcs)
    old = client.get("/api/units/CDCS-A", {"date": "2017-12-31"}).json()
    assert old["name"] == "Công đoàn Sở Tư pháp"
    assert old["date"] == "2017-12-31"
    assert {i["code"]: i["name"] for i in old["issuers"]}["LDLD-HN"] == (
        "Liên đoàn Lao động Thành phố Hà Nội"
    )
    new = client.get("/api/units/CDCS-A").json()
    assert new["name"] == "Công đoàn Sở Tư pháp Hà Nội"
    assert {i["code"]: i["name"] for i in new["issuers"]}["LDLD-HN"] == "LĐLĐ TP Hà Nội (tên mới)"


def test_unit_detail_counts_as_of_a_date(world):
    make_person(world.cdcs_b, "Đỗ Văn Hùng", start=D(2018, 1, 1))
    client = api(world.officer_above)
    assert client.get("/api/units/CDCS-B", {"date": "2017-12-31"}).json()["stats"]["workers"] == 0
    assert client.get("/api/units/CDCS-B", {"date": "2018-01-01"}).json()["stats"]["workers"] == 1


def test_unit_detail_before_the_unit_existed_is_404(world):
    response = api(world.officer_cdcs).get("/api/units/CDCS-A", {"date": "2009-12-31"})
    assert response.status_code == 404
    assert "không hoạt động vào ngày 31/12/2009" in response.json()["detail"]


def test_unit_detail_out_of_scope_is_the_same_404_as_missing(world):
    outside = api(world.outsider).get("/api/units/CDCS-A")
    missing = api(world.outsider).get("/api/units/KHONG-CO")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    # by numeric id too
    assert api(world.outsider).get(f"/api/units/{world.cdcs_a.pk}").status_code == 404
    assert api(world.officer_cdcs).get("/api/units/CDVC-HN").status_code == 404


def test_viewer_reads_units(world):
    assert api(world.viewer).get("/api/units/CDCS-B").status_code == 200
    assert api(world.viewer).get("/api/units/CDCS-C").status_code == 404
