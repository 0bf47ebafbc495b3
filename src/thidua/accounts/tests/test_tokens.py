"""API tokens: expiry, read-only scope, listing and revocation by their owner (API, web page,
command line); deactivated accounts."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from thidua.accounts.models import ApiToken, TokenScope
from thidua.accounts.services import account_set_active, api_token_create
from thidua.audit.models import AuditEntry
from thidua.people.models import Person
from thidua.testing import cccd_for

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def person_payload() -> str:
    birth = dt.date(1990, 2, 3)
    return json.dumps({"unit": "CDCS-A", "full_name": "Lê Văn Tâm", "gender": "nam",
                       "birth_date": str(birth), "cccd": cccd_for(birth, "nam")})


def test_a_token_expires_after_the_default_days(world, settings):
    settings.THIDUA_API_TOKEN_DAYS = 30
    token, raw = api_token_create(actor=None, user=world.officer_cdcs, name="báo cáo")
    assert token.scope == TokenScope.WRITE
    delta = token.expires_at - token.created_at
    assert dt.timedelta(days=30) - dt.timedelta(seconds=5) < delta <= dt.timedelta(days=30)
    assert Client().get("/api/me", **bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().get("/api/me", **bearer(raw))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_read_only_token_reads_and_may_not_write(world):
    _, raw = api_token_create(actor=None, user=world.officer_cdcs, name="chỉ xem",
                              scope=TokenScope.READ)
    client = Client()
    assert client.get("/api/units/tree", **bearer(raw)).status_code == 200
    token = ApiToken.objects.get(user=world.officer_cdcs)
    writes = [
        client.post("/api/people", person_payload(), content_type="application/json",
                    **bearer(raw)),
        client.put("/api/evaluation/units/CDCS-A/2025/ratings", "{}",
                   content_type="application/json", **bearer(raw)),
        client.patch(f"/api/people/{world.member.pk}", json.dumps({"version": 1,
                     "position": "Khác"}), content_type="application/json", **bearer(raw)),
        client.delete(f"/api/tokens/{token.pk}", **bearer(raw)),
    ]
    for response in writes:
        assert response.status_code == 403, response.request["REQUEST_METHOD"]
        assert "chỉ có quyền đọc" in response.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_at is None
    world.member.refresh_from_db()
    assert world.member.version == 1
    assert not Person.objects.filter(full_name="Lê Văn Tâm").exists()
    _, writer = api_token_create(actor=None, user=world.officer_cdcs, name="ghi")
    assert client.post("/api/people", person_payload(), content_type="application/json",
                       **bearer(writer)).status_code == 201


def test_tokens_are_listed_and_revoked_by_their_owner_through_the_api(world):
    mine, raw = api_token_create(actor=None, user=world.officer_cdcs, name="đồng bộ")
    other, _ = api_token_create(actor=None, user=world.officer_above, name="của người khác")
    client = Client()
    listed = client.get("/api/tokens", **bearer(raw)).json()
    assert [(t["id"], t["name"], t["scope"], t["status"]) for t in listed] == [
        (mine.pk, "đồng bộ", "write", "Đang dùng")]
    assert client.delete(f"/api/tokens/{other.pk}", **bearer(raw)).status_code == 404
    assert client.delete("/api/tokens/99999999999999999999999", **bearer(raw)).status_code in (
        404, 422)
    revoked = client.delete(f"/api/tokens/{mine.pk}", **bearer(raw))
    assert revoked.status_code == 200 and revoked.json()["status"] == "Đã thu hồi"
    assert client.get("/api/me", **bearer(raw)).status_code == 401  # at once
    other.refresh_from_db()
    assert other.revoked_at is None
    entry = AuditEntry.objects.get(action="token.revoke")
    assert entry.actor_id == world.officer_cdcs.pk and entry.before["name"] == "đồng bộ"


def test_a_session_lists_its_tokens_too(world):
    api_token_create(actor=None, user=world.officer_cdcs, name="một")
    client = Client()
    client.force_login(world.officer_cdcs)
    assert [t["name"] for t in client.get("/api/tokens").json()] == ["một"]


def test_the_token_page_creates_shows_once_lists_and_revokes(world):
    client = Client()
    client.force_login(world.officer_cdcs)
    created = client.post("/tai-khoan/ma-truy-cap/", {"name": "Phần mềm nhân sự",
                                                       "scope": "read", "days": "7"})
    assert created.status_code == 201
    raw = created.context["raw"]
    assert raw.startswith("td_") and raw in created.content.decode()
    token = ApiToken.objects.get(user=world.officer_cdcs)
    assert token.scope == "read" and token.digest == ApiToken.digest_of(raw)
    assert (token.expires_at - token.created_at).days == 6  # 7 days less a few microseconds
    again = client.get("/tai-khoan/ma-truy-cap/").content.decode()
    assert "Phần mềm nhân sự" in again and raw not in again and "Chỉ đọc" in again
    assert client.post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Đã thu hồi" in client.get("/tai-khoan/ma-truy-cap/").content.decode()
    assert Client().get("/api/me", **bearer(raw)).status_code == 401


def test_the_token_page_refuses_bad_input_and_other_peoples_tokens(world):
    other, _ = api_token_create(actor=None, user=world.officer_above, name="khác")
    client = Client()
    client.force_login(world.officer_cdcs)
    bad = client.post("/tai-khoan/ma-truy-cap/", {"name": " ", "scope": "admin", "days": "0"})
    assert bad.status_code == 400
    errors = bad.context["form"].errors
    assert errors["name"] == ["Hãy nhập tên gợi nhớ."]
    assert "Lựa chọn không hợp lệ" in errors["scope"][0]
    assert errors["days"] == ["Thời hạn ít nhất 1 ngày."]
    assert client.post(f"/tai-khoan/ma-truy-cap/{other.pk}/thu-hoi/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert not ApiToken.objects.filter(user=world.officer_cdcs).exists()


def test_create_api_token_command_options(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "canbo_cdcs", "--name", "quý", "--read-only", "--days",
                 "10", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    assert token.scope == "read" and (token.expires_at - token.created_at).days == 9
    assert "chỉ đọc" in err.getvalue()
    listing = io.StringIO()
    call_command("create_api_token", "canbo_cdcs", "--list", stdout=listing)
    assert listing.getvalue().startswith(f"{token.pk}\tquý\tChỉ đọc\t")
    call_command("create_api_token", "canbo_cdcs", "--revoke", str(token.pk), stderr=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError, match="không có mã số"):
        call_command("create_api_token", "canbo_captren", "--revoke", str(token.pk))
    with pytest.raises(CommandError, match="Thời hạn phải từ 1"):
        call_command("create_api_token", "canbo_cdcs", "--name", "x", "--days", "0")


def test_a_deactivated_account_cannot_log_in_nor_use_tokens(world):
    _, raw = api_token_create(actor=None, user=world.officer_cdcs, name="cũ")
    session = Client()
    session.post("/dang-nhap/", {"username": "canbo_cdcs", "password": "matkhau-thu-nghiem"})
    err = io.StringIO()
    call_command("deactivate_user", "canbo_cdcs", "--reason", "Nghỉ hưu", stderr=err)
    assert "Đã khóa tài khoản canbo_cdcs" in err.getvalue()
    assert Client().get("/api/me", **bearer(raw)).status_code == 401
    assert session.get("/").status_code == 302  # the open session ends too
    refused = Client().post("/dang-nhap/", {"username": "canbo_cdcs",
                                            "password": "matkhau-thu-nghiem"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    entry = AuditEntry.objects.get(action="user.deactivate")
    assert entry.after == {"is_active": False, "reason": "Nghỉ hưu"}
    world.officer_cdcs.refresh_from_db()
    assert world.officer_cdcs.username == "canbo_cdcs"  # kept, not deleted
    account_set_active(actor=None, account=world.officer_cdcs, active=True)
    assert Client().get("/api/me", **bearer(raw)).status_code == 200


def test_deactivate_user_command_needs_a_reason(world):
    with pytest.raises(CommandError, match="Hãy ghi lý do khóa tài khoản. \\(--reason"):
        call_command("deactivate_user", "canbo_cdcs", stderr=io.StringIO())
    world.officer_cdcs.refresh_from_db()
    assert world.officer_cdcs.is_active


def test_the_token_list_never_shows_a_digest(world):
    token, raw = api_token_create(actor=None, user=world.officer_cdcs, name="một")
    body = Client().get("/api/tokens", **bearer(raw)).content.decode()
    assert token.digest not in body and raw not in body
