"""Account and role administration for the administrators of a subtree (and superusers).

The pages sit in the web shell rather than in accounts because they list and pick units, and
accounts lies below org; every change goes through `thidua.accounts.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts import selectors
from thidua.accounts import services as accounts
from thidua.accounts.models import Role
from thidua.accounts.permissions import ALL, require_manage_account
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.web import page_links, run_action, with_query
from thidua.web.admin_common import (
    administered_paths,
    person_name,
    unit_by_code,
    unit_known,
    unit_options,
)
from thidua.web.forms import AccountCreateForm, DeactivateForm, GrantForm, PasswordForm

PAGE_SIZE = 50
# the one-time password is shown once, on the next page, then dropped from the session
_SHOWN = "thidua_one_time_password"


def _account_or_404(request: AuthenticatedHttpRequest, pk: int) -> Any:
    try:
        return selectors.access_account(request.user, pk)
    except NotFoundError:
        raise Http404("Không tìm thấy hoặc bạn không có quyền xem.") from None


@login_required
def account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    paths = administered_paths(request.user)
    search = (request.GET.get("q") or "").strip()
    page = Paginator(selectors.accounts_for(request.user, search=search), PAGE_SIZE).get_page(
        request.GET.get("trang"))
    rows = [{"user": u, "name": person_name(u),
             "grants": [g for g in u.role_grants.all()]} for u in page.object_list]
    base = reverse("accounts:list")
    return render(request, "accounts/admin_list.html", {
        "rows": rows, "page": page, "search": search, "whole_tree": paths == ALL,
        "page_links": page_links(page, lambda n: with_query(base, {"q": search, "trang": n})),
    })


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    paths = administered_paths(request.user)
    form = AccountCreateForm(request.POST or None, units=unit_options(paths),
                             known=unit_known(paths))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user, raw = accounts.account_create(
                actor=request.user, username=d["username"], full_name=d["full_name"],
                email=d["email"], unit=unit_by_code(paths, d["unit"]), role=d["role"])
        except ApplicationError as exc:
            form.apply_error(exc)
        else:
            request.session[_SHOWN] = {"user": user.pk, "password": raw}
            messages.success(request, f"Đã tạo tài khoản «{user.username}».")
            return redirect("accounts:detail", user.pk)
    return render(request, "accounts/admin_create.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def account_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    paths = administered_paths(request.user)
    account = _account_or_404(request, pk)
    shown = request.session.pop(_SHOWN, None)
    one_time = shown["password"] if shown and shown.get("user") == account.pk else ""
    return render(request, "accounts/admin_detail.html", _detail_context(request, account, paths,
                                                                          one_time=one_time))


def _detail_context(request: AuthenticatedHttpRequest, account: Any, paths: list[str],
                    **extra: Any) -> dict[str, Any]:
    grants = list(account.role_grants.all())
    in_scope = [g for g in grants if any(g.unit.path.startswith(p) for p in paths)]
    try:
        require_manage_account(request.user, account)
        manageable = True
    except ApplicationError:
        manageable = False
    ctx: dict[str, Any] = {
        "account": account, "name": person_name(account), "grants": in_scope,
        "other_grants": len(grants) - len(in_scope), "manageable": manageable,
        "is_self": account.pk == request.user.pk,
        "grant_form": GrantForm(units=unit_options(paths), known=unit_known(paths)),
        "deactivate_form": DeactivateForm(), "password_form": PasswordForm(),
        "roles": Role,
    }
    ctx.update(extra)
    return ctx


@login_required
@require_POST
def account_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    paths = administered_paths(request.user)
    account = _account_or_404(request, pk)
    activate = request.POST.get("kich_hoat") == "1"
    form = DeactivateForm(request.POST)
    if not activate and not form.is_valid():
        return render(request, "accounts/admin_detail.html",
                      _detail_context(request, account, paths, deactivate_form=form), status=400)
    reason = form.cleaned_data.get("reason", "") if not activate else ""

    def act() -> str:
        accounts.account_set_active(actor=request.user, account=account, active=activate,
                                    reason=reason)
        return "Đã mở lại tài khoản." if activate else "Đã khóa tài khoản; lịch sử vẫn giữ tên."

    return run_action(request, act, success_url=reverse("accounts:detail", args=[pk]))


@login_required
@require_POST
def account_password(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    paths = administered_paths(request.user)
    account = _account_or_404(request, pk)
    form = PasswordForm(request.POST)
    password = form.cleaned_data.get("password", "") if form.is_valid() else ""

    def act() -> str:
        raw = accounts.account_password_reset(actor=request.user, account=account,
                                              password=password)
        if not password:
            request.session[_SHOWN] = {"user": account.pk, "password": raw}
        return "Đã đặt mật khẩu mới."

    def on_error(exc: ApplicationError) -> HttpResponse:
        form.apply_error(exc)
        return render(request, "accounts/admin_detail.html",
                      _detail_context(request, account, paths, password_form=form), status=400)

    return run_action(request, act, success_url=reverse("accounts:detail", args=[pk]),
                      on_error=on_error)


@login_required
@require_POST
def grant_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    paths = administered_paths(request.user)
    account = _account_or_404(request, pk)
    form = GrantForm(request.POST, units=unit_options(paths), known=unit_known(paths))
    if not form.is_valid():
        return render(request, "accounts/admin_detail.html",
                      _detail_context(request, account, paths, grant_form=form), status=400)
    unit = unit_by_code(paths, form.cleaned_data["unit"])
    role = form.cleaned_data["role"]

    def act() -> str:
        accounts.role_grant_create(actor=request.user, user=account, unit=unit, role=role)
        return f"Đã giao vai trò «{Role(role).label}» tại {unit.name}."

    return run_action(request, act, success_url=reverse("accounts:detail", args=[pk]))


@login_required
@require_POST
def grant_revoke(request: AuthenticatedHttpRequest, pk: int, grant_id: int) -> HttpResponse:
    administered_paths(request.user)
    try:
        grant = selectors.access_grant(request.user, grant_id)
    except NotFoundError:
        raise Http404() from None
    if grant.user_id != pk:
        raise Http404()

    def act() -> str:
        accounts.role_grant_revoke(actor=request.user, grant=grant)
        return f"Đã thu hồi vai trò «{grant.get_role_display()}» tại {grant.unit.name}."

    return run_action(request, act, success_url=reverse("accounts:detail", args=[pk]))
