"""Sessions rotate on login; one's own password change; an administrator's reset (web and
command line) forces a change at the next login; none of it writes a password to the audit."""

import io
import json

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from thidua.accounts.models import PasswordChangeRequired
from thidua.accounts.services import account_password_reset
from thidua.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = "matkhau-thu-nghiem"
NEW = "Hoa-sen-nở-2026"


def login(client: Client, username: str = "canbo_cdcs", password: str = GOOD):  # type: ignore[no-untyped-def]
    return client.post("/dang-nhap/", {"username": username, "password": password})


def anonymous_session(client: Client) -> str:
    session = client.session
    session["gio_hang"] = 1  # anything: the anonymous visitor now has a session cookie
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return str(session.session_key)


def test_login_gives_the_session_a_new_key(world):
    client = Client()
    before = anonymous_session(client)
    response = login(client)
    assert response.status_code == 302
    after = response.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_changing_the_password_keeps_this_session_and_ends_the_others(world):
    here, elsewhere = Client(), Client()
    login(here)
    login(elsewhere)
    key_before = here.cookies[settings.SESSION_COOKIE_NAME].value
    response = here.post("/tai-khoan/mat-khau/", {"old_password": GOOD, "new_password1": NEW,
                                                  "new_password2": NEW})
    assert response.status_code == 302
    assert here.get("/").status_code == 200  # still logged in
    assert here.cookies[settings.SESSION_COOKIE_NAME].value != key_before  # rotated too
    assert elsewhere.get("/").status_code == 302  # to the login page
    world.officer_cdcs.refresh_from_db()
    assert world.officer_cdcs.check_password(NEW)
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor_id == world.officer_cdcs.pk
    assert NEW not in json.dumps([entry.before, entry.after])


@pytest.mark.parametrize("old, one, two, field, message", [
    ("sai-roi", NEW, NEW, "old_password", "Mật khẩu hiện tại không đúng."),
    (GOOD, NEW, NEW + "x", "new_password2", "Hai lần nhập mật khẩu mới không khớp nhau."),
    (GOOD, "12345678", "12345678", "new_password1", "quá phổ biến"),
    (GOOD, "abc", "abc", "new_password1", "quá ngắn"),
    (GOOD, GOOD, GOOD, "new_password1", "phải khác mật khẩu hiện tại"),
])
def test_a_refused_change_says_why_and_changes_nothing(world, old, one, two, field, message):
    client = Client()
    login(client)
    response = client.post("/tai-khoan/mat-khau/", {"old_password": old, "new_password1": one,
                                                    "new_password2": two})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    world.officer_cdcs.refresh_from_db()
    assert world.officer_cdcs.check_password(GOOD)
    assert not AuditEntry.objects.filter(action="user.password_change").exists()


def test_the_change_page_needs_a_login(world):
    assert Client().get("/tai-khoan/mat-khau/").status_code == 302


def test_after_a_reset_the_user_must_change_the_password_first(world):
    open_session = Client()
    login(open_session)
    raw = account_password_reset(actor=world.admin, account=world.officer_cdcs)
    assert open_session.get("/").status_code == 302  # the reset ended the open session
    client = Client()
    response = login(client, password=raw)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/mat-khau/")
    # every other page leads back to the change page until it is done; the API says so in JSON
    assert client.get("/don-vi/").headers["Location"].startswith("/tai-khoan/mat-khau/")
    api = client.get("/api/me")
    assert api.status_code == 403 and "đổi mật khẩu" in api.json()["detail"]
    page = client.get("/tai-khoan/mat-khau/")
    assert "do quản trị viên đặt" in page.content.decode()
    done = client.post("/tai-khoan/mat-khau/", {"old_password": raw, "new_password1": NEW,
                                               "new_password2": NEW, "next": "/don-vi/"})
    assert done["Location"] == "/don-vi/"
    assert client.get("/").status_code == 200
    assert not PasswordChangeRequired.objects.filter(user=world.officer_cdcs).exists()
    reset = AuditEntry.objects.get(action="user.password_reset")
    assert reset.after == {"generated": True}
    assert raw not in json.dumps([e.after for e in AuditEntry.objects.all()])


def test_reset_from_the_admin_page_forces_a_change(world):
    admin = Client()
    admin.force_login(world.admin)
    response = admin.post(f"/quan-tri/tai-khoan/{world.officer_cdcs.pk}/mat-khau/", {})
    assert response.status_code == 302
    assert PasswordChangeRequired.objects.filter(user=world.officer_cdcs).exists()


def test_reset_password_command_prints_a_one_time_password(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("reset_password", "canbo_cdcs", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert len(raw) == 12 and "\n" not in raw
    assert "phải đổi mật khẩu" in err.getvalue()
    world.officer_cdcs.refresh_from_db()
    assert world.officer_cdcs.check_password(raw)
    assert PasswordChangeRequired.objects.filter(user=world.officer_cdcs).exists()
    entry = AuditEntry.objects.get(action="user.password_reset")
    assert entry.actor_id is None and raw not in json.dumps(entry.after)


def test_reset_password_command_reads_stdin(world, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW + "\n"))
    out = io.StringIO()
    call_command("reset_password", "canbo_cdcs", "--stdin", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == ""  # the operator typed it: nothing printed
    world.officer_cdcs.refresh_from_db()
    assert world.officer_cdcs.check_password(NEW)


def test_reset_password_command_refuses_a_weak_password_and_unknown_user(world, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="quá ngắn"):
        call_command("reset_password", "canbo_cdcs", "--stdin", stderr=io.StringIO())
    with pytest.raises(CommandError, match="Không có tài khoản «ai_do»"):
        call_command("reset_password", "ai_do", stderr=io.StringIO())
    world.officer_cdcs.refresh_from_db()
    assert world.officer_cdcs.check_password(GOOD)


def test_the_change_page_does_not_redirect_off_site(world):
    client = Client()
    login(client)
    response = client.post("/tai-khoan/mat-khau/", {
        "old_password": GOOD, "new_password1": NEW, "new_password2": NEW,
        "next": "https://lua-dao.example/dang-nhap/"})
    assert response.status_code == 302 and response["Location"] == "/"
