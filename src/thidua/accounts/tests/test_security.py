import importlib
import os

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_base_settings_hash_passwords_with_argon2():
    base = importlib.import_module("thidua.settings.base")
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert base.DEBUG is False or os.environ.get("THIDUA_DEBUG")


def test_production_settings_use_secure_cookies(monkeypatch):
    monkeypatch.setenv("THIDUA_SECRET_KEY", "x" * 50)
    prod = importlib.import_module("thidua.settings.prod")
    prod = importlib.reload(prod)
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_HSTS_SECONDS > 0
    assert prod.DEBUG is False


def test_security_headers_on_pages(client):
    response = client.get("/dang-nhap/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_login_is_throttled_after_repeated_failures(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/dang-nhap/", {"username": "canbo_cdcs", "password": "sai-mat-khau"})
    response = client.post("/dang-nhap/", {"username": "canbo_cdcs",
                                           "password": "matkhau-thu-nghiem"})
    assert response.status_code == 429


def test_csrf_is_enforced_on_login():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "a", "password": "b"})
    assert response.status_code == 403


def test_not_found_page_is_vietnamese(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.officer_cdcs)
    response = client.get("/don-vi/CDCS-C/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_csrf_failure_page_is_vietnamese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_cdcs)
    response = client.post("/dang-xuat/")
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
