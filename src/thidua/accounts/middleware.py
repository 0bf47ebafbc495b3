"""An account whose password an administrator set must choose its own before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from thidua.platform.web import with_query

#: Set in the session by the login view; cleared once the password is changed. A session flag,
#: not a query per request: a reset ends the account's sessions, so the next login sets it.
MUST_CHANGE_PASSWORD = "thidua_must_change_password"


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(MUST_CHANGE_PASSWORD) and request.user.is_authenticated:
            allowed = (reverse("password_change"), reverse("logout"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Hãy đổi mật khẩu (trang «Đổi mật khẩu») trước khi tiếp tục."},
                        status=403)
                return HttpResponseRedirect(with_query(reverse("password_change"),
                                                       {"next": request.get_full_path()}))
        return self.get_response(request)
