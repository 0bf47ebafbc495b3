"""Forms of the roster pages. They only read and check what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from thidua.people.models import Gender
from thidua.platform.forms import VNDateField, VNForm

STATUS_CHOICES = [
    ("", "Tất cả"),
    ("member", "Đoàn viên"),
    ("active", "Đang sinh hoạt"),
    ("suspended", "Tạm dừng sinh hoạt"),
    ("non_member", "Không phải đoàn viên"),
]
GENDER_FILTER_CHOICES = [("", "Tất cả"), *Gender.choices]


class PersonFieldsForm(VNForm):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    gender = forms.ChoiceField(label="Giới tính", choices=[("", "— Chọn —"), *Gender.choices])
    birth_date = VNDateField(label="Ngày sinh", required=False)
    cccd = forms.CharField(
        label="Số CCCD", max_length=20, required=False,
        help_text="12 chữ số, giữ nguyên các số 0 ở đầu.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ethnicity = forms.CharField(label="Dân tộc", max_length=50, required=False, initial="Kinh")
    position = forms.CharField(label="Chức vụ", max_length=150, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label="Thư điện tử", required=False)

    def person_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in
                ("full_name", "gender", "birth_date", "cccd", "ethnicity", "position", "phone",
                 "email")}


class PersonEditForm(PersonFieldsForm):
    # the version the editor saw: a save by someone else in between is refused, not overwritten
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _set_choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class PersonCreateForm(PersonFieldsForm):
    unit = forms.ChoiceField(label="Đơn vị")
    start_date = VNDateField(label="Ngày vào làm việc tại đơn vị")
    is_member = forms.BooleanField(label="Là đoàn viên công đoàn", required=False)
    join_date = VNDateField(
        label="Ngày vào Công đoàn", required=False,
        help_text="Để trống nếu trùng ngày vào làm việc tại đơn vị.",
    )
    field_order = ["unit", "full_name", "gender", "birth_date", "cccd", "ethnicity", "position",
                   "phone", "email", "start_date", "is_member", "join_date"]

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["unit"], units)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("join_date") and not data.get("is_member"):
            self.add_error("is_member", "Đã nhập ngày vào Công đoàn: hãy đánh dấu là đoàn viên.")
        return data


class TransferForm(VNForm):
    to_unit = forms.ChoiceField(label="Chuyển đến đơn vị")
    date = VNDateField(label="Từ ngày")
    note = forms.CharField(label="Ghi chú (số quyết định…)", max_length=255, required=False)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["to_unit"], units)


MEMBERSHIP_ACTIONS = {
    "join": "Kết nạp vào Công đoàn",
    "suspend": "Tạm dừng sinh hoạt",
    "resume": "Sinh hoạt trở lại",
    "leave": "Ra khỏi tổ chức Công đoàn",
}


class MembershipForm(VNForm):
    action = forms.ChoiceField(choices=list(MEMBERSHIP_ACTIONS.items()), widget=forms.HiddenInput)
    date = VNDateField(label="Từ ngày")
    note = forms.CharField(label="Ghi chú (lý do, số quyết định…)", max_length=255, required=False)
