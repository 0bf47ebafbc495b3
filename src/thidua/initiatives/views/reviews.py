"""A council's review of one initiative: the scoring sheet and the votes, recorded by the
council's officers, and the close that freezes the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thidua.councils.models import Level
from thidua.initiatives import selectors, services
from thidua.initiatives.forms import VOTE_CHOICES
from thidua.initiatives.models import Outcome, Review
from thidua.initiatives.permissions import is_council_officer
from thidua.initiatives.selectors import access_review
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.web import run_action


def _review_context(request: AuthenticatedHttpRequest, review: Review, *,
                    error: str = "") -> dict[str, Any]:
    council = review.council
    members = selectors.council_members(council)
    criteria = selectors.council_criteria(council)
    ini = review.initiative
    return {
        "review": review, "council": council, "ini": ini, "criteria": criteria,
        "sheet": selectors.review_sheet(review, members, criteria),
        "max_total": sum(c.max_points for c in criteria),
        "tally": services.tally(review, members=len(members)),
        "average": review.average_score if review.closed_at else services.average_score(review),
        "vote_choices": VOTE_CHOICES,
        "is_officer": is_council_officer(request.user, council),
        "error": error,
        "authors": selectors.authors(ini),
        "level_label": Level(council.level).label,
    }


@login_required
@require_GET
def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = access_review(request.user, pk)
    return render(request, "initiatives/review.html", _review_context(request, review))


def _review_action(request: AuthenticatedHttpRequest, pk: int,
                   run: Callable[[Review], str]) -> HttpResponse:
    review = access_review(request.user, pk)
    return run_action(
        request, lambda: run(review), success_url=reverse("initiatives:review", args=[review.pk]),
        on_error=lambda exc: render(request, "initiatives/review.html",
                                    _review_context(request, review, error=exc.message),
                                    status=400))


@login_required
@require_POST
def review_votes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(review: Review) -> str:
        members = [m.pk for m in selectors.council_members(review.council)]
        votes = {m: request.POST.get(f"phieu-{m}", "") for m in members
                 if f"phieu-{m}" in request.POST}
        written = [m for m in members if request.POST.get(f"van-ban-{m}")]
        services.votes_record(actor=request.user, review=review, votes=votes, in_writing=written)
        return "Đã ghi phiếu biểu quyết."

    return _review_action(request, pk, run)


@login_required
@require_POST
def review_scores(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(review: Review) -> str:
        if not review.is_open:
            raise ApplicationError("Hội đồng đã kết thúc xét sáng kiến này; không sửa phiếu "
                                   "được nữa.")
        criteria = [c.pk for c in selectors.council_criteria(review.council)]
        for member in selectors.council_members(review.council):
            points = {c: request.POST.get(f"diem-{member.pk}-{c}", "").strip()
                      for c in criteria if f"diem-{member.pk}-{c}" in request.POST}
            if points:
                services.scores_record(actor=request.user, review=review, member=member,
                                       points=points)
        return "Đã ghi phiếu chấm điểm."

    return _review_action(request, pk, run)


@login_required
@require_POST
def review_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(review: Review) -> str:
        closed = services.review_close(actor=request.user, review=review)
        if closed.outcome == Outcome.PASSED:
            return ("Hội đồng đã thông qua. Hãy ghi quyết định công nhận sáng kiến trên trang "
                    "sáng kiến.")
        return "Hội đồng không thông qua; đơn chuyển sang «Không được công nhận»."

    return _review_action(request, pk, run)
