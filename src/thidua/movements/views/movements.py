"""The movements pages: the list, launching a movement, a movement with its plans and their
coverage, its documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.movements import services
from thidua.movements.catalogue import STANDARD_MOVEMENTS
from thidua.movements.forms import AttachmentForm, MovementForm
from thidua.movements.models import Movement
from thidua.movements.permissions import can_manage, managed_paths
from thidua.movements.selectors import (
    access_attachment,
    access_movement,
    attachments_of,
    calendar_for,
    movement_plans,
    movement_rows,
    pending_for_user,
    plan_coverage,
)
from thidua.movements.views.common import (
    AUDIENCE_LABELS,
    PAGE_SIZE,
    form_action,
    is_managed,
    limited_upload,
    managed_unit_options,
    managed_units_under,
    paged,
    too_big,
)
from thidua.org.selectors import access_unit
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.files import attachment_response, max_bytes
from thidua.platform.text import ascii_digits
from thidua.platform.web import refused, today, with_query


@login_required
@require_GET
def movement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    year_raw = (request.GET.get("nam") or "").strip()
    year = int(year_raw) if ascii_digits(year_raw, 4) else None
    query = (request.GET.get("q") or "").strip()[:100]
    page = paged(request, movement_rows(user, year=year, query=query), PAGE_SIZE)
    pending = list(pending_for_user(user)[:20])
    base = {"nam": year or "", "q": query}
    return render(request, "movements/list.html", {
        "page": page, "year": year, "query": query, "pending": pending,
        "can_create": bool(managed_paths(user)),
        "audiences": AUDIENCE_LABELS,
        "prev_url": with_query(reverse("movements:list"), {**base, "trang": page.number - 1})
        if page.has_previous() else "",
        "next_url": with_query(reverse("movements:list"), {**base, "trang": page.number + 1})
        if page.has_next() else "",
    })


@limited_upload
@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    units = managed_unit_options(user)
    if not units.choices:
        return refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên một đơn vị để phát động phong trào."))
    known = is_managed(user)
    if request.method == "POST":
        if (refusal := too_big(request)) is not None:
            return refusal
        form = MovementForm(request.POST, request.FILES, units=units, known=known)
        try:
            if form.is_valid():
                data = form.cleaned_data
                launched = services.movement_launch(
                    actor=user, issuer=access_unit(user, data["issuer"]), name=data["name"],
                    catalogue_code=data["catalogue_code"], start_date=data["start_date"],
                    end_date=data["end_date"], code=data["code"], audience=data["audience"],
                    content=data["content"], upload=data.get("file") or None)
                if launched.attachment_error:
                    messages.warning(request, f"Đã tạo phong trào, nhưng chưa đính kèm được "
                                              f"tài liệu: {launched.attachment_error}")
                movement = launched.movement
                messages.success(request, f"Đã phát động phong trào «{movement.name}».")
                return redirect("movements:detail", movement.pk)
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except ApplicationError as exc:
            form.apply_error(exc)
        status = 400
    else:
        code = (request.GET.get("don_vi") or "").strip().upper()
        start = dt.date(today().year, 1, 1)
        form = MovementForm(units=units, known=known, initial={
            "issuer": code if code and known(code) else units.choices[0][0],
            "catalogue_code": request.GET.get("danh_muc", ""),
            "start_date": start, "end_date": dt.date(start.year, 12, 31)})
        status = 200
    return render(request, "movements/create.html", {
        "form": form, "standards": STANDARD_MOVEMENTS, "audiences": AUDIENCE_LABELS,
        "max_size": max_bytes() // (1024 * 1024)}, status=status)


def _movement_context(request: AuthenticatedHttpRequest, movement: Movement,
                      attach_form: AttachmentForm | None = None) -> dict[str, Any]:
    user = request.user
    rows = [{"plan": p, "coverage": plan_coverage(p, user)}
            for p in movement_plans(user, movement)]
    is_officer = can_manage(user, movement.issuer.path)
    return {
        "movement": movement,
        "calendar_label": calendar_for(movement.issuer).label(movement.year),
        "audience": AUDIENCE_LABELS.get(movement.audience, ""),
        "attachments": attachments_of(movement),
        "plans": rows,
        "is_officer": is_officer,
        "can_plan": managed_units_under(user, movement.issuer.path).exists(),
        "attach_form": attach_form or (AttachmentForm() if is_officer else None),
    }


@login_required
@require_GET
def movement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    movement = access_movement(request.user, pk)
    return render(request, "movements/detail.html", _movement_context(request, movement))


@limited_upload
@login_required
@require_POST
def movement_attach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    movement = access_movement(user, pk)
    if (refusal := too_big(request)) is not None:
        return refusal
    form = AttachmentForm(request.POST, request.FILES)

    def attach() -> str:
        att = services.attachment_add(actor=user, movement=movement,
                                      upload=form.cleaned_data["file"])
        return f"Đã đính kèm «{att.original_name}»."

    return form_action(
        request, form, attach, success_url=reverse("movements:detail", args=[movement.pk]),
        page=lambda: render(request, "movements/detail.html",
                            _movement_context(request, movement, form), status=400))


@login_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    att = access_attachment(request.user, pk)
    return attachment_response(att.file, filename=att.original_name, kind=att.kind)
