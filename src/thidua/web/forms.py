"""Forms of the administration pages (accounts, role grants, the audit log filter)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from thidua.accounts.models import Role
from thidua.platform.forms import UnitOptions, VNDateField, VNForm, unit_field

HELD = "bạn quản trị"  # «Không có đơn vị mã «X» trong các đơn vị bạn quản trị.»


class AccountCreateForm(VNForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150,
                               widget=forms.TextInput(attrs={"autocapitalize": "none",
                                                             "spellcheck": "false"}))
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(label="Thư điện tử", required=False)
    unit = forms.ChoiceField(label="Đơn vị")
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices, initial=Role.OFFICER)

    def __init__(self, *args: Any, units: UnitOptions, known: Callable[[str], bool] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "unit", units, known=known, held=HELD)


class GrantForm(VNForm):
    unit = forms.ChoiceField(label="Đơn vị")
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices, initial=Role.OFFICER)

    def __init__(self, *args: Any, units: UnitOptions, known: Callable[[str], bool] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "unit", units, known=known, held=HELD)


class DeactivateForm(VNForm):
    reason = forms.CharField(label="Lý do khóa", max_length=255)


class PasswordForm(VNForm):
    password = forms.CharField(label="Mật khẩu mới", required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text="Để trống: hệ thống tạo mật khẩu dùng một lần.")


class AuditFilterForm(VNForm):
    since = VNDateField(label="Từ ngày", required=False)
    until = VNDateField(label="Đến ngày", required=False)
    actor = forms.ChoiceField(label="Người thực hiện", required=False)
    action = forms.ChoiceField(label="Thao tác", required=False)
    unit = forms.ChoiceField(label="Đơn vị", required=False)

    def __init__(self, *args: Any, actors: list[tuple[str, str]], actions: list[tuple[str, str]],
                 units: UnitOptions, known: Callable[[str], bool] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "Tất cả")] + actors  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", "Tất cả")] + actions  # type: ignore[attr-defined]
        unit_field(self, "unit", units, known=known, held=HELD, blank="Tất cả")
