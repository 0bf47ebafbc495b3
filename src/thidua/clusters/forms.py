"""Forms of the cluster pages. They read and check what was typed; the services decide (a
refusal is flashed on the page the form came from, as every cluster action does)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from thidua.clusters.models import CriterionKind, Membership
from thidua.clusters.services.suy_ton import Delegate
from thidua.councils.models import Role
from thidua.platform.errors import ApplicationError
from thidua.platform.forms import VNForm


def first_error(form: forms.Form) -> ApplicationError:
    """The form's first complaint as the refusal the page flashes."""
    for field, errors in form.errors.items():
        return ApplicationError(str(errors[0]), field=None if field == "__all__" else field)
    return ApplicationError("Dữ liệu không hợp lệ.")


class CriterionEditForm(VNForm):
    """A line of the scoring sheet corrected in place (its number and group stay)."""

    name = forms.CharField(label="Nội dung tiêu chí", max_length=500)
    kind = forms.ChoiceField(label="Cách chấm", choices=CriterionKind.choices)
    # numbers typed the Vietnamese way ("1,5"): the service reads them
    max_points = forms.CharField(label="Điểm tối đa", max_length=20)
    target = forms.CharField(label="Chỉ tiêu", max_length=20, required=False)
    unit_label = forms.CharField(label="Đơn vị tính", max_length=30, required=False)


class TieOrderForm(VNForm):
    """Units still level after the issuer's rules put in order by hand: a position for each
    (1 first) and the reason."""

    reason = forms.CharField(label="Lý do", max_length=500)

    def __init__(self, *args: Any, members: Iterable[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for m in self.members:
            self.fields[f"pos_{m.pk}"] = forms.IntegerField(
                label=f"Thứ tự của {m.unit.name}", min_value=1, max_value=len(self.members))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        positions = [data.get(f"pos_{m.pk}") for m in self.members]
        if None not in positions and len(set(positions)) != len(positions):
            raise forms.ValidationError("Mỗi đơn vị một thứ tự khác nhau.")
        return data

    def order(self) -> list[int]:
        """The membership ids, first ranked first."""
        return [m.pk for m in sorted(self.members,
                                     key=lambda m: self.cleaned_data[f"pos_{m.pk}"])]


def delegates_from_text(text: str) -> list[Delegate]:
    """One delegate a line: "Họ tên; chức vụ, đơn vị"; the first line chairs the meeting."""
    out = []
    for i, line in enumerate(x for x in text.splitlines() if x.strip()):
        name, _, position = line.partition(";")
        out.append(Delegate(name.strip(), position.strip(),
                            Role.CHU_TICH if i == 0 else Role.UY_VIEN))
    return out
