"""«Mã truy cập API»: the account holder's own tokens; created (shown once), listed, revoked."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts import selectors, services
from thidua.accounts.forms import TokenCreateForm
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.web import run_action


def _page(request: AuthenticatedHttpRequest, form: TokenCreateForm, *, raw: str = "",
          status: int = 200) -> HttpResponse:
    now = timezone.now()
    rows = [{"token": t, "status": t.status_at(now),
             "usable": t.revoked_at is None and t.expires_at > now}
            for t in selectors.tokens_of(request.user)]
    return render(request, "accounts/tokens.html", {"rows": rows, "form": form, "raw": raw},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                _, raw = services.api_token_create(actor=request.user, user=request.user,
                                                   name=d["name"], scope=d["scope"],
                                                   days=d["days"])
            except ApplicationError as exc:
                form.apply_error(exc)
            else:
                # shown on this answer only: it is stored nowhere (not even in the session)
                return _page(request, TokenCreateForm(), raw=raw, status=201)
        return _page(request, form, status=400)
    return _page(request, form)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        token = selectors.access_token(request.user, pk)
    except NotFoundError:
        raise Http404() from None

    def act() -> str:
        services.api_token_revoke(actor=request.user, token=token)
        return f"Đã thu hồi mã «{token.name}»; mọi yêu cầu dùng mã này sẽ bị từ chối."

    return run_action(request, act, success_url=reverse("tokens"))
