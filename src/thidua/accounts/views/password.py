"""The account holder changes their own password (the account menu, or forced after a reset)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from thidua.accounts import services
from thidua.accounts.forms import PasswordChangeForm
from thidua.accounts.middleware import MUST_CHANGE_PASSWORD
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError


def _next_url(request: AuthenticatedHttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                         require_https=request.is_secure())
    return url if ok else ""


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.password_change(actor=request.user, old_password=d["old_password"],
                                     new_password=d["new_password1"])
        except ApplicationError as exc:
            form.apply_error(exc)
        else:
            # this browser stays logged in; the account's other sessions end
            update_session_auth_hash(request, request.user)
            request.session.pop(MUST_CHANGE_PASSWORD, None)
            messages.success(request, "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản "
                                      "này đã được đăng xuất.")
            return redirect(_next_url(request) or "home")
    return render(request, "accounts/password_change.html", {
        "form": form, "required": bool(request.session.get(MUST_CHANGE_PASSWORD)),
        "next": _next_url(request),
    }, status=400 if request.method == "POST" else 200)
