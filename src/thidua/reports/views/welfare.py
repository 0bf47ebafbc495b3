"""Welfare (chăm lo) of a unit's subtree in a year: the activities with their beneficiaries'
number and amount, the form that records one, an activity's beneficiaries, and the import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.web import refused, run_action
from thidua.reports import permissions, selectors, services
from thidua.reports.forms import BeneficiaryForm, WelfareForm
from thidua.reports.imports import welfare_import_file
from thidua.reports.models import WelfareActivity
from thidua.reports.services import BeneficiaryRow
from thidua.reports.views.common import (
    ImportPage,
    header,
    import_page,
    template_download,
    unit_year_or_404,
)

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def welfare(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year, "welfare")
    status = 200
    if request.method == "POST":
        form = WelfareForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["date"].year != year:
                form.add_error("date", f"Ngày phải thuộc năm {year}.")
            else:
                try:
                    activity = services.welfare_create(
                        actor=user, unit=unit, date=data["date"], occasion=data["occasion"],
                        funding=data["funding"], title=data["title"], note=data["note"])
                except NotFoundError:
                    raise Http404() from None
                except PermissionDeniedError as exc:
                    return refused(request, exc)
                except ApplicationError as exc:
                    form.apply_error(exc)
                else:
                    messages.success(request, "Đã ghi hoạt động chăm lo; hãy thêm người được "
                                              "chăm lo.")
                    return redirect(reverse("reports:welfare-detail", args=[activity.pk]))
        status = 400
    else:
        form = WelfareForm()
    page = Paginator(selectors.welfare_list(user, unit, year), PAGE_SIZE).get_page(
        request.GET.get("trang"))
    counts = selectors.welfare_counts(unit, year, year)
    context.update({"page": page, "activities": list(page.object_list), "counts": counts,
                    "form": form,
                    "import_url": reverse("reports:welfare-import", args=[unit.code, year])})
    return render(request, "reports/welfare.html", context, status=status)


def _activity_or_404(request: AuthenticatedHttpRequest, pk: int) -> WelfareActivity:
    try:
        return selectors.access_welfare(request.user, pk)
    except NotFoundError:
        raise Http404() from None


@login_required
@require_http_methods(["GET", "POST"])
def welfare_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    activity = _activity_or_404(request, pk)
    unit = activity.unit
    context = header(user, unit, activity.year, "welfare")
    status = 200
    if request.method == "POST":
        form = BeneficiaryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            person = selectors.person_by_number(unit, data["who"]) if data["who"] else None
            if data["who"] and person is None:
                form.add_error("who", f"Không có ai trong danh sách của «{unit.name}» với số "
                                      "CCCD hoặc mã đoàn viên này.")
            else:
                row = BeneficiaryRow(name=data["name"], person_id=person.pk if person else None,
                                     amount=data["amount"] or 0, gift=data["gift"],
                                     note=data["note"])
                try:
                    services.beneficiaries_add(actor=user, activity=activity, rows=[row])
                except NotFoundError:
                    raise Http404() from None
                except PermissionDeniedError as exc:
                    return refused(request, exc)
                except ApplicationError as exc:
                    form.apply_error(exc)
                else:
                    messages.success(request, "Đã thêm người được chăm lo.")
                    return redirect(reverse("reports:welfare-detail", args=[activity.pk]))
        status = 400
    else:
        form = BeneficiaryForm()
    people = list(selectors.beneficiaries_of(activity))
    context.update({"activity": activity, "people": people, "form": form,
                    "total": sum(b.amount for b in people),
                    "may_manage": permissions.may_manage(user, unit),
                    "back_url": reverse("reports:welfare", args=[unit.code, activity.year])})
    return render(request, "reports/welfare_detail.html", context, status=status)


@login_required
@require_POST
def welfare_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    activity = _activity_or_404(request, pk)
    back = reverse("reports:welfare", args=[activity.unit.code, activity.year])

    def act() -> str:
        services.welfare_delete(actor=user, activity=activity)
        return "Đã xóa hoạt động chăm lo."

    return run_action(request, act, success_url=back)


@login_required
@require_POST
def beneficiary_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        beneficiary = selectors.access_beneficiary(user, pk)
    except NotFoundError:
        raise Http404() from None
    back = reverse("reports:welfare-detail", args=[beneficiary.activity_id])

    def act() -> str:
        services.beneficiary_remove(actor=user, beneficiary=beneficiary)
        return f"Đã bỏ {beneficiary.name} khỏi danh sách."

    return run_action(request, act, success_url=back)


WELFARE_IMPORT = ImportPage(
    tab="welfare", title="Nhập danh sách chăm lo từ Excel", run=welfare_import_file,
    hint=lambda year: ("Mỗi dòng một người được chăm lo: Ngày, Dịp (8/3, 20/10, 19/11, 28/6, Tết, "
                       "ốm đau, khó khăn, khám sức khỏe, khác), Họ và tên, Số CCCD hoặc Mã đoàn "
                       "viên (để trống nếu không có trong danh sách), Số tiền, Hình thức, Nguồn "
                       "kinh phí. Các dòng cùng ngày, cùng dịp, cùng nguồn kinh phí và nội dung "
                       "thành một hoạt động. Có một dòng sai thì không ghi dòng nào."))


@login_required
@require_http_methods(["GET", "POST"])
def welfare_import(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    return import_page(request, code, year, WELFARE_IMPORT)


@login_required
@require_GET
def welfare_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    return template_download("welfare", "mau-cham-lo.xlsx")
