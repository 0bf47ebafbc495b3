"""Forms of the evaluation pages: they read and check what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from thidua.councils.models import BASIC_ROLES, Choice
from thidua.evaluation.models import (
    DisciplineForm,
    InitiativeLevel,
    PendingKind,
    RatingCode,
)
from thidua.people.models import Person
from thidua.people.picker import use_picker
from thidua.platform.errors import ApplicationError
from thidua.platform.forms import VNDateField, VNForm, VNTimeField
from thidua.platform.text import ascii_digits
from thidua.platform.years import check_year

RATING_CHOICES = [("", "— Chưa xếp loại —"), *RatingCode.choices]


def grid_field(person_id: int, name: str) -> str:
    """Input names of the ratings grid: one set per person ("r-12-code")."""
    return f"r-{person_id}-{name}"


class GridRow:
    """One person's inputs of the ratings grid, read from POST data."""

    FIELDS = ("code", "absence_days", "maternity_days", "service_months", "family_ok")
    FAMILY = {"": None, "co": True, "khong": False}

    def __init__(self, data: Any, person_id: int) -> None:
        self.person_id = person_id
        self.raw = {f: (data.get(grid_field(person_id, f)) or "").strip() for f in self.FIELDS}
        self.errors: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        code = self.raw["code"]
        if code and code not in RatingCode.values:
            self.errors["code"] = "Xếp loại không hợp lệ."
        self.values["code"] = code
        if self.raw["family_ok"] not in self.FAMILY:
            self.errors["family_ok"] = "Đảm việc nhà: có, không hoặc để trống."
        self.values["family_ok"] = self.FAMILY.get(self.raw["family_ok"])
        for f, blank in (("absence_days", 0), ("maternity_days", 0), ("service_months", None)):
            text = self.raw[f]
            if not text:
                self.values[f] = blank
            elif ascii_digits(text, 9):
                self.values[f] = int(text)
            else:
                self.errors[f] = "Phải là số nguyên không âm."


class ImportForm(VNForm):
    file = forms.FileField(label="Tệp Excel (.xlsx) hoặc CSV")
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, chưa ghi dữ liệu", required=False)


class ReasonForm(VNForm):
    reason = forms.CharField(label="Lý do", max_length=2000, widget=forms.Textarea(
        attrs={"rows": 2}))


def _who_from_picker(data: dict[str, Any]) -> None:
    """The person picker gives an id; the views find people on the roster by `who` (CCCD or
    member code), which keeps them inside the unit's roster whatever id is posted."""
    if data.get("person") and not data.get("who"):
        found = Person.objects.filter(pk=data["person"]).values_list("member_code", "cccd").first()
        data["who"] = (found[0] or found[1] or "") if found else ""


class CandidatePersonForm(VNForm):
    person = forms.IntegerField(label="Người trong danh sách", required=False)
    who = forms.CharField(label="Hoặc số CCCD, mã đoàn viên", max_length=20, required=False)
    title = forms.ChoiceField(label="Danh hiệu")
    reason = forms.CharField(label="Lý do bổ sung", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, titles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = titles  # type: ignore[attr-defined]
        use_picker(self.fields["person"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _who_from_picker(data)
        if not data.get("who"):
            self.add_error("person", "Hãy chọn một người trong danh sách (gõ họ tên để tìm).")
        return data


class CandidateUnitForm(VNForm):
    unit = forms.ChoiceField(label="Tập thể")
    title = forms.ChoiceField(label="Danh hiệu")
    reason = forms.CharField(label="Lý do bổ sung", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: list[tuple[str, str]], titles: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["title"].choices = titles  # type: ignore[attr-defined]


class CouncilMemberForm(VNForm):
    person = forms.IntegerField(label="Người trong danh sách", required=False)
    who = forms.CharField(label="Hoặc số CCCD, mã đoàn viên", max_length=20, required=False)
    name = forms.CharField(label="Họ và tên (nếu không có trong danh sách)", max_length=150,
                           required=False)
    position = forms.CharField(label="Chức vụ", max_length=150, required=False)
    role = forms.ChoiceField(label="Vai trò trong Hội đồng",
                             choices=[(r.value, r.label) for r in BASIC_ROLES])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_picker(self.fields["person"], fill={"name": "name", "position": "position"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _who_from_picker(data)
        if not data.get("who") and not data.get("name"):
            self.add_error("name", "Hãy ghi số CCCD, mã đoàn viên hoặc họ tên.")
        return data


class MeetingForm(VNForm):
    meeting_date = VNDateField(label="Ngày họp", required=False)
    meeting_time = VNTimeField(label="Giờ bắt đầu", required=False)
    meeting_end_time = VNTimeField(label="Giờ kết thúc", required=False,
                                   help_text="Ghi sau cuộc họp; biên bản ghi giờ kết thúc.")
    meeting_place = forms.CharField(label="Địa điểm họp", max_length=255, required=False)
    place_name = forms.CharField(label="Địa danh ghi trên biên bản", max_length=80,
                                 required=False, initial="Hà Nội")


class VotesFillForm(VNForm):
    member = forms.ChoiceField(label="Thành viên Hội đồng")
    choice = forms.ChoiceField(label="Phiếu", choices=Choice.choices)
    title = forms.ChoiceField(label="Danh hiệu", required=False)

    def __init__(self, *args: Any, members: list[tuple[str, str]],
                 titles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members  # type: ignore[attr-defined]
        self.fields["title"].choices = [("", "Mọi danh hiệu"), *titles]  # type: ignore[attr-defined]


class CorrectionForm(VNForm):
    action = forms.ChoiceField(label="Đính chính", choices=[
        ("add", "Bổ sung danh hiệu"), ("revoke", "Hủy danh hiệu"),
        ("rating", "Sửa xếp loại")])
    who = forms.CharField(label="Số CCCD hoặc mã đoàn viên", max_length=20, required=False)
    unit = forms.ChoiceField(label="hoặc tập thể", required=False)
    title = forms.ChoiceField(label="Danh hiệu", required=False)
    code = forms.ChoiceField(label="Xếp loại mới", choices=RATING_CHOICES, required=False)
    reason = forms.CharField(label="Lý do đính chính", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: list[tuple[str, str]], titles: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *units]  # type: ignore[attr-defined]
        self.fields["title"].choices = [("", "—"), *titles]  # type: ignore[attr-defined]


class DisciplineFormForm(VNForm):
    form = forms.ChoiceField(label="Hình thức kỷ luật", choices=DisciplineForm.choices)
    valid_from = VNDateField(label="Có hiệu lực từ ngày")
    valid_to = VNDateField(label="Đến ngày (không tính ngày này)", required=False)
    decision = forms.CharField(label="Số quyết định", max_length=80, required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)


class PendingMatterForm(VNForm):
    kind = forms.ChoiceField(label="Việc đang xem xét", choices=PendingKind.choices)
    valid_from = VNDateField(label="Từ ngày")
    valid_to = VNDateField(label="Kết thúc ngày (để trống khi chưa kết thúc)", required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)


class InitiativeForm(VNForm):
    name = forms.CharField(label="Tên sáng kiến", max_length=255)
    year = forms.IntegerField(label="Năm công nhận")
    level = forms.ChoiceField(label="Cấp công nhận", choices=InitiativeLevel.choices)
    decision = forms.CharField(label="Quyết định công nhận", max_length=120, required=False)

    def clean_year(self) -> int:
        try:
            return check_year(self.cleaned_data["year"], what="Năm công nhận")
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None


class GradingTemplateForm(VNForm):
    name = forms.CharField(label="Tên bảng chấm điểm", max_length=255)
    scale = forms.ChoiceField(label="Thang xếp loại", choices=[
        ("moi", "Thang mới: HTXSNV, HTTNV, HTNV, KHTNV"),
        ("cu", "Thang cũ: vững mạnh, khá, trung bình, yếu")])
    criteria = forms.CharField(
        label="Tiêu chí (mỗi dòng: mã | nhóm | nội dung | điểm tối đa)",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ví dụ: C1 | Đại diện, bảo vệ quyền lợi | Tổ chức hội nghị người lao động | 20")
    thresholds = forms.CharField(
        label="Mức xếp loại, từ cao xuống thấp (mỗi dòng: mức | điểm tối thiểu | tỷ lệ tối "
              "thiểu mỗi tiêu chí)",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mức: HTXSNV, HTTNV, HTNV, KHTNV hoặc vung_manh, kha, trung_binh, yeu. "
                  "Ví dụ thang cũ: vung_manh | 85 | 0,5")
    source = forms.CharField(label="Căn cứ (văn bản hướng dẫn)", max_length=255, required=False)
    confidence = forms.ChoiceField(label="Mức tin cậy của căn cứ", choices=[
        ("C", "C — đã đối chiếu văn bản"), ("L", "L — nhiều khả năng đúng"),
        ("G", "G — giả định")], initial="G")

    def parsed_criteria(self) -> list[tuple[str, str, str, str]]:
        rows = []
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4:
                raise forms.ValidationError(
                    f"Dòng {n} của tiêu chí cần 4 phần ngăn bởi dấu |.")
            rows.append((parts[0], parts[1], parts[2], parts[3]))
        return rows

    def parsed_thresholds(self) -> list[dict[str, str]]:
        rows = []
        for n, line in enumerate(self.cleaned_data["thresholds"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) not in (2, 3):
                raise forms.ValidationError(
                    f"Dòng {n} của mức xếp loại cần 2 hoặc 3 phần ngăn bởi dấu |.")
            rows.append({"label": parts[0], "min_points": parts[1],
                         "min_criterion_share": parts[2] if len(parts) == 3 else "0"})
        return rows
