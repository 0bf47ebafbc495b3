"""The year-end review (bình xét) page: its steps, the list by title with each candidate's votes,
opening and recomputing the list, officers' additions and removals with reasons, moving to the
next step, and the minutes (.docx). The council and the votes are in `views.council`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thidua.councils.models import Role
from thidua.evaluation import selectors, services
from thidua.evaluation.documents import BODIES, bodies_of, minutes_docx, minutes_filename
from thidua.evaluation.engine import rule_set_text, title_labels
from thidua.evaluation.forms import (
    CandidatePersonForm,
    CandidateUnitForm,
    CouncilMemberForm,
    MeetingForm,
    ReasonForm,
    VotesFillForm,
)
from thidua.evaluation.models import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    Candidate,
    Review,
    ReviewStatus,
    year_end,
)
from thidua.evaluation.views.common import (
    DOCX_CONTENT_TYPE,
    PAGE_SIZE,
    form_error,
    header,
    review_back,
    review_or_404,
    unit_year_or_404,
    year_url,
)
from thidua.org.models import Unit
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date, vn_number
from thidua.platform.web import run_action, with_query

STEPS = [ReviewStatus.DRAFT, ReviewStatus.VOTING, ReviewStatus.CLOSED]


def _subject_name(c: Candidate, names: dict[int, str]) -> str:
    return c.person.full_name if c.person else names.get(c.subject_unit_id or 0, "")


def _candidate_rows(review: Review, unit: Unit, year: int, candidates: list[Candidate],
                    size: int, labels: dict[str, str]) -> list[dict[str, Any]]:
    homes = selectors.roster_homes(unit, year, [c.person_id for c in candidates if c.person_id])
    names = selectors.unit_names({*homes.values(), *(c.subject_unit_id for c in candidates
                                                     if c.subject_unit_id)}, year)
    rows = []
    for c in candidates:
        # the page shows a tally for those on the list only (a closed review froze theirs)
        counted = services.candidate_tally(c, review.council, size) if c.included else None
        rows.append({
            "c": c, "name": _subject_name(c, names),
            "unit": names.get(homes.get(c.person_id or 0, 0), "") if c.person_id else "Tập thể",
            "label": labels.get(c.title, c.title),
            "counts": counted.as_counts() if counted else {},
            "voted": counted.cast if counted else 0,
            "share": counted.share_text() if counted and size else "—",
            "votes_url": reverse("evaluation:votes", args=[unit.code, year, c.pk]),
            "remove_url": reverse("evaluation:candidate-remove", args=[unit.code, year, c.pk]),
            "person_url": (reverse("evaluation:person", args=[c.person_id, year])
                           if c.person_id else ""),
        })
    return rows


def _forms(review: Review, user: Actor, summary: list[dict[str, Any]],
           labels: dict[str, str]) -> dict[str, Any]:
    """The forms of the review page: the list's additions, the council, the meeting, the votes."""
    council = selectors.council_of(review)
    children = selectors.child_units(review.unit, review.year)
    child_names = selectors.unit_names([c.pk for c in children], review.year)
    member_choices = [(str(m.pk), f"{m.full_name} — {Role(m.role).label}") for m in council]
    allowed = {t.action for t in services.WORKFLOW.allowed(review, user)}
    return {
        "council": council, "council_size": len(council),
        "transitions": [
            {"to": t.target, "label": t.label, "needs_note": t.reason_required,
             "allowed": t.action in allowed}
            for t in services.WORKFLOW.transitions if t.source == review.status
        ],
        "person_form": CandidatePersonForm(
            prefix="cn", titles=[(t, labels.get(t, t)) for t in INDIVIDUAL_TITLES]),
        "unit_form": CandidateUnitForm(
            prefix="tt",
            units=[(str(c.pk), child_names.get(c.pk, c.name)) for c in children],
            titles=[(t, labels.get(t, t)) for t in COLLECTIVE_TITLES]) if children else None,
        "member_form": CouncilMemberForm(prefix="hd"),
        "meeting_form": MeetingForm(prefix="hop", initial={
            "meeting_date": review.council.meeting_date,
            "meeting_time": review.council.meeting_time,
            "meeting_end_time": review.council.meeting_end_time,
            "meeting_place": review.council.meeting_place,
            "place_name": review.place_name}),
        "fill_form": VotesFillForm(prefix="phieu", members=member_choices,
                                   titles=[(s["code"], s["label"]) for s in summary])
        if council else None,
    }


@login_required
@require_GET
def review(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year)
    current = selectors.review_of(unit, year)
    context["review"] = current
    context["open_url"] = year_url("review-open", unit, year)
    if current is None or context["version"] is None:
        return render(request, "evaluation/review.html", context)
    labels = context["labels"]
    title = request.GET.get("danh_hieu") or ""
    show = request.GET.get("hien") or ""
    summary = [{**row, "url": year_url("review", unit, year, danh_hieu=row["code"])}
               for row in selectors.title_summary(current)]
    page = Paginator(selectors.review_candidates(current, title=title, show=show),
                     PAGE_SIZE).get_page(request.GET.get("trang"))
    context.update(_forms(current, user, summary, labels))
    size = context["council_size"]

    def page_url(n: int) -> str:
        return with_query(reverse("evaluation:review", args=[unit.code, year]),
                          {"danh_hieu": title, "hien": show, "trang": n if n > 1 else ""})

    context.update({
        "rule_set_text": rule_set_text(current.rule_set),
        "summary": summary, "title": title, "show": show, "page": page,
        "rows": _candidate_rows(current, unit, year, list(page.object_list), size, labels),
        "page_prev": page_url(page.number - 1) if page.has_previous() else "",
        "page_next": page_url(page.number + 1) if page.has_next() else "",
        "filter_base": year_url("review", unit, year, danh_hieu=title, hien=show),
        "title_filters": [{"code": "", "label": "Tất cả", "url": year_url(
            "review", unit, year, hien=show)}] + [
            {"code": s["code"], "label": s["label"], "url": year_url(
                "review", unit, year, danh_hieu=s["code"], hien=show)} for s in summary],
        "steps": [{"code": s, "label": ReviewStatus(s).label,
                   "done": STEPS.index(s) < STEPS.index(ReviewStatus(current.status)),
                   "current": s == current.status} for s in STEPS],
        "events": selectors.review_events(current),
        "held": selectors.review_held(current),
        "missing_votes": (selectors.missing_votes(current, size)
                          if current.status == ReviewStatus.VOTING and size else 0),
        "minutes_url": reverse("evaluation:minutes", args=[unit.code, year]),
        "minutes_bodies": [{"label": BODIES[b], "url": with_query(
            reverse("evaluation:minutes", args=[unit.code, year]), {"co_quan": b})}
            for b in bodies_of(current)],
        "is_draft": current.status == ReviewStatus.DRAFT,
        "is_voting": current.status == ReviewStatus.VOTING,
        "is_closed": current.status == ReviewStatus.CLOSED,
        "urls": {name.replace("-", "_"): year_url(name, unit, year) for name in (
            "review-propose", "candidate-add", "council-add", "presence", "meeting",
            "votes-fill", "review-transition")},
    })
    return render(request, "evaluation/review.html", context)


@login_required
@require_POST
def review_open(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)

    def open_() -> str:
        r = services.review_open(actor=user, unit=unit, year=year)
        n = selectors.candidate_count(r)
        return f"Đã mở bình xét năm {year}: {vn_number(n)} đề nghị theo quy tắc."

    return run_action(request, open_, success_url=review_back(unit, year))


@login_required
@require_POST
def review_propose(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)

    def propose() -> str:
        counts = services.review_propose(actor=user, review=r)
        return (f"Đã tính lại: thêm {vn_number(counts['added'])}, bỏ "
                f"{vn_number(counts['dropped'])} đề nghị.")

    return run_action(request, propose, success_url=review_back(unit, year))


@login_required
@require_POST
def candidate_add(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)
    labels = title_labels()

    def add_unit() -> str:
        children = selectors.child_units(r.unit, r.year)
        form = CandidateUnitForm(request.POST, prefix="tt",
                                 units=[(str(c.pk), c.name) for c in children],
                                 titles=[(t, labels.get(t, t)) for t in COLLECTIVE_TITLES])
        if not form.is_valid():
            raise form_error(form)
        subject = next(c for c in children if str(c.pk) == form.cleaned_data["unit"])
        c = services.candidate_add(actor=user, review=r, subject_unit=subject,
                                   title=form.cleaned_data["title"],
                                   reason=form.cleaned_data["reason"])
        return f"Đã bổ sung {subject.name} vào danh sách «{labels.get(c.title, c.title)}»."

    def add_person() -> str:
        form = CandidatePersonForm(request.POST, prefix="cn",
                                   titles=[(t, labels.get(t, t)) for t in INDIVIDUAL_TITLES])
        if not form.is_valid():
            raise form_error(form)
        person = selectors.find_on_roster(unit, year, form.cleaned_data["who"])
        if person is None:
            raise ApplicationError(f"Không có ai với số CCCD hoặc mã đoàn viên này trong danh "
                                   f"sách của đơn vị ngày {vn_date(year_end(year))}.")
        c = services.candidate_add(actor=user, review=r, person=person,
                                   title=form.cleaned_data["title"],
                                   reason=form.cleaned_data["reason"])
        return f"Đã bổ sung {person.full_name} vào danh sách «{labels.get(c.title, c.title)}»."

    add = add_unit if request.POST.get("kind") == "unit" else add_person
    return run_action(request, add, success_url=review_back(unit, year, "danh-sach"))


@login_required
@require_POST
def candidate_remove(request: AuthenticatedHttpRequest, code: str, year: int, cid: int
                     ) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)
    candidate = selectors.access_candidate(user, r, cid)

    def remove() -> str:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise ApplicationError("Hãy ghi lý do đưa ra khỏi danh sách.")
        services.candidate_remove(actor=user, candidate=candidate,
                                  reason=form.cleaned_data["reason"])
        return "Đã đưa ra khỏi danh sách."

    return run_action(request, remove, success_url=review_back(unit, year, "danh-sach"))


@login_required
@require_POST
def review_transition(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)

    def move() -> str:
        to = request.POST.get("to") or ""
        done = services.review_transition(actor=user, review=r, to=to,
                                          note=request.POST.get("note") or "")
        return f"Bình xét chuyển sang bước «{done.get_status_display()}»."

    return run_action(request, move, success_url=review_back(unit, year))


@login_required
@require_GET
def minutes(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    r = review_or_404(unit, year)
    body = request.GET.get("co_quan") or None
    if body not in (None, *BODIES):
        body = None
    response = HttpResponse(minutes_docx(r, body), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{minutes_filename(r, body)}"'
    return response
