"""/quan-tri/danh-muc-khen-thuong/: the award catalogue in force for administrators, with the
forms that edit it (an administrator of the whole tree only). One URL: a POST names its form in
`muc`; a refused edit comes back with its message beside the field (status 400)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from thidua.honours import catalogue
from thidua.honours.forms import BaseSalaryForm, CashRateForm, FormEndForm, QuotaForm
from thidua.honours.permissions import may_edit_catalogue, require_catalogue_reader
from thidua.honours.selectors_catalogue import catalogue_history, catalogue_page, code_choices
from thidua.honours.services.catalogue import (
    award_form_edit,
    base_salary_add,
    cash_rate_set,
    quota_edit,
)
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.forms import VNForm
from thidua.platform.text import vn_date, vn_number
from thidua.platform.web import refused, today

SECTIONS = ("muc-thuong", "luong-co-so", "ty-le", "ket-thuc")


def _forms(data: Any, which: str) -> dict[str, VNForm]:
    rates, forms, quotas = code_choices()
    bound = {s: (data if s == which else None) for s in SECTIONS}
    return {
        "muc-thuong": CashRateForm(bound["muc-thuong"], codes=rates, prefix="mt"),
        "luong-co-so": BaseSalaryForm(bound["luong-co-so"], prefix="lcs"),
        "ty-le": QuotaForm(bound["ty-le"], quotas=quotas, prefix="tl"),
        "ket-thuc": FormEndForm(bound["ket-thuc"], codes=forms, prefix="kt"),
    }


def _save(request: AuthenticatedHttpRequest, which: str, d: dict[str, Any]) -> str:
    user = request.user
    if which == "muc-thuong":
        row = cash_rate_set(actor=user, code=d["form"], recipient=d["recipient"] or "",
                            multiple=d["multiple"], valid_from=d["valid_from"],
                            valid_to=d["valid_to"], source=d["source"], note=d["note"])
        return f"Đã đặt hệ số {d['multiple']} từ {vn_date(row.valid_from)}."
    if which == "luong-co-so":
        salary = base_salary_add(actor=user, amount=d["amount"], valid_from=d["valid_from"],
                                 source=d["source"], note=d["note"])
        return (f"Đã thêm mức lương cơ sở {vn_number(salary.amount)} đồng từ "
                f"{vn_date(salary.valid_from)}.")
    if which == "ty-le":
        form_code, _, quota_code = d["quota"].partition("|")
        quota_edit(actor=user, form_code=form_code, quota_code=quota_code, value=d["value"],
                   valid_from=d["valid_from"], valid_to=d["valid_to"], source=d["source"],
                   note=d["note"])
        return "Đã đổi tỷ lệ, số lượng."
    award_form_edit(actor=user, code=d["form"], valid_from=d["form_valid_to"],
                    form_valid_to=d["form_valid_to"], source=d["source"], note=d["note"])
    return f"Hình thức hết hiệu lực từ {vn_date(d['form_valid_to'])}."


_SECTION_TEXT = (
    ("muc-thuong", "Đặt mức tiền thưởng", "Lưu mức thưởng",
     "Hệ số nhân với lương cơ sở tại ngày quyết định khen thưởng, cho một khoảng thời gian."),
    ("luong-co-so", "Thêm mức lương cơ sở", "Thêm mức lương cơ sở",
     "Mức mới áp dụng từ ngày ghi đến khi có mức sau."),
    ("ty-le", "Đổi tỷ lệ, số lượng", "Lưu giá trị", "Giá trị mới thay con số của văn bản gốc "
     "trong khoảng thời gian ghi."),
    ("ket-thuc", "Kết thúc một hình thức", "Kết thúc hình thức",
     "Từ ngày này, hình thức không còn trong danh sách khen thưởng của các cấp."),
)

# a service's field name → the field of the page's form that shows its message
_FIELD = {"ket-thuc": {"valid_from": "form_valid_to", "name": "form_valid_to"},
          "ty-le": {"form": "quota"}}


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        require_catalogue_reader(request.user)
    except NotFoundError:
        raise Http404() from None
    may_edit = may_edit_catalogue(request.user)
    if request.method == "POST" and not may_edit:
        return refused(request, PermissionDeniedError(
            "Chỉ quản trị toàn hệ thống mới sửa được danh mục khen thưởng."))
    which = request.POST.get("muc", "") if request.method == "POST" else ""
    if request.method == "POST" and which not in SECTIONS:
        which = ""
    forms = _forms(request.POST if which else None, which)
    status = 200
    if which:
        form = forms[which]
        if form.is_valid():
            try:
                message = _save(request, which, form.cleaned_data)
            except PermissionDeniedError as exc:
                return refused(request, exc)
            except ApplicationError as exc:
                field = _FIELD.get(which, {}).get(exc.field or "", exc.field)
                form.apply_error(ApplicationError(exc.message, field=field))
            else:
                messages.success(request, message)
                return redirect(reverse("honours:catalogue") + f"#{which}")
        status = 400
    day = today()
    snap = catalogue.current()
    return render(request, "honours/catalogue.html", {
        **catalogue_page(snap, day), "history": catalogue_history(snap), "day": day,
        "may_edit": may_edit, "open": which,
        "edit_forms": [{"key": key, "form": forms[key], "title": title, "button": button,
                        "help": help_} for key, title, button, help_ in _SECTION_TEXT],
    }, status=status)

