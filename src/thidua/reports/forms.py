"""The forms of the targets, welfare and Party development pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from thidua.platform.forms import VNDateField, VNForm
from thidua.reports.measures import measure_choices
from thidua.reports.models import Comparison, FundingSource, GiftKind, WelfareOccasion


class DecimalText(forms.Field):
    """A number typed the Vietnamese way: 87,5 or 87.5; 200; "75 %"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "20"})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip().replace(" ", "").replace("%", "")
        if not text:
            return None
        try:
            if len(text) > 20:
                raise InvalidOperation
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError("Hãy nhập một số, ví dụ 75 hoặc 87,5.") from None
        if not number.is_finite():
            raise forms.ValidationError("Hãy nhập một số, ví dụ 75 hoặc 87,5.")
        return number


class TargetForm(VNForm):
    measure = forms.ChoiceField(label="Chỉ tiêu")
    comparison = forms.ChoiceField(label="So sánh", choices=Comparison.choices)
    value = DecimalText(label="Mức")
    value_max = DecimalText(label="Đến mức (khi là một khoảng)", required=False)
    source = forms.CharField(label="Căn cứ (kế hoạch, nghị quyết…)", max_length=255,
                             required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices()  # type: ignore[attr-defined]


class ImportForm(VNForm):
    file = forms.FileField(label="Tệp Excel (.xlsx) hoặc CSV")
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, chưa ghi dữ liệu", required=False)


class WelfareForm(VNForm):
    date = VNDateField(label="Ngày")
    occasion = forms.ChoiceField(label="Dịp", choices=WelfareOccasion.choices)
    funding = forms.ChoiceField(label="Nguồn kinh phí", choices=FundingSource.choices)
    title = forms.CharField(label="Nội dung", max_length=255, required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)


class BeneficiaryForm(VNForm):
    who = forms.CharField(label="Số CCCD hoặc mã đoàn viên", max_length=20, required=False,
                          help_text="Để trống nếu người nhận không có trong danh sách; khi đó "
                                    "ghi họ và tên.")
    name = forms.CharField(label="Họ và tên", max_length=150, required=False)
    amount = forms.IntegerField(label="Số tiền (đồng)", min_value=0, initial=0)
    gift = forms.ChoiceField(label="Hình thức", choices=GiftKind.choices)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["invalid"] = "Số tiền phải là số đồng, ví dụ 500000."
        self.fields["amount"].error_messages["min_value"] = "Số tiền không được âm."


class PartyForm(VNForm):
    who = forms.CharField(label="Số CCCD hoặc mã đoàn viên", max_length=20)
    introduced_on = VNDateField(label="Ngày giới thiệu")
    admitted_on = VNDateField(label="Ngày kết nạp", required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)


class AdmitForm(VNForm):
    admitted_on = VNDateField(label="Ngày kết nạp", required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)


class FamilyForm(VNForm):
    who = forms.CharField(label="Số CCCD hoặc mã đoàn viên", max_length=20)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)
