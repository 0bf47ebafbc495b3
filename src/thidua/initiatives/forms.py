"""Forms of the initiative pages. They read and check what was typed; the services decide."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory

from thidua.councils.models import Choice, Role
from thidua.initiatives.models import InitiativeType, Level, Status, UseKind
from thidua.initiatives.services import AuthorInput, ParticipantInput
from thidua.people.picker import use_picker
from thidua.platform.errors import ApplicationError
from thidua.platform.files import ACCEPT
from thidua.platform.forms import UnitOptions, VNDateField, VNForm, VNTimeField, unit_field
from thidua.platform.years import check_year, first_year, last_year

TEXTAREA = {"rows": 4}


def _area(rows: int = 4, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class YearForm(VNForm):
    """A form with a `year` field held to the one bound on years (thidua.platform.years)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"min": first_year(), "max": last_year()})

    def clean_year(self) -> int:
        try:
            return check_year(self.cleaned_data["year"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None


class ApplicationForm(YearForm):
    """The items of TT 18/2013 Phụ lục I other than the two tables (authors, participants)."""

    year = forms.IntegerField(label="Năm",
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    title = forms.CharField(
        label="Tên sáng kiến", max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-novelty": "title"}))
    addressee = forms.CharField(
        label="Kính gửi", max_length=255, required=False,
        help_text="Để trống: «Hội đồng sáng kiến» của đơn vị.")
    kind = forms.ChoiceField(label="Loại giải pháp",
                             choices=[("", "— Chọn —"), *InitiativeType.choices])
    field = forms.CharField(label="Lĩnh vực áp dụng", max_length=255,
                            help_text="Ví dụ: cải cách hành chính, tiếp nhận và trả kết quả.")
    investor = forms.CharField(
        label="Chủ đầu tư tạo ra sáng kiến", max_length=255, required=False,
        help_text="Chỉ ghi khi tác giả không đồng thời là chủ đầu tư.")
    first_applied_on = VNDateField(label="Ngày áp dụng lần đầu hoặc áp dụng thử", required=False,
                                   help_text="Ghi ngày nào sớm hơn.")
    description = forms.CharField(
        label="Mô tả bản chất của sáng kiến", widget=_area(8, **{"data-novelty": "text"}),
        help_text="Thực trạng trước khi có sáng kiến, nội dung giải pháp, các bước thực hiện, "
                  "điểm mới so với cách làm cũ.")
    confidential = forms.CharField(label="Những thông tin cần được bảo mật", required=False,
                                   widget=_area(2))
    conditions = forms.CharField(label="Những điều kiện cần thiết để áp dụng sáng kiến",
                                 required=False, widget=_area(3))
    benefit_author = forms.CharField(
        label="Lợi ích thu được (theo ý kiến của tác giả)", required=False, widget=_area(4),
        help_text="Lợi ích về kinh tế, xã hội, thời gian giải quyết công việc…")
    benefit_expected_vnd = forms.CharField(
        label="Giá trị làm lợi dự kiến (đồng)", required=False, max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "120.000.000"}))
    benefit_others = forms.CharField(
        label="Lợi ích thu được (theo ý kiến của tổ chức, cá nhân áp dụng thử)", required=False,
        widget=_area(3))
    benefit_measured_vnd = forms.CharField(
        label="Giá trị làm lợi đã tính được (đồng)", required=False, max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "85.000.000"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def application_fields(self) -> dict[str, Any]:
        keys = ("title", "addressee", "kind", "field", "investor", "first_applied_on",
                "description", "confidential", "conditions", "benefit_author",
                "benefit_expected_vnd", "benefit_others", "benefit_measured_vnd")
        return {k: self.cleaned_data[k] for k in keys}


class AuthorForm(forms.Form):
    person = forms.TypedChoiceField(label="Người trong danh sách", required=False, coerce=int,
                                    empty_value=None)
    full_name = forms.CharField(label="Họ và tên", max_length=150, required=False)
    birth_date = VNDateField(label="Ngày sinh", required=False)
    workplace = forms.CharField(label="Nơi công tác", max_length=255, required=False)
    job_title = forms.CharField(label="Chức danh", max_length=150, required=False)
    qualification = forms.CharField(label="Trình độ chuyên môn", max_length=150, required=False)
    contribution = forms.DecimalField(
        label="Tỷ lệ đóng góp (%)", required=False, max_digits=5, decimal_places=2,
        min_value=Decimal("0.01"), max_value=Decimal("100"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-share",
                                      "data-share": "1"}))

    def __init__(self, *args: Any, people: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— Ghi tên (ngoài danh sách) —"), *(people or [])]
        self.fields["person"].choices = choices  # type: ignore[attr-defined]
        use_picker(self.fields["person"], labels={str(k): str(v) for k, v in people or []},
                   fill={"name": "full_name", "position": "job_title", "birth": "birth_date",
                         "unit": "workplace"})
        self.fields["contribution"].error_messages.update({
            "invalid": "Tỷ lệ phải là số, ví dụ 50 hoặc 33,33.",
            "max_value": "Tỷ lệ không quá 100%.",
            "min_value": "Tỷ lệ phải lớn hơn 0.",
            "max_decimal_places": "Ghi tối đa hai chữ số thập phân.",
        })

    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return any(data.get(k) not in (None, "") for k in self.fields)

    def to_input(self) -> AuthorInput:
        d = self.cleaned_data
        return AuthorInput(contribution=d["contribution"] if d["contribution"] is not None
                           else Decimal(0),
                           person_id=d["person"], full_name=d["full_name"],
                           birth_date=d["birth_date"], workplace=d["workplace"],
                           job_title=d["job_title"], qualification=d["qualification"])


class ParticipantForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=150, required=False)
    birth_date = VNDateField(label="Ngày sinh", required=False)
    workplace = forms.CharField(label="Nơi công tác", max_length=255, required=False)
    job_title = forms.CharField(label="Chức danh", max_length=150, required=False)
    qualification = forms.CharField(label="Trình độ chuyên môn", max_length=150, required=False)
    task = forms.CharField(label="Nội dung công việc hỗ trợ", max_length=255, required=False)

    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return any(data.get(k) not in (None, "") for k in self.fields)

    def to_input(self) -> ParticipantInput:
        return ParticipantInput(**self.cleaned_data)


AuthorFormSet = formset_factory(AuthorForm, extra=0, max_num=50, validate_max=True,
                                absolute_max=60)
ParticipantFormSet = formset_factory(ParticipantForm, extra=0, max_num=100, validate_max=True,
                                     absolute_max=110)


class AttachmentForm(VNForm):
    file = forms.FileField(label="Tài liệu đính kèm",
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class TransitionForm(VNForm):
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label="Lý do", required=False, max_length=2000, widget=_area(2))


class ReviewOpenForm(VNForm):
    council = forms.TypedChoiceField(label="Hội đồng sáng kiến", coerce=int)
    meeting_date = VNDateField(label="Ngày họp", required=False)
    meeting_time = VNTimeField(label="Giờ họp", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("meeting_time") and not data.get("meeting_date"):
            self.add_error("meeting_date", "Hãy ghi ngày họp cùng với giờ họp.")
        return data

    def __init__(self, *args: Any, councils: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [("", "— Chọn Hội đồng —"), *councils]  # type: ignore[attr-defined]


class RecognitionForm(VNForm):
    level = forms.ChoiceField(label="Cấp công nhận", choices=[("", "— Chọn —"), *Level.choices])
    decision_no = forms.CharField(label="Số quyết định", max_length=80,
                                  widget=forms.TextInput(attrs={"placeholder": "125/QĐ-UBND"}))
    decided_on = VNDateField(label="Ngày quyết định")
    issuer = forms.CharField(label="Cơ quan, người ký quyết định", max_length=255,
                             help_text="Ví dụ: Chủ tịch UBND quận Hai Bà Trưng.")
    certificate_no = forms.CharField(label="Số giấy chứng nhận", max_length=80, required=False,
                                     help_text="Để trống: hệ thống tự đánh số.")
    scope_note = forms.CharField(label="Phạm vi ảnh hưởng, hiệu quả", required=False,
                                 widget=_area(2))


class UseForm(YearForm):
    kind = forms.ChoiceField(label="Dùng làm căn cứ cho",
                             choices=[("", "— Chọn —"), *UseKind.choices])
    reference = forms.CharField(label="Hồ sơ, hình thức khen thưởng", max_length=255,
                                help_text="Ví dụ: Bằng khen của Chủ tịch UBND Thành phố năm 2023.")
    year = forms.IntegerField(label="Năm")
    person = forms.TypedChoiceField(label="Tác giả được đề nghị", required=False, coerce=int,
                                    empty_value=None)

    def __init__(self, *args: Any, authors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "— Tập thể tác giả —"), *authors]  # type: ignore[attr-defined]


class CouncilForm(YearForm):
    unit = forms.ChoiceField(label="Đơn vị")
    year = forms.IntegerField(label="Năm")
    name = forms.CharField(label="Tên Hội đồng", max_length=255)
    level = forms.ChoiceField(label="Xét công nhận", choices=Level.choices, initial=Level.CO_SO)
    decision_no = forms.CharField(label="Quyết định thành lập", max_length=80, required=False)
    established_on = VNDateField(label="Ngày thành lập", required=False)

    def __init__(self, *args: Any, units: UnitOptions,
                 known: Callable[[str], bool] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "unit", units, known=known, blank="— Chọn đơn vị —")


class MemberForm(VNForm):
    person = forms.TypedChoiceField(label="Người trong danh sách", required=False, coerce=int,
                                    empty_value=None)
    full_name = forms.CharField(label="Họ và tên (nếu ngoài danh sách)", max_length=150,
                                required=False)
    position = forms.CharField(label="Chức vụ, đơn vị", max_length=255, required=False)
    role = forms.ChoiceField(label="Vai trò", choices=[("", "— Chọn —"), *Role.choices])

    def __init__(self, *args: Any, people: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "— Ghi tên —"), *people]  # type: ignore[attr-defined]
        use_picker(self.fields["person"], labels={str(k): str(v) for k, v in people},
                   fill={"name": "full_name", "position": "position"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not data.get("full_name"):
            self.add_error("full_name", "Hãy chọn một người trong danh sách hoặc ghi họ tên.")
        return data


VOTE_CHOICES = [("", "Chưa biểu quyết"), (Choice.DONG_Y.value, Choice.DONG_Y.label),
                (Choice.KHONG_DONG_Y.value, Choice.KHONG_DONG_Y.label)]
