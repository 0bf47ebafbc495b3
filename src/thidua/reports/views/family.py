"""The families of a unit's workers recognised "Gia đình văn hóa" in a year: the list, the form
that adds one, and the import."""

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
from thidua.reports.forms import FamilyForm
from thidua.reports.imports import family_import_file
from thidua.reports.views.common import (
    ImportPage,
    header,
    import_page,
    template_download,
    unit_year_or_404,
)

PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def family(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year, "family")
    status = 200
    if request.method == "POST":
        form = FamilyForm(request.POST)
        if form.is_valid():
            person = selectors.person_by_number(unit, form.cleaned_data["who"])
            if person is None:
                form.add_error("who", f"Không có ai trong danh sách của «{unit.name}» với số "
                                      "CCCD hoặc mã đoàn viên này.")
            else:
                try:
                    services.family_title_set(actor=user, unit=unit, person_id=person.pk,
                                              year=year, note=form.cleaned_data["note"])
                except NotFoundError:
                    raise Http404() from None
                except PermissionDeniedError as exc:
                    return refused(request, exc)
                except ApplicationError as exc:
                    form.apply_error(exc)
                else:
                    messages.success(request, f"Đã ghi gia đình {person.full_name} đạt «Gia đình "
                                              "văn hóa».")
                    return redirect(reverse("reports:family", args=[unit.code, year]))
        status = 400
    else:
        form = FamilyForm()
    page = Paginator(selectors.family_titles_list(user, unit, year), PAGE_SIZE).get_page(
        request.GET.get("trang"))
    context.update({"page": page, "rows": list(page.object_list), "form": form,
                    "import_url": reverse("reports:family-import", args=[unit.code, year])})
    return render(request, "reports/family.html", context, status=status)


@login_required
@require_POST
def family_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        title = selectors.access_family_title(user, pk)
    except NotFoundError:
        raise Http404() from None
    back = reverse("reports:family", args=[title.unit.code, title.year])

    def act() -> str:
        services.family_title_delete(actor=user, title=title)
        return "Đã bỏ dòng «Gia đình văn hóa»."

    return run_action(request, act, success_url=back)


FAMILY_IMPORT = ImportPage(
    tab="family", title="Nhập danh sách «Gia đình văn hóa» từ Excel", run=family_import_file,
    hint=lambda year: (f"Mỗi dòng một người lao động có gia đình được công nhận «Gia đình văn hóa» "
                       f"năm {year}, nhận ra bằng Số CCCD hoặc Mã đoàn viên. Người đã được ghi thì "
                       "giữ nguyên. Có một dòng sai thì không ghi dòng nào."))


@login_required
@require_http_methods(["GET", "POST"])
def family_import(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    return import_page(request, code, year, FAMILY_IMPORT)


@login_required
@require_GET
def family_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    return template_download("family", "mau-gia-dinh-van-hoa.xlsx")
