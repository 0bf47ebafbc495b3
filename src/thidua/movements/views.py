"""Pages of movements, plans and registration. Lists go through the scoped selectors, objects
through the access functions (404 for missing and out-of-scope alike), changes through the
services."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.models import Role
from thidua.movements import services
from thidua.movements.catalogue import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    STANDARD_MOVEMENTS,
    TITLE_BY_CODE,
    UNIT_TYPE_NOUNS,
    Audience,
    title_name,
)
from thidua.movements.forms import (
    AcknowledgeForm,
    AttachmentForm,
    DeployForm,
    ImportForm,
    LaunchForm,
    MovementForm,
    PlanForm,
    RuleForm,
    SelfRegistrationForm,
    UnitRegistrationForm,
    YearSettingForm,
)
from thidua.movements.imports import (
    XLSX_CONTENT_TYPE,
    registration_import_file,
    registration_template,
)
from thidua.movements.models import Deployment, Movement, Plan, Registration, RegistrationRule
from thidua.movements.selectors import (
    RuleBook,
    access_attachment,
    access_deployment,
    access_movement,
    access_plan,
    movements_for,
    own_year_setting,
    pending_for_user,
    plan_coverage,
    plans_for,
    registration_progress,
    registrations_by_person,
    unit_registration,
    visible_deployments,
)
from thidua.movements.services import Mode, RegistrationInput, home_unit_of
from thidua.org.models import Unit, UnitVersion
from thidua.org.permissions import can, has_any_grant, path_q, scope_paths
from thidua.org.selectors import access_unit, units_for
from thidua.people.models import Gender, Person
from thidua.people.selectors import roster
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.files import CONTENT_TYPES, max_bytes
from thidua.platform.forms import unit_choices
from thidua.platform.text import vn_date
from thidua.platform.uploads import MULTIPART_ALLOWANCE, LimitedUpload
from thidua.platform.web import is_htmx, run_action, today, with_query

PAGE_SIZE = 30
GRID_PAGE_SIZE = 50
PENDING_LIMIT = 200
AUDIENCE_LABELS = dict(Audience.CHOICES)


# --- helpers ----------------------------------------------------------------------------------

def _upload_limit() -> int:
    return max(max_bytes(), int(settings.THIDUA_MAX_UPLOAD_BYTES))


def limited_upload(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse an upload above the limit from its Content-Length before the body is read, and
    stop reading as soon as the stream passes it (as the roster import does). CSRF is checked
    inside, after the limit handler is in place."""
    inner = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > _upload_limit() + MULTIPART_ALLOWANCE:
                return render(request, "people/refused.html", {
                    "message": "Tệp quá lớn; hệ thống không nhận tệp này. Hãy chia nhỏ tệp hoặc "
                               "giảm dung lượng rồi tải lên lại."}, status=413)
            request.upload_handlers.insert(0, LimitedUpload(request, _upload_limit()))
        return inner(request, *args, **kwargs)

    return wrapper


def _too_big(request: HttpRequest) -> HttpResponse | None:
    if getattr(request, "thidua_upload_too_big", False):
        return render(request, "people/refused.html", {
            "message": "Tệp quá lớn; hệ thống không nhận tệp này. Hãy chia nhỏ tệp hoặc giảm "
                       "dung lượng rồi tải lên lại."}, status=413)
    return None

def _unit_or_404(user: Any, code: str) -> Unit:
    try:
        return access_unit(user, code)
    except NotFoundError:
        raise Http404("Không tìm thấy đơn vị hoặc bạn không có quyền xem đơn vị này.") from None


def _get(fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except NotFoundError:
        raise Http404("Không tìm thấy hoặc bạn không có quyền xem.") from None


def _refused(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return render(request, "people/refused.html", {"message": exc.message}, status=403)


def _officer_units(user: Any, under: str = "") -> list[tuple[str, str]]:
    """Live units on which the user is an officer (optionally inside the subtree at `under`)."""
    paths = scope_paths(user, Role.OFFICER)
    if not paths:
        return []
    qs = units_for(user).filter(path_q(paths), valid_to__isnull=True)
    if under:
        qs = qs.filter(path__startswith=under)
    return unit_choices(list(qs.order_by("path").values_list("code", "name", "depth")[:3000]))


def _year_or_404(year: int) -> int:
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        raise Http404("Năm không hợp lệ.")
    return year


def _paged(request: HttpRequest, qs: Any, size: int) -> Any:
    return Paginator(qs, size).get_page(request.GET.get("trang"))


# --- movements --------------------------------------------------------------------------------

@login_required
@require_GET
def movement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = movements_for(user).select_related("issuer")
    year_raw = (request.GET.get("nam") or "").strip()
    year = int(year_raw) if year_raw.isdigit() else None
    if year:
        qs = qs.filter(year=year)
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    qs = qs.annotate(n_plans=Count("plans", distinct=True)).order_by("-year", "name", "id")
    page = _paged(request, qs, PAGE_SIZE)
    pending = list(pending_for_user(user)[:20])
    base = {"nam": year or "", "q": query}
    return render(request, "movements/list.html", {
        "page": page, "year": year, "query": query, "pending": pending,
        "can_create": bool(scope_paths(user, Role.OFFICER)),
        "audiences": AUDIENCE_LABELS,
        "prev_url": with_query(reverse("movements:list"), {**base, "trang": page.number - 1})
        if page.has_previous() else "",
        "next_url": with_query(reverse("movements:list"), {**base, "trang": page.number + 1})
        if page.has_next() else "",
    })


@limited_upload
@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = _officer_units(user)
    if not units:
        return _refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên một đơn vị để phát động phong trào."))
    if request.method == "POST":
        if (refusal := _too_big(request)) is not None:
            return refusal
        form = MovementForm(request.POST, request.FILES, units=units)
        try:
            if form.is_valid():
                data = form.cleaned_data
                issuer = _unit_or_404(user, data["issuer"])
                movement = services.movement_create(
                    actor=user, issuer=issuer, name=data["name"],
                    catalogue_code=data["catalogue_code"], start_date=data["start_date"],
                    end_date=data["end_date"], code=data["code"], audience=data["audience"],
                    content=data["content"])
                if data.get("file"):
                    try:
                        services.attachment_add(actor=user, movement=movement,
                                                upload=data["file"])
                    except ApplicationError as exc:
                        messages.warning(request, f"Đã tạo phong trào, nhưng chưa đính kèm được "
                                                  f"tài liệu: {exc.message}")
                messages.success(request, f"Đã phát động phong trào «{movement.name}».")
                return redirect("movements:detail", movement.pk)
        except PermissionDeniedError as exc:
            return _refused(request, exc)
        except ApplicationError as exc:
            form.apply_error(exc)
        status = 400
    else:
        code = (request.GET.get("don_vi") or "").upper()
        start = dt.date(today().year, 1, 1)
        form = MovementForm(units=units, initial={
            "issuer": code if code in dict(units) else units[0][0],
            "catalogue_code": request.GET.get("danh_muc", ""),
            "start_date": start, "end_date": dt.date(start.year, 12, 31)})
        status = 200
    return render(request, "movements/create.html", {
        "form": form, "standards": STANDARD_MOVEMENTS, "audiences": AUDIENCE_LABELS,
        "max_size": max_bytes() // (1024 * 1024)}, status=status)


def _movement_context(request: HttpRequest, movement: Movement,
                      attach_form: AttachmentForm | None = None) -> dict[str, Any]:
    user = request.user
    plans = list(plans_for(user).filter(movements=movement).select_related("issuer")
                 .order_by("-date", "-id"))
    rows = [{"plan": p, "coverage": plan_coverage(p, user)} for p in plans]
    is_officer = can(user, movement.issuer.path, Role.OFFICER)
    return {
        "movement": movement,
        "calendar_label": RuleBook(movement.issuer.path).calendar(movement.issuer.path)
        .label(movement.year),
        "audience": AUDIENCE_LABELS.get(movement.audience, ""),
        "attachments": list(movement.attachments.all()),
        "plans": rows,
        "is_officer": is_officer,
        "can_plan": bool(scope_paths(user, Role.OFFICER)) and bool(
            _officer_units(user, movement.issuer.path)),
        "attach_form": attach_form or (AttachmentForm() if is_officer else None),
    }


@login_required
@require_GET
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _get(access_movement, request.user, pk)
    return render(request, "movements/detail.html", _movement_context(request, movement))


@limited_upload
@login_required
@require_POST
def movement_attach(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    movement = _get(access_movement, user, pk)
    if (refusal := _too_big(request)) is not None:
        return refusal
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if form.is_valid():
            att = services.attachment_add(actor=user, movement=movement,
                                          upload=form.cleaned_data["file"])
            messages.success(request, f"Đã đính kèm «{att.original_name}».")
            return redirect("movements:detail", movement.pk)
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "movements/detail.html",
                  _movement_context(request, movement, form), status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    att = _get(access_attachment, request.user, pk)
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Tệp đính kèm không còn trên máy chủ.") from None
    return FileResponse(handle, as_attachment=True, filename=att.original_name,
                        content_type=CONTENT_TYPES.get(att.kind, "application/octet-stream"))


# --- plans ------------------------------------------------------------------------------------

@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = plans_for(user).select_related("issuer").annotate(
        n_units=Count("deployments", distinct=True),
        n_launched=Count("deployments", filter=Q(deployments__launched_at__isnull=False),
                         distinct=True),
    ).order_by("-date", "-id")
    page = _paged(request, qs, PAGE_SIZE)
    return render(request, "movements/plans.html", {
        "page": page,
        "pending": list(pending_for_user(user)[:50]),
        "prev_url": with_query(reverse("movements:plans"), {"trang": page.number - 1})
        if page.has_previous() else "",
        "next_url": with_query(reverse("movements:plans"), {"trang": page.number + 1})
        if page.has_next() else "",
    })


def _types_below(paths: list[str]) -> list[str]:
    """Unit types of the live units strictly below the units at these paths."""
    if not paths:
        return []
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p, depth__gt=len(p) // Unit.steplen)
    return list(Unit.objects.filter(q, valid_to__isnull=True).order_by()
                .values_list("type", flat=True).distinct())


def _plan_movement_choices(user: Any) -> list[tuple[str, str]]:
    rows = movements_for(user).select_related("issuer").order_by("-year", "name")[:500]
    return [(str(m.pk), f"{m.name} ({m.year}, {m.issuer.short_name or m.issuer.name})")
            for m in rows]


@limited_upload
@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = _officer_units(user)
    if not units:
        return _refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên một đơn vị để ban hành kế hoạch."))
    choices = _plan_movement_choices(user)
    levels = _types_below(scope_paths(user, Role.OFFICER))
    if request.method == "POST":
        if (refusal := _too_big(request)) is not None:
            return refusal
        form = PlanForm(request.POST, request.FILES, units=units, movements=choices,
                        levels=levels)
        try:
            if form.is_valid():
                data = form.cleaned_data
                issuer = _unit_or_404(user, data["issuer"])
                movements = [_get(access_movement, user, int(pk)) for pk in data["movements"]]
                plan = services.plan_create(
                    actor=user, issuer=issuer, number=data["number"], date=data["date"],
                    title=data["title"], movements=movements, deadline=data["deadline"])
                if data["levels"]:
                    n = services.plan_deploy(actor=user, plan=plan, levels=data["levels"])
                    messages.success(request, f"Đã ban hành kế hoạch và triển khai tới {n} đơn vị.")
                else:
                    messages.success(request, "Đã ban hành kế hoạch; hãy chọn cấp đơn vị để "
                                              "triển khai.")
                if data.get("file"):
                    try:
                        services.attachment_add(actor=user, plan=plan, upload=data["file"])
                    except ApplicationError as exc:
                        messages.warning(request, f"Chưa đính kèm được văn bản: {exc.message}")
                return redirect("movements:plan", plan.pk)
        except PermissionDeniedError as exc:
            return _refused(request, exc)
        except ApplicationError as exc:
            form.apply_error(exc)
        status = 400
    else:
        initial: dict[str, Any] = {"issuer": units[0][0], "date": today()}
        movement_id = request.GET.get("phong_trao", "")
        if movement_id.isdigit() and movement_id in dict(choices):
            initial["movements"] = [movement_id]
            movement = _get(access_movement, user, int(movement_id))
            initial["title"] = f"Kế hoạch triển khai phong trào thi đua «{movement.name}»"
            own = [c for c, _ in _officer_units(user, movement.issuer.path)]
            if own:
                initial["issuer"] = own[0]
        form = PlanForm(units=units, movements=choices, initial=initial, levels=levels)
        status = 200
    return render(request, "movements/plan_create.html", {"form": form}, status=status)


def _plan_context(request: HttpRequest, plan: Plan, deploy_form: DeployForm | None = None
                  ) -> dict[str, Any]:
    user = request.user
    deployments = visible_deployments(user, plan).select_related("unit").order_by("unit__path")
    # the units still to act come first, where their buttons are
    page = _paged(request, deployments.order_by(F("launched_at").asc(nulls_first=True),
                                                "unit__path"), 50)
    officer_paths = scope_paths(user, Role.OFFICER)
    rows = [{"d": d, "can_act": any(d.unit.path.startswith(p) for p in officer_paths)}
            for d in page.object_list]
    not_ack = list(deployments.filter(acknowledged_at__isnull=True)[:PENDING_LIMIT])
    not_launched = list(deployments.filter(launched_at__isnull=True)[:PENDING_LIMIT])
    coverage = plan_coverage(plan, user)
    is_issuer_officer = can(user, plan.issuer.path, Role.OFFICER)
    return {
        "plan": plan,
        "movements": list(plan.movements.select_related("issuer")),
        "attachments": list(plan.attachments.all()),
        "coverage": coverage,
        "rows": rows,
        "page": page,
        "not_ack": not_ack,
        "not_launched": not_launched,
        "overdue": plan.deadline is not None and today() > plan.deadline,
        "is_issuer_officer": is_issuer_officer,
        "deploy_form": deploy_form or (DeployForm(initial={"levels": plan.levels},
                                                  levels=_types_below([plan.issuer.path]))
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
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get(access_plan, request.user, pk)
    return render(request, "movements/plan.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_deploy(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = _get(access_plan, user, pk)
    form = DeployForm(request.POST, levels=_types_below([plan.issuer.path]))
    try:
        if form.is_valid():
            n = services.plan_deploy(actor=user, plan=plan, levels=form.cleaned_data["levels"])
            messages.success(request, f"Đã triển khai tới {n} đơn vị mới." if n else
                             "Mọi đơn vị thuộc các cấp đã chọn đều đã nhận kế hoạch.")
            return redirect("movements:plan", plan.pk)
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "movements/plan.html", _plan_context(request, plan, form), status=400)


def _deployment_action(request: HttpRequest, pk: int, form: Any,
                       action: Callable[[Deployment], str]) -> HttpResponse:
    dep = _get(access_deployment, request.user, pk)

    def run() -> str:
        if not form.is_valid():
            raise ApplicationError(" ".join(str(e) for errs in form.errors.values()
                                            for e in errs))
        return action(dep)

    def show(exc: ApplicationError) -> HttpResponse:
        # the refusal is shown on the plan's page, next to the unit's row
        context = _plan_context(request, _get(access_plan, request.user, dep.plan_id))
        context["action_error"] = f"«{dep.unit.name}»: {exc.message}"
        return render(request, "movements/plan.html", context, status=400)

    return run_action(request, run, on_error=show,
                      success_url=reverse("movements:plan", args=[dep.plan_id]) + "#don-vi")


@login_required
@require_POST
def deployment_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    form = AcknowledgeForm(request.POST)

    def run(dep: Deployment) -> str:
        services.deployment_acknowledge(actor=request.user, deployment=dep,
                                        note=form.cleaned_data["note"])
        return f"«{dep.unit.name}» đã tiếp nhận kế hoạch."

    return _deployment_action(request, pk, form, run)


@login_required
@require_POST
def deployment_launch(request: HttpRequest, pk: int) -> HttpResponse:
    form = LaunchForm(request.POST)

    def run(dep: Deployment) -> str:
        services.deployment_launch(actor=request.user, deployment=dep,
                                   launched_on=form.cleaned_data["launched_on"],
                                   note=form.cleaned_data["note"])
        return f"Đã ghi nhận «{dep.unit.name}» phát động phong trào."

    return _deployment_action(request, pk, form, run)


# --- registration -----------------------------------------------------------------------------

@login_required
@require_GET
def registration_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_any_grant(user):
        return redirect("movements:self")
    code = (request.GET.get("don_vi") or "").strip()
    if code:
        unit = _unit_or_404(user, code)
        raw = request.GET.get("nam") or ""
        year = int(raw) if raw.isdigit() and services.MIN_YEAR <= int(raw) <= services.MAX_YEAR \
            else RuleBook(unit.path).calendar(unit.path).year_of(today())
        return redirect("movements:registration", unit.code, year)
    units = _officer_units(user) or unit_choices(list(
        units_for(user).filter(valid_to__isnull=True).order_by("path")
        .values_list("code", "name", "depth")[:1]))
    if not units:
        raise Http404("Tài khoản của bạn chưa được giao quyền trên đơn vị nào.")
    unit = _unit_or_404(user, units[0][0])
    year = RuleBook(unit.path).calendar(unit.path).year_of(today())
    return redirect("movements:registration", unit.code, year)


def _grid(request: HttpRequest, unit: Unit, version: UnitVersion, year: int, day: dt.date,
          rule: RegistrationRule | None, params: Any, errors: dict[int, list[str]] | None = None,
          posted: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The page of the roster shown in the registration grid, with each person's registration."""
    user = request.user
    query = (params.get("q") or "").strip()[:100]
    show = params.get("loc") or ""
    qs = roster(user=user, unit_path=version.path, day=day, query=query)
    if show == "chua_dang_ky":
        qs = qs.exclude(Exists(Registration.objects.filter(person_id=OuterRef("person_id"),
                                                           year=year)))
    elif show == "da_dang_ky":
        qs = qs.filter(Exists(Registration.objects.filter(person_id=OuterRef("person_id"),
                                                          year=year)))
    page = Paginator(qs, GRID_PAGE_SIZE).get_page(params.get("trang"))
    employments = list(page.object_list)
    regs = registrations_by_person(person_ids=[e.person_id for e in employments], year=year)
    rows = []
    for i, e in enumerate(employments, start=page.start_index()):
        p = e.person
        reg = regs.get(p.pk)
        typed = (posted or {}).get(p.pk)
        titles = typed["titles"] if typed else ({t.code for t in reg.titles.all()} if reg else set())
        commitments = typed["commitments"] if typed else (
            "\n".join(c.text for c in reg.commitments.all()) if reg else "")
        pledged = typed["pledged"] if typed else bool(reg and reg.pledges.all())
        rows.append({
            "n": i, "person": p, "unit_name": e.unit.name,
            "is_member": bool(getattr(e, "member_status", None)),
            "registered": reg is not None,
            "late": bool(reg and reg.late),
            "titles": [{"code": t.code, "name": t.name, "short": t.short or t.name,
                        "checked": t.code in titles,
                        "allowed": not t.gender or t.gender == p.gender}
                       for t in INDIVIDUAL_TITLES],
            "commitments": commitments, "pledged": pledged,
            "errors": (errors or {}).get(p.pk, []),
        })
    base = {"q": query, "loc": show}
    grid_url = reverse("movements:registration", args=[unit.code, year])

    def url(n: int) -> str:
        return with_query(grid_url, {**base, "trang": n if n > 1 else ""})

    return {
        "grid_rows": rows, "grid_page": page, "grid_query": query, "grid_show": show,
        "grid_prev": url(page.number - 1) if page.has_previous() else "",
        "grid_next": url(page.number + 1) if page.has_next() else "",
        "grid_titles": INDIVIDUAL_TITLES, "rule_pledges": list(rule.pledges) if rule else [],
    }


def _registration_context(request: HttpRequest, unit: Unit, year: int, *,
                          grid_params: Any = None, grid_errors: dict[int, list[str]] | None = None,
                          posted: dict[int, dict[str, Any]] | None = None,
                          unit_form: UnitRegistrationForm | None = None,
                          rule_form: RuleForm | None = None,
                          year_form: YearSettingForm | None = None) -> dict[str, Any]:
    user = request.user
    now = today()
    progress = registration_progress(unit=unit, year=year, today=now)
    rule = progress.rule
    calendar = progress.calendar
    is_officer = can(user, unit.path, Role.OFFICER)
    is_leader = can(user, unit.path, Role.LEADER)
    closed = bool(rule and rule.deadline and now > rule.deadline)
    context: dict[str, Any] = {
        "unit": unit, "year": year, "progress": progress, "rule": rule,
        "year_label": calendar.label(year), "calendar": calendar,
        "day": progress.day, "closed": closed, "is_officer": is_officer,
        "can_edit": is_officer and (not closed or is_leader),
        "is_leader": is_leader,
        "prev_year": year - 1, "next_year": year + 1,
        "unit_options": _officer_units(user) or [(unit.code, unit.name)],
        "version": progress.version,
    }
    if progress.version is None:
        return context
    context.update(_grid(request, unit, progress.version, year, progress.day, rule,
                         grid_params if grid_params is not None else request.GET,
                         grid_errors, posted))
    own = unit_registration(unit, year)
    allowed_titles = [(t.code, t.name) for t in COLLECTIVE_TITLES
                      if not t.unit_types or unit.type in t.unit_types]
    pledges = list(dict.fromkeys([*(rule.pledges if rule else []),
                                  *([p.text for p in own.pledges.all()] if own else [])]))
    context["own"] = own
    context["own_titles"] = [title_name(t.code) for t in own.titles.all()] if own else []
    if is_officer:
        context["unit_form"] = unit_form or UnitRegistrationForm(
            prefix="tt", pledges=pledges, titles=allowed_titles,
            initial={"titles": [t.code for t in own.titles.all()] if own else [],
                     "commitments": "\n".join(c.text for c in own.commitments.all()) if own
                     else "",
                     "pledges": [p.text for p in own.pledges.all()] if own else pledges})
        own_rule = RegistrationRule.objects.filter(issuer=unit, year=year,
                                                   year_kind=calendar.kind).first()
        context["own_rule"] = own_rule
        context["rule_form"] = rule_form or RuleForm(prefix="qd", initial={
            "year_kind": calendar.kind,
            "deadline": own_rule.deadline if own_rule else None,
            "min_commitments_unit": own_rule.min_commitments_unit if own_rule else 2,
            "min_commitments_member": own_rule.min_commitments_member if own_rule else 1,
            "pledges": "\n".join(own_rule.pledges) if own_rule else "",
            "note": own_rule.note if own_rule else ""})
        setting = own_year_setting(unit)
        context["year_form"] = year_form or YearSettingForm(prefix="nh", initial={
            "kind": setting.kind if setting else calendar.kind,
            "start_month": setting.start_month if setting else calendar.start_month,
            "start_day": setting.start_day if setting else calendar.start_day})
    return context


def _registration_page(request: HttpRequest, code: str, year: int) -> tuple[Unit, int]:
    return _unit_or_404(request.user, code), _year_or_404(year)


@login_required
@require_GET
def registration_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit, year = _registration_page(request, code, year)
    context = _registration_context(request, unit, year)
    if is_htmx(request, "bang-dang-ky"):
        return render(request, "movements/_grid.html", context)
    return render(request, "movements/registration.html", context)


def _grid_rows(post: Any, rule_pledges: list[str]) -> tuple[list[int], dict[int, dict[str, Any]]]:
    ids: list[int] = []
    typed: dict[int, dict[str, Any]] = {}
    for raw in post.getlist("ids"):
        if not str(raw).isdigit():
            continue
        pid = int(raw)
        ids.append(pid)
        typed[pid] = {"titles": set(post.getlist(f"t-{pid}")),
                      "commitments": post.get(f"c-{pid}", ""),
                      "pledged": bool(post.get(f"k-{pid}"))}
    return ids, typed


@login_required
@require_POST
def registration_grid_save(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit, year = _registration_page(request, code, year)
    rule = RuleBook(unit.path, year).rule(unit.path, year)
    rule_pledges = list(rule.pledges) if rule else []
    ids, typed = _grid_rows(request.POST, rule_pledges)
    existing = registrations_by_person(person_ids=ids, year=year)
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    inputs = []
    order = {}
    for n, pid in enumerate(ids, start=1):
        t = typed[pid]
        old = existing.get(pid)
        old_pledges = [p.text for p in old.pledges.all()] if old else []
        if rule_pledges:
            pledges = (old_pledges or rule_pledges) if t["pledged"] else []
        else:
            pledges = old_pledges
        order[n] = pid
        inputs.append(RegistrationInput(
            person_id=pid, titles=sorted(t["titles"]), commitments=t["commitments"].splitlines(),
            pledges=pledges, row=n, label=names.get(pid, "")))
    errors: dict[int, list[str]] = {}
    try:
        result = services.registrations_bulk_create(
            actor=user, unit=unit, year=year, rows=inputs, mode=Mode.REPLACE,
            source="grid", late_reason=request.POST.get("late_reason", ""))
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        result = None
        messages.error(request, exc.message)
    if result is not None:
        for e in result.errors:
            errors.setdefault(order.get(e.row, 0), []).append(e.message)
        if result.written:
            messages.success(request, result.summary())
        else:
            messages.error(request, f"Chưa lưu: {len(result.errors)} lỗi, hãy sửa các dòng được "
                                    "đánh dấu rồi lưu lại.")
    params = {k: request.POST.get(k, "") for k in ("q", "loc", "trang")}
    failed = bool(errors) or result is None
    if is_htmx(request):
        context = _registration_context(request, unit, year, grid_params=params,
                                        grid_errors=errors, posted=typed if failed else None)
        # htmx swaps only 2xx answers: the refused page comes back as 200 with its errors
        return render(request, "movements/_grid.html", context)
    if failed:
        context = _registration_context(request, unit, year, grid_params=params,
                                        grid_errors=errors, posted=typed)
        return render(request, "movements/registration.html", context, status=400)
    return redirect(with_query(reverse("movements:registration", args=[unit.code, year]),
                               params) + "#bang-dang-ky")


@login_required
@require_POST
def registration_unit_save(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit, year = _registration_page(request, code, year)
    rule = RuleBook(unit.path, year).rule(unit.path, year)
    own = unit_registration(unit, year)
    pledges = list(dict.fromkeys([*(rule.pledges if rule else []),
                                  *([p.text for p in own.pledges.all()] if own else [])]))
    allowed = [(t.code, t.name) for t in COLLECTIVE_TITLES
               if not t.unit_types or unit.type in t.unit_types]
    form = UnitRegistrationForm(request.POST, prefix="tt", pledges=pledges, titles=allowed)
    try:
        if form.is_valid():
            data = form.cleaned_data
            result = services.registrations_bulk_create(
                actor=user, unit=unit, year=year, mode=Mode.REPLACE, source="web",
                late_reason=data["late_reason"],
                rows=[RegistrationInput(unit_id=unit.pk, titles=data["titles"],
                                        commitments=data["commitments"].splitlines(),
                                        pledges=data["pledges"], row=1, label=unit.name)])
            if result.errors:
                raise ApplicationError(result.errors[0].message)
            messages.success(request, "Đã lưu đăng ký thi đua của tập thể đơn vị.")
            return redirect(reverse("movements:registration", args=[unit.code, year])
                            + "#tap-the")
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "movements/registration.html",
                  _registration_context(request, unit, year, unit_form=form), status=400)


@login_required
@require_POST
def registration_rule_save(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit, year = _registration_page(request, code, year)
    form = RuleForm(request.POST, prefix="qd")
    try:
        if form.is_valid():
            data = form.cleaned_data
            services.registration_rule_set(
                actor=user, issuer=unit, year=year, year_kind=data["year_kind"],
                deadline=data["deadline"], min_commitments_unit=data["min_commitments_unit"],
                min_commitments_member=data["min_commitments_member"], pledges=data["pledges"],
                note=data["note"])
            messages.success(request, "Đã lưu quy định đăng ký thi đua của đơn vị.")
            return redirect(reverse("movements:registration", args=[unit.code, year])
                            + "#quy-dinh")
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "movements/registration.html",
                  _registration_context(request, unit, year, rule_form=form), status=400)


@login_required
@require_POST
def year_setting_save(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit, year = _registration_page(request, code, year)
    form = YearSettingForm(request.POST, prefix="nh")
    try:
        if form.is_valid():
            data = form.cleaned_data
            services.year_setting_set(actor=user, unit=unit, kind=data["kind"],
                                      start_month=data["start_month"],
                                      start_day=data["start_day"])
            messages.success(request, "Đã lưu cách tính năm thi đua của đơn vị.")
            return redirect(reverse("movements:registration", args=[unit.code, year])
                            + "#quy-dinh")
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "movements/registration.html",
                  _registration_context(request, unit, year, year_form=form), status=400)


@limited_upload
@login_required
@require_http_methods(["GET", "POST"])
def registration_import(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit, year = _registration_page(request, code, year)
    if not can(user, unit.path, Role.OFFICER):
        return _refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên đơn vị này để nhập đăng ký thi đua."))
    book = RuleBook(unit.path, year)
    rule = book.rule(unit.path, year)
    context: dict[str, Any] = {"unit": unit, "year": year,
                               "year_label": book.calendar(unit.path).label(year),
                               "rule": rule,
                               "closed": bool(rule and rule.deadline and today() > rule.deadline)}
    status = 200
    if request.method == "POST":
        if (refusal := _too_big(request)) is not None:
            return refusal
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > _upload_limit():
                form.add_error("file", "Tệp quá lớn để nhập một lần; hãy chia nhỏ tệp.")
                status = 413
            else:
                suffix = Path(upload.name or "").suffix.lower()
                with tempfile.NamedTemporaryFile(
                        suffix=suffix if suffix in {".xlsx", ".csv"} else ".bin") as tmp:
                    for chunk in upload.chunks():
                        tmp.write(chunk)
                    tmp.flush()
                    try:
                        result = registration_import_file(
                            actor=user, unit=unit, year=year, path=tmp.name,
                            file_name=upload.name, valid_only=form.cleaned_data["valid_only"],
                            dry_run=form.cleaned_data["dry_run"],
                            late_reason=form.cleaned_data["late_reason"])
                    except PermissionDeniedError as exc:
                        return _refused(request, exc)
                    except ApplicationError as exc:
                        form.add_error(None, exc.message)
                        status = 400
                    else:
                        context["result"] = result
                        context["errors"] = result.errors[:200]
                        context["file_name"] = Path(upload.name).name
                        # the check ran: its report, row errors included, is the answer
                        status = 200
        else:
            status = 400
    else:
        form = ImportForm()
    context["form"] = form
    return render(request, "movements/import.html", context, status=status)


@login_required
@require_GET
def registration_template_download(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit, year = _registration_page(request, code, year)
    if not can(user, unit.path, Role.OFFICER):
        return _refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên đơn vị này để tải bảng đăng ký (có số CCCD)."))
    buffer = io.BytesIO()
    registration_template(actor=user, unit=unit, year=year, path_or_buffer=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="dang-ky-thi-dua-{unit.code}-{year}.xlsx"')
    return response


# --- a member registers themself ----------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def self_registration(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    person = Person.objects.filter(user=user).first()
    if person is None:
        return render(request, "movements/self.html", {"person": None}, status=404)
    raw = request.GET.get("nam") or request.POST.get("nam") or ""
    current = person.employments.select_related("unit").order_by("-valid_from").first()
    calendar = RuleBook(current.unit.path).calendar(current.unit.path) if current else None
    year = int(raw) if raw.isdigit() and services.MIN_YEAR <= int(raw) <= services.MAX_YEAR \
        else (calendar.year_of(today()) if calendar else today().year)
    home = home_unit_of(person, year)
    context: dict[str, Any] = {"person": person, "year": year, "home": home,
                               "prev_year": year - 1, "next_year": year + 1}
    if home is None:
        context["not_on_roster"] = True
        return render(request, "movements/self.html", context)
    book = RuleBook(home.path, year)
    rule = book.rule(home.path, year)
    calendar = book.calendar(home.path)
    reg = (Registration.objects.filter(person=person, year=year)
           .prefetch_related("titles", "commitments", "pledges").first())
    closed = bool(rule and rule.deadline and today() > rule.deadline)
    titles = [(t.code, t.name) for t in INDIVIDUAL_TITLES
              if not t.gender or t.gender == person.gender]
    pledges = list(dict.fromkeys([*(rule.pledges if rule else []),
                                  *([p.text for p in reg.pledges.all()] if reg else [])]))
    status = 200
    if request.method == "POST" and not closed:
        form = SelfRegistrationForm(request.POST, pledges=pledges, titles=titles)
        try:
            if form.is_valid():
                data = form.cleaned_data
                saved = services.self_registration_save(
                    actor=user, year=year, titles=data["titles"],
                    commitments=data["commitments"].splitlines(), pledges=data["pledges"])
                messages.success(request, "Đã lưu đăng ký thi đua của bạn." if saved else
                                 "Đã huỷ đăng ký thi đua của bạn.")
                return redirect(with_query(reverse("movements:self"), {"nam": year}))
        except ApplicationError as exc:
            form.apply_error(exc)
        status = 400
    else:
        form = SelfRegistrationForm(pledges=pledges, titles=titles, initial={
            "titles": [t.code for t in reg.titles.all()] if reg else [],
            "commitments": "\n".join(c.text for c in reg.commitments.all()) if reg else "",
            "pledges": [p.text for p in reg.pledges.all()] if reg else []})
        if request.method == "POST":
            messages.error(request, f"Đã hết hạn đăng ký ({vn_date(rule.deadline)}); "  # type: ignore[union-attr]
                                    "không sửa được nữa.")
            status = 400
    context.update({
        "form": form, "reg": reg, "rule": rule, "closed": closed,
        "year_label": calendar.label(year), "is_female": person.gender == Gender.FEMALE,
        "reg_titles": [TITLE_BY_CODE[t.code].name for t in reg.titles.all()
                       if t.code in TITLE_BY_CODE] if reg else [],
        "min_member": rule.min_commitments_member if rule else 0,
    })
    return render(request, "movements/self.html", context, status=status)
