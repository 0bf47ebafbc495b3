"""Login throttling: per username+address (axes) and per address across usernames (spraying),
never per username alone."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OTHER = "198.51.100.20"
VICTIM_HOME = "192.0.2.44"
GOOD = "matkhau-thu-nghiem"


def login(client: Client, username: str, password: str, address: str):  # type: ignore[no-untyped-def]
    return client.post("/dang-nhap/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_spraying_from_one_address_is_throttled_after_the_limit(world, settings):
    settings.THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    attacker = Client()
    names = [f"nguoi_{i:02d}" for i in range(38)] + ["canbo_cdcs", "canbo_captren"]
    codes = [login(attacker, name, "Mua-xuan-2026", ATTACKER).status_code for name in names]
    assert codes[:30] == [200] * 30  # the form again, "wrong username or password"
    assert codes[30:] == [429] * 10
    # throttled before the password is checked: the right one is refused as well
    refused = login(attacker, "canbo_cdcs", GOOD, ATTACKER)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này" in page
    assert "Hãy thử lại từ" in page
    assert 0 < int(refused["Retry-After"]) <= 30 * 60
    assert "_auth_user_id" not in attacker.session

    # another address is not affected; nor is the victim from their own address
    assert login(Client(), "canbo_captren", GOOD, OTHER).status_code == 302
    victim = Client()
    assert login(victim, "canbo_cdcs", GOOD, VICTIM_HOME).status_code == 302
    assert victim.get("/").status_code == 200


def test_an_address_below_the_limit_still_logs_in(world, settings):
    settings.THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT = 5
    client = Client()
    for i in range(4):
        login(client, f"khong_co_{i}", "sai", OTHER)
    assert login(client, "canbo_cdcs", GOOD, OTHER).status_code == 302


def test_wrong_passwords_for_one_user_lock_that_user_only_from_that_address(world):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "canbo_cdcs", "sai-mat-khau", ATTACKER)
    locked = login(attacker, "canbo_cdcs", GOOD, ATTACKER)
    assert locked.status_code == 429
    assert "Tài khoản này đã nhập sai mật khẩu quá nhiều lần" in locked.content.decode()
    assert int(locked["Retry-After"]) > 0
    # the same address may still log in as someone else (below the per-address limit) ...
    assert login(Client(), "canbo_captren", GOOD, ATTACKER).status_code == 302
    # ... and nobody locks the victim out from elsewhere
    assert login(Client(), "canbo_cdcs", GOOD, VICTIM_HOME).status_code == 302


def test_forwarded_for_header_sent_by_a_client_is_not_trusted(world, settings):
    settings.THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client()
    for i in range(3):
        client.post("/dang-nhap/", {"username": f"x{i}", "password": "sai"},
                    REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    assert login(client, "canbo_cdcs", GOOD, ATTACKER).status_code == 429
