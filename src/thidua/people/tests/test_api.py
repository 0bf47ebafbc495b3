"""The people API and import job status, walked as users inside and outside the scope and
anonymously: search without diacritics, CCCD masking, creation, optimistic locking."""

import datetime as dt
import json

import pytest
from django.test import Client

from thidua.audit.models import AuditEntry
from thidua.people.models import ImportJob, Person
from thidua.people.permissions import mask_cccd
from thidua.people.services import membership_suspend, person_transfer
from thidua.testing import cccd_for, make_person

pytestmark = pytest.mark.django_db
D = dt.date


def api(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def names(body) -> list[str]:
    return [r["full_name"] for r in body["items"]]


def listing(user, **params):
    response = api(user).get("/api/people", params)
    assert response.status_code == 200, response.content
    return response.json()


def send(client, method, url, data):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


# --- list -------------------------------------------------------------------------------------


def test_roster_of_a_unit_covers_its_subtree(world):
    make_person(world.cdcs_a, "Nguyễn Văn Đức")
    make_person(world.cdcs_b, "Lê Văn Bình")
    body = listing(world.officer_cdcs, unit="CDCS-A")
    assert body["count"] == 2
    # Vietnamese order: by given name (Ánh, Đức), then full name
    assert names(body) == ["Trần Thị Ánh", "Nguyễn Văn Đức"]
    anh = body["items"][0]
    assert anh["unit"] == "TO-A1" and anh["unit_name"] == "Tổ công đoàn Văn phòng"
    assert anh["gender"] == "nu" and anh["gender_label"] == "Nữ"
    assert anh["member_status"] == "active" and anh["member_code"].startswith("DV")
    assert names(listing(world.officer_above, unit="CDVC-HN")) == [
        "Trần Thị Ánh", "Lê Văn Bình", "Nguyễn Văn Đức",
    ]


def test_roster_out_of_scope_is_404(world):
    assert api(world.outsider).get("/api/people", {"unit": "CDCS-A"}).status_code == 404
    assert api(world.officer_cdcs).get("/api/people", {"unit": "CDCS-B"}).status_code == 404
    missing = api(world.outsider).get("/api/people", {"unit": "KHONG-CO"})
    assert missing.status_code == 404
    assert missing.json() == api(world.outsider).get("/api/people", {"unit": "CDCS-A"}).json()


def test_without_unit_the_users_visible_people(world):
    make_person(world.cdcs_b, "Lê Văn Bình")
    make_person(world.cdcs_c, "Phạm Văn Nam")
    assert names(listing(world.officer_cdcs)) == ["Trần Thị Ánh"]
    assert names(listing(world.officer_above)) == ["Trần Thị Ánh", "Lê Văn Bình"]
    assert names(listing(world.viewer)) == ["Trần Thị Ánh", "Lê Văn Bình"]
    assert names(listing(world.outsider)) == ["Phạm Văn Nam"]
    assert names(listing(world.leader)) == ["Trần Thị Ánh", "Lê Văn Bình", "Phạm Văn Nam"]
    # a member's own account sees only their own record
    assert names(listing(world.member_user)) == ["Trần Thị Ánh"]
    row = listing(world.officer_above)["items"][1]  # Lê Văn Bình
    assert row["unit"] == "CDCS-B" and row["member_status"] == "active"


def test_search_ignores_diacritics_and_case(world):
    make_person(world.cdcs_a, "Nguyễn Văn Đức")
    make_person(world.cdcs_a, "Nguyễn Thị Lan", gender="nu", birth=D(1991, 2, 3))
    make_person(world.cdcs_a, "Đặng Đức Anh")
    for params in ({"unit": "CDCS-A"}, {}):
        assert names(listing(world.officer_cdcs, q="nguyen van duc", **params)) == [
            "Nguyễn Văn Đức"
        ]
        assert names(listing(world.officer_cdcs, q="NGUYỄN", **params)) == [
            "Nguyễn Văn Đức", "Nguyễn Thị Lan",
        ]
        assert names(listing(world.officer_cdcs, q="duc", **params)) == [
            "Đặng Đức Anh", "Nguyễn Văn Đức",
        ]
        assert names(listing(world.officer_cdcs, q="  dang   duc ", **params)) == ["Đặng Đức Anh"]
        assert listing(world.officer_cdcs, q="khong co ai", **params)["count"] == 0


def test_search_by_cccd_and_member_code(world):
    duc = make_person(world.cdcs_a, "Nguyễn Văn Đức")
    assert names(listing(world.officer_cdcs, unit="CDCS-A", q=duc.cccd)) == ["Nguyễn Văn Đức"]
    assert names(listing(world.officer_cdcs, q=duc.member_code.lower())) == ["Nguyễn Văn Đức"]


def test_filters_gender_and_membership_status(world):
    duc = make_person(world.cdcs_a, "Nguyễn Văn Đức")
    make_person(world.cdcs_a, "Lê Thị Hoa", gender="nu", member=False, birth=D(1992, 1, 2))
    membership_suspend(actor=world.officer_cdcs, person=duc, date=D(2020, 1, 1))
    for params in ({"unit": "CDCS-A"}, {}):
        assert names(listing(world.officer_cdcs, gender="nu", **params)) == [
            "Trần Thị Ánh", "Lê Thị Hoa",
        ]
        assert names(listing(world.officer_cdcs, status="non_member", **params)) == ["Lê Thị Hoa"]
        assert names(listing(world.officer_cdcs, status="member", **params)) == [
            "Trần Thị Ánh", "Nguyễn Văn Đức",
        ]
        assert names(listing(world.officer_cdcs, status="suspended", **params)) == [
            "Nguyễn Văn Đức"
        ]
        assert names(listing(world.officer_cdcs, status="active", **params)) == ["Trần Thị Ánh"]
        # as of a date before the suspension Đức was active
        assert names(listing(world.officer_cdcs, status="active", date="2019-12-31", **params)) == [
            "Trần Thị Ánh", "Nguyễn Văn Đức",
        ]
    bad = api(world.officer_cdcs).get("/api/people", {"status": "gì đó"})
    assert bad.status_code == 422


def test_roster_as_of_a_date(world):
    make_person(world.cdcs_a, "Nguyễn Văn Đức", start=D(2018, 1, 1))
    assert names(listing(world.officer_cdcs, unit="CDCS-A", date="2017-12-31")) == ["Trần Thị Ánh"]
    assert listing(world.officer_cdcs, unit="CDCS-A", date="2018-01-01")["count"] == 2
    before = api(world.officer_cdcs).get("/api/people", {"unit": "CDCS-A", "date": "2009-01-01"})
    assert before.status_code == 400
    assert "không hoạt động vào ngày 01/01/2009" in before.json()["detail"]


def test_cccd_masked_for_viewer_full_for_officers(world):
    cccd = world.member.cccd
    masked = mask_cccd(cccd)
    assert masked != cccd and "*" in masked
    for params in ({"unit": "CDCS-A"}, {}):
        assert listing(world.viewer, **params)["items"][0]["cccd"] == masked
        assert listing(world.officer_cdcs, **params)["items"][0]["cccd"] == cccd
        assert listing(world.officer_above, **params)["items"][0]["cccd"] == cccd
        assert listing(world.leader, **params)["items"][0]["cccd"] == cccd
    assert listing(world.member_user)["items"][0]["cccd"] == cccd  # their own
    url = f"/api/people/{world.member.pk}"
    assert api(world.viewer).get(url).json()["cccd"] == masked
    assert api(world.officer_cdcs).get(url).json()["cccd"] == cccd
    assert api(world.member_user).get(url).json()["cccd"] == cccd


def test_pagination_fifty_per_page(world):
    for i in range(60):
        make_person(world.cdcs_b, f"Người Thứ {i:02d}", member=i % 2 == 0)
    first = listing(world.officer_above, unit="CDCS-B")
    assert first["count"] == 60 and len(first["items"]) == 50
    second = listing(world.officer_above, unit="CDCS-B", page=2)
    assert len(second["items"]) == 10
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}
    everyone = listing(world.officer_above, page=2)
    assert everyone["count"] == 61 and len(everyone["items"]) == 11


@pytest.mark.parametrize("params", [{"unit": "CDCS-B"}, {}], ids=["unit", "visible"])
def test_list_query_count_is_constant(world, django_assert_num_queries, params):
    client = api(world.viewer)

    def run(expected_items):
        # session, user, grants, then for a unit: unit, its version, the kept count, the page;
        # for the visible people: the page, its employments, its memberships, the count
        with django_assert_num_queries(7):
            body = client.get("/api/people", params).json()
        assert len(body["items"]) == expected_items

    for i in range(5):
        make_person(world.cdcs_b, f"Người Thứ {i:02d}", member=i % 2 == 0)
    run(5 if params else 6)
    for i in range(5, 60):
        make_person(world.cdcs_b, f"Người Thứ {i:02d}", member=i % 2 == 0)
    run(50)


def test_anonymous_list_is_401(world):
    assert api().get("/api/people").status_code == 401
    assert api().get("/api/people", {"unit": "CDCS-A"}).status_code == 401


# --- detail -----------------------------------------------------------------------------------


def test_detail_with_history(world):
    duc = make_person(world.cdcs_a, "Nguyễn Văn Đức")
    membership_suspend(actor=world.officer_cdcs, person=duc, date=D(2020, 1, 1),
                       note="Nghỉ không lương")
    person_transfer(actor=world.officer_above, person=duc, to_unit=world.cdcs_b, date=D(2021, 1, 1))
    body = api(world.officer_above).get(f"/api/people/{duc.pk}").json()
    assert body["full_name"] == "Nguyễn Văn Đức" and body["unit"] == "CDCS-B"
    assert body["version"] == 1 and body["member_status"] == "suspended"
    assert [(e["unit"], e["valid_from"], e["valid_to"]) for e in body["employments"]] == [
        ("CDCS-A", "2010-01-01", "2021-01-01"), ("CDCS-B", "2021-01-01", None),
    ]
    periods = [(m["unit"], m["status"], m["opened_by"], m["valid_from"], m["valid_to"])
               for m in body["memberships"]]
    assert periods == [
        ("CDCS-A", "active", "join", "2010-01-01", "2020-01-01"),
        ("CDCS-A", "suspended", "suspend", "2020-01-01", "2021-01-01"),
        ("CDCS-B", "suspended", "transfer", "2021-01-01", None),
    ]
    assert body["memberships"][1]["status_label"] == "Tạm dừng sinh hoạt"
    assert body["memberships"][1]["note"] == "Nghỉ không lương"


def test_detail_scope(world):
    url = f"/api/people/{world.member.pk}"
    assert api(world.officer_cdcs).get(url).status_code == 200
    assert api(world.officer_above).get(url).status_code == 200
    assert api(world.viewer).get(url).status_code == 200
    assert api(world.member_user).get(url).status_code == 200
    outside = api(world.outsider).get(url)
    missing = api(world.outsider).get("/api/people/987654")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert api().get(url).status_code == 401
    other = make_person(world.cdcs_b, "Lê Văn Bình")
    assert api(world.member_user).get(f"/api/people/{other.pk}").status_code == 404
    assert api(world.officer_cdcs).get(f"/api/people/{other.pk}").status_code == 404


# --- create -----------------------------------------------------------------------------------


def new_person(unit="TO-A1", **extra):
    birth = D(1988, 7, 9)
    return {
        "unit": unit, "full_name": "  Hoàng   Thị Mai ", "gender": "nu", "birth_date": str(birth),
        "cccd": cccd_for(birth, "nu"), "position": "Kế toán", "is_member": True,
        "start_date": "2024-02-01", "join_date": "2024-03-01", **extra,
    }


def test_officer_creates_a_member(world):
    data = new_person()
    response = send(api(world.officer_cdcs), "post", "/api/people", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "Hoàng Thị Mai"
    assert body["cccd"] == data["cccd"] and body["unit"] == "TO-A1"
    assert body["member_code"].startswith("DV")
    assert body["employments"][0]["valid_from"] == "2024-02-01"
    assert body["memberships"][0]["valid_from"] == "2024-03-01"
    person = Person.objects.get(pk=body["id"])
    assert person.name_folded == "hoang thi mai"
    assert AuditEntry.objects.filter(action="person.create", object_id=str(person.pk),
                                     actor=world.officer_cdcs).exists()
    # the officer above may create too
    other = new_person("CDCS-B", cccd=cccd_for(D(1988, 7, 9), "nu"))
    assert send(api(world.officer_above), "post", "/api/people", other).status_code == 201


def test_viewer_cannot_create(world):
    before = Person.objects.count()
    response = send(api(world.viewer), "post", "/api/people", new_person())
    assert response.status_code == 403
    assert "Cán bộ" in response.json()["detail"]
    assert Person.objects.count() == before


def test_outsider_and_anonymous_cannot_create(world):
    before = Person.objects.count()
    assert send(api(world.outsider), "post", "/api/people", new_person()).status_code == 404
    assert send(api(), "post", "/api/people", new_person()).status_code == 401
    assert send(api(world.member_user), "post", "/api/people", new_person()).status_code == 404
    assert Person.objects.count() == before


def test_create_refusals_are_explained(world):
    client = api(world.officer_cdcs)
    bad_cccd = send(client, "post", "/api/people", new_person(cccd="12345"))
    assert bad_cccd.status_code == 400
    assert bad_cccd.json()["field"] == "cccd"
    assert "12 chữ số" in bad_cccd.json()["detail"]
    dup = send(client, "post", "/api/people", new_person(cccd=world.member.cccd,
                                                           birth_date="1990-03-08"))
    assert dup.status_code == 400 and "đã có trong danh sách: Trần Thị Ánh" in dup.json()["detail"]
    wrong_gender = send(client, "post", "/api/people", new_person(gender="khac"))
    assert wrong_gender.status_code == 422
    no_name = new_person()
    del no_name["full_name"]
    assert send(client, "post", "/api/people", no_name).status_code == 422
    assert Person.objects.count() == 1


# --- update -----------------------------------------------------------------------------------


def test_patch_updates_and_bumps_the_version(world):
    url = f"/api/people/{world.member.pk}"
    response = send(api(world.officer_cdcs), "patch", url,
                    {"version": 1, "full_name": "Trần Thị Ánh Tuyết", "phone": "0912 345 678"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["full_name"] == "Trần Thị Ánh Tuyết" and body["phone"] == "0912 345 678"
    world.member.refresh_from_db()
    assert world.member.name_folded == "tran thi anh tuyet"
    assert world.member.position == "Chuyên viên"  # untouched fields stay
    assert names(listing(world.officer_cdcs, q="anh tuyet")) == ["Trần Thị Ánh Tuyết"]


def test_patch_with_a_stale_version_is_409_and_changes_nothing(world):
    url = f"/api/people/{world.member.pk}"
    client = api(world.officer_cdcs)
    first = send(client, "patch", url, {"version": 1, "position": "Trưởng phòng"})
    assert first.status_code == 200
    second = send(api(world.officer_above), "patch", url, {"version": 1, "position": "Phó phòng"})
    assert second.status_code == 409
    assert second.json()["detail"] == (
        "Hồ sơ vừa được người khác sửa. Hãy tải lại trang để xem bản mới rồi sửa lại."
    )
    assert second.json()["field"] == "version"
    world.member.refresh_from_db()
    assert world.member.position == "Trưởng phòng" and world.member.version == 2
    stale = send(client, "patch", url, {"version": 7, "full_name": "Ai Đó"})
    assert stale.status_code == 409
    world.member.refresh_from_db()
    assert world.member.full_name == "Trần Thị Ánh"


def test_patch_needs_a_version(world):
    response = send(api(world.officer_cdcs), "patch", f"/api/people/{world.member.pk}",
                    {"full_name": "X"})
    assert response.status_code == 422


def test_patch_invalid_value_is_400(world):
    response = send(api(world.officer_cdcs), "patch", f"/api/people/{world.member.pk}",
                    {"version": 1, "cccd": "001085012345"})  # born 1990, female: does not match
    assert response.status_code == 400 and response.json()["field"] == "cccd"
    world.member.refresh_from_db()
    assert world.member.version == 1


def test_patch_scope_and_roles(world):
    url = f"/api/people/{world.member.pk}"
    change = {"version": 1, "position": "Khác"}
    viewer = send(api(world.viewer), "patch", url, change)
    assert viewer.status_code == 403 and "Cán bộ" in viewer.json()["detail"]
    own = send(api(world.member_user), "patch", url, change)  # sees own record, may not edit
    assert own.status_code == 403
    assert send(api(world.outsider), "patch", url, change).status_code == 404
    assert send(api(), "patch", url, change).status_code == 401
    world.member.refresh_from_db()
    assert world.member.position == "Chuyên viên" and world.member.version == 1


# --- import jobs ------------------------------------------------------------------------------


def make_job(unit, creator, **extra):
    fields = {"file_name": "danh_sach.xlsx", "file": "imports/x.xlsx",
              "effective_date": D(2024, 1, 1), "status": "running", "total": 400,
              "processed": 100} | extra
    return ImportJob.objects.create(unit=unit, created_by=creator, **fields)


def test_import_status(world):
    errors = [{"row": i + 2, "column": "Số CCCD", "value": "x", "message": "Sai"}
              for i in range(250)]
    job = make_job(world.cdcs_a, world.officer_cdcs, status="failed", errors=errors,
                   message="Có 250 dòng lỗi")
    body = api(world.officer_cdcs).get(f"/api/imports/{job.pk}").json()
    assert body["status"] == "failed"
    assert body["status_label"] == "Có lỗi, chưa ghi dữ liệu"
    assert body["percent"] == 25 and body["total"] == 400 and body["processed"] == 100
    assert body["error_count"] == 250 and len(body["errors"]) == 200
    assert body["errors"][0] == errors[0]
    assert body["unit"] == "CDCS-A" and body["message"] == "Có 250 dòng lỗi"


def test_import_status_scope(world):
    job = make_job(world.cdcs_a, world.officer_cdcs)
    url = f"/api/imports/{job.pk}"
    assert api(world.officer_cdcs).get(url).status_code == 200  # creator
    assert api(world.officer_above).get(url).status_code == 200  # officer over the unit
    assert api(world.leader).get(url).status_code == 200
    assert api(world.viewer).get(url).status_code == 404  # sees the unit, not officer
    outside = api(world.outsider).get(url)
    assert outside.status_code == 404
    assert outside.json() == api(world.outsider).get("/api/imports/987654").json()
    assert api().get(url).status_code == 401
    # a creator keeps seeing their own job
    by_viewer = make_job(world.cdcs_b, world.viewer)
    assert api(world.viewer).get(f"/api/imports/{by_viewer.pk}").status_code == 200
    assert api(world.officer_cdcs).get(f"/api/imports/{by_viewer.pk}").status_code == 404
