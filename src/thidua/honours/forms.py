"""Forms of the catalogue page: a cash multiple for a period, a base salary row, a quota's figure,
a form's end. They read what was typed; the services judge it (their message goes beside the
field it concerns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from thidua.people.picker import PersonPicker
from thidua.platform.forms import UnitOptions, VNDateField, VNForm, unit_field
from thidua.platform.text import ascii_digits

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
        if not ascii_digits(digits):
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


# --- the commendation pages (proposals, decisions, register) ----------------------------------
# What the officer types on the proposal, decision and deadline pages; the services judge it.

class ProposalForm(VNForm):
    unit = forms.ChoiceField(label="Đơn vị đề nghị")
    recipient = forms.ChoiceField(label="Gửi đến")
    form = forms.ChoiceField(label="Hình thức khen thưởng")
    kind = forms.ChoiceField(label="Loại khen thưởng", choices=[
        ("nam", "Tổng kết năm"), ("chuyen_de", "Chuyên đề"), ("dot_xuat", "Đột xuất")])
    year = forms.IntegerField(label="Năm khen thưởng", min_value=2000, max_value=2200,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    topic = forms.CharField(label="Chủ đề, sự việc", max_length=255, required=False,
                            help_text="Bắt buộc với khen chuyên đề, đột xuất.")
    title = forms.CharField(label="Trích yếu", max_length=255, required=False,
                            help_text="Để trống: hệ thống tự ghi «Đề nghị tặng … năm …».")

    def __init__(self, *args: Any, units: UnitOptions, known: Callable[[str], bool],
                 recipients: list[tuple[str, str]], award_forms: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "unit", units, known=known)
        self.fields["recipient"].choices = [  # type: ignore[attr-defined]
            ("", "— chọn —"), *recipients]
        self.fields["form"].choices = [  # type: ignore[attr-defined]
            ("", "— chọn —"), *award_forms]


class CandidateForm(VNForm):
    person = forms.IntegerField(label="Người được đề nghị", required=False)
    subject_unit = forms.ChoiceField(label="Hoặc tập thể", required=False)
    position = forms.CharField(label="Chức vụ, đơn vị công tác", max_length=255, required=False)
    achievement = forms.CharField(label="Tóm tắt thành tích", required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: UnitOptions, known: Callable[[str], bool],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].widget = PersonPicker(fill={"position": "position"})
        unit_field(self, "subject_unit", units, known=known, held="thuộc đơn vị đề nghị",
                   blank="— không chọn —")


class TitlesForm(VNForm):
    titles = forms.MultipleChoiceField(label="Danh hiệu làm căn cứ",
                                       widget=forms.CheckboxSelectMultiple)
    achievement = forms.CharField(label="Thành tích chung", required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, titles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["titles"].choices = titles  # type: ignore[attr-defined]


class CandidateEditForm(VNForm):
    position = forms.CharField(label="Chức vụ, đơn vị công tác", max_length=255, required=False)
    achievement = forms.CharField(label="Tóm tắt thành tích", required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class DossierForm(VNForm):
    kind = forms.ChoiceField(label="Loại tài liệu", choices=[
        ("to_trinh", "Tờ trình"), ("bao_cao", "Báo cáo thành tích"),
        ("bien_ban", "Biên bản họp Hội đồng"), ("minh_chung", "Tài liệu minh chứng")])
    file = forms.FileField(label="Tệp")


class CouncilPickForm(VNForm):
    council = forms.ChoiceField(label="Hội đồng đã lập", required=False)
    name = forms.CharField(label="Hoặc lập Hội đồng mới, tên", max_length=255, required=False)
    ballot = forms.ChoiceField(label="Hình thức biểu quyết", required=False, choices=[
        ("open", "Biểu quyết công khai"), ("secret", "Bỏ phiếu kín")])

    def __init__(self, *args: Any, councils: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [  # type: ignore[attr-defined]
            ("", "— chọn —"), *councils]


class MemberForm(VNForm):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    role = forms.ChoiceField(label="Vai trò", choices=[
        ("chu_tich", "Chủ tịch Hội đồng"), ("pho_chu_tich", "Phó Chủ tịch Hội đồng"),
        ("thu_ky", "Thư ký Hội đồng"), ("uy_vien", "Ủy viên")])
    position = forms.CharField(label="Chức vụ, đơn vị", max_length=255, required=False)


class SignedForm(VNForm):
    date = VNDateField(label="Ngày ký")
    signer_name = forms.CharField(label="Người ký", max_length=150)
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=150)
    place = forms.CharField(label="Địa danh", max_length=100, required=False)


class DecisionIssueForm(SignedForm):
    title = forms.CharField(label="Trích yếu", max_length=500, required=False,
                            help_text="Để trống: «Về việc tặng … năm …».")
    basis = forms.CharField(label="Căn cứ", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(VNForm):
    title = forms.CharField(label="Trích yếu tờ trình", max_length=255, required=False)


class OutcomeForm(VNForm):
    external_issuer = forms.CharField(label="Cấp quyết định", max_length=255,
                                      help_text="Ví dụ: Chủ tịch nước, Thủ tướng Chính phủ.")
    number = forms.CharField(label="Số quyết định", max_length=60)
    date = VNDateField(label="Ngày ký")
    signer_name = forms.CharField(label="Người ký", max_length=150, required=False)
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=150, required=False)
    passed = forms.MultipleChoiceField(label="Có tên trong quyết định",
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["passed"].choices = candidates  # type: ignore[attr-defined]


class DeadlineForm(VNForm):
    recipient = forms.ChoiceField(label="Đơn vị nhận hồ sơ")
    year = forms.IntegerField(label="Năm khen thưởng", min_value=2000, max_value=2200,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    kind = forms.ChoiceField(label="Loại khen thưởng", choices=[
        ("nam", "Tổng kết năm"), ("chuyen_de", "Chuyên đề"), ("dot_xuat", "Đột xuất")])
    last_day = VNDateField(label="Hạn cuối nộp hồ sơ")
    note = forms.CharField(label="Văn bản hướng dẫn", max_length=255, required=False)

    def __init__(self, *args: Any, units: UnitOptions, known: Callable[[str], bool],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "recipient", units, known=known)


class RevokeForm(SignedForm):
    awards = forms.MultipleChoiceField(label="Khen thưởng bị thu hồi",
                                       widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, awards: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["awards"].choices = awards  # type: ignore[attr-defined]


class CorrectForm(SignedForm):
    award = forms.ChoiceField(label="Khen thưởng cần đính chính")
    recipient_name = forms.CharField(label="Tên đúng", max_length=255, required=False)
    position_new = forms.CharField(label="Chức vụ, đơn vị công tác đúng", max_length=255,
                                   required=False)
    achievement = forms.CharField(label="Thành tích đúng", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, awards: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [("", "— chọn —"), *awards]  # type: ignore[attr-defined]
