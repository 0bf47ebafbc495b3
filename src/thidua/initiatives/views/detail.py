"""An initiative's page and what is done from it: the workflow steps, attachments and the
application as .docx, putting it before a council, the recognition and its certificate, and
its uses in award dossiers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thidua.initiatives import documents, novelty, selectors, services
from thidua.initiatives.forms import AttachmentForm, RecognitionForm, ReviewOpenForm, UseForm
from thidua.initiatives.models import Initiative, InitiativeType, Level, Outcome, Status
from thidua.initiatives.permissions import can_attach, can_edit, can_see_confidential, is_officer
from thidua.initiatives.selectors import (
    access_attachment,
    access_council,
    access_initiative,
    access_recognition,
    councils_over,
)
from thidua.initiatives.views.common import limited_upload, too_big_page, upload_too_big
from thidua.platform import files
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.files import attachment_response
from thidua.platform.web import refused, run_action, today

#: The steps shown above the page; the last one is the conclusion, whichever it is.
STEPS = [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW]


def _status_steps(ini: Initiative) -> list[dict[str, str]]:
    order = [*STEPS, "final"]
    current = order.index(ini.status) if ini.status in STEPS else len(order) - 1
    final = (Status(ini.status).label if ini.status in (Status.RECOGNIZED,
                                                         Status.NOT_RECOGNIZED)
             else "Kết luận")
    labels = [Status(s).label for s in STEPS] + [final]
    return [{"label": label, "state": "done" if i < current else "current" if i == current
             else "todo"} for i, label in enumerate(labels)]


def _detail_context(request: AuthenticatedHttpRequest, ini: Initiative,
                    **bound: Any) -> dict[str, Any]:
    user = request.user
    officer = is_officer(user, ini)
    records = selectors.initiative_records(ini)
    review = records.review
    links = selectors.openable(
        user, person_ids=[a.person_id for a in records.authors if a.person_id],
        council_ids=[review.council_id] if review else [],
        review_ids=[review.pk] if review else [])
    context: dict[str, Any] = {
        "links": links,
        "ini": ini,
        "authors": records.authors,
        "participants": records.participants,
        "attachments": records.attachments,
        "steps": _status_steps(ini),
        "kind_label": InitiativeType(ini.kind).label if ini.kind else "",
        "is_officer": officer,
        "can_edit": can_edit(user, ini),
        "show_confidential": can_see_confidential(user, ini),
        "can_attach": can_attach(user, ini),
        "transitions": [(t.target, t) for t in services.allowed_transitions(user, ini)
                        if t.target != Status.UNDER_REVIEW and t.action != "recognize"],
        "review": review,
        "tally": services.tally(review) if review else None,
        "recognitions": records.recognitions,
        "uses": records.uses,
        "changes": records.changes,
        "attach_form": bound.get("attach") or AttachmentForm(),
        "accept": files.ACCEPT, "max_size": files.size_text(files.max_bytes()),
        "open_panel": bound.get("panel", ""),
        "transition_error": bound.get("transition_error", ""),
        "similar": novelty.similar_initiatives(user=user, title=ini.title,
                                               text=ini.description, exclude_ids=[ini.pk]),
    }
    if officer and ini.status == Status.SUBMITTED:
        options = [(c.pk, f"{c.name} ({Level(c.level).label.lower()}, {c.year})")
                   for c in councils_over(user, ini)]
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
        choices = [(a.person_id, a.full_name) for a in records.authors if a.person_id]
        context["use_form"] = bound.get("use") or UseForm(
            authors=choices, initial={"year": today().year})
    return context


@login_required
@require_GET
def initiative_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ini = access_initiative(request.user, pk)
    return render(request, "initiatives/detail.html", _detail_context(request, ini))


def _detail_with_error(request: AuthenticatedHttpRequest, ini: Initiative, status: int = 400,
                       **bound: Any) -> HttpResponse:
    return render(request, "initiatives/detail.html", _detail_context(request, ini, **bound),
                  status=status)


@login_required
@require_POST
def initiative_transition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ini = access_initiative(user, pk)
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
def initiative_attach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if upload_too_big(request):
        return too_big_page(request)
    ini = access_initiative(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if form.is_valid():
            att = services.attachment_add(actor=user, initiative=ini,
                                          upload=form.cleaned_data["file"])
            messages.success(request, f"Đã đính kèm «{att.original_name}».")
            return redirect("initiatives:detail", ini.pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return _detail_with_error(request, ini, attach=form, panel="tai-lieu")


@login_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    att = access_attachment(request.user, pk)
    return attachment_response(att.file, filename=att.original_name, kind=att.kind)


@login_required
@require_GET
def application_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ini = access_initiative(request.user, pk)
    response = HttpResponse(
        documents.application_docx(ini),
        content_type=files.CONTENT_TYPES["docx"])
    response["Content-Disposition"] = (
        f'attachment; filename="{documents.application_filename(ini)}"')
    return response


@login_required
@require_POST
def review_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ini = access_initiative(user, pk)
    options = [(c.pk, c.name) for c in councils_over(user, ini)]
    form = ReviewOpenForm(request.POST, councils=options)
    try:
        if form.is_valid():
            council = access_council(user, form.cleaned_data["council"])
            review = services.review_open(actor=user, council=council, initiative=ini,
                                          meeting_date=form.cleaned_data["meeting_date"],
                                          meeting_time=form.cleaned_data["meeting_time"])
            messages.success(request, f"Đã chuyển đơn cho «{council.name}».")
            return redirect("initiatives:review", review.pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return _detail_with_error(request, ini, review=form, panel="hoi-dong")


@login_required
@require_POST
def recognize(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ini = access_initiative(user, pk)
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
        return refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return _detail_with_error(request, ini, recognition=form, panel="cong-nhan")


@login_required
@require_POST
def record_use(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ini = access_initiative(user, pk)
    authors = [(a.person_id, a.full_name) for a in selectors.authors(ini) if a.person_id]
    form = UseForm(request.POST, authors=authors)
    try:
        if form.is_valid():
            d = form.cleaned_data
            result = services.initiative_use_record(
                actor=user, initiative=ini, kind=d["kind"], reference=d["reference"],
                year=d["year"], person=selectors.author_person(ini, d["person"]))
            messages.success(request, "Đã ghi việc sử dụng sáng kiến làm căn cứ khen thưởng.")
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("initiatives:detail", ini.pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return _detail_with_error(request, ini, use=form, panel="su-dung")


@login_required
@require_GET
def certificate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rec = access_recognition(request.user, pk)
    ini = rec.initiative
    return render(request, "initiatives/certificate.html", {
        "rec": rec, "ini": ini, "authors": selectors.authors(ini),
        "level_label": Level(rec.level).label,
    })


@login_required
@require_GET
def certificate_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rec = access_recognition(request.user, pk)
    response = HttpResponse(documents.certificate_docx(rec, selectors.authors(rec.initiative)),
                            content_type=files.CONTENT_TYPES["docx"])
    response["Content-Disposition"] = (
        f'attachment; filename="{documents.certificate_filename(rec)}"')
    return response
