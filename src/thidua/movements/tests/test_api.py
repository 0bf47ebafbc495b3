"""/api/movements: scoped lists and details, plan coverage, registrations of a unit, creating
one (with the refusals as 400/404), and a member's own registration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from thidua.movements import services
from thidua.movements.models import Registration
from thidua.movements.tests.helpers import ON_TIME, YEAR, deployed_plan, movement, rule
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date


def _client(user) -> Client:
    c = Client(enforce_csrf_checks=False)
    c.force_login(user)
    return c


def test_anonymous_gets_401(client, world):
    assert client.get("/api/movements").status_code == 401
    assert client.post("/api/movements/registrations/me", {"year": YEAR},
                       content_type="application/json").status_code == 401


def test_movement_list_is_scoped_and_paginated(world, django_assert_max_num_queries):
    plan = deployed_plan(world)
    movement(world, catalogue_code="NTVT")
    c = _client(world.officer_cdcs)
    with django_assert_max_num_queries(6):
        body = c.get("/api/movements").json()
    assert body["count"] == 1 and body["items"][0]["name"] == "Lao động giỏi"
    assert body["items"][0]["issuer"] == "CDVC-HN"
    assert _client(world.officer_above).get("/api/movements", {"year": YEAR}).json()["count"] == 2
    assert _client(world.outsider).get("/api/movements").json()["count"] == 0
    m = plan.movements.get()
    detail = _client(world.officer_cdcs).get(f"/api/movements/{m.pk}").json()
    assert detail["plans"][0]["coverage"][0]["phrase"] == "0/1 công đoàn cơ sở"
    assert _client(world.outsider).get(f"/api/movements/{m.pk}").status_code == 404


def test_plan_coverage(world):
    plan = deployed_plan(world)
    services.deployment_launch(actor=world.officer_above,
                               deployment=plan.deployments.get(unit=world.cdcs_b))
    body = _client(world.officer_above).get(f"/api/movements/plans/{plan.pk}/coverage").json()
    assert body["phrase"] == "1/2 công đoàn cơ sở"
    assert body["coverage"][0]["percent_phrase"] == "50% công đoàn cơ sở"
    assert body["not_launched"] == [{"unit": "CDCS-A", "unit_name": "Công đoàn Sở Tư pháp"}]
    assert _client(world.outsider).get(
        f"/api/movements/plans/{plan.pk}/coverage").status_code == 404


def test_create_list_and_status_of_registrations(world):
    rule(world, deadline=None)
    c = _client(world.officer_cdcs)
    response = c.post("/api/movements/registrations", {
        "year": YEAR, "unit": "CDCS-A", "person_id": world.member.pk,
        "titles": ["LDTT", "GVNDVN"], "commitments": ["Không đi muộn"]},
        content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["titles"] == ["LDTT", "GVNDVN"] and body["home_unit"] == "TO-A1"
    assert body["title_names"][1] == "Giỏi việc nước, đảm việc nhà"
    # twice: refused with the reason
    again = c.post("/api/movements/registrations", {
        "year": YEAR, "unit": "CDCS-A", "person_id": world.member.pk, "titles": ["LDTT"],
        "commitments": ["x"]}, content_type="application/json")
    assert again.status_code == 400 and "không đăng ký lại lần thứ hai" in again.json()["detail"]
    # a unit registering an individual title
    bad = c.post("/api/movements/registrations", {
        "year": YEAR, "unit": "CDCS-A", "titles": ["LDTT"], "commitments": ["a", "b"]},
        content_type="application/json")
    assert bad.status_code == 400 and "danh hiệu cá nhân" in bad.json()["detail"]
    assert bad.json()["field"] == "titles"
    listing = c.get("/api/movements/registrations", {"unit": "CDCS-A", "year": YEAR}).json()
    assert listing["count"] == 1 and listing["items"][0]["person_name"] == "Trần Thị Ánh"
    status = c.get("/api/movements/registrations/status",
                   {"unit": "CDCS-A", "year": YEAR}).json()
    assert status["members_registered"] == 1 and status["members_missing"] == 0


def test_registration_outside_scope_is_404_and_writes_nothing(world):
    stranger = make_person(world.cdcs_c, "Người Ngoài", actor=world.admin)
    c = _client(world.officer_cdcs)
    for payload in ({"year": YEAR, "unit": "CDCS-C", "titles": ["TTLDTT"]},
                    {"year": YEAR, "unit": "CDCS-A", "person_id": stranger.pk,
                     "titles": ["LDTT"]}):
        response = c.post("/api/movements/registrations", payload,
                          content_type="application/json")
        assert response.status_code == 404
    assert c.get("/api/movements/registrations",
                 {"unit": "CDCS-C", "year": YEAR}).status_code == 404
    assert not Registration.objects.exists()


def test_after_the_deadline_is_400(world):
    rule(world)
    response = _client(world.officer_cdcs).post("/api/movements/registrations", {
        "year": YEAR, "unit": "CDCS-A", "person_id": world.member.pk, "titles": ["LDTT"],
        "commitments": ["A"]}, content_type="application/json")
    assert response.status_code == 400 and "Đã hết hạn đăng ký" in response.json()["detail"]
    response = _client(world.officer_cdcs).post("/api/movements/registrations", {
        "year": YEAR, "unit": "CDCS-A", "person_id": world.member.pk, "titles": ["LDTT"],
        "commitments": ["A"], "late_reason": "Xin nhận muộn"}, content_type="application/json")
    assert response.status_code == 403


def test_a_member_registers_through_the_api(world):
    c = _client(world.member_user)
    body = c.get("/api/movements/registrations/me", {"year": YEAR}).json()
    assert body["registration"] is None and body["unit"] == "TO-A1"
    response = c.post("/api/movements/registrations/me", {
        "year": YEAR, "titles": ["LDTT"], "commitments": ["Không đi muộn"]},
        content_type="application/json")
    assert response.status_code == 200
    assert response.json()["registration"]["titles"] == ["LDTT"]
    bad = c.post("/api/movements/registrations/me", {"year": YEAR, "titles": ["XYZ"]},
                 content_type="application/json")
    assert bad.status_code == 400
    assert _client(world.officer_cdcs).get("/api/movements/registrations/me").status_code == 404


def test_registration_list_query_count(world, django_assert_num_queries):
    people = [make_person(world.to_a1, f"Nguyễn Văn {i}", actor=world.admin) for i in range(6)]
    services.registrations_bulk_create(
        actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR, registered_on=ON_TIME,
        rows=[services.RegistrationInput(person_id=p.pk, titles=["LDTT"], commitments=["A"],
                                         row=i) for i, p in enumerate(people)])
    c = _client(world.officer_cdcs)
    c.get("/api/movements/registrations", {"unit": "CDCS-A", "year": YEAR})
    # session, user, grants, unit, count, page, titles, commitments, pledges
    with django_assert_num_queries(9):
        body = c.get("/api/movements/registrations", {"unit": "CDCS-A", "year": YEAR}).json()
    assert body["count"] == 6
