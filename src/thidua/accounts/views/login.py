"""Login and logout. A login refused by the throttle (thidua.accounts.throttle) is a Vietnamese
429 page saying when to try again; a login whose password an administrator set goes on to the
password change page."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from thidua.accounts import selectors, throttle
from thidua.accounts.forms import LoginForm
from thidua.accounts.middleware import MUST_CHANGE_PASSWORD
from thidua.platform.web import with_query


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        now = timezone.now()
        address = throttle.client_address(request)
        # checked before the password: a throttled address learns nothing more
        retry_at = throttle.address_retry_at(address, now)
        if retry_at is not None:
            return self._throttled(request, retry_at, now, by_address=True)
        response = super().post(request, *args, **kwargs)
        if getattr(request, "axes_locked_out", False):
            # django-axes would replace the page with a bare English text; answer the same 429
            # with a Vietnamese page instead (its middleware only acts while this flag is set).
            request.axes_locked_out = False  # type: ignore[attr-defined]
            username = str(request.POST.get("username", ""))
            retry_at = throttle.account_retry_at(username, address, now) or now + throttle.window()
            return self._throttled(request, retry_at, now, by_address=False)
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # login() gives the session a new key
        if selectors.password_change_required(form.get_user()):
            self.request.session[MUST_CHANGE_PASSWORD] = True
            url = reverse("password_change")
            return HttpResponseRedirect(with_query(url, {"next": self.get_success_url()}))
        return response

    def _throttled(self, request: HttpRequest, retry_at: dt.datetime, now: dt.datetime, *,
                   by_address: bool) -> HttpResponse:
        seconds = max(1, math.ceil((retry_at - now).total_seconds()))
        response = render(request, self.template_name, {
            "locked_out": True, "by_address": by_address,
            "retry_at": timezone.localtime(retry_at), "retry_minutes": math.ceil(seconds / 60),
            "form": self.get_form_class()(request),
        }, status=429)
        response["Retry-After"] = str(seconds)
        return response


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()
