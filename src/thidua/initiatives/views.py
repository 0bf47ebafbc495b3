"""Pages of initiatives: the list, the application form (with the novelty check as the author
types), an initiative's page with its workflow, councils with their scoring sheets and votes,
recognition certificates and the counts. Lists go through the scoped selectors, objects through
the access functions (404 for missing and out-of-scope alike), every change through the
services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.councils.models import Council, Role
from thidua.initiatives import documents, novelty, selectors, services
from thidua.initiatives.forms import (
    VOTE_CHOICES,
    ApplicationForm,
    AttachmentForm,
    AuthorFormSet,
    CouncilForm,
    MemberForm,
    ParticipantFormSet,
    RecognitionForm,
    ReviewOpenForm,
    UseForm,
)
from thidua.initiatives.models import (
    Initiative,
    InitiativeType,
    Level,
    Outcome,
    Review,
    Status,
)
from thidua.initiatives.permissions import can_attach, can_edit, is_author, is_officer
from thidua.initiatives.selectors import (
    ListFilter,
    access_attachment,
    access_council,
    access_initiative,
    access_recognition,
    access_review,
    council_members,
    councils_for,
    initiative_counts,
    initiatives_for,
    latest_review,
)
from thidua.org.models import Unit, alive_at
from thidua.org.permissions import can, path_q, scope_paths
from thidua.org.selectors import access_unit, units_for
from thidua.people.models import Employment, Person
from thidua.people.selectors import people_for
from thidua.platform import files
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.forms import unit_choices
from thidua.platform.text import vn_count, vn_number
from thidua.platform.uploads import MULTIPART_ALLOWANCE, LimitedUpload
from thidua.platform.web import page_or_partial, run_action, today, with_query

PAGE_SIZE = 30
ROSTER_LIMIT = 2000
AUTHOR_PREFIX = "tac_gia"
PARTICIPANT_PREFIX = "ap_dung"
STEPS = [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW]


# --- helpers -----------------------------------------------------------------------------------


def _get(fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except NotFoundError:
        raise Http404("Không tìm thấy hoặc bạn không có quyền xem.") from None


def _refused(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return render(request, "people/refused.html", {"message": exc.message}, status=403)


def _upload_limit() -> int:
    return max(files.max_bytes(), int(settings.THIDUA_MAX_UPLOAD_BYTES))


def limited_upload(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse an upload above the limit from its Content-Length before the body is read, and
    stop reading as soon as the stream passes it. CSRF is checked inside, once the limit
    handler is in place."""
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
                return _too_big_page(request)
            request.upload_handlers.insert(0, LimitedUpload(request, _upload_limit()))
        return inner(request, *args, **kwargs)

    return wrapper


def _too_big_page(request: HttpRequest) -> HttpResponse:
    return render(request, "people/refused.html", {
        "message": f"{files.too_big_message()} Hãy giảm dung lượng tệp rồi tải lên lại."},
        status=413)


def _officer_units(user: Any) -> list[tuple[str, str]]:
    paths = scope_paths(user, "officer")
    if not paths:
        return []
    qs = units_for(user).filter(path_q(paths), valid_to__isnull=True)
    return unit_choices(list(qs.order_by("path").values_list("code", "name", "depth")[:3000]))


def _own_person(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def _own_unit(person: Person | None) -> Unit | None:
    if person is None:
        return None
    job = (Employment.objects.filter(alive_at(today()), person=person).select_related("unit")
           .first())
    return job.unit if job else None


def _roster_options(unit: Unit) -> list[tuple[str, str]]:
    """People on the roster of the unit's subtree today, for author and member pickers."""
    rows = (Employment.objects.filter(alive_at(today()), unit__path__startswith=unit.path)
            .select_related("person", "unit").order_by("person__name_folded", "person_id")
            [:ROSTER_LIMIT])
    out = []
    for e in rows:
        born = f" ({e.person.birth_date.year})" if e.person.birth_date else ""
        out.append((str(e.person_id), f"{e.person.full_name}{born} — {e.unit.name}"))
    return out


def _status_steps(ini: Initiative) -> list[dict[str, str]]:
    order = [*STEPS, "final"]
    current = order.index(ini.status) if ini.status in STEPS else len(order) - 1
    final = (Status(ini.status).label if ini.status in (Status.RECOGNIZED,
                                                         Status.NOT_RECOGNIZED)
             else "Kết luận")
    labels = [Status(s).label for s in STEPS] + [final]
    return [{"label": label, "state": "done" if i < current else "current" if i == current
             else "todo"} for i, label in enumerate(labels)]


def _years(user: Any) -> list[int]:
    years = set(initiatives_for(user).order_by().values_list("year", flat=True).distinct())
    years.add(today().year)
    return sorted(years, reverse=True)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# --- the list ----------------------------------------------------------------------------------


@login_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _int(request.GET.get("nam"))
    level = request.GET.get("cap") or ""
    level = level if level in Level.values else ""
    status = request.GET.get("trang_thai") or ""
    status = status if status in Status.values else ""
    code = (request.GET.get("don_vi") or "").strip()
    query = (request.GET.get("q") or "").strip()[:100]
    unit = _get(access_unit, user, code) if code else None
    qs = selectors.initiative_list(user, ListFilter(
        year=year, level=level, status=status, unit_path=unit.path if unit else "", query=query))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    base = {"nam": year or "", "cap": level, "trang_thai": status,
            "don_vi": unit.code if unit else "", "q": query}
    list_url = reverse("initiatives:list")

    def page_url(n: int) -> str:
        return with_query(list_url, {**base, "trang": n if n > 1 else ""})

    context = {
        "page": page,
        "rows": list(page.object_list),
        "year": year, "level": level, "status": status, "unit": unit, "query": query,
        "years": _years(user),
        "levels": Level.choices,
        "statuses": Status.choices,
        "unit_options": _unit_filter_options(user, unit),
        "prev_url": page_url(page.number - 1) if page.has_previous() else "",
        "next_url": page_url(page.number + 1) if page.has_next() else "",
        "can_create": bool(scope_paths(user, "officer")) or _own_person(user) is not None,
        "has_grants": bool(scope_paths(user)),
        "counts_url": with_query(reverse("initiatives:counts"),
                                 {"don_vi": unit.code if unit else ""}),
        "councils_url": reverse("initiatives:councils"),
    }
    return page_or_partial(request, "initiatives/list.html", "initiatives/_list_results.html",
                           context, target="ket-qua")


def _unit_filter_options(user: Any, selected: Unit | None) -> list[tuple[str, str]]:
    """The user's top units and two levels below them (one query), plus the selected one."""
    paths = scope_paths(user)
    if not paths:
        return []
    top = min((len(p) // Unit.steplen for p in paths if p), default=1)
    rows = list(units_for(user).filter(depth__lte=top + 2).order_by("path")
                .values_list("code", "name", "depth", "path")[:1500])
    if selected is not None and all(r[0] != selected.code for r in rows):
        rows = sorted([*rows, (selected.code, selected.name, selected.depth, selected.path)],
                      key=lambda r: r[3])
    return unit_choices([(c, n, d) for c, n, d, _ in rows], blank="Tất cả đơn vị")


# --- the application form ---------------------------------------------------------------------


def _form_unit(request: HttpRequest, ini: Initiative | None = None
               ) -> tuple[Unit | None, list[tuple[str, str]], Person | None]:
    """The unit the application is for, the units offered, and the user's own record."""
    user = request.user
    own = _own_person(user)
    if ini is not None:
        return ini.unit, [(ini.unit.code, ini.unit.name)], own
    units = _officer_units(user)
    code = (request.POST.get("don_vi") or request.GET.get("don_vi") or "").strip().upper()
    if units:
        codes = {c for c, _ in units}
        pick = code if code in codes else units[0][0]
        return _get(access_unit, user, pick), units, own
    unit = _own_unit(own)
    return unit, ([(unit.code, unit.name)] if unit else []), own


def _people_options(user: Any, unit: Unit, own: Person | None) -> list[tuple[str, str]]:
    if can(user, unit.path, "officer"):
        return _roster_options(unit)
    return [(str(own.pk), own.full_name)] if own else []


def _bound_forms(request: HttpRequest, people: list[tuple[str, str]], *,
                 ini: Initiative | None = None, own: Person | None = None
                 ) -> tuple[ApplicationForm, Any, Any, AttachmentForm]:
    kw = {"people": people}
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        authors = AuthorFormSet(request.POST, prefix=AUTHOR_PREFIX, form_kwargs=kw)
        participants = ParticipantFormSet(request.POST, prefix=PARTICIPANT_PREFIX)
        attach = _optional(AttachmentForm(request.POST, request.FILES))
        return form, authors, participants, attach
    if ini is None:
        form = ApplicationForm(initial={"year": today().year})
        first = ({"person": own.pk, "contribution": "100"} if own is not None
                 and any(v == str(own.pk) for v, _ in people) else {})
        authors = AuthorFormSet(prefix=AUTHOR_PREFIX, form_kwargs=kw, initial=[first])
        participants = ParticipantFormSet(prefix=PARTICIPANT_PREFIX)
    else:
        form = ApplicationForm(initial={
            **{k: getattr(ini, k) for k in ("title", "addressee", "kind", "field", "investor",
                                             "first_applied_on", "description", "confidential",
                                             "conditions", "benefit_author", "benefit_others")},
            "benefit_expected_vnd": _vnd_text(ini.benefit_expected_vnd),
            "benefit_measured_vnd": _vnd_text(ini.benefit_measured_vnd),
            "year": ini.year, "version": ini.version})
        authors = AuthorFormSet(prefix=AUTHOR_PREFIX, form_kwargs=kw, initial=[
            {"person": a.person_id, "full_name": "" if a.person_id else a.full_name,
             "birth_date": None if a.person_id else a.birth_date, "workplace": a.workplace,
             "job_title": a.job_title, "qualification": a.qualification,
             "contribution": a.contribution.normalize()} for a in ini.authors.all()])
        participants = ParticipantFormSet(prefix=PARTICIPANT_PREFIX, initial=[
            {k: getattr(p, k) for k in ("full_name", "birth_date", "workplace", "job_title",
                                        "qualification", "task")}
            for p in ini.participants.all()])
    return form, authors, participants, _optional(AttachmentForm())


def _optional(form: AttachmentForm) -> AttachmentForm:
    """On the application form a file is welcome, not required."""
    form.fields["file"].required = False
    return form


def _vnd_text(value: Any) -> str:
    return vn_number(int(value)) if value is not None else ""


def _valid(form: ApplicationForm, authors: Any, participants: Any, attach: AttachmentForm
           ) -> bool:
    ok = form.is_valid() & authors.is_valid() & participants.is_valid()
    if attach.files.get("file"):
        ok &= attach.is_valid()
    return ok


def _apply_error(exc: ApplicationError, form: ApplicationForm, authors: Any,
                 participants: Any, attach: AttachmentForm) -> None:
    if exc.field == "authors":
        authors._non_form_errors = authors.error_class([exc.message])
    elif exc.field == "participants":
        participants._non_form_errors = participants.error_class([exc.message])
    elif exc.field == "file":
        attach.add_error("file", exc.message)
    else:
        form.apply_error(exc)


def _form_page(request: HttpRequest, *, ini: Initiative | None, unit: Unit | None,
               units: list[tuple[str, str]], form: ApplicationForm, authors: Any,
               participants: Any, attach: AttachmentForm, status: int = 200) -> HttpResponse:
    return render(request, "initiatives/form.html", {
        "ini": ini, "unit": unit, "units": units, "form": form, "authors": authors,
        "participants": participants, "attach": attach, "total_share": _share_total(authors),
        "similar_url": reverse("initiatives:similar"),
        "accept": files.ACCEPT, "max_size": files.size_text(files.max_bytes()),
        "is_officer": unit is not None and can(request.user, unit.path, "officer"),
    }, status=status)


def _share_total(authors: Any) -> Decimal:
    """The shares as typed (bound) or as stored; the page's script keeps it live afterwards."""
    total = Decimal(0)
    for f in authors.forms:
        if authors.is_bound:
            value = (getattr(f, "cleaned_data", None) or {}).get("contribution")
        else:
            value = f.initial.get("contribution")
        try:
            total += Decimal(str(value)) if value not in (None, "") else 0
        except ArithmeticError:
            continue
    return total


def _submit_and_attach(request: HttpRequest, ini: Initiative, attach: AttachmentForm, *,
                       saved: str = "Đã lưu bản nháp đơn sáng kiến.") -> None:
    """Submit when asked, then store the file last: a refusal of either rolls the whole back
    (and the attachment service removes its own file)."""
    submit = "nop" in request.POST
    if submit:
        services.initiative_transition(actor=request.user, initiative=ini, to=Status.SUBMITTED)
    if attach.files.get("file"):
        services.attachment_add(actor=request.user, initiative=ini,
                                upload=attach.cleaned_data["file"])
    messages.success(request, "Đã nộp đơn yêu cầu công nhận sáng kiến." if submit else saved)


@login_required
@limited_upload
@require_http_methods(["GET", "POST"])
def initiative_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(request, "thidua_upload_too_big", False):
        return _too_big_page(request)
    unit, units, own = _form_unit(request)
    if unit is None:
        return _refused(request, PermissionDeniedError(
            "Tài khoản của bạn chưa gắn với hồ sơ đoàn viên đang công tác, cũng chưa được giao "
            "quyền cán bộ trên đơn vị nào, nên chưa nộp đơn sáng kiến được."))
    people = _people_options(user, unit, own)
    form, authors, participants, attach = _bound_forms(request, people, own=own)
    if request.method == "POST" and _valid(form, authors, participants, attach):
        try:
            # one whole: a refused submission or attachment leaves no half-made application
            with transaction.atomic():
                ini = services.initiative_create(
                    actor=user, unit=unit, year=form.cleaned_data["year"],
                    authors=[f.to_input() for f in authors.forms if f.filled()],
                    participants=[f.to_input() for f in participants.forms if f.filled()],
                    **form.application_fields())
                _submit_and_attach(request, ini, attach)
            return redirect("initiatives:detail", ini.pk)
        except NotFoundError:
            raise Http404() from None
        except PermissionDeniedError as exc:
            return _refused(request, exc)
        except ApplicationError as exc:
            _apply_error(exc, form, authors, participants, attach)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, ini=None, unit=unit, units=units, form=form, authors=authors,
                      participants=participants, attach=attach, status=status)


@login_required
@limited_upload
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if getattr(request, "thidua_upload_too_big", False):
        return _too_big_page(request)
    ini = _get(access_initiative, user, pk)
    if not can_edit(user, ini):
        if ini.status != Status.DRAFT:
            messages.error(request, "Đơn đã nộp: chỉ sửa được khi cán bộ trả lại đơn để bổ sung.")
            return redirect("initiatives:detail", ini.pk)
        return _refused(request, PermissionDeniedError("Bạn không có quyền sửa đơn này."))
    unit, units, own = _form_unit(request, ini)
    people = _people_options(user, ini.unit, own)
    # keep authors already linked selectable, whoever edits
    linked = {str(a.person_id): a.full_name for a in ini.authors.all() if a.person_id}
    people += [(k, v) for k, v in linked.items() if k not in {p for p, _ in people}]
    form, authors, participants, attach = _bound_forms(request, people, ini=ini, own=own)
    if request.method == "POST" and _valid(form, authors, participants, attach):
        try:
            with transaction.atomic():
                ini = services.initiative_update(
                    actor=user, initiative=ini,
                    expected_version=form.cleaned_data["version"] or 0,
                    year=form.cleaned_data["year"],
                    authors=[f.to_input() for f in authors.forms if f.filled()],
                    participants=[f.to_input() for f in participants.forms if f.filled()],
                    **form.application_fields())
                _submit_and_attach(request, ini, attach, saved="Đã lưu thay đổi.")
            return redirect("initiatives:detail", ini.pk)
        except NotFoundError:
            raise Http404() from None
        except PermissionDeniedError as exc:
            return _refused(request, exc)
        except ApplicationError as exc:
            _apply_error(exc, form, authors, participants, attach)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, ini=ini, unit=unit, units=units, form=form, authors=authors,
                      participants=participants, attach=attach, status=status)


@login_required
@require_POST
def similar(request: HttpRequest) -> HttpResponse:
    """The novelty panel for the text being typed (HTMX), or for a saved initiative."""
    exclude = [pk for pk in [_int(request.POST.get("loai_tru"))] if pk]
    result = novelty.similar_initiatives(
        user=request.user, title=request.POST.get("title", "")[:300],
        text=request.POST.get("description", "")[:20000], exclude_ids=exclude)
    return render(request, "initiatives/_similar.html", {"result": result, "live": True})


# --- an initiative's page ----------------------------------------------------------------------


def _detail_context(request: HttpRequest, ini: Initiative, **bound: Any) -> dict[str, Any]:
    user = request.user
    officer = is_officer(user, ini)
    authors = list(ini.authors.select_related("person").all())
    review = latest_review(ini)
    recognitions = list(ini.recognitions.order_by("decided_on", "id"))
    context: dict[str, Any] = {
        "ini": ini,
        "authors": authors,
        "participants": list(ini.participants.all()),
        "attachments": list(ini.attachments.all()),
        "steps": _status_steps(ini),
        "kind_label": InitiativeType(ini.kind).label if ini.kind else "",
        "is_officer": officer,
        "can_edit": can_edit(user, ini),
        "show_confidential": officer or is_author(user, ini) or (
            ini.created_by_id is not None and ini.created_by_id == user.pk),
        "can_attach": can_attach(user, ini),
        "transitions": [(t.target, t) for t in services.allowed_transitions(user, ini)
                        if t.target != Status.UNDER_REVIEW and t.action != "recognize"],
        "review": review,
        "tally": services.tally(review) if review else None,
        "recognitions": recognitions,
        "uses": list(ini.uses.select_related("person").order_by("year", "id")),
        "changes": list(ini.status_changes.select_related("actor").order_by("at", "id")),
        "attach_form": bound.get("attach") or AttachmentForm(),
        "accept": files.ACCEPT, "max_size": files.size_text(files.max_bytes()),
        "open_panel": bound.get("panel", ""),
        "transition_error": bound.get("transition_error", ""),
        "similar": novelty.similar_initiatives(user=user, title=ini.title,
                                               text=ini.description, exclude_ids=[ini.pk]),
    }
    if officer and ini.status == Status.SUBMITTED:
        options = [(c.pk, f"{c.name} ({Level(c.level).label.lower()}, {c.year})")
                   for c in _councils_over(user, ini)]
        context["review_form"] = bound.get("review") or ReviewOpenForm(
            councils=options, initial={"meeting_date": today()})
        context["councils_url"] = reverse("initiatives:councils")
    can_recognize = officer and (
        ini.status == Status.RECOGNIZED
        or (ini.status == Status.UNDER_REVIEW and review is not None
            and review.outcome == Outcome.PASSED))
    if can_recognize:
        initial: dict[str, Any] = {"decided_on": today()}
        if ini.status == Status.UNDER_REVIEW and review is not None:
            initial["level"] = review.council.level
        context["recognition_form"] = bound.get("recognition") or RecognitionForm(initial=initial)
    if officer and ini.status == Status.RECOGNIZED:
        choices = [(a.person_id, a.full_name) for a in authors if a.person_id]
        context["use_form"] = bound.get("use") or UseForm(
            authors=choices, initial={"year": today().year})
    return context


def _councils_over(user: Any, ini: Initiative) -> list[Council]:
    """Councils the user runs whose unit is the initiative's unit or above it."""
    prefixes = [ini.unit.path[:i] for i in range(Unit.steplen, len(ini.unit.path) + 1,
                                                  Unit.steplen)]
    return [c for c in councils_for(user).filter(unit__path__in=prefixes)
            .select_related("unit").order_by("-year", "name")
            if can(user, c.unit.path, "officer")]


@login_required
@require_GET
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ini = _get(access_initiative, request.user, pk)
    return render(request, "initiatives/detail.html", _detail_context(request, ini))


def _detail_with_error(request: HttpRequest, ini: Initiative, status: int = 400,
                       **bound: Any) -> HttpResponse:
    return render(request, "initiatives/detail.html", _detail_context(request, ini, **bound),
                  status=status)


@login_required
@require_POST
def initiative_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ini = _get(access_initiative, user, pk)
    action = request.POST.get("action") or ""
    moves = services.WORKFLOW.by_action(action)
    if not moves or moves[0].target in (Status.UNDER_REVIEW, Status.RECOGNIZED):
        raise Http404()
    t = moves[0]

    def move() -> str:
        services.initiative_transition(actor=user, initiative=ini, to=t.target,
                                       reason=request.POST.get("reason", "")[:2000])
        return t.done

    return run_action(request, move, success_url=reverse("initiatives:detail", args=[ini.pk]),
                      on_error=lambda exc: _detail_with_error(request, ini,
                                                              transition_error=exc.message))


@login_required
@limited_upload
@require_POST
def initiative_attach(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if getattr(request, "thidua_upload_too_big", False):
        return _too_big_page(request)
    ini = _get(access_initiative, user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if form.is_valid():
            att = services.attachment_add(actor=user, initiative=ini,
                                          upload=form.cleaned_data["file"])
            messages.success(request, f"Đã đính kèm «{att.original_name}».")
            return redirect("initiatives:detail", ini.pk)
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return _detail_with_error(request, ini, attach=form, panel="tai-lieu")


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    att = _get(access_attachment, request.user, pk)
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Tệp đính kèm không còn trên máy chủ.") from None
    return FileResponse(handle, as_attachment=True, filename=att.original_name,
                        content_type=files.CONTENT_TYPES.get(att.kind, "application/octet-stream"))


@login_required
@require_GET
def application_docx(request: HttpRequest, pk: int) -> HttpResponse:
    ini = _get(access_initiative, request.user, pk)
    response = HttpResponse(
        documents.application_docx(ini),
        content_type=files.CONTENT_TYPES["docx"])
    response["Content-Disposition"] = (
        f'attachment; filename="{documents.application_filename(ini)}"')
    return response


@login_required
@require_POST
def review_open(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ini = _get(access_initiative, user, pk)
    options = [(c.pk, c.name) for c in _councils_over(user, ini)]
    form = ReviewOpenForm(request.POST, councils=options)
    try:
        if form.is_valid():
            council = _get(access_council, user, form.cleaned_data["council"])
            review = services.review_open(actor=user, council=council, initiative=ini,
                                          meeting_date=form.cleaned_data["meeting_date"])
            messages.success(request, f"Đã chuyển đơn cho «{council.name}».")
            return redirect("initiatives:review", review.pk)
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return _detail_with_error(request, ini, review=form, panel="hoi-dong")


@login_required
@require_POST
def recognize(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ini = _get(access_initiative, user, pk)
    form = RecognitionForm(request.POST)
    try:
        if form.is_valid():
            d = form.cleaned_data
            rec = services.recognition_create(
                actor=user, initiative=ini, level=d["level"], decided_on=d["decided_on"],
                decision_no=d["decision_no"], issuer=d["issuer"],
                certificate_no=d["certificate_no"], scope_note=d["scope_note"])
            messages.success(request, f"Đã ghi công nhận {rec.get_level_display().lower()}, "
                                      f"giấy chứng nhận số {rec.certificate_no}.")
            return redirect("initiatives:detail", ini.pk)
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return _detail_with_error(request, ini, recognition=form, panel="cong-nhan")


@login_required
@require_POST
def record_use(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ini = _get(access_initiative, user, pk)
    authors = [(a.person_id, a.full_name) for a in ini.authors.all() if a.person_id]
    form = UseForm(request.POST, authors=authors)
    try:
        if form.is_valid():
            d = form.cleaned_data
            person = Person.objects.filter(pk=d["person"]).first() if d["person"] else None
            result = services.initiative_use_record(
                actor=user, initiative=ini, kind=d["kind"], reference=d["reference"],
                year=d["year"], person=person)
            messages.success(request, "Đã ghi việc sử dụng sáng kiến làm căn cứ khen thưởng.")
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("initiatives:detail", ini.pk)
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return _detail_with_error(request, ini, use=form, panel="su-dung")


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _get(access_recognition, request.user, pk)
    ini = rec.initiative
    authors = list(ini.authors.all())
    return render(request, "initiatives/certificate.html", {
        "rec": rec, "ini": ini, "authors": authors,
        "level_label": Level(rec.level).label,
    })


# --- councils ----------------------------------------------------------------------------------


@login_required
@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _int(request.GET.get("nam"))
    qs = councils_for(user).select_related("unit").prefetch_related("members")
    if year:
        qs = qs.filter(year=year)
    councils = list(qs.order_by("-year", "unit__path", "name")[:200])
    units = _officer_units(user)
    form = CouncilForm(units=units, initial={"year": today().year, "level": Level.CO_SO})
    return render(request, "initiatives/councils.html", {
        "councils": councils, "year": year, "form": form if units else None,
    })


@login_required
@require_POST
def council_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = _officer_units(user)
    form = CouncilForm(request.POST, units=units)
    try:
        if form.is_valid():
            d = form.cleaned_data
            unit = _get(access_unit, user, d["unit"])
            council = services.council_create(
                actor=user, unit=unit, year=d["year"], name=d["name"], level=d["level"],
                decision_no=d["decision_no"], established_on=d["established_on"])
            messages.success(request, f"Đã lập «{council.name}». Hãy thêm thành viên Hội đồng.")
            return redirect("initiatives:council", council.pk)
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    councils = list(councils_for(user).select_related("unit").order_by("-year", "name")[:200])
    return render(request, "initiatives/councils.html",
                  {"councils": councils, "form": form, "open_form": True}, status=400)


def _council_context(request: HttpRequest, council: Council, **bound: Any) -> dict[str, Any]:
    user = request.user
    officer = can(user, council.unit.path, "officer")
    members = council_members(council)
    reviews = list(council.reviews.select_related("initiative", "initiative__unit", "subject")
                   .prefetch_related("subject__votes").order_by("-opened_at"))
    rows = [{"review": r, "tally": services.tally(r, members=len(members))} for r in reviews]
    context: dict[str, Any] = {
        "council": council, "members": members, "criteria": list(council.criteria.all()),
        "rows": rows, "is_officer": officer,
        "max_total": sum(c.max_points for c in council.criteria.all()),
        "roles": dict(Role.choices),
        "open_panel": bound.get("panel", ""),
        "member_error": bound.get("member_error", ""),
    }
    if officer:
        context["member_form"] = bound.get("member") or MemberForm(
            people=_roster_options(council.unit))
        context["criteria_text"] = bound.get("criteria_text") or "\n".join(
            f"{c.name} | {c.max_points}" for c in context["criteria"])
        context["criteria_error"] = bound.get("criteria_error", "")
        context["can_edit_criteria"] = not any(r.scores.exists() for r in reviews)
    return context


@login_required
@require_GET
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = _get(access_council, request.user, pk)
    return render(request, "initiatives/council.html", _council_context(request, council))


@login_required
@require_POST
def council_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    council = _get(access_council, user, pk)
    form = MemberForm(request.POST, people=_roster_options(council.unit))
    try:
        if form.is_valid():
            d = form.cleaned_data
            person = _get(lambda: people_for(user).get(pk=d["person"])) if d["person"] else None
            member = services.council_member_add(
                actor=user, council=council, role=d["role"], person=person,
                full_name=d["full_name"], position=d["position"])
            messages.success(request, f"Đã thêm {member.full_name} vào Hội đồng.")
            return redirect("initiatives:council", council.pk)
    except Person.DoesNotExist:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "initiatives/council.html",
                  _council_context(request, council, member=form, panel="thanh-vien"),
                  status=400)


@login_required
@require_POST
def council_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = request.user
    council = _get(access_council, user, pk)
    member = council.members.filter(pk=member_pk).first()
    if member is None:
        raise Http404()
    try:
        services.council_member_remove(actor=user, member=member)
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ApplicationError as exc:
        return render(request, "initiatives/council.html",
                      _council_context(request, council, member_error=exc.message),
                      status=400)
    messages.success(request, f"Đã rút {member.full_name} khỏi Hội đồng.")
    return redirect("initiatives:council", council.pk)


@login_required
@require_POST
def council_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    council = _get(access_council, user, pk)
    text = request.POST.get("criteria", "")[:5000]
    rows: list[tuple[str, int]] = []
    error = ""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, _, points = line.rpartition("|")
        if not name.strip() or not points.strip().isdigit():
            error = f"Dòng {n}: ghi theo dạng «Tên tiêu chí | điểm tối đa»."
            break
        rows.append((name.strip(), int(points.strip())))
    if not error:
        try:
            services.council_criteria_set(actor=user, council=council, criteria=rows)
            messages.success(request, "Đã lưu phiếu chấm điểm.")
            return redirect("initiatives:council", council.pk)
        except PermissionDeniedError as exc:
            return _refused(request, exc)
        except ApplicationError as exc:
            error = exc.message
    return render(request, "initiatives/council.html",
                  _council_context(request, council, criteria_text=text, criteria_error=error,
                                   panel="phieu-cham"), status=400)


# --- a review: scores, votes, result -----------------------------------------------------------


def _review_context(request: HttpRequest, review: Review, *, error: str = "") -> dict[str, Any]:
    council = review.council
    members = council_members(council)
    criteria = list(council.criteria.all())
    scores: dict[tuple[int, int], Any] = {
        (s.member_id, s.criterion_id): s.points for s in review.scores.all()}
    votes = {v.member_id: v for v in review.subject.votes.all()}
    sheet = []
    for m in members:
        cells = [scores.get((m.pk, c.pk)) for c in criteria]
        done = [x for x in cells if x is not None]
        sheet.append({"member": m, "cells": list(zip(criteria, cells, strict=True)),
                      "total": sum(done) if len(done) == len(criteria) else None,
                      "vote": votes.get(m.pk)})
    ini = review.initiative
    return {
        "review": review, "council": council, "ini": ini, "criteria": criteria, "sheet": sheet,
        "max_total": sum(c.max_points for c in criteria),
        "tally": services.tally(review, members=len(members)),
        "average": review.average_score if review.closed_at else services.average_score(review),
        "vote_choices": VOTE_CHOICES,
        "is_officer": can(request.user, council.unit.path, "officer"),
        "error": error,
        "authors": list(ini.authors.all()),
        "level_label": Level(council.level).label,
    }


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get(access_review, request.user, pk)
    return render(request, "initiatives/review.html", _review_context(request, review))


def _review_action(request: HttpRequest, pk: int, run: Callable[[Review], str]) -> HttpResponse:
    review = _get(access_review, request.user, pk)
    return run_action(
        request, lambda: run(review), success_url=reverse("initiatives:review", args=[review.pk]),
        on_error=lambda exc: render(request, "initiatives/review.html",
                                    _review_context(request, review, error=exc.message),
                                    status=400))


@login_required
@require_POST
def review_votes(request: HttpRequest, pk: int) -> HttpResponse:
    def run(review: Review) -> str:
        members = [m.pk for m in review.council.members.all()]
        votes = {m: request.POST.get(f"phieu-{m}", "") for m in members
                 if f"phieu-{m}" in request.POST}
        written = [m for m in members if request.POST.get(f"van-ban-{m}")]
        services.votes_record(actor=request.user, review=review, votes=votes, in_writing=written)
        return "Đã ghi phiếu biểu quyết."

    return _review_action(request, pk, run)


@login_required
@require_POST
def review_scores(request: HttpRequest, pk: int) -> HttpResponse:
    def run(review: Review) -> str:
        if not review.is_open:
            raise ApplicationError("Hội đồng đã kết thúc xét sáng kiến này; không sửa phiếu "
                                   "được nữa.")
        criteria = [c.pk for c in review.council.criteria.all()]
        for member in review.council.members.all():
            points = {c: request.POST.get(f"diem-{member.pk}-{c}", "").strip()
                      for c in criteria if f"diem-{member.pk}-{c}" in request.POST}
            if points:
                services.scores_record(actor=request.user, review=review, member=member,
                                       points=points)
        return "Đã ghi phiếu chấm điểm."

    return _review_action(request, pk, run)


@login_required
@require_POST
def review_close(request: HttpRequest, pk: int) -> HttpResponse:
    def run(review: Review) -> str:
        closed = services.review_close(actor=request.user, review=review)
        if closed.outcome == Outcome.PASSED:
            return ("Hội đồng đã thông qua. Hãy ghi quyết định công nhận sáng kiến trên trang "
                    "sáng kiến.")
        return "Hội đồng không thông qua; đơn chuyển sang «Không được công nhận»."

    return _review_action(request, pk, run)


# --- counts ------------------------------------------------------------------------------------


@login_required
@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = (request.GET.get("don_vi") or "").strip()
    if code:
        unit = _get(access_unit, user, code)
    else:
        paths = scope_paths(user)
        if not paths:
            raise Http404("Tài khoản của bạn chưa được giao quyền trên đơn vị nào.")
        unit = units_for(user).order_by("depth", "path").first()
        if unit is None:
            raise Http404()
    this_year = today().year
    start = _int(request.GET.get("tu_nam")) or this_year - 1
    end = _int(request.GET.get("den_nam")) or this_year
    start, end = max(2000, min(start, end)), min(2100, max(start, end))
    if end - start > 30:
        start = end - 30
    years = list(range(start, end + 1))
    figures = initiative_counts(unit=unit, years=years)
    levels = [(lvl, label, figures.by_level.get(lvl, 0)) for lvl, label in Level.choices]
    year_rows = [{"year": y, **figures.by_year.get(y, {}),
                  "levels": [(label, figures.by_year_level.get(y, {}).get(lvl, 0))
                             for lvl, label in Level.choices]} for y in years]
    child_rows = [{"unit": c.unit, "applications": c.applications, "recognized": c.recognized,
                   "levels": [(label, c.by_level.get(lvl, 0)) for lvl, label in Level.choices]}
                  for c in figures.children]
    return render(request, "initiatives/counts.html", {
        "unit": unit, "figures": figures, "start": start, "end": end, "years": years,
        "levels": levels, "level_choices": Level.choices, "year_rows": year_rows,
        "child_rows": child_rows,
        "phrase": {"recognized": vn_count(figures.recognized),
                   "levels": [f"{label.lower()}: {vn_count(n)}" for _, label, n in levels if n],
                   "used": vn_count(figures.used_for_commendation)},
        "unit_options": _unit_filter_options(user, unit)[1:],
        "status_rows": [(label, figures.by_status.get(s, 0)) for s, label in Status.choices],
        "list_url": reverse("initiatives:list"),
        "period": f"{start}–{end}" if start != end else str(start),
    })

