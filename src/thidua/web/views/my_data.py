"""A member downloads everything the system holds about them (JSON or .xlsx)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import NotFoundError
from thidua.web.services.my_data import member_data_export


@login_required
@require_GET
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    fmt = "xlsx" if request.GET.get("dinh_dang") == "xlsx" else "json"
    try:
        name, content_type, body = member_data_export(actor=request.user, fmt=fmt)
    except NotFoundError:
        return render(request, "people/refused.html", {
            "message": "Tài khoản của bạn chưa gắn với hồ sơ người lao động nào, nên không có "
                       "dữ liệu cá nhân để tải."}, status=404)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
