"""The JSON API of initiatives: scoping (404 outside, 401 anonymous), creation with its
refusals, the novelty check, council votes, uses and counts."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.initiatives import novelty, services
from thidua.initiatives.models import Initiative, Status
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests import fake_similarity
from thidua.initiatives.tests.helpers import council, recognised, submitted
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def fake_index(monkeypatch):
    monkeypatch.setattr(novelty, "_similarity", lambda: fake_similarity)
    monkeypatch.setattr(novelty, "MIN_PERCENT", 0)  # the stand-in scores on another scale
    novelty.forget_index()
    yield
    novelty.forget_index()


@pytest.fixture
def api(client, world):
    client.force_login(world.officer_cdcs)
    return client


def payload(world, **over):
    data = {"unit": "CDCS-A", "year": 2024, "title": "Tra cứu hồ sơ bằng mã QR",
            "field": "Cải cách hành chính", "kind": "ung_dung",
            "description": "Dán mã QR lên phiếu hẹn để người dân tự tra cứu tiến độ hồ sơ.",
            "authors": [{"person_id": world.member.pk, "contribution": "75"},
                        {"full_name": "Phạm Thị Hợp", "contribution": "25"}],
            "benefit_expected_vnd": 30000000}
    data.update(over)
    return data


def test_anonymous_gets_401(client):
    assert client.get("/api/initiatives").status_code == 401


def test_create_list_and_detail(api, world):
    response = api.post("/api/initiatives", payload(world, submit=True),
                        content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "submitted" and data["authors"] == ["Trần Thị Ánh", "Phạm Thị Hợp"]
    assert data["author_details"][0]["contribution"] == "75.00"
    listing = api.get("/api/initiatives", {"year": 2024}).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == data["id"]
    assert api.get("/api/initiatives", {"year": 2020}).json()["count"] == 0
    detail = api.get(f"/api/initiatives/{data['id']}").json()
    assert detail["benefit_expected_vnd"] == 30_000_000


def test_create_refusals(api, world):
    bad = api.post("/api/initiatives", payload(world, authors=[
        {"person_id": world.member.pk, "contribution": "50"}]), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "authors"
    assert "đang là 50%" in bad.json()["detail"]
    stranger = make_person(world.cdcs_c, "Lý Văn Ngoài", actor=world.admin)
    outside = api.post("/api/initiatives", payload(world, authors=[
        {"person_id": stranger.pk, "contribution": "100"}]), content_type="application/json")
    assert outside.status_code == 400 and outside.json()["field"] == "authors"
    other_unit = api.post("/api/initiatives", payload(world, unit="CDCS-C"),
                          content_type="application/json")
    assert other_unit.status_code == 404
    first = api.post("/api/initiatives", payload(world, submit=True),
                     content_type="application/json")
    assert first.status_code == 201
    duplicate = api.post("/api/initiatives", payload(world, submit=True),
                         content_type="application/json")
    assert duplicate.status_code == 400
    assert duplicate.json()["duplicate_of"] == first.json()["id"]
    assert Initiative.objects.count() == 1  # the refused submission left no draft behind


def test_scope_of_details(client, world):
    ini = submitted(world)
    client.force_login(world.outsider)
    assert client.get(f"/api/initiatives/{ini.pk}").status_code == 404
    assert client.get("/api/initiatives/987654").status_code == 404
    assert client.get("/api/initiatives").json()["count"] == 0
    assert client.post(f"/api/initiatives/{ini.pk}/transitions", {"to": "draft", "reason": "x"},
                       content_type="application/json").status_code == 404


def test_transitions(api, world):
    ini = submitted(world)
    r = api.post(f"/api/initiatives/{ini.pk}/transitions", {"to": "draft"},
                 content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = api.post(f"/api/initiatives/{ini.pk}/transitions", {"to": "recognized"},
                 content_type="application/json")
    assert r.status_code == 400
    r = api.post(f"/api/initiatives/{ini.pk}/transitions", {"to": "draft", "reason": "Bổ sung"},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "draft"


def test_similar(api, world):
    mine = submitted(world)
    r = api.post("/api/initiatives/similar",
                 {"title": "Sổ chứng thực điện tử", "text": "bảng tính dùng chung tra cứu"},
                 content_type="application/json")
    assert r.status_code == 200
    data = r.json()
    assert data["searched"] and data["matches"][0]["id"] == mine.pk
    assert data["matches"][0]["title_spans"] and data["hidden_count"] == 0
    r = api.post("/api/initiatives/similar", {"title": "Sổ chứng thực điện tử",
                                              "exclude_id": mine.pk},
                 content_type="application/json")
    assert r.json()["matches"] == []


def test_council_and_votes(api, world, client):
    ini = submitted(world)
    c, _ = council(world, size=3)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    data = api.get(f"/api/initiatives/councils/{c.pk}").json()
    assert data["threshold"] == "2/3" and len(data["members"]) == 3
    assert data["reviews"][0]["initiative_id"] == ini.pk
    members = [m["id"] for m in data["members"]]
    r = api.post(f"/api/initiatives/reviews/{review.pk}/votes",
                 {"votes": [{"member_id": members[0], "choice": "dong_y"},
                            {"member_id": members[1], "choice": "dong_y", "in_writing": True}]},
                 content_type="application/json")
    assert r.status_code == 200
    votes = r.json()
    assert (votes["votes_for"], votes["needed"], votes["passed"]) == (2, 2, True)
    assert api.get(f"/api/initiatives/reviews/{review.pk}/votes").json()["votes"][1][
        "in_writing"] is True
    client.force_login(world.outsider)
    assert client.get(f"/api/initiatives/councils/{c.pk}").status_code == 404
    assert client.get(f"/api/initiatives/reviews/{review.pk}/votes").status_code == 404
    assert client.post(f"/api/initiatives/reviews/{review.pk}/votes",
                       {"votes": [{"member_id": members[2], "choice": "dong_y"}]},
                       content_type="application/json").status_code == 404
    client.force_login(world.viewer)
    assert client.post(f"/api/initiatives/reviews/{review.pk}/votes",
                       {"votes": [{"member_id": members[2], "choice": "dong_y"}]},
                       content_type="application/json").status_code == 403


def test_uses_and_counts(api, world):
    ini = recognised(world)
    r = api.post(f"/api/initiatives/{ini.pk}/uses",
                 {"kind": "commendation", "reference": "Bằng khen", "year": 2023,
                  "person_id": world.member.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["warnings"] == []
    again = api.post(f"/api/initiatives/{ini.pk}/uses",
                     {"kind": "commendation", "reference": "Giấy khen", "year": 2024},
                     content_type="application/json")
    assert again.status_code == 400 and "5007" in again.json()["detail"]
    title = api.post(f"/api/initiatives/{ini.pk}/uses",
                     {"kind": "title", "reference": "CSTĐCS", "year": 2024},
                     content_type="application/json")
    assert title.status_code == 201 and len(title.json()["warnings"]) == 1
    counts = api.get("/api/initiatives/counts",
                     {"unit": "CDCS-A", "year_from": 2023, "year_to": 2024}).json()
    assert counts["recognized"] == 1 and counts["by_level"]["co_so"] == 1
    assert counts["used_for_commendation"] == 1 and counts["used_for_title"] == 1
    assert api.get("/api/initiatives/counts", {"unit": "CDCS-C"}).status_code == 404
    assert api.get("/api/initiatives/counts", {"unit": "CDCS-A", "year_from": 2025,
                                               "year_to": 2020}).status_code == 400


def test_list_queries_do_not_grow(api, world, django_assert_max_num_queries):
    for i in range(8):
        services.initiative_create(
            actor=world.officer_cdcs, unit=world.cdcs_a, year=2023,
            authors=[AuthorInput(person_id=world.member.pk, contribution=100)],
            title=f"Sáng kiến {i}", field="x", kind="quan_ly", description="Nội dung")
    with django_assert_max_num_queries(8):
        assert api.get("/api/initiatives").json()["count"] == 8
    assert Initiative.objects.filter(status=Status.DRAFT).count() == 8
