"""The evaluation API: every route inside and outside the scope and without credentials; the
bulk rating write refused whole; a person's evaluation with facts and reasons; query counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from thidua.evaluation import services
from thidua.evaluation.models import Rating
from thidua.evaluation.tests.conftest import YEAR, council, rate
from thidua.evaluation.tests.test_views import register
from thidua.testing import make_person

pytestmark = pytest.mark.django_db


def put(client: Client, path: str, data: Any) -> Any:
    return client.put(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def ready(roster):
    register(roster.people, ["LDTT", "CSTDCS"])
    rate(roster, ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "KHTNV"])
    return roster


def test_every_route_inside_outside_and_without_credentials(ready, client):
    w = ready.world
    outside_person = make_person(w.cdcs_c, "Lý Văn Ngoài", actor=w.admin)
    body = {"rows": [{"person_id": ready.people[1].pk, "code": "HTXSNV"}]}
    cases = [
        ("get", f"/api/evaluation/units/{{u}}/{YEAR}", None),
        ("get", f"/api/evaluation/units/{{u}}/{YEAR}/ratings", None),
        ("put", f"/api/evaluation/units/{{u}}/{YEAR}/ratings", body),
        ("get", f"/api/evaluation/units/{{u}}/{YEAR}/results", None),
        ("get", f"/api/evaluation/people/{{p}}/{YEAR}", None),
    ]
    officer, other = Client(), Client()
    officer.force_login(w.officer_cdcs)
    other.force_login(w.outsider)
    for method, path, data in cases:
        inside = path.format(u="CDCS-A", p=ready.people[0].pk)
        outside = path.format(u="CDCS-C", p=outside_person.pk)
        missing = path.format(u="KHONG-CO", p=987654)

        def call(c: Client, p: str, method: str = method, data: Any = data) -> Any:
            return put(c, p, data) if method == "put" else c.get(p)

        assert call(client, inside).status_code == 401, path
        assert call(officer, inside).status_code == 200, path
        out = call(officer, outside)
        assert out.status_code == 404, path
        assert call(officer, missing).json() == out.json(), path
        assert call(other, inside).status_code == 404, path


def test_the_year_of_a_unit(ready, client):
    w = ready.world
    review = services.review_open(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR)
    council(review, ready)
    client.force_login(w.viewer)
    data = client.get(f"/api/evaluation/units/CDCS-A/{YEAR}").json()
    assert (data["roster"], data["rated"], data["locked"]) == (6, 6, False)
    assert data["ratings"] == {"HTXSNV": 2, "HTTNV": 2, "HTNV": 1, "KHTNV": 1}
    assert data["review"]["status"] == "draft" and len(data["review"]["council"]) == 5
    cstdcs = next(t for t in data["review"]["titles"] if t["title"] == "CSTDCS")
    assert cstdcs["included"] == 2 and cstdcs["threshold"]["share"] == "0.8"
    assert cstdcs["threshold"]["confidence"] == "C"


def test_ratings_list_and_bulk_set(ready, client, django_assert_max_num_queries):
    w = ready.world
    client.force_login(w.officer_cdcs)
    path = f"/api/evaluation/units/CDCS-A/{YEAR}/ratings"
    with django_assert_max_num_queries(12):
        page = client.get(path).json()
    assert page["count"] == 6
    row = next(r for r in page["items"] if r["person_id"] == ready.people[0].pk)
    assert (row["code"], row["code_label"], row["unit"]) == (
        "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ", "TO-A1")
    ok = put(client, path, {"rows": [
        {"person_id": ready.people[3].pk, "code": "HTTNV", "absence_days": 3},
        {"person_id": ready.people[5].pk, "code": "HTNV", "service_months": 9}]})
    assert ok.status_code == 200 and ok.json()["updated"] == 2
    stranger = make_person(w.cdcs_c, "Lý Văn Ngoài", actor=w.admin)
    refused = put(client, path, {"rows": [
        {"person_id": ready.people[3].pk, "code": "HTXSNV"},
        {"person_id": stranger.pk, "code": "HTTNV"}]})
    assert refused.status_code == 400 and "không có trong danh sách" in refused.json()["detail"]
    assert Rating.objects.get(person=ready.people[3]).code == "HTTNV"  # nothing written
    bad = put(client, path, {"rows": [{"person_id": ready.people[3].pk, "code": "GIOI"}]})
    assert bad.status_code == 422
    viewer = Client()
    viewer.force_login(w.viewer)
    assert put(viewer, path, {"rows": []}).status_code == 403
    services.year_lock(actor=w.leader, unit=w.cdvc, year=YEAR)
    locked = put(client, path, {"rows": [{"person_id": ready.people[3].pk, "code": "HTXSNV"}]})
    assert locked.status_code == 400 and "đã khóa" in locked.json()["detail"]


def test_a_persons_evaluation_with_facts_and_reasons(ready, client):
    w = ready.world
    client.force_login(w.member_user)  # the member reads their own
    data = client.get(f"/api/evaluation/people/{w.member.pk}/{YEAR}").json()
    assert data["facts"]["ratings"] == {str(YEAR): "HTXSNV"}
    assert data["facts"]["registered"] == {str(YEAR): ["CSTDCS", "LDTT"]}
    assert data["rule_set"] == "luat-2022-nd98-2023+tld-1689-2019"
    ldtt = data["titles"]["LDTT"]
    assert ldtt["eligible"] and ldtt["name"] == "Lao động tiên tiến"
    assert {r["rule_id"] for r in ldtt["reasons"]} >= {"LDTT.dang_ky", "LDTT.xep_loai"}
    dvxs = data["titles"]["DVXS"]
    assert not dvxs["eligible"] and dvxs["missing"]  # not registered for it
    assert client.get(f"/api/evaluation/people/{ready.people[1].pk}/{YEAR}").status_code == 404
    too_old = client.get(f"/api/evaluation/people/{w.member.pk}/1990")
    assert too_old.status_code == 422  # refused as input, before any query
    assert "Năm phải từ" in too_old.json()["detail"]


def test_results_of_a_unit(ready, client):
    w = ready.world
    services.results_from_engine(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR)
    client.force_login(w.officer_cdcs)
    data = client.get(f"/api/evaluation/units/CDCS-A/{YEAR}/results").json()
    assert data["count"] == 6  # 4 LĐTT and 2 CSTĐ cơ sở
    first = data["items"][0]
    assert first["how"] == "engine" and first["decided_by_unit"] == "CDCS-A" and first["reasons"]
