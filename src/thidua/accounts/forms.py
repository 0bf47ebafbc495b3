"""Forms of the account pages: login, one's own password, one's API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from thidua.accounts.models import TokenScope
from thidua.accounts.services.tokens import MAX_DAYS, default_days
from thidua.platform.forms import VNForm


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


def _password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


class PasswordChangeForm(VNForm):
    old_password = forms.CharField(label="Mật khẩu hiện tại", strip=False,
                                   widget=_password_input("current-password"))
    new_password1 = forms.CharField(
        label="Mật khẩu mới", strip=False, widget=_password_input("new-password"),
        help_text="Ít nhất 8 ký tự, không quá phổ biến, không chỉ gồm chữ số.")
    new_password2 = forms.CharField(label="Nhập lại mật khẩu mới", strip=False,
                                    widget=_password_input("new-password"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "Hai lần nhập mật khẩu mới không khớp nhau.")
        return data


class TokenCreateForm(VNForm):
    name = forms.CharField(label="Tên gợi nhớ", max_length=100,
                           help_text="Ví dụ: đồng bộ phần mềm nhân sự.")
    scope = forms.ChoiceField(label="Quyền", choices=TokenScope.choices, initial=TokenScope.READ,
                              widget=forms.RadioSelect)
    days = forms.IntegerField(label="Thời hạn (ngày)", min_value=1, max_value=MAX_DAYS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = default_days()
        self.fields["days"].error_messages.update({
            "invalid": "Thời hạn là một số ngày, ví dụ 90.",
            "min_value": "Thời hạn ít nhất 1 ngày.",
            "max_value": f"Thời hạn tối đa {MAX_DAYS} ngày.",
        })
