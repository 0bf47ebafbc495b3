"""Party development of a unit's subtree in a year: members introduced or admitted, the form
that records an introduction, the admission date, and the import."""

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
from thidua.reports import selectors, services
from thidua.reports.forms import AdmitForm, PartyForm
from thidua.reports.imports import party_import_file
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
def party(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year, "party")
    status = 200
    if request.method == "POST":
        form = PartyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            person = selectors.person_by_number(unit, data["who"])
            if person is None:
                form.add_error("who", f"Không có ai trong danh sách của «{unit.name}» với số "
                                      "CCCD hoặc mã đoàn viên này.")
            else:
                try:
                    services.party_candidate_create(
                        actor=user, unit=unit, person_id=person.pk,
                        introduced_on=data["introduced_on"], admitted_on=data["admitted_on"],
                        note=data["note"])
                except NotFoundError:
                    raise Http404() from None
                except PermissionDeniedError as exc:
                    return refused(request, exc)
                except ApplicationError as exc:
                    form.apply_error(exc)
                else:
                    messages.success(request, f"Đã ghi giới thiệu {person.full_name}.")
                    return redirect(reverse("reports:party", args=[unit.code, year]))
        status = 400
    else:
        form = PartyForm()
    page = Paginator(selectors.party_list(user, unit, year), PAGE_SIZE).get_page(
        request.GET.get("trang"))
    counts = selectors.party_counts(unit, year, year)
    context.update({"page": page, "candidates": list(page.object_list), "counts": counts,
                    "form": form,
                    "import_url": reverse("reports:party-import", args=[unit.code, year])})
    return render(request, "reports/party.html", context, status=status)


@login_required
@require_POST
def party_admit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record (or correct, or clear) a candidate's admission date."""
    user = request.user
    try:
        candidate = selectors.access_party_candidate(user, pk)
    except NotFoundError:
        raise Http404() from None
    back = reverse("reports:party", args=[candidate.unit.code, candidate.introduced_on.year])
    form = AdmitForm(request.POST)

    def act() -> str:
        if not form.is_valid():
            raise ApplicationError(str(next(iter(form.errors.values()))[0]))
        services.party_candidate_update(actor=user, candidate=candidate,
                                        admitted_on=form.cleaned_data["admitted_on"],
                                        note=form.cleaned_data["note"] or candidate.note)
        return f"Đã lưu ngày kết nạp của {candidate.person.full_name}."

    return run_action(request, act, success_url=back)


@login_required
@require_POST
def party_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        candidate = selectors.access_party_candidate(user, pk)
    except NotFoundError:
        raise Http404() from None
    back = reverse("reports:party", args=[candidate.unit.code, candidate.introduced_on.year])

    def act() -> str:
        services.party_candidate_delete(actor=user, candidate=candidate)
        return "Đã xóa dòng giới thiệu."

    return run_action(request, act, success_url=back)


PARTY_IMPORT = ImportPage(
    tab="party", title="Nhập danh sách giới thiệu, kết nạp Đảng từ Excel",
    run=lambda *, year, **kw: party_import_file(**kw),
    hint=lambda year: ("Mỗi dòng một đoàn viên, nhận ra bằng Số CCCD hoặc Mã đoàn viên: Ngày giới "
                       "thiệu, Ngày kết nạp (để trống khi chưa kết nạp). Người đã có cùng ngày giới "
                       "thiệu thì được cập nhật, không ghi thêm. Có một dòng sai thì không ghi dòng "
                       "nào."))


@login_required
@require_http_methods(["GET", "POST"])
def party_import(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    return import_page(request, code, year, PARTY_IMPORT)


@login_required
@require_GET
def party_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    return template_download("party", "mau-phat-trien-dang.xlsx")
