"""The plans pages: the list, issuing a plan, a plan with its coverage and the units still to
act, deploying it further, and each receiving unit's acknowledgement and launch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.movements import services
from thidua.movements.catalogue import UNIT_TYPE_NOUNS
from thidua.movements.forms import AcknowledgeForm, DeployForm, LaunchForm, PlanForm
from thidua.movements.models import Deployment, Plan
from thidua.movements.permissions import can_manage, managed_paths, manages_below
from thidua.movements.selectors import (
    access_deployment,
    access_movement,
    access_plan,
    attachments_of,
    pending_for_user,
    plan_coverage,
    plan_deployments,
    plan_movement_options,
    plan_movements,
    plan_pending,
    plan_rows,
    unit_types_below,
)
from thidua.movements.views.common import (
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
from thidua.platform.forms import VNForm
from thidua.platform.text import ascii_digits
from thidua.platform.web import refused, run_action, today, with_query

PENDING_LIMIT = 200
DEPLOYMENTS_PAGE_SIZE = 50


@login_required
@require_GET
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    page = paged(request, plan_rows(user), PAGE_SIZE)
    return render(request, "movements/plans.html", {
        "page": page,
        "pending": list(pending_for_user(user)[:50]),
        "prev_url": with_query(reverse("movements:plans"), {"trang": page.number - 1})
        if page.has_previous() else "",
        "next_url": with_query(reverse("movements:plans"), {"trang": page.number + 1})
        if page.has_next() else "",
    })


@limited_upload
@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    units = managed_unit_options(user)
    if not units.choices:
        return refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên một đơn vị để ban hành kế hoạch."))
    known = is_managed(user)
    choices = [(str(m.pk), f"{m.name} ({m.year}, {m.issuer.short_name or m.issuer.name})")
               for m in plan_movement_options(user)]
    levels = unit_types_below(managed_paths(user))
    if request.method == "POST":
        if (refusal := too_big(request)) is not None:
            return refusal
        form = PlanForm(request.POST, request.FILES, units=units, known=known,
                        movements=choices, levels=levels)
        try:
            if form.is_valid():
                data = form.cleaned_data
                issued = services.plan_issue(
                    actor=user, issuer=access_unit(user, data["issuer"]), number=data["number"],
                    date=data["date"], title=data["title"],
                    movements=[access_movement(user, int(pk))
                               for pk in data["movements"]],
                    deadline=data["deadline"], levels=data["levels"],
                    upload=data.get("file") or None)
                if issued.reached is not None:
                    messages.success(request, f"Đã ban hành kế hoạch và triển khai tới "
                                              f"{issued.reached} đơn vị.")
                else:
                    messages.success(request, "Đã ban hành kế hoạch; hãy chọn cấp đơn vị để "
                                              "triển khai.")
                if issued.attachment_error:
                    messages.warning(request,
                                     f"Chưa đính kèm được văn bản: {issued.attachment_error}")
                return redirect("movements:plan", issued.plan.pk)
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except ApplicationError as exc:
            form.apply_error(exc)
        status = 400
    else:
        initial: dict[str, Any] = {"issuer": units.choices[0][0], "date": today()}
        movement_id = request.GET.get("phong_trao", "")
        if ascii_digits(movement_id) and movement_id in dict(choices):
            initial["movements"] = [movement_id]
            movement = access_movement(user, int(movement_id))
            initial["title"] = f"Kế hoạch triển khai phong trào thi đua «{movement.name}»"
            own = managed_units_under(user, movement.issuer.path).order_by("path").first()
            if own is not None:
                initial["issuer"] = own.code
        form = PlanForm(units=units, known=known, movements=choices, initial=initial,
                        levels=levels)
        status = 200
    return render(request, "movements/plan_create.html", {"form": form}, status=status)


def _plan_context(request: AuthenticatedHttpRequest, plan: Plan,
                  deploy_form: DeployForm | None = None) -> dict[str, Any]:
    user = request.user
    page = paged(request, plan_deployments(user, plan), DEPLOYMENTS_PAGE_SIZE)
    officer_paths = managed_paths(user)
    rows = [{"d": d, "can_act": manages_below(officer_paths, d.unit.path)}
            for d in page.object_list]
    is_issuer_officer = can_manage(user, plan.issuer.path)
    return {
        "plan": plan,
        "movements": plan_movements(plan),
        "attachments": attachments_of(plan),
        "coverage": plan_coverage(plan, user),
        "rows": rows,
        "page": page,
        "not_ack": plan_pending(plan, user, step="acknowledge", limit=PENDING_LIMIT),
        "not_launched": plan_pending(plan, user, step="launch", limit=PENDING_LIMIT),
        "overdue": plan.deadline is not None and today() > plan.deadline,
        "is_issuer_officer": is_issuer_officer,
        "deploy_form": deploy_form or (DeployForm(initial={"levels": plan.levels},
                                                  levels=unit_types_below([plan.issuer.path]))
                                       if is_issuer_officer else None),
        "launch_today": today(),
        "levels_text": ", ".join(UNIT_TYPE_NOUNS.get(t, t) for t in plan.levels or []),
        "prev_url": with_query(reverse("movements:plan", args=[plan.pk]),
                               {"trang": page.number - 1}) if page.has_previous() else "",
        "next_url": with_query(reverse("movements:plan", args=[plan.pk]),
                               {"trang": page.number + 1}) if page.has_next() else "",
    }


@login_required
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    return render(request, "movements/plan.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_deploy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = access_plan(user, pk)
    form = DeployForm(request.POST, levels=unit_types_below([plan.issuer.path]))

    def deploy() -> str:
        n = services.plan_deploy(actor=user, plan=plan, levels=form.cleaned_data["levels"])
        return (f"Đã triển khai tới {n} đơn vị mới." if n else
                "Mọi đơn vị thuộc các cấp đã chọn đều đã nhận kế hoạch.")

    return form_action(
        request, form, deploy, success_url=reverse("movements:plan", args=[plan.pk]),
        page=lambda: render(request, "movements/plan.html", _plan_context(request, plan, form),
                            status=400))


def _deployment_action(request: AuthenticatedHttpRequest, pk: int, form: VNForm,
                       action: Callable[[Deployment], str]) -> HttpResponse:
    dep = access_deployment(request.user, pk)

    def run() -> str:
        if not form.is_valid():
            raise ApplicationError(" ".join(str(e) for errs in form.errors.values()
                                            for e in errs))
        return action(dep)

    def show(exc: ApplicationError) -> HttpResponse:
        # the refusal is shown on the plan's page, next to the unit's row
        context = _plan_context(request, access_plan(request.user, dep.plan_id))
        context["action_error"] = f"«{dep.unit.name}»: {exc.message}"
        return render(request, "movements/plan.html", context, status=400)

    return run_action(request, run, on_error=show,
                      success_url=reverse("movements:plan", args=[dep.plan_id]) + "#don-vi")


@login_required
@require_POST
def deployment_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = AcknowledgeForm(request.POST)

    def run(dep: Deployment) -> str:
        services.deployment_acknowledge(actor=request.user, deployment=dep,
                                        note=form.cleaned_data["note"])
        return f"«{dep.unit.name}» đã tiếp nhận kế hoạch."

    return _deployment_action(request, pk, form, run)


@login_required
@require_POST
def deployment_launch(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = LaunchForm(request.POST)

    def run(dep: Deployment) -> str:
        services.deployment_launch(actor=request.user, deployment=dep,
                                   launched_on=form.cleaned_data["launched_on"],
                                   note=form.cleaned_data["note"])
        return f"Đã ghi nhận «{dep.unit.name}» phát động phong trào."

    return _deployment_action(request, pk, form, run)
