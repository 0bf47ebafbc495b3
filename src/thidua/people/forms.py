"""Forms of the roster pages. They only read and check what was typed; the services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from thidua.org.models import UnitType
from thidua.people.models import Gender
from thidua.platform.forms import UnitOptions, VNDateField, VNForm, unit_field

STATUS_CHOICES = [
    ("", "Tất cả"),
    ("member", "Đoàn viên"),
    ("active", "Đang sinh hoạt"),
    ("suspended", "Tạm dừng sinh hoạt"),
    ("non_member", "Không phải đoàn viên"),
]
GENDER_FILTER_CHOICES = [("", "Tất cả"), *Gender.choices]
CHOOSE_UNIT = "— Chọn đơn vị —"


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

    def __init__(self, *args: Any, units: UnitOptions, known: Callable[[str], bool],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "unit", units, known=known, blank=CHOOSE_UNIT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("join_date") and not data.get("is_member"):
            self.add_error("is_member", "Đã nhập ngày vào Công đoàn: hãy đánh dấu là đoàn viên.")
        return data


class TransferForm(VNForm):
    to_unit = forms.ChoiceField(label="Chuyển đến đơn vị")
    date = VNDateField(label="Từ ngày")
    note = forms.CharField(label="Ghi chú (số quyết định…)", max_length=255, required=False)

    def __init__(self, *args: Any, units: UnitOptions, known: Callable[[str], bool],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "to_unit", units, known=known, blank=CHOOSE_UNIT)


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


# --- tree events (create, rename, move, merge, split, dissolve) ---------------------------------

UNIT_TYPE_CHOICES = [("", "— Chọn loại đơn vị —"), *UnitType.choices]


def _code_field(label: str = "Mã đơn vị", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=40, required=required,
        help_text="Chữ không dấu, số và dấu gạch, ví dụ CDCS-SO-TU-PHAP.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class TreeEventForm(VNForm):
    """What every tree event records: its effective date, the decision and the reason."""

    date = VNDateField(label="Ngày hiệu lực")
    decision = forms.CharField(label="Số quyết định", max_length=80, required=False,
                               help_text="Ví dụ 125/QĐ-LĐLĐ.")
    note = forms.CharField(label="Lý do, ghi chú", max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class UnitCreateForm(TreeEventForm):
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=80, required=False)
    code = _code_field()
    type = forms.ChoiceField(label="Loại đơn vị", choices=UNIT_TYPE_CHOICES)
    field_order = ["name", "short_name", "code", "type", "date", "decision", "note"]


class UnitRenameForm(TreeEventForm):
    name = forms.CharField(label="Tên mới", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt mới", max_length=80, required=False)
    field_order = ["name", "short_name", "date", "decision", "note"]


class UnitMoveForm(TreeEventForm):
    new_parent = forms.ChoiceField(label="Chuyển về trực thuộc đơn vị")
    field_order = ["new_parent", "date", "decision", "note"]

    def __init__(self, *args: Any, units: UnitOptions, known: Callable[[str], bool], held: str,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "new_parent", units, known=known, held=held, blank=CHOOSE_UNIT)


MERGE_MODES = [
    ("into", "Sáp nhập các đơn vị đã chọn vào đơn vị này"),
    ("new", "Hợp nhất đơn vị này và các đơn vị đã chọn thành một đơn vị mới"),
]


class UnitMergeForm(TreeEventForm):
    sources = forms.MultipleChoiceField(label="Các đơn vị sáp nhập, hợp nhất",
                                        widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label="Cách làm", choices=MERGE_MODES, initial="into",
                             widget=forms.RadioSelect)
    new_name = forms.CharField(label="Tên đơn vị mới", max_length=255, required=False,
                               help_text="Chỉ điền khi hợp nhất thành đơn vị mới.")
    new_code = _code_field("Mã đơn vị mới", required=False)
    new_type = forms.ChoiceField(label="Loại đơn vị mới", choices=UNIT_TYPE_CHOICES, required=False)
    field_order = ["sources", "mode", "new_name", "new_code", "new_type", "date", "decision", "note"]

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["sources"], units)
        self.fields["sources"].error_messages["required"] = "Hãy chọn ít nhất một đơn vị."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == "new":
            for name in ("new_name", "new_code", "new_type"):
                if not data.get(name):
                    label = str(self.fields[name].label).lower()
                    self.add_error(name, f"Hợp nhất thành đơn vị mới: hãy nhập {label}.")
        return data


class UnitSplitForm(TreeEventForm):
    first_name = forms.CharField(label="Tên đơn vị mới thứ nhất", max_length=255)
    first_code = _code_field("Mã đơn vị mới thứ nhất")
    first_type = forms.ChoiceField(label="Loại đơn vị mới thứ nhất", choices=UNIT_TYPE_CHOICES)
    second_name = forms.CharField(label="Tên đơn vị mới thứ hai", max_length=255)
    second_code = _code_field("Mã đơn vị mới thứ hai")
    second_type = forms.ChoiceField(label="Loại đơn vị mới thứ hai", choices=UNIT_TYPE_CHOICES)
    children_second = forms.MultipleChoiceField(
        label="Đơn vị trực thuộc (tổ công đoàn…) chuyển sang đơn vị mới thứ hai", required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Mỗi đơn vị trực thuộc chuyển đi cùng toàn bộ người lao động của mình; "
                  "đơn vị không đánh dấu chuyển sang đơn vị mới thứ nhất.",
    )
    people_second = forms.MultipleChoiceField(
        label="Người sinh hoạt trực tiếp tại đơn vị chuyển sang đơn vị mới thứ hai",
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Người không đánh dấu chuyển sang đơn vị mới thứ nhất.",
    )
    field_order = ["first_name", "first_code", "first_type", "second_name", "second_code",
                   "second_type", "children_second", "people_second", "date", "decision", "note"]

    def __init__(self, *args: Any, children: list[tuple[str, str]], people: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["children_second"], children)
        _set_choices(self.fields["people_second"], people)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("first_code"), data.get("second_code")
        if first and second and first.strip().upper() == second.strip().upper():
            self.add_error("second_code", "Hai đơn vị mới phải có mã khác nhau.")
        return data


class UnitDissolveForm(TreeEventForm):
    pass
