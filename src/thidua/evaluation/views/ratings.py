"""The way in (/danh-gia/) and the unit's year page: the ratings grid (saved whole or one row at a
time over HTMX), the figures of the year, and the ratings file import with its template."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.evaluation import selectors, services
from thidua.evaluation.forms import RATING_CHOICES, GridRow, ImportForm, grid_field
from thidua.evaluation.imports import XLSX_CONTENT_TYPE, ratings_import_file, ratings_template
from thidua.evaluation.models import Rating, RatingCode
from thidua.evaluation.views.common import (
    PAGE_SIZE,
    YEAR_PAGES,
    default_year,
    header,
    label_order,
    unit_year_or_404,
    year_url,
)
from thidua.org.models import Unit
from thidua.org.selectors import tree_roots
from thidua.people.models import Employment
from thidua.people.services.privacy import cccd_export_record, cccd_lookup_allowed
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.text import ascii_digits
from thidua.platform.web import is_htmx, page_links, refused, run_action, today, with_query
from thidua.platform.years import parse_year


@login_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Straight to the user's top unit for the likely year; a member to their own evaluation."""
    user = request.user
    roots = tree_roots(user, today())
    if roots:
        return redirect("evaluation:unit-year", roots[0].unit.code, default_year(roots[0].unit))
    own = selectors.own_person_id(user)
    if own is not None:
        return redirect("evaluation:person", own, default_year())
    raise Http404("Tài khoản của bạn chưa được giao quyền trên đơn vị nào.")


@login_required
@require_GET
def unit_home(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The header's year choice (a GET form, no script needed): ?nam=2017&trang=review goes to
    that page of that year; without a valid year, to the latest year with records."""
    unit = unit_year_or_404(request.user, code, today().year)
    year = parse_year(request.GET.get("nam")) or default_year(unit)
    page = request.GET.get("trang", "")
    return redirect(f"evaluation:{page if page in YEAR_PAGES else 'unit-year'}", unit.code, year)


def _grid_rows(employments: list[tuple[int, Employment]], ratings: dict[int, Rating],
               bound: dict[int, GridRow] | None = None) -> list[dict[str, Any]]:
    rows = []
    for n, e in employments:
        r = ratings.get(e.person_id)
        row: dict[str, Any] = {
            "n": n, "person": e.person, "unit": e.unit, "rating": r,
            "names": {f: grid_field(e.person_id, f) for f in GridRow.FIELDS},
            "values": {
                "code": r.code if r else "",
                "absence_days": r.absence_days if r else "",
                "maternity_days": r.maternity_days if r else "",
                "service_months": (r.service_months if r and r.service_months is not None
                                   else ""),
                "family_ok": ("" if r is None or r.family_ok is None
                              else "co" if r.family_ok else "khong"),
            },
            "errors": {},
        }
        if bound and e.person_id in bound:
            row["values"] = bound[e.person_id].raw
            row["errors"] = bound[e.person_id].errors
        rows.append(row)
    return rows


def _grid_page(request: AuthenticatedHttpRequest, unit: Unit, year: int) -> dict[str, Any]:
    query = (request.GET.get("q") or "").strip()[:100]
    qs = selectors.roster_search(
        unit, year, query, user=request.user,
        whole_cccd=cccd_lookup_allowed(actor=request.user, query=query))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    employments = list(enumerate(page.object_list, start=page.start_index()))
    ratings = selectors.ratings_of(year, [e.person_id for _, e in employments])
    base = reverse("evaluation:unit-year", args=[unit.code, year])

    def page_url(n: int) -> str:
        return with_query(base, {"q": query, "trang": n if n > 1 else ""})

    pages = page_links(page, page_url)
    return {
        "page": page, "query": query, "pages": pages,
        "rows": _grid_rows(employments, ratings),
        "page_url_prev": page_url(page.number - 1) if page.has_previous() else "",
        "page_url_next": page_url(page.number + 1) if page.has_next() else "",
        "return_to": page_url(page.number) + "#xep-loai",
    }


@login_required
@require_GET
def unit_year(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year)
    if context["version"] is None:
        return render(request, "evaluation/unit_year.html", context)
    context.update(_grid_page(request, unit, year))
    if is_htmx(request, "bang-xep-loai"):
        return render(request, "evaluation/_grid.html", context)
    counts = selectors.rating_counts(unit, year)
    children, own_grading = selectors.children_year(unit, year)
    labels = context["labels"]
    context.update({
        "counts": counts,
        "code_rows": [(RatingCode(c).label, counts["by_code"].get(c, 0)) for c in RatingCode],
        "rating_choices": RATING_CHOICES,
        "review": selectors.review_of(unit, year),
        "results": [(labels.get(t, t), n) for t, n in sorted(
            selectors.results_counts(unit, year).items(), key=label_order(labels))],
        "children": children,
        "own_grading": own_grading,
        "locks_below": selectors.locks_below(unit, year),
        "import_url": year_url("import", unit, year),
        "template_url": year_url("template", unit, year),
        "grading_url": year_url("grading", unit, year),
        "templates_url": year_url("grading-templates", unit, year),
    })
    return render(request, "evaluation/unit_year.html", context)


def _grid_post(request: AuthenticatedHttpRequest, year: int, only: int | None = None
               ) -> tuple[list[services.RatingRow], dict[int, GridRow]]:
    ids = []
    for key in request.POST:
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "r" and ascii_digits(parts[1]):
            ids.append(int(parts[1]))
    ids = sorted(set(ids))
    if only is not None:
        ids = [only] if only in ids else []
    bound = {pid: GridRow(request.POST, pid) for pid in ids}
    # a row left blank that has no rating yet is not a rating: saving the page skips it
    blank = {pid for pid, g in bound.items() if not any(g.raw.values())}
    if blank:
        blank -= selectors.rated_people(year, blank)
    rows = [services.RatingRow(person_id=pid, **g.values) for pid, g in bound.items()
            if not g.errors and pid not in blank]
    return rows, bound


@login_required
@require_POST
def ratings_save(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    back = request.POST.get("return_to") or ""
    if not back.startswith("/"):
        back = reverse("evaluation:unit-year", args=[unit.code, year]) + "#xep-loai"

    def save() -> str:
        rows, bound = _grid_post(request, year)
        bad = [g for g in bound.values() if g.errors]
        if bad:
            raise ApplicationError("Có ô nhập sai (số ngày, số tháng phải là số nguyên); chưa "
                                   "lưu dòng nào.")
        if not rows:
            raise ApplicationError("Không có dòng nào để lưu.")
        return services.ratings_save(actor=user, unit=unit, year=year, rows=rows).summary()

    return run_action(request, save, success_url=back)


@login_required
@require_POST
def rating_row(request: AuthenticatedHttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """HTMX: save one row of the grid and send the row back."""
    user = request.user
    unit = unit_year_or_404(user, code, year)
    rows, bound = _grid_post(request, year, only=pk)
    employment = selectors.roster_entry(unit, year, pk)
    if employment is None:
        raise Http404()
    saved, message = False, ""
    try:
        if pk not in bound:
            raise ApplicationError("Không có dữ liệu của dòng này.")
        if bound[pk].errors:
            raise ApplicationError("Có ô nhập sai; chưa lưu.")
        if not rows:
            raise ApplicationError("Dòng còn trống: chưa có gì để lưu.")
        services.ratings_save(actor=user, unit=unit, year=year, rows=rows)
        saved, message, bound = True, "Đã lưu.", {}
    except PermissionDeniedError as exc:
        if not is_htmx(request):
            return refused(request, exc)
        message = exc.message
    except ApplicationError as exc:
        message = exc.message
    ratings = selectors.ratings_of(year, [pk])
    raw_n = request.POST.get(f"r-{pk}-n") or ""
    n = int(raw_n) if ascii_digits(raw_n, 9) else 0
    row = _grid_rows([(n, employment)], ratings, bound)[0]
    context = {**header(user, unit, year), "row": row, "row_message": message,
               "row_ok": saved, "rating_choices": RATING_CHOICES}
    if not is_htmx(request):
        (messages.success if saved else messages.error)(request, message)
        return redirect(reverse("evaluation:unit-year", args=[unit.code, year]) + "#xep-loai")
    # htmx swaps 2xx only by default; a refused row is sent as 200 with its message shown
    return render(request, "evaluation/_grid_row.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year)
    result = None
    refusal = ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > int(settings.THIDUA_MAX_UPLOAD_BYTES):
                refusal = "Tệp lớn quá giới hạn cho phép."
            else:
                with tempfile.TemporaryDirectory(prefix="thidua-rating-") as folder:
                    path = Path(folder) / "upload"
                    with open(path, "wb") as out:
                        for chunk in upload.chunks():
                            out.write(chunk)
                    try:
                        result = ratings_import_file(
                            actor=user, unit=unit, year=year, path=path,
                            file_name=upload.name, dry_run=form.cleaned_data["dry_run"])
                    except NotFoundError:
                        raise Http404() from None
                    except PermissionDeniedError as exc:
                        return refused(request, exc)
                    except ApplicationError as exc:
                        refusal = exc.message
    else:
        form = ImportForm()
    context.update({"form": form, "result": result, "refusal": refusal,
                    "template_url": year_url("template", unit, year),
                    "errors": result.errors[:500] if result else []})
    return render(request, "evaluation/import.html", context)


@login_required
@require_GET
def template(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    buffer = io.BytesIO()
    try:
        rows = ratings_template(actor=user, unit=unit, year=year, target=buffer)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:unit-year", unit.code, year)
    cccd_export_record(actor=user, unit_id=unit.pk, where="evaluation:ratings-template",
                       rows=rows)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="xep-loai-{unit.code}-{year}.xlsx"')
    return response
