"""The titles a unit decided for the year, the corrections made to them (with reasons), and the
year lock."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thidua.evaluation import selectors, services
from thidua.evaluation.engine import title_labels
from thidua.evaluation.forms import CorrectionForm
from thidua.evaluation.models import year_end
from thidua.evaluation.views.common import (
    PAGE_SIZE,
    form_error,
    header,
    label_order,
    unit_year_or_404,
    year_url,
)
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date
from thidua.platform.web import run_action


@login_required
@require_GET
def results(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year)
    labels = context["labels"]
    title = request.GET.get("danh_hieu") or ""
    page = Paginator(selectors.results_listed(unit, year, title),
                     PAGE_SIZE).get_page(request.GET.get("trang"))
    counts = selectors.results_counts(unit, year)
    children = selectors.child_units(unit, year) if context["version"] else []
    context.update({
        "page": page, "title": title,
        "rows": [{"r": r, "label": labels.get(r.title, r.title),
                  "subject": services.subject_name(r),
                  "person_url": reverse("evaluation:person", args=[r.person_id, year])
                  if r.person_id else ""} for r in page.object_list],
        "counts": [{"code": t, "label": labels.get(t, t), "n": n,
                    "url": year_url("results", unit, year, danh_hieu=t)}
                   for t, n in sorted(counts.items(), key=label_order(labels))],
        "page_prev": year_url("results", unit, year, danh_hieu=title,
                              trang=page.number - 1) if page.has_previous() else "",
        "page_next": year_url("results", unit, year, danh_hieu=title,
                              trang=page.number + 1) if page.has_next() else "",
        "corrections": list(selectors.corrections_of(unit, year)[:50]),
        "correction_form": CorrectionForm(units=[(str(c.pk), c.name) for c in children],
                                          titles=list(labels.items())),
        "correct_url": year_url("correct", unit, year),
        "lock_url": year_url("lock", unit, year),
    })
    return render(request, "evaluation/results.html", context)


@login_required
@require_POST
def correct(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    labels = title_labels()

    def fix() -> str:
        children = selectors.child_units(unit, year)
        form = CorrectionForm(request.POST, units=[(str(c.pk), c.name) for c in children],
                              titles=list(labels.items()))
        if not form.is_valid():
            raise form_error(form)
        data = form.cleaned_data
        person = selectors.find_on_roster(unit, year, data["who"]) if data["who"] else None
        if data["who"] and person is None:
            raise ApplicationError("Không có ai với số CCCD hoặc mã đoàn viên này trong danh "
                                   f"sách của đơn vị ngày {vn_date(year_end(year))}.")
        subject = next((c for c in children if str(c.pk) == data["unit"]), None)
        if data["action"] == "rating":
            if person is None:
                raise ApplicationError("Sửa xếp loại cần số CCCD hoặc mã đoàn viên.")
            services.rating_correct(actor=user, unit=unit, year=year, person=person,
                                    code=data["code"], reason=data["reason"])
            return f"Đã đính chính xếp loại của {person.full_name}."
        if not data["title"]:
            raise ApplicationError("Hãy chọn danh hiệu.")
        services.title_correct(actor=user, unit=unit, year=year, title=data["title"],
                               action=data["action"], reason=data["reason"], person=person,
                               subject_unit=None if person else subject)
        verb = "bổ sung" if data["action"] == "add" else "hủy"
        return f"Đã {verb} danh hiệu «{labels.get(data['title'], data['title'])}»."

    return run_action(request, fix, success_url=year_url("results", unit, year) + "#dinh-chinh")


@login_required
@require_POST
def lock(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)

    def close() -> str:
        services.year_lock(actor=user, unit=unit, year=year,
                           note=request.POST.get("note") or "")
        return f"Đã khóa số liệu năm {year}."

    return run_action(request, close, success_url=reverse(
        "evaluation:unit-year", args=[unit.code, year]))
