"""The forms of the targets, welfare and Party development pages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from thidua.platform.forms import UnitOptions, VNDateField, VNForm, unit_field
from thidua.reports.measures import measure_choices
from thidua.reports.models import (
    Comparison,
    FundingSource,
    GiftKind,
    RecipientKind,
    WelfareOccasion,
)
from thidua.reports.statistics import DIMENSIONS, FAMILIES, LEVELS, VALUES


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


class StatisticsForm(VNForm):
    """A statistics report's name and parameters (`reports.statistics.Params`)."""

    name = forms.CharField(label="Tên báo cáo", max_length=150)
    subtree = forms.ChoiceField(label="Tính cho đơn vị (và các đơn vị trực thuộc)",
                                help_text="Đơn vị và hai cấp dưới trực tiếp.")
    year_from = forms.IntegerField(label="Từ năm")
    year_to = forms.IntegerField(label="Đến năm")
    family = forms.ChoiceField(label="Loại hình thức", required=False)
    form_codes = forms.MultipleChoiceField(label="Hình thức khen thưởng (để trống: tất cả)",
                                           required=False,
                                           help_text="Giữ phím Ctrl (trên điện thoại: chạm "
                                                     "từng dòng) để chọn nhiều hình thức.",
                                           widget=forms.SelectMultiple(attrs={"size": "8"}))
    issuer_levels = forms.MultipleChoiceField(label="Cấp khen thưởng (để trống: tất cả)",
                                              required=False,
                                              widget=forms.CheckboxSelectMultiple)
    issuer = forms.ChoiceField(label="Đơn vị khen thưởng", required=False)
    recipients = forms.ChoiceField(label="Đối tượng", choices=RecipientKind.choices)
    rows = forms.ChoiceField(label="Dòng theo")
    columns = forms.ChoiceField(label="Cột theo", required=False)
    values = forms.MultipleChoiceField(label="Số liệu", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, units: UnitOptions, issuers: UnitOptions,
                 known: Callable[[str], bool], below: Callable[[str], bool],
                 form_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        unit_field(self, "subtree", units, known=below, blank=None,
                   held="thuộc đơn vị này (đến hai cấp dưới)")
        unit_field(self, "issuer", issuers, known=known, blank="Tất cả",
                   held="khen thưởng được đơn vị này hoặc thuộc đơn vị này")
        f["family"].choices = [("", "Tất cả"), *FAMILIES.items()]  # type: ignore[attr-defined]
        f["form_codes"].choices = form_choices  # type: ignore[attr-defined]
        f["issuer_levels"].choices = list(LEVELS.items())  # type: ignore[attr-defined]
        f["rows"].choices = list(DIMENSIONS.items())  # type: ignore[attr-defined]
        f["columns"].choices = [  # type: ignore[attr-defined]
            ("", "Không chia (chỉ các số liệu)"), *DIMENSIONS.items()]
        f["values"].choices = list(VALUES.items())  # type: ignore[attr-defined]
        for name in ("year_from", "year_to"):
            f[name].error_messages["invalid"] = "Năm phải là một số, ví dụ 2024."
            f[name].widget.attrs.update({"inputmode": "numeric", "min": "1900", "max": "2100"})
