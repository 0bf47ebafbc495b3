"""POST /api/rules/evaluate and GET /api/rules/sets: logged-in users only; no data touched."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from thidua.rules.tests.factories import person, unit

pytestmark = pytest.mark.django_db


def api(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, data: dict):  # type: ignore[no-untyped-def]
    return client.post("/api/rules/evaluate", data=json.dumps(data),
                       content_type="application/json")


def test_evaluate_answers_like_the_engine(world):
    response = post(api(world.officer_cdcs), person(2024, ratings={"2024": "HTXSNV"},
                                                    registered={"2024": ["CSTDCS"]}))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == 2024 and body["rule_set"] == "luat-2022-nd98-2023+tld-1689-2019"
    cstdcs = body["titles"]["CSTDCS"]
    assert cstdcs["eligible"] is True and cstdcs["name"] == "Chiến sĩ thi đua cơ sở"
    assert cstdcs["details"][0] == {
        "rule_id": "CSTDCS.dang_ky", "text": "Đã đăng ký thi đua năm 2024 (CSTĐ cơ sở).",
        "source": "Luật 06/2022/QH15, Điều 7", "confidence": "L", "passed": True,
        "note": cstdcs["details"][0]["note"]}
    assert cstdcs["reasons"][0].startswith("Đạt: Đã đăng ký thi đua năm 2024")


def test_evaluate_with_a_rule_set_and_a_unit(world):
    data = unit(2025, registered={"2025": ["TTLDTT"]}, rule_set="luat-2022-nd98-2023",
                roster={"members": 100, "ldtt": 69, "completed_tasks": 100})
    body = post(api(world.viewer), data).json()
    assert body["rule_set"] == "luat-2022-nd98-2023"
    assert body["titles"]["TTLDTT"]["missing"] == [
        "Cần thêm 1 người đạt LĐTT để đạt tỷ lệ từ 70% (hiện 69/100 = 69%)."]


def test_bad_facts_and_unknown_rule_set_are_400(world):
    client = api(world.member_user)
    response = post(client, person(2024, ratings={"2024": "TOT"}))
    assert response.status_code == 400
    assert "xếp loại 'TOT' không hợp lệ" in response.json()["detail"]
    response = post(client, dict(person(2024), rule_set="khong-co"))
    assert response.status_code == 400 and "khong-co" in response.json()["detail"]
    assert post(client, {"ratings": {}}).status_code == 422  # year is required


def test_anonymous_callers_are_refused(world):
    assert post(api(), person(2024)).status_code == 401
    assert api().get("/api/rules/sets").status_code == 401


def test_rule_sets_list_and_detail(world):
    client = api(world.outsider)
    sets = client.get("/api/rules/sets").json()
    by_id = {s["id"]: s for s in sets}
    assert by_id["luat-2022-nd98-2023"]["effective_to"] == "2025-07-01"
    assert by_id["luat-2022-nd98-2023"]["period"] == "01/01/2024 – 30/06/2025"
    assert "GVNDVN" in by_id["tld-1689-2019"]["titles"]
    detail = client.get("/api/rules/sets/tld-1689-2019").json()
    assert detail["unverified"]["by"] == "QĐ 999/QĐ-TLĐ ngày 29/05/2024"
    assert client.get("/api/rules/sets/khong-co").status_code == 404


def test_working_notes_are_in_the_schema_apart_from_the_text(world):
    """Reason.note (how a clause was read, "chưa đối chiếu …") is served as `note`, never in
    `text`; the 2017 absence rule carries one."""
    body = post(api(world.viewer), person(2017, ratings={"2017": "HTTNV"},
                                          registered={"2017": ["LDTT"]})).json()
    details = body["titles"]["LDTT"]["details"]
    assert all("note" in d for d in details)
    noted = [d for d in details if d["note"]]
    assert noted and all("chưa đối chiếu" not in d["text"] for d in noted)
    schema = api(world.viewer).get("/api/openapi.json").json()
    assert "note" in schema["components"]["schemas"]["ReasonOut"]["properties"]
