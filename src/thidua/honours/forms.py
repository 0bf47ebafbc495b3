"""Forms of the catalogue page: a cash multiple for a period, a base salary row, a quota's figure,
a form's end. They read what was typed; the services judge it (their message goes beside the
field it concerns)."""

from __future__ import annotations

from typing import Any

from django import forms

from thidua.platform.forms import VNDateField, VNForm

SOURCE_HELP = "Số, ngày và cơ quan ban hành văn bản quy định (bắt buộc)."


def _source() -> forms.CharField:
    return forms.CharField(label="Căn cứ", max_length=255, help_text=SOURCE_HELP)


def _note() -> forms.CharField:
    return forms.CharField(label="Ghi chú", max_length=255, required=False)


class CashRateForm(VNForm):
    form = forms.ChoiceField(label="Hình thức, danh hiệu")
    recipient = forms.ChoiceField(label="Đối tượng", required=False, choices=[
        ("", "Mọi đối tượng"), ("ca_nhan", "Cá nhân"), ("tap_the", "Tập thể")])
    multiple = forms.CharField(label="Hệ số (× lương cơ sở)", max_length=12,
                               help_text="Ví dụ 0,3 hoặc 1,5.",
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    valid_from = VNDateField(label="Áp dụng từ ngày")
    valid_to = VNDateField(label="Đến trước ngày", required=False,
                           help_text="Để trống: đến khi có mức khác.")
    source = _source()
    note = _note()

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", "— chọn —"), *codes]  # type: ignore[attr-defined]


class BaseSalaryForm(VNForm):
    amount = forms.CharField(label="Mức lương cơ sở (đồng)", max_length=15,
                             help_text="Ví dụ 2.530.000.",
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    valid_from = VNDateField(label="Áp dụng từ ngày")
    source = _source()
    note = _note()

    def clean_amount(self) -> int:
        raw = "".join(str(self.cleaned_data["amount"]).replace(".", "").replace(" ", "").split())
        sign = -1 if raw.startswith("-") else 1
        digits = raw.lstrip("-")
        if not digits.isdigit():
            raise forms.ValidationError("Hãy nhập số đồng, ví dụ 2.530.000.")
        return sign * int(digits)


class QuotaForm(VNForm):
    quota = forms.ChoiceField(label="Tỷ lệ, số lượng")
    value = forms.IntegerField(label="Giá trị mới", widget=forms.TextInput(
        attrs={"inputmode": "numeric"}))
    valid_from = VNDateField(label="Áp dụng từ ngày")
    valid_to = VNDateField(label="Đến trước ngày", required=False,
                           help_text="Để trống: đến khi có giá trị khác.")
    source = _source()
    note = _note()

    def __init__(self, *args: Any, quotas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quota"].choices = [("", "— chọn —"), *quotas]  # type: ignore[attr-defined]
        self.fields["value"].error_messages["invalid"] = "Giá trị phải là số nguyên."


class FormEndForm(VNForm):
    form = forms.ChoiceField(label="Hình thức")
    form_valid_to = VNDateField(label="Hết hiệu lực từ ngày")
    source = _source()
    note = _note()

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", "— chọn —"), *codes]  # type: ignore[attr-defined]
