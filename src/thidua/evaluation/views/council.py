"""The review's council and its vote: members in and out, who attends, the meeting, every
member's vote on one candidate, and one member's same vote on the whole list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.councils.models import Choice
from thidua.councils.tally import decide
from thidua.evaluation import selectors, services
from thidua.evaluation.engine import title_labels
from thidua.evaluation.forms import CouncilMemberForm, MeetingForm, VotesFillForm
from thidua.evaluation.models import Candidate, Review, ReviewStatus
from thidua.evaluation.thresholds import threshold_for
from thidua.evaluation.views.common import (
    form_error,
    header,
    review_back,
    review_or_404,
    unit_year_or_404,
)
from thidua.org.models import Unit
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.text import ascii_digits, vn_number
from thidua.platform.web import run_action


@login_required
@require_POST
def council_add(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)

    def add() -> str:
        form = CouncilMemberForm(request.POST, prefix="hd")
        if not form.is_valid():
            raise form_error(form)
        data = form.cleaned_data
        person = None
        if data["who"]:
            person = selectors.find_on_roster(unit, year, data["who"])
            if person is None:
                raise ApplicationError("Không có ai với số CCCD hoặc mã đoàn viên này trong danh "
                                       "sách của đơn vị; hãy ghi họ tên.")
        m = services.council_member_add(actor=user, review=r, role=data["role"], person=person,
                                        name=data["name"], position=data["position"])
        return f"Đã thêm {m.full_name} vào Hội đồng."

    return run_action(request, add, success_url=review_back(unit, year, "hoi-dong"))


@login_required
@require_POST
def council_remove(request: AuthenticatedHttpRequest, code: str, year: int, mid: int
                   ) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)
    member = selectors.access_member(r, mid)

    def remove() -> str:
        services.council_member_remove(actor=user, member=member)
        return f"Đã bỏ {member.full_name} khỏi Hội đồng."

    return run_action(request, remove, success_url=review_back(unit, year, "hoi-dong"))


@login_required
@require_POST
def presence(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)

    def save() -> str:
        ids = [int(v) for v in request.POST.getlist("present") if ascii_digits(v)]
        services.council_presence_set(actor=user, review=r, present_ids=ids)
        return f"Đã ghi {vn_number(len(ids))} thành viên có mặt."

    return run_action(request, save, success_url=review_back(unit, year, "hoi-dong"))


@login_required
@require_POST
def meeting(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)

    def save() -> str:
        form = MeetingForm(request.POST, prefix="hop")
        if not form.is_valid():
            raise form_error(form)
        services.review_meeting_set(actor=user, review=r, **form.cleaned_data)
        return "Đã lưu thông tin cuộc họp."

    return run_action(request, save, success_url=review_back(unit, year, "hoi-dong"))


def _votes_post(request: AuthenticatedHttpRequest, unit: Unit, year: int, r: Review,
                candidate: Candidate) -> HttpResponse:
    council = selectors.council_of(r)

    def save() -> str:
        ballots = []
        for m in council:
            choice = request.POST.get(f"m-{m.pk}") or ""
            if not choice:
                continue
            ballots.append(services.VoteIn(candidate_id=candidate.pk, member_id=m.pk,
                                           choice=choice,
                                           opinion=request.POST.get(f"y-{m.pk}", "")))
        extra = [k for k in request.POST if k.startswith("m-")
                 and k[2:] not in {str(m.pk) for m in council}]
        if extra:
            raise ApplicationError("Phiếu của người không phải thành viên Hội đồng bình xét "
                                   "này không được ghi nhận.")
        n = services.votes_record(actor=request.user, review=r, votes=ballots)
        return f"Đã ghi {vn_number(n)} phiếu."

    return run_action(request, save, success_url=reverse(
        "evaluation:votes", args=[unit.code, year, candidate.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def votes(request: AuthenticatedHttpRequest, code: str, year: int, cid: int) -> HttpResponse:
    """The votes of every council member on one candidate."""
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)
    candidate = selectors.access_candidate(user, r, cid)
    if request.method == "POST":
        return _votes_post(request, unit, year, r, candidate)
    council = selectors.council_of(r)
    existing = selectors.votes_by_member(candidate)
    labels = title_labels()
    size = len(council)
    counted = services.candidate_tally(candidate, r.council, size)
    decision = decide(counted, threshold_for(candidate.title, year, unit))
    home = (selectors.person_home_unit(candidate.person, year)
            if candidate.person is not None else None)
    context = header(user, unit, year)
    context.update({
        "review": r, "candidate": candidate,
        "subject": services.subject_name(candidate),
        "home": home, "label": labels.get(candidate.title, candidate.title),
        "members": [{"m": m, "vote": existing.get(m.pk)} for m in council],
        "choices": Choice.choices, "counts": counted.as_counts(), "size": size,
        "threshold": decision.threshold, "met": decision.passed,
        "is_voting": r.status == ReviewStatus.VOTING,
        "person_url": (reverse("evaluation:person", args=[candidate.person_id, year])
                       if candidate.person_id else ""),
    })
    return render(request, "evaluation/votes.html", context)


@login_required
@require_POST
def votes_fill(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)

    def fill() -> str:
        council = selectors.council_of(r)
        form = VotesFillForm(request.POST, prefix="phieu",
                             members=[(str(m.pk), m.full_name) for m in council],
                             titles=[(t, t) for t in title_labels()])
        if not form.is_valid():
            raise form_error(form)
        member = next(m for m in council if str(m.pk) == form.cleaned_data["member"])
        n = services.votes_fill(actor=user, review=r, member=member,
                                choice=form.cleaned_data["choice"],
                                title=form.cleaned_data["title"])
        return (f"Đã ghi {vn_number(n)} phiếu «{Choice(form.cleaned_data['choice']).label}» "
                f"của {member.full_name}.")

    return run_action(request, fill, success_url=review_back(unit, year, "bo-phieu"))
