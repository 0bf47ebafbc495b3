"""Login, logout, the home redirect and the lockout page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

PASSWORD = "matkhau-thu-nghiem"


def _html(response) -> str:
    return response.content.decode()


def test_login_page_is_in_vietnamese(client, db):
    html = _html(client.get(reverse("login")))
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "Username" not in html and "Password" not in html


def test_wrong_password_says_so_in_vietnamese_and_keeps_the_username(client, world):
    response = client.post(reverse("login"), {"username": "canbo_cdcs", "password": "sai"})
    html = _html(response)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
    assert 'value="canbo_cdcs"' in html


def test_empty_form_names_each_missing_field(client, db):
    html = _html(client.post(reverse("login"), {"username": "", "password": ""}))
    assert "Hãy nhập tên đăng nhập." in html
    assert "Hãy nhập mật khẩu." in html


def test_officer_logs_in_and_lands_on_the_pending_work(client, world):
    response = client.post(reverse("login"), {"username": "canbo_cdcs", "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "<h1>Việc chờ tôi" in _html(response)


def test_viewer_logs_in_and_lands_on_the_tree(client, world):
    response = client.post(reverse("login"), {"username": "chixem", "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("org:tree")


def test_member_logs_in_and_lands_on_their_own_page(client, world):
    response = client.post(reverse("login"), {"username": "doanvien", "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:detail", args=[world.member.pk])


def test_login_follows_next_only_inside_the_site(client, world):
    response = client.post(reverse("login") + "?next=/don-vi/CDCS-A/",
                           {"username": "canbo_cdcs", "password": PASSWORD,
                            "next": "/don-vi/CDCS-A/"})
    assert response["Location"] == "/don-vi/CDCS-A/"
    client.logout()
    response = client.post(reverse("login"), {"username": "canbo_cdcs", "password": PASSWORD,
                                              "next": "https://example.org/"})
    assert response["Location"] == reverse("home")


def test_too_many_failures_lock_the_login_with_a_vietnamese_page(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("login"),
                           {"username": "canbo_cdcs", "password": "sai"}).status_code == 200
    locked = client.post(reverse("login"), {"username": "canbo_cdcs", "password": "sai"})
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập." in _html(locked)
    assert '<html lang="vi">' in _html(locked)
    # even the right password is refused now, with the same page
    again = client.post(reverse("login"), {"username": "canbo_cdcs", "password": PASSWORD})
    assert again.status_code == 429
    assert "Tạm khóa đăng nhập." in _html(again)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_from_the_header(client, world):
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("org:tree")))
    assert f'<form class="user-box" method="post" action="{reverse("logout")}">' in html
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("org:tree")).status_code == 302


def test_home_asks_an_anonymous_visitor_to_log_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_pages_load_their_scripts_and_styles_from_the_site(client, world):
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("org:tree")))
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/thidua/app.css">' in html
    assert "<script>" not in html  # the CSP allows no inline script


def test_header_names_the_user_in_vietnamese_order(client, world):
    from thidua.accounts.services import role_grant_create, user_create

    user = user_create(actor=None, username="tuan.pm", password=PASSWORD,
                       full_name="Phạm Minh Tuấn")
    role_grant_create(actor=None, user=user, unit=world.cdcs_a, role="officer")
    client.force_login(user)
    html = _html(client.get(reverse("org:tree")))
    assert ">Phạm Minh Tuấn</summary>" in html
    # the name opens the account menu: one's own password and API tokens
    assert f'href="{reverse("password_change")}">Đổi mật khẩu</a>' in html
    assert f'href="{reverse("tokens")}">Mã truy cập API</a>' in html


def test_static_files_of_the_pages_are_found():
    """The stylesheet, script and htmx live in src/thidua/static (not in an app's folder), so the
    settings must list that folder; without it every page is served unstyled and without htmx."""
    from django.contrib.staticfiles import finders

    for name in ("thidua/app.css", "thidua/app.js", "thidua/logo.svg", "vendor/htmx.min.js"):
        assert finders.find(name), f"{name} is not found by the static files finders"
