"""The application form (TT 18/2013 Phụ lục I) for a new initiative or a draft, with its authors,
trial participants and a file, and the novelty panel that follows the author's typing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.initiatives import novelty, selectors, services
from thidua.initiatives.forms import (
    ApplicationForm,
    AttachmentForm,
    AuthorFormSet,
    ParticipantFormSet,
)
from thidua.initiatives.models import Initiative, Status
from thidua.initiatives.permissions import can_edit, is_officer_at
from thidua.initiatives.selectors import access_initiative
from thidua.initiatives.views.common import (
    int_param,
    limited_upload,
    officer_unit,
    officer_unit_options,
    too_big_page,
    upload_too_big,
)
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform import files
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.forms import UnitOptions
from thidua.platform.text import vn_number
from thidua.platform.web import refused, today

AUTHOR_PREFIX = "tac_gia"
PARTICIPANT_PREFIX = "ap_dung"
EDITABLE = ("title", "addressee", "kind", "field", "investor", "first_applied_on", "description",
            "confidential", "conditions", "benefit_author", "benefit_others")


def _form_unit(request: AuthenticatedHttpRequest, ini: Initiative | None = None
               ) -> tuple[Unit | None, UnitOptions | None, Person | None, str]:
    """The unit the application is for, the units to choose among (None when there is no
    choice), the user's own record, and why the code asked for was not taken (the form then
    stays on the first unit)."""
    user = request.user
    own = selectors.own_person(user)
    if ini is not None:
        return ini.unit, None, own, ""
    options = officer_unit_options(user)
    if not options.choices:  # a member files for their own unit
        return selectors.current_unit(own), None, own, ""
    code = (request.POST.get("don_vi") or request.GET.get("don_vi") or "").strip().upper()[:40]
    unit = officer_unit(user, code) if code else None
    error = ""
    if code and unit is None:
        error = f"Không có đơn vị mã «{code}» trong các đơn vị bạn làm cán bộ."
    chooser = options if len(options.choices) > 1 or not options.complete else None
    return unit or officer_unit(user, options.choices[0][0]), chooser, own, error


def _bound_forms(request: AuthenticatedHttpRequest, people: list[tuple[str, str]], *,
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
            **{k: getattr(ini, k) for k in EDITABLE},
            "benefit_expected_vnd": _vnd_text(ini.benefit_expected_vnd),
            "benefit_measured_vnd": _vnd_text(ini.benefit_measured_vnd),
            "year": ini.year, "version": ini.version})
        authors = AuthorFormSet(prefix=AUTHOR_PREFIX, form_kwargs=kw, initial=[
            {"person": a.person_id, "full_name": "" if a.person_id else a.full_name,
             "birth_date": None if a.person_id else a.birth_date, "workplace": a.workplace,
             "job_title": a.job_title, "qualification": a.qualification,
             "contribution": a.contribution.normalize()} for a in selectors.authors(ini)])
        participants = ParticipantFormSet(prefix=PARTICIPANT_PREFIX, initial=[
            {k: getattr(p, k) for k in ("full_name", "birth_date", "workplace", "job_title",
                                        "qualification", "task")}
            for p in selectors.participants(ini)])
    return form, authors, participants, _optional(AttachmentForm())


def _optional(form: AttachmentForm) -> AttachmentForm:
    """On the application form a file is welcome, not required."""
    form.fields["file"].required = False
    return form


def _vnd_text(value: Decimal | None) -> str:
    return vn_number(int(value)) if value is not None else ""


def _valid(form: ApplicationForm, authors: Any, participants: Any, attach: AttachmentForm
           ) -> bool:
    ok = bool(form.is_valid() & authors.is_valid() & participants.is_valid())
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


def _form_page(request: AuthenticatedHttpRequest, *, ini: Initiative | None, unit: Unit | None,
               form: ApplicationForm, authors: Any, participants: Any, attach: AttachmentForm,
               chooser: UnitOptions | None = None, unit_error: str = "",
               status: int = 200) -> HttpResponse:
    return render(request, "initiatives/form.html", {
        "ini": ini, "unit": unit, "chooser": chooser, "unit_error": unit_error,
        "form": form, "authors": authors,
        "participants": participants, "attach": attach, "total_share": _share_total(authors),
        "similar_url": reverse("initiatives:similar"),
        "accept": files.ACCEPT, "max_size": files.size_text(files.max_bytes()),
        "is_officer": unit is not None and is_officer_at(request.user, unit),
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


def _submit_and_attach(request: AuthenticatedHttpRequest, ini: Initiative,
                       attach: AttachmentForm, *,
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
def initiative_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if upload_too_big(request):
        return too_big_page(request)
    unit, chooser, own, unit_error = _form_unit(request)
    if unit is None:
        return refused(request, PermissionDeniedError(
            "Tài khoản của bạn chưa gắn với hồ sơ đoàn viên đang công tác, cũng chưa được giao "
            "quyền cán bộ trên đơn vị nào, nên chưa nộp đơn sáng kiến được."))
    people = selectors.author_options(user, unit, own)
    form, authors, participants, attach = _bound_forms(request, people, own=own)
    # a code not taken leaves the form on the first unit: shown, never filed there unseen
    if request.method == "POST" and not unit_error and _valid(form, authors, participants,
                                                              attach):
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
            return refused(request, exc)
        except ApplicationError as exc:
            _apply_error(exc, form, authors, participants, attach)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, ini=None, unit=unit, form=form, authors=authors,
                      participants=participants, attach=attach, chooser=chooser,
                      unit_error=unit_error, status=status)


@login_required
@limited_upload
@require_http_methods(["GET", "POST"])
def initiative_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if upload_too_big(request):
        return too_big_page(request)
    ini = access_initiative(user, pk)
    if not can_edit(user, ini):
        if ini.status != Status.DRAFT:
            messages.error(request, "Đơn đã nộp: chỉ sửa được khi cán bộ trả lại đơn để bổ sung.")
            return redirect("initiatives:detail", ini.pk)
        return refused(request, PermissionDeniedError("Bạn không có quyền sửa đơn này."))
    unit, _, own, _ = _form_unit(request, ini)
    people = selectors.author_options(user, ini.unit, own)
    # keep authors already linked selectable, whoever edits
    linked = {str(a.person_id): a.full_name for a in selectors.authors(ini) if a.person_id}
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
            return refused(request, exc)
        except ApplicationError as exc:
            _apply_error(exc, form, authors, participants, attach)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, ini=ini, unit=unit, form=form, authors=authors,
                      participants=participants, attach=attach, status=status)


@login_required
@require_POST
def similar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The novelty panel for the text being typed (HTMX), or for a saved initiative."""
    exclude = [pk for pk in [int_param(request.POST.get("loai_tru"))] if pk]
    result = novelty.similar_initiatives(
        user=request.user, title=request.POST.get("title", "")[:300],
        text=request.POST.get("description", "")[:20000], exclude_ids=exclude)
    return render(request, "initiatives/_similar.html", {"result": result, "live": True})
