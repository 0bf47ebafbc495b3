from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Tên đăng nhập", max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username",
                                      "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": "Hãy nhập tên đăng nhập."},
    )
    password = forms.CharField(
        label="Mật khẩu", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Hãy nhập mật khẩu."},
    )
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, "
                         "chữ thường.",
        "inactive": "Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên.",
    }


def _cooloff_minutes() -> int:
    hours = getattr(settings, "AXES_COOLOFF_TIME", None)
    return round(float(hours) * 60) if isinstance(hours, int | float) else 0


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        if getattr(request, "axes_locked_out", False):
            # django-axes would replace the page with a bare English text; answer the same 429 with
            # a Vietnamese page instead (the middleware only acts while this flag is set).
            request.axes_locked_out = False  # type: ignore[attr-defined]
            return render(
                request, self.template_name,
                {"locked_out": True, "cooloff_minutes": _cooloff_minutes(),
                 "form": self.get_form_class()(request)},
                status=429,
            )
        return response


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()
