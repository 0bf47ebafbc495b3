"""Forms of the roster pages. They only read and check what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from thidua.core.errors import ApplicationError
from thidua.people.models import Gender

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
STATUS_CHOICES = [
    ("", "Tất cả"),
    ("member", "Đoàn viên"),
    ("active", "Đang sinh hoạt"),
    ("suspended", "Tạm dừng sinh hoạt"),
    ("non_member", "Không phải đoàn viên"),
]
GENDER_FILTER_CHOICES = [("", "Tất cả"), *Gender.choices]


class VNDateField(forms.DateField):
    """A date typed as officials write it (17/05/1985), shown back the same way."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                   "class": "input-date"},
        ))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = (
            "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 17/05/1985."
        )


class VNForm(forms.Form):
    """Vietnamese messages for the checks Django forms make themselves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            label = str(f.label or "").lower()
            f.error_messages["required"] = (
                f"Hãy chọn {label}." if isinstance(f, forms.ChoiceField) else f"Hãy nhập {label}."
            )
            f.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ; hãy chọn lại trong danh sách."
            f.error_messages["max_length"] = "Tối đa %(limit_value)d ký tự (đang có %(show_value)d)."
            if isinstance(f, forms.EmailField):
                f.error_messages["invalid"] = "Địa chỉ thư điện tử không hợp lệ."
            if isinstance(f, forms.CharField) and f.max_length:
                # CharField puts its own MaxLengthValidator in place; give it the Vietnamese text
                for v in f.validators:
                    if isinstance(v, MaxLengthValidator):
                        v.message = f.error_messages["max_length"]

    def apply_error(self, exc: ApplicationError) -> None:
        """Show a refused action next to the field it concerns, or above the form."""
        field = exc.field if exc.field in self.fields and exc.field != "version" else None
        self.add_error(field, exc.message)


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


def unit_choices(rows: list[tuple[str, str, int]], blank: str | None = None) -> list[tuple[str, str]]:
    """Options (code, name, depth) for a unit select, indented below the shallowest one."""
    top = min((depth for _, _, depth in rows), default=0)
    out = [("", blank)] if blank else []
    out += [(code, "\u2003" * (depth - top) + name) for code, name, depth in rows]
    return out


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
