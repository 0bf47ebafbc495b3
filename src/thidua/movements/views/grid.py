"""Saving the registration grid: every line of the page becomes that person's registration, and a
refused save comes back with the lines as typed and each line's errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.movements import services
from thidua.movements.services import BulkResult, GridRow
from thidua.movements.views.registration import (
    Posted,
    registration_context,
    registration_unit_year,
)
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.text import ascii_digits
from thidua.platform.web import is_htmx, refused, with_query


def _grid_rows(post: QueryDict) -> tuple[list[int], Posted]:
    """The person ids of the posted lines, in order, and what was typed on each."""
    ids: list[int] = []
    typed: Posted = {}
    for raw in post.getlist("ids"):
        if not ascii_digits(str(raw)):
            continue
        pid = int(raw)
        ids.append(pid)
        typed[pid] = {"titles": set(post.getlist(f"t-{pid}")),
                      "commitments": post.get(f"c-{pid}", ""),
                      "pledged": bool(post.get(f"k-{pid}"))}
    return ids, typed


@login_required
@require_POST
def registration_grid_save(request: AuthenticatedHttpRequest, code: str,
                           year: int) -> HttpResponse:
    unit, year = registration_unit_year(request, code, year)
    ids, typed = _grid_rows(request.POST)
    rows = [GridRow(person_id=pid, titles=sorted(typed[pid]["titles"]),
                    commitments=typed[pid]["commitments"], pledged=typed[pid]["pledged"])
            for pid in ids]
    errors: dict[int, list[str]] = {}
    result: BulkResult | None
    try:
        result = services.registrations_grid_save(
            actor=request.user, unit=unit, year=year, rows=rows,
            late_reason=request.POST.get("late_reason", ""))
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        result = None
        messages.error(request, exc.message)
    if result is not None:
        # the service numbers the lines from 1 in the order they were posted
        for e in result.errors:
            line = ids[e.row - 1] if 0 < e.row <= len(ids) else 0
            errors.setdefault(line, []).append(e.message)
        if result.written:
            messages.success(request, result.summary())
        else:
            messages.error(request, f"Chưa lưu: {len(result.errors)} lỗi, hãy sửa các dòng được "
                                    "đánh dấu rồi lưu lại.")
    params: dict[str, Any] = {k: request.POST.get(k, "") for k in ("q", "loc", "trang")}
    failed = bool(errors) or result is None
    if is_htmx(request):
        context = registration_context(request, unit, year, grid_params=params,
                                       grid_errors=errors, posted=typed if failed else None)
        # htmx swaps only 2xx answers: the refused page comes back as 200 with its errors
        return render(request, "movements/_grid.html", context)
    if failed:
        context = registration_context(request, unit, year, grid_params=params,
                                       grid_errors=errors, posted=typed)
        return render(request, "movements/registration.html", context, status=400)
    return redirect(with_query(reverse("movements:registration", args=[unit.code, year]),
                               params) + "#bang-dang-ky")
