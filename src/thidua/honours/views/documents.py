"""Downloads of the generated honours documents: a proposal's tờ trình, its council's minutes
and each candidate's báo cáo thành tích; a decision as .docx or PDF. Scoped like the pages: a
proposal through `access_proposal` (its documents list every candidate, so a member named on it
gets only their own report), a decision through `access_decision`; the same 404 for a missing
and a forbidden one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from thidua.evaluation.selectors import own_person_id
from thidua.honours import documents
from thidua.honours.models import Proposal
from thidua.honours.selectors import (
    access_candidate,
    access_decision,
    access_proposal,
    proposal_is_staff_visible,
)
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.documents import DOCX_CONTENT_TYPE
from thidua.platform.errors import ApplicationError, NotFoundError


def _download(data: bytes, filename: str, content_type: str = DOCX_CONTENT_TYPE) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _staff_proposal(request: AuthenticatedHttpRequest, pk: int) -> Proposal:
    proposal = access_proposal(request.user, pk)
    if not proposal_is_staff_visible(request.user, proposal):
        raise NotFoundError("Không tìm thấy hồ sơ đề nghị khen thưởng.")
    return proposal


@login_required
@require_GET
def to_trinh(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _staff_proposal(request, pk)
    return _download(documents.render_to_trinh(proposal), f"to-trinh-{proposal.pk}.docx")


@login_required
@require_GET
def bien_ban(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _staff_proposal(request, pk)
    return _download(documents.render_bien_ban(proposal),
                     f"bien-ban-hoi-dong-{proposal.pk}.docx")


@login_required
@require_GET
def bao_cao(request: AuthenticatedHttpRequest, pk: int, cid: int) -> HttpResponse:
    proposal = access_proposal(request.user, pk)
    candidate = access_candidate(proposal, cid)
    if not proposal_is_staff_visible(request.user, proposal) and (
            candidate.person_id is None or candidate.person_id != own_person_id(request.user)):
        raise NotFoundError("Không tìm thấy người, tập thể trong hồ sơ.")
    return _download(documents.render_bao_cao(candidate),
                     f"bao-cao-thanh-tich-{proposal.pk}-{candidate.pk}.docx")


@login_required
@require_GET
def decision_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = access_decision(request.user, pk)
    return _download(documents.render_decision(decision), documents.decision_filename(decision))


@login_required
@require_GET
def decision_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = access_decision(request.user, pk)
    try:
        data = documents.decision_pdf(decision)
    except ApplicationError as exc:  # LibreOffice missing or failing: the .docx still works
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    return _download(data, documents.decision_filename(decision, "pdf"), "application/pdf")
