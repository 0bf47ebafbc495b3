"""Forms of the movement and registration pages. They read and check what was typed; the
services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from thidua.movements.catalogue import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    STANDARD_MOVEMENTS,
    UNIT_TYPE_NOUNS,
    Audience,
)
from thidua.movements.models import YearKind
from thidua.movements.services import DEPLOYABLE_TYPES
from thidua.platform.forms import UnitOptions, VNDateField, VNForm, unit_field

LEVEL_CHOICES = [(t, UNIT_TYPE_NOUNS[t][:1].upper() + UNIT_TYPE_NOUNS[t][1:])
                 for t in DEPLOYABLE_TYPES]


def level_choices(present: list[str]) -> list[tuple[str, str]]:
    """The levels offered: the unit types found below the issuer (all of them if none is)."""
    wanted = set(present)
    return [c for c in LEVEL_CHOICES if c[0] in wanted] or LEVEL_CHOICES


def _choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class FileInput(forms.ClearableFileInput):
    def __init__(self) -> None:
        super().__init__(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"})


class MovementForm(VNForm):
    issuer = forms.ChoiceField(label="Đơn vị phát động")
    catalogue_code = forms.ChoiceField(
        label="Phong trào", required=False,
        help_text="Chọn một phong trào chuẩn của Công đoàn, hoặc để «Phong trào riêng» và nhập tên.")
    name = forms.CharField(label="Tên phong trào", max_length=255, required=False,
                           help_text="Để trống khi đã chọn phong trào chuẩn.")
    start_date = VNDateField(label="Từ ngày")
    end_date = VNDateField(label="Đến ngày")
    audience = forms.ChoiceField(label="Đối tượng", required=False,
                                 choices=[("", "— Theo phong trào chuẩn —"), *Audience.CHOICES])
    code = forms.CharField(label="Mã phong trào", max_length=40, required=False,
                           help_text="Không bắt buộc; để trống để hệ thống tự đặt.")
    content = forms.CharField(label="Nội dung", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label="Tài liệu đính kèm (PDF, Word, Excel, ảnh)", required=False,
                           widget=FileInput())

    def __init__(self, *args: Any, units: UnitOptions,
                 known: Callable[[str], bool] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "issuer", units, known=known, blank=None)
        _choices(self.fields["catalogue_code"], [("", "— Phong trào riêng của đơn vị —")] + [
            (m.code, m.name) for m in STANDARD_MOVEMENTS])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("catalogue_code") and not (data.get("name") or "").strip():
            self.add_error("name", "Hãy nhập tên phong trào hoặc chọn một phong trào chuẩn.")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class AttachmentForm(VNForm):
    file = forms.FileField(label="Tài liệu (PDF, Word, Excel, ảnh JPG/PNG)", widget=FileInput())


class PlanForm(VNForm):
    issuer = forms.ChoiceField(label="Đơn vị ban hành")
    number = forms.CharField(label="Số kế hoạch", max_length=60,
                             widget=forms.TextInput(attrs={"placeholder": "04/KH-LĐLĐ"}))
    date = VNDateField(label="Ngày ban hành")
    title = forms.CharField(label="Trích yếu", max_length=500,
                            widget=forms.TextInput(attrs={"placeholder": "Kế hoạch triển khai …"}))
    movements = forms.MultipleChoiceField(label="Phong trào triển khai",
                                          widget=forms.CheckboxSelectMultiple)
    deadline = VNDateField(label="Hạn triển khai", required=False,
                           help_text="Ngày các đơn vị phải báo cáo đã phát động.")
    levels = forms.MultipleChoiceField(
        label="Triển khai ngay tới", required=False, choices=LEVEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Mọi đơn vị thuộc các cấp đã chọn, trực thuộc đơn vị ban hành. Có thể triển khai "
        "sau trên trang kế hoạch.")
    file = forms.FileField(label="Văn bản kế hoạch (PDF, Word)", required=False,
                           widget=FileInput())

    def __init__(self, *args: Any, units: UnitOptions, movements: list[tuple[str, str]],
                 known: Callable[[str], bool] | None = None, levels: list[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "issuer", units, known=known, blank=None)
        _choices(self.fields["movements"], movements)
        if levels is not None:
            _choices(self.fields["levels"], level_choices(levels))
        self.fields["movements"].error_messages["required"] = (
            "Hãy chọn ít nhất một phong trào mà kế hoạch triển khai.")


class DeployForm(VNForm):
    levels = forms.MultipleChoiceField(label="Cấp nhận kế hoạch", choices=LEVEL_CHOICES,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, levels: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if levels is not None:
            _choices(self.fields["levels"], level_choices(levels))
        self.fields["levels"].error_messages["required"] = (
            "Hãy chọn ít nhất một cấp đơn vị nhận kế hoạch.")


class LaunchForm(VNForm):
    launched_on = VNDateField(label="Ngày phát động")
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)


class AcknowledgeForm(VNForm):
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)


def commitments_field(label: str = "Việc làm cụ thể") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi việc một dòng.")


class UnitRegistrationForm(VNForm):
    titles = forms.MultipleChoiceField(
        label="Danh hiệu tập thể đăng ký", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(t.code, t.name) for t in COLLECTIVE_TITLES])
    commitments = commitments_field()
    pledges = forms.MultipleChoiceField(label="Cam kết", required=False,
                                        widget=forms.CheckboxSelectMultiple)
    late_reason = forms.CharField(label="Lý do nhận đăng ký muộn", max_length=500, required=False)

    def __init__(self, *args: Any, pledges: list[str], titles: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["pledges"], [(p, p) for p in pledges])
        if titles is not None:
            _choices(self.fields["titles"], titles)


class SelfRegistrationForm(VNForm):
    titles = forms.MultipleChoiceField(
        label="Danh hiệu đăng ký", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(t.code, t.name) for t in INDIVIDUAL_TITLES])
    commitments = commitments_field("Việc làm cụ thể của tôi")
    pledges = forms.MultipleChoiceField(label="Tôi cam kết thực hiện", required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, pledges: list[str], titles: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["pledges"], [(p, p) for p in pledges])
        _choices(self.fields["titles"], titles)


class RuleForm(VNForm):
    year_kind = forms.ChoiceField(label="Áp dụng cho đơn vị tính theo", choices=YearKind.choices)
    deadline = VNDateField(label="Hạn đăng ký", required=False)
    min_commitments_unit = forms.IntegerField(label="Việc làm cụ thể tối thiểu mỗi tập thể",
                                              min_value=0, max_value=20, initial=0)
    min_commitments_member = forms.IntegerField(label="Việc làm cụ thể tối thiểu mỗi đoàn viên",
                                                min_value=0, max_value=20, initial=0)
    pledges = forms.CharField(label="Nội dung cam kết (mỗi nội dung một dòng)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label="Ghi chú (căn cứ, số văn bản)", max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("min_commitments_unit", "min_commitments_member"):
            self.fields[name].error_messages["min_value"] = "Không được nhỏ hơn %(limit_value)s."
            self.fields[name].error_messages["max_value"] = "Không được lớn hơn %(limit_value)s."
            self.fields[name].error_messages["invalid"] = "Hãy nhập một số nguyên."


class YearSettingForm(VNForm):
    kind = forms.ChoiceField(label="Năm thi đua của đơn vị tính theo", choices=YearKind.choices)
    start_month = forms.TypedChoiceField(
        label="Năm học bắt đầu từ tháng", coerce=int, initial=9,
        choices=[(m, f"Tháng {m}") for m in range(1, 13)])
    start_day = forms.IntegerField(label="Ngày", min_value=1, max_value=28, initial=1)


class ImportForm(VNForm):
    file = forms.FileField(label="Tệp đăng ký (.xlsx hoặc .csv)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    valid_only = forms.BooleanField(label="Chỉ nhập các dòng hợp lệ", required=False,
                                    help_text="Không chọn: có một dòng sai thì không ghi dòng nào.")
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, chưa ghi dữ liệu", required=False)
    late_reason = forms.CharField(label="Lý do nhận đăng ký muộn", max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "Hãy chọn tệp đăng ký."
        self.fields["file"].error_messages["empty"] = "Tệp đã chọn không có nội dung."
