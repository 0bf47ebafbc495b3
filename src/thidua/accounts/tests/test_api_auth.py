"""API authentication: bearer tokens, sessions with CSRF on unsafe methods, anonymous refusal,
and the command that hands out tokens."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from thidua.accounts.models import ApiToken
from thidua.accounts.services import api_token_create
from thidua.people.models import Person
from thidua.testing import cccd_for

pytestmark = pytest.mark.django_db


def new_person_payload(unit: str = "CDCS-A") -> str:
    birth = dt.date(1987, 4, 5)
    return json.dumps({"unit": unit, "full_name": "Vũ Văn Long", "gender": "nam",
                       "birth_date": str(birth), "cccd": cccd_for(birth, "nam")})


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_bearer_token_authenticates(world):
    token, raw = api_token_create(actor=world.admin, user=world.officer_cdcs, name="báo cáo")
    assert raw.startswith("td_")
    assert token.digest != raw and raw not in token.digest
    client = Client()
    me = client.get("/api/me", **bearer(raw))
    assert me.status_code == 200
    assert me.json()["username"] == "canbo_cdcs"
    assert me.json()["grants"] == [{"unit": "CDCS-A", "role": "officer"}]
    tree = client.get("/api/units/tree", **bearer(raw)).json()
    assert [r["code"] for r in tree] == ["CDCS-A", "TO-A1"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bearer_token_needs_no_csrf_for_writes(world):
    _, raw = api_token_create(actor=world.admin, user=world.officer_cdcs, name="đồng bộ")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/people", new_person_payload(), content_type="application/json",
                           **bearer(raw))
    assert response.status_code == 201, response.content
    assert Person.objects.filter(full_name="Vũ Văn Long").exists()


def test_bearer_token_keeps_the_users_scope(world):
    _, raw = api_token_create(actor=world.admin, user=world.outsider, name="x")
    client = Client()
    assert client.get("/api/units/CDCS-A", **bearer(raw)).status_code == 404
    response = client.post("/api/people", new_person_payload(), content_type="application/json",
                           **bearer(raw))
    assert response.status_code == 404
    _, viewer_raw = api_token_create(actor=world.admin, user=world.viewer, name="y")
    response = client.post("/api/people", new_person_payload(), content_type="application/json",
                           **bearer(viewer_raw))
    assert response.status_code == 403
    assert not Person.objects.filter(full_name="Vũ Văn Long").exists()


@pytest.mark.parametrize("header", [
    "Bearer td_sai-ma-truy-cap",
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    "td_khong-co-chu-bearer",
])
def test_wrong_token_is_401(world, header):
    api_token_create(actor=world.admin, user=world.officer_cdcs, name="thật")
    response = Client().get("/api/units/tree", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_token_of_a_deactivated_account_is_refused(world):
    _, raw = api_token_create(actor=world.admin, user=world.officer_cdcs, name="cũ")
    world.officer_cdcs.is_active = False
    world.officer_cdcs.save(update_fields=["is_active"])
    assert Client().get("/api/me", **bearer(raw)).status_code == 401


def test_anonymous_is_401_everywhere(world):
    client = Client()
    for url in ["/api/me", "/api/units/tree", "/api/people", f"/api/people/{world.member.pk}",
                "/api/imports/1"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert "đăng nhập" in response.json()["detail"]
    assert client.post("/api/people", new_person_payload(),
                       content_type="application/json").status_code == 401


def test_session_reads_need_no_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_cdcs)
    assert client.get("/api/units/tree").status_code == 200
    assert client.get("/api/me").json()["username"] == "canbo_cdcs"


def test_session_write_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_cdcs)
    response = client.post("/api/people", new_person_payload(), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    patch = client.patch(f"/api/people/{world.member.pk}", json.dumps({"version": 1,
                         "position": "Khác"}), content_type="application/json")
    assert patch.status_code == 403
    assert not Person.objects.filter(full_name="Vũ Văn Long").exists()
    world.member.refresh_from_db()
    assert world.member.version == 1


def test_session_write_with_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_cdcs)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    response = client.post("/api/people", new_person_payload(), content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    wrong = client.post("/api/people", new_person_payload("TO-A1"),
                        content_type="application/json", HTTP_X_CSRFTOKEN=_get_new_csrf_string())
    assert wrong.status_code == 403


def test_create_api_token_command_prints_a_working_token_once(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "canbo_captren", "--name", "Báo cáo quý", stdout=out,
                 stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("td_") and "\n" not in raw
    assert "không được hiển thị lần nữa" in err.getvalue()
    token = ApiToken.objects.get(user=world.officer_above)
    assert token.name == "Báo cáo quý"
    assert token.digest == ApiToken.digest_of(raw)
    me = Client().get("/api/me", **bearer(raw))
    assert me.json()["username"] == "canbo_captren"


def test_create_api_token_command_refuses_unknown_user(world):
    with pytest.raises(CommandError, match="Không có tài khoản «khong_ai»"):
        call_command("create_api_token", "khong_ai", "--name", "x", stdout=io.StringIO())
    assert not ApiToken.objects.exists()
