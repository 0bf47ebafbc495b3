"""What is posted from a proposal's page: a workflow step, the candidates, the dossier files, the
council and its ballots, the decision, the forward to the level above and the outcome recorded
from outside the union.

Every form carries `seen_status`, the step the officer's page showed. When the proposal has moved
since (another officer acted first), the page comes back with the workflow's message and what
was typed still in the form: nothing is lost and nothing is done twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thidua.councils.models import Ballot
from thidua.councils.services import BallotIn
from thidua.honours import selectors, selectors_pages, services
from thidua.honours.forms import (
    CandidateEditForm,
    CandidateForm,
    CouncilPickForm,
    DecisionIssueForm,
    DossierForm,
    ForwardForm,
    MemberForm,
    OutcomeForm,
    TitlesForm,
)
from thidua.honours.models import Proposal
from thidua.honours.views.common import limited_upload, too_big_page, upload_too_big
from thidua.honours.views.proposals import detail_with_error
from thidua.org.models import Unit
from thidua.people.selectors import access_person
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.files import attachment_response
from thidua.platform.forms import VNForm
from thidua.platform.web import run_action
from thidua.platform.workflow import CONFLICT


def _page(p: Proposal, anchor: str = "") -> str:
    return reverse("honours:proposal", args=[p.pk]) + (f"#{anchor}" if anchor else "")


def _seen(request: AuthenticatedHttpRequest, p: Proposal) -> None:
    seen = request.POST.get("seen_status") or ""
    if seen and seen != p.status:
        raise ApplicationError(CONFLICT, field="status")


class _Invalid(ApplicationError):
    """The form's own checks failed: its errors are already beside its fields."""


def _form_error(form: VNForm) -> ApplicationError:
    for field, errors in form.errors.items():
        return _Invalid(str(errors[0]), field=None if field == "__all__" else field)
    return _Invalid("Dữ liệu chưa hợp lệ.")


def _act(request: AuthenticatedHttpRequest, p: Proposal, action: Callable[[], str], *,
         anchor: str, key: str = "", form: VNForm | None = None,
         success_url: str | None = None) -> HttpResponse:
    """Check the step the page showed, run the service, and on a refusal re-render the page
    with the message beside the form that was posted (or above the steps)."""

    def run() -> str:
        _seen(request, p)
        return action()

    def on_error(exc: ApplicationError) -> HttpResponse:
        bound: dict[str, Any] = {"panel": anchor}
        if form is not None and key:
            if not isinstance(exc, _Invalid):
                form.apply_error(exc)
            bound[key] = form
        if form is None or exc.message == CONFLICT or exc.field == "status":
            bound["step_error"] = exc.message
        bound["reason"] = request.POST.get("reason", "")
        bound["action"] = request.POST.get("action", "")
        return detail_with_error(request, p, **bound)

    return run_action(request, run, success_url=success_url or _page(p, anchor),
                      on_error=on_error)


@login_required
@require_POST
def proposal_step(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    action = request.POST.get("action") or ""

    def step() -> str:
        moved = services.proposal_step(actor=user, proposal=p, action=action,
                                       reason=request.POST.get("reason", "")[:2000],
                                       seen_status=request.POST.get("seen_status") or None)
        return f"Hồ sơ chuyển sang bước «{moved.get_status_display()}»."

    return _act(request, p, step, anchor="buoc")


# --- candidates -----------------------------------------------------------------------------

def _unit_in(p: Proposal, code: str) -> Unit | None:
    if not code:
        return None
    unit = selectors_pages.subtree_unit(p.unit, code)
    if unit is None:
        raise ApplicationError("Tập thể được đề nghị phải thuộc đơn vị đề nghị.",
                               field="subject_unit")
    return unit


@login_required
@require_POST
def candidate_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    form = CandidateForm(request.POST, units=selectors_pages.subtree_unit_options(p.unit),
                         known=lambda code: selectors_pages.subtree_unit(p.unit, code) is not None)

    def add() -> str:
        if not form.is_valid():
            raise _form_error(form)
        d = form.cleaned_data
        person = None
        if d["person"]:
            try:
                person = access_person(user, d["person"])
            except NotFoundError:
                raise ApplicationError("Không tìm thấy người này.", field="person") from None
        c = services.candidate_add(actor=user, proposal=p, person=person,
                                   subject_unit=_unit_in(p, d["subject_unit"]),
                                   achievement=d["achievement"], position=d["position"])
        return f"Đã thêm {c.display_name} vào hồ sơ."

    return _act(request, p, add, anchor="de-nghi", key="candidate", form=form)


@login_required
@require_POST
def candidates_from_titles(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    codes = selectors_pages.title_choices(p)
    form = TitlesForm(request.POST, titles=[(c, c) for c in codes])

    def add() -> str:
        if not form.is_valid():
            raise _form_error(form)
        new = services.candidates_from_titles(actor=user, proposal=p,
                                              titles=form.cleaned_data["titles"],
                                              achievement=form.cleaned_data["achievement"])
        return f"Đã thêm {len(new)} người, tập thể từ kết quả bình xét năm {p.year}."

    return _act(request, p, add, anchor="de-nghi", key="titles", form=form)


@login_required
@require_POST
def candidate_edit(request: AuthenticatedHttpRequest, pk: int, cid: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    c = selectors.access_candidate(p, cid)
    form = CandidateEditForm(request.POST, prefix=f"c{c.pk}")

    def edit() -> str:
        if not form.is_valid():
            raise _form_error(form)
        services.candidate_update(actor=user, candidate=c, **form.cleaned_data)
        return f"Đã sửa thành tích của {c.display_name}."

    return _act(request, p, edit, anchor=f"c{c.pk}")


@login_required
@require_POST
def candidate_remove(request: AuthenticatedHttpRequest, pk: int, cid: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    c = selectors.access_candidate(p, cid)

    def remove() -> str:
        services.candidate_remove(actor=user, candidate=c)
        return f"Đã bỏ {c.display_name} khỏi hồ sơ."

    return _act(request, p, remove, anchor="de-nghi")


# --- the dossier ----------------------------------------------------------------------------

@login_required
@limited_upload
@require_POST
def dossier_attach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if upload_too_big(request):
        return too_big_page(request)
    p = selectors.access_proposal(user, pk)
    form = DossierForm(request.POST, request.FILES)

    def attach() -> str:
        if not form.is_valid():
            raise _form_error(form)
        item = services.dossier_attach(actor=user, proposal=p, kind=form.cleaned_data["kind"],
                                       upload=form.cleaned_data["file"])
        return f"Đã đính kèm «{item.original_name}»."

    return _act(request, p, attach, anchor="ho-so", key="dossier", form=form)


@login_required
@require_POST
def dossier_remove(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    row = selectors.access_dossier_item(user, item)
    if row.proposal_id != p.pk:
        raise NotFoundError("Không tìm thấy tài liệu.")

    def remove() -> str:
        services.dossier_remove(actor=user, item=row)
        return f"Đã xóa «{row.original_name}»."

    return _act(request, p, remove, anchor="ho-so")


@login_required
@require_GET
def dossier_download(request: AuthenticatedHttpRequest, item: int) -> HttpResponseBase:
    row = selectors.access_dossier_item(request.user, item)
    return attachment_response(row.file, filename=row.original_name, kind=row.file_kind)


# --- the council and its ballots ------------------------------------------------------------

@login_required
@require_POST
def council_set(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    councils = {str(c.pk): c for c in selectors_pages.honours_councils(p)}
    form = CouncilPickForm(request.POST, councils=[(k, c.name) for k, c in councils.items()])

    def choose() -> str:
        if not form.is_valid():
            raise _form_error(form)
        d = form.cleaned_data
        council = councils.get(d["council"] or "")
        if council is None:
            if not d["name"].strip():
                raise ApplicationError("Hãy chọn Hội đồng đã lập hoặc ghi tên Hội đồng mới.",
                                       field="council")
            council = services.honours_council_create(
                actor=user, unit=p.recipient, year=p.year, name=d["name"],
                ballot=d["ballot"] or Ballot.OPEN)
        services.proposal_council_set(actor=user, proposal=p, council=council)
        return f"Hồ sơ được đưa vào chương trình của «{council.name}»."

    return _act(request, p, choose, anchor="hoi-dong", key="council", form=form)


@login_required
@require_POST
def council_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    form = MemberForm(request.POST)

    def add() -> str:
        if p.council is None:
            raise ApplicationError("Hãy chọn Hội đồng trước.", field="council")
        if not form.is_valid():
            raise _form_error(form)
        m = services.honours_council_member_add(actor=user, council=p.council,
                                                **form.cleaned_data)
        return f"Đã thêm {m.full_name} vào Hội đồng."

    return _act(request, p, add, anchor="hoi-dong", key="member", form=form)


def _count(raw: str | None, what: str) -> int:
    try:
        value = int((raw or "0").strip() or "0")
    except ValueError:
        raise ApplicationError(f"Số phiếu {what} phải là số nguyên.", field="votes") from None
    if value < 0:
        raise ApplicationError(f"Số phiếu {what} không thể âm.", field="votes")
    return value


@login_required
@require_POST
def proposal_votes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Open ballot: the grid of members × candidates; secret ballot: the counts announced."""
    user = request.user
    p = selectors.access_proposal(user, pk)

    def record() -> str:
        council = p.council
        if council is None:
            raise ApplicationError("Hồ sơ chưa có Hội đồng.", field="council")
        candidates = [c for c in selectors.candidates_of(p) if c.subject_id]
        if council.ballot == Ballot.OPEN:
            ballots = []
            for c in candidates:
                for m in selectors_pages.council_members(council):
                    choice = request.POST.get(f"v-{c.subject_id}-{m.pk}")
                    if choice is not None:
                        ballots.append(BallotIn(int(c.subject_id or 0), m.pk, choice))
            n = services.proposal_votes_record(actor=user, proposal=p, ballots=ballots)
            return f"Đã ghi {n} phiếu."
        for c in candidates:
            services.proposal_counts_record(
                actor=user, candidate=c,
                votes_for=_count(request.POST.get(f"c-{c.pk}-for"), "đồng ý"),
                votes_against=_count(request.POST.get(f"c-{c.pk}-against"), "không đồng ý"),
                absent=_count(request.POST.get(f"c-{c.pk}-absent"), "vắng"))
        return "Đã ghi kết quả kiểm phiếu."

    return _act(request, p, record, anchor="bieu-quyet")


# --- after the vote -------------------------------------------------------------------------

@login_required
@require_POST
def proposal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    form = DecisionIssueForm(request.POST)
    made: dict[str, int] = {}

    def issue() -> str:
        if not form.is_valid():
            raise _form_error(form)
        d = form.cleaned_data
        decision = services.decision_issue(
            actor=user, issuer=p.recipient, proposals=[p],
            signed=services.Signed(d["date"], d["signer_name"], d["signer_title"], d["place"]),
            title=d["title"], basis=d["basis"])
        made["id"] = decision.pk
        return f"Đã ban hành Quyết định số {decision.number}."

    response = _act(request, p, issue, anchor="quyet-dinh", key="decide", form=form)
    if "id" in made:
        return redirect("honours:decision", made["id"])
    return response


@login_required
@require_POST
def proposal_forward(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    form = ForwardForm(request.POST)
    made: dict[str, int] = {}

    def forward() -> str:
        if not form.is_valid():
            raise _form_error(form)
        upper = services.proposal_forward(actor=user, proposal=p,
                                          title=form.cleaned_data["title"])
        made["id"] = upper.pk
        return (f"Đã lập hồ sơ trình {upper.recipient.name}: hãy hoàn thiện tờ trình rồi gửi "
                "hồ sơ.")

    response = _act(request, p, forward, anchor="quyet-dinh", key="forward", form=form)
    if "id" in made:
        return redirect("honours:proposal", made["id"])
    return response


@login_required
@require_POST
def proposal_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = selectors.access_proposal(user, pk)
    passed = [(str(c.pk), c.display_name) for c in selectors.candidates_of(p) if c.passed]
    form = OutcomeForm(request.POST, candidates=passed)

    def record() -> str:
        if not form.is_valid():
            raise _form_error(form)
        d = form.cleaned_data
        decision = services.outcome_record(
            actor=user, proposal=p, external_issuer=d["external_issuer"], number=d["number"],
            signed=services.Signed(d["date"], d["signer_name"], d["signer_title"]),
            passed_ids=[int(x) for x in d["passed"]])
        return f"Đã ghi Quyết định số {decision.number} của {decision.external_issuer}."

    return _act(request, p, record, anchor="quyet-dinh", key="outcome", form=form)
