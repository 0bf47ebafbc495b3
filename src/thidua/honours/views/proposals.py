"""The proposals (hồ sơ đề nghị khen thưởng): the list with its two tabs and its .xlsx, a new
proposal, and the proposal's page — header, candidates with their checks, the council and its
ballots, the dossier, the steps the user may take now and the history. The actions posted from
the page are in `proposal_actions`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from thidua.councils.models import Ballot, Choice
from thidua.evaluation.engine import title_labels
from thidua.honours import selectors, selectors_pages, services
from thidua.honours.forms import (
    CandidateForm,
    CouncilPickForm,
    DecisionIssueForm,
    DossierForm,
    ForwardForm,
    MemberForm,
    OutcomeForm,
    ProposalForm,
    TitlesForm,
)
from thidua.honours.models import Proposal, ProposalKind, ProposalStatus
from thidua.honours.permissions import may_receive, may_send
from thidua.honours.selectors_pages import ProposalFilter
from thidua.honours.services.proposals import forms_for_proposal, recipient_choices
from thidua.honours.services.workflow import SIMPLE_STEPS, WORKFLOW, deadline_for
from thidua.honours.views.common import (
    form_names,
    is_officer_of,
    officer_paths,
    officer_unit_by_code,
    officer_unit_options,
    wants_xlsx,
    xlsx_response,
)
from thidua.honours.views.dossier_links import dossier_documents
from thidua.org.selectors import access_unit
from thidua.platform import files
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.reads import page_reads_view
from thidua.platform.web import page_links, page_or_partial, refused, today, with_query
from thidua.platform.years import parse_year

PAGE_SIZE = 30
S = ProposalStatus
#: Steps taken with a form of their own rather than a plain button.
FORM_STEPS = ("decide", "forward", "record_outcome")
TABS = (("gui", "Đơn vị gửi"), ("cho", "Chờ tôi xử lý"))


def _filter(request: AuthenticatedHttpRequest) -> ProposalFilter:
    tab = request.GET.get("tab") or "gui"
    status = request.GET.get("trang_thai") or ""
    return ProposalFilter(tab=tab if tab in dict(TABS) else "gui",
                          year=parse_year(request.GET.get("nam")),
                          status=status if status in S.values else "",
                          form=(request.GET.get("hinh_thuc") or "").strip()[:40])


def _deadline_note(d: Any, day: dt.date, sent_on: dt.date | None = None) -> dict[str, Any] | None:
    """The recipient's last day against today while the proposal waits to be sent, against the
    day it was sent once it was (a proposal sent on time is not "late" years later)."""
    if d is None:
        return None
    if sent_on is not None:
        over = (sent_on - d.last_day).days
        return {"day": d.last_day, "sent": True, "left": -over, "late": over > 0, "over": over}
    left = (d.last_day - day).days
    return {"day": d.last_day, "sent": False, "left": left, "late": left < 0, "over": -left}


@login_required
@require_GET
@page_reads_view
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    f = _filter(request)
    qs = selectors_pages.proposal_list(user, f)
    names = form_names()
    if wants_xlsx(request):
        return _export(qs, names, f)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = list(page.object_list)
    deadlines = selectors_pages.deadlines_of(rows)
    day = today()
    base = {"tab": f.tab, "nam": f.year or "", "trang_thai": f.status, "hinh_thuc": f.form}
    list_url = reverse("honours:proposals")

    def page_url(n: int) -> str:
        return with_query(list_url, {**base, "trang": n if n > 1 else ""})

    context = {
        "rows": [{"p": p, "form_name": names.get(p.form, p.form),
                  "deadline": _deadline_note(deadlines.get((p.recipient_id, p.year, p.kind)),
                                             day)} for p in rows],
        "page": page, "links": page_links(page, page_url), "f": f,
        "tabs": [(key, label, with_query(list_url, {"tab": key})) for key, label in TABS],
        "years": selectors_pages.proposal_years(user),
        "statuses": S.choices, "forms": sorted(names.items(), key=lambda kv: kv[1]),
        "xlsx_url": with_query(list_url, {**base, "xuat": "xlsx"}),
        "can_create": bool(officer_paths(user)),
    }
    return page_or_partial(request, "honours/proposal_list.html",
                           "honours/_proposal_results.html", context, target="ket-qua")


def _export(qs: Any, names: dict[str, str], f: ProposalFilter) -> HttpResponse:
    columns = [("STT", 6, "number"), ("Số hồ sơ", 9, "number"), ("Năm", 7, "number"),
               ("Đơn vị đề nghị", 34, "text"), ("Gửi đến", 34, "text"),
               ("Hình thức", 30, "text"), ("Loại", 13, "text"), ("Trích yếu", 40, "text"),
               ("Số người, tập thể", 10, "number"), ("Trạng thái", 22, "text"),
               ("Ngày gửi", 12, "date")]
    rows = ([n, p.pk, p.year, p.unit.name, p.recipient.name, names.get(p.form, p.form),
             p.get_kind_display(), p.title, p.n_candidates or 0, p.get_status_display(),
             p.submitted_on] for n, p in enumerate(qs[:20000], 1))
    tab = dict(TABS)[f.tab]
    return xlsx_response(filename="ho-so-de-nghi-khen-thuong.xlsx",
                         title="DANH SÁCH HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG",
                         subtitle=f"{tab}" + (f" — năm {f.year}" if f.year else ""),
                         columns=columns, rows=rows)


# --- a new proposal -----------------------------------------------------------------------

def _create_form(request: AuthenticatedHttpRequest, data: Any) -> ProposalForm:
    user = request.user
    units = officer_unit_options(user)
    code = ((data.get("unit") or "") if data is not None else (request.GET.get("unit") or "")
            ).strip().upper()
    recipients: list[tuple[str, str]] = []
    award_forms: list[tuple[str, str]] = []
    day = today()
    unit = officer_unit_by_code(user, code)
    if unit is not None:
        recipients = [(u.code, u.name) for u in recipient_choices(unit, day)]
    rcode = (data.get("recipient") or "") if data is not None else (
        request.GET.get("recipient") or "")
    if unit is not None and rcode in {c for c, _ in recipients}:
        recipient = next(u for u in recipient_choices(unit, day) if u.code == rcode)
        award_forms = [(f.code, f.name) for f in forms_for_proposal(recipient, day)]
    g = request.GET
    initial = {"year": g.get("year") or (day.year if day.month > 6 else day.year - 1),
               "kind": g.get("kind") or ProposalKind.NAM, "unit": code, "recipient": rcode,
               "form": g.get("form") or "", "topic": g.get("topic") or "",
               "title": g.get("title") or ""}
    form = ProposalForm(data, units=units, known=is_officer_of(user), recipients=recipients,
                        award_forms=award_forms, initial=initial)
    # choosing the unit, then the recipient, redraws the form with the choices they allow
    for name in ("unit", "recipient"):
        form.fields[name].widget.attrs.update({
            "hx-get": reverse("honours:proposal-create"), "hx-trigger": "change",
            "hx-target": "#form-de-nghi", "hx-swap": "outerHTML",
            "hx-include": "closest form"})
    return form


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not officer_paths(user):
        raise NotFoundError("Không tìm thấy trang.")
    data = request.POST if request.method == "POST" else None
    form = _create_form(request, data)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            unit = access_unit(user, d["unit"])
            recipient = next(u for u in recipient_choices(unit, today())
                             if u.code == d["recipient"])
            p = services.proposal_create(actor=user, unit=unit, recipient=recipient,
                                         year=d["year"], kind=d["kind"], form=d["form"],
                                         topic=d["topic"], title=d["title"])
        except (NotFoundError, StopIteration):
            form.add_error("recipient", "Hãy chọn đơn vị nhận trong danh sách.")
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except ApplicationError as exc:
            form.apply_error(exc)
        else:
            return redirect("honours:proposal", p.pk)
    return page_or_partial(request, "honours/proposal_form.html", "honours/_proposal_form.html",
                           {"form": form}, target="form-de-nghi",
                           status=400 if data is not None else 200)


# --- the proposal's page ------------------------------------------------------------------

CHECK_LABELS = {"danh_hieu": "Danh hiệu", "dang_ky": "Đăng ký thi đua",
                "mot_thanh_tich": "Một thành tích, một lần khen"}


def _check_chip(check: dict[str, Any]) -> dict[str, Any]:
    ok = check.get("ok")
    code = str(check.get("code", ""))
    return {"label": CHECK_LABELS.get(code, code), "text": check.get("text", ""),
            "state": "ok" if ok is True else "no" if ok is False else "unknown",
            "mark": "✓" if ok is True else "✗" if ok is False else "?"}


def _ballot_grid(candidates: list[Any], members: list[Any]) -> list[dict[str, Any]]:
    votes = selectors_pages.open_votes(candidates)
    return [{"c": c, "cells": [{"m": m, "name": f"v-{c.subject_id}-{m.pk}",
                                "choice": votes.get((c.subject_id, m.pk), "")}
                               for m in members]}
            for c in candidates if c.subject_id]


def detail_context(request: AuthenticatedHttpRequest, p: Proposal,
                   **bound: Any) -> dict[str, Any]:
    user = request.user
    staff = selectors.proposal_is_staff_visible(user, p)
    sender, receiver = may_send(user, p), may_receive(user, p)
    candidates = selectors.candidates_of(p)
    if not staff:
        mine = selectors_pages.own_person_id(user)
        candidates = [c for c in candidates if c.person_id == mine]
    allowed = WORKFLOW.allowed(p, user)
    actions = {t.action: t for t in allowed}
    # sending out is offered only for the forms decided above the union
    buttons = [t for t in allowed if t.action in SIMPLE_STEPS
               and (t.action != "send_out" or _guard_ok(p, user, "send_out"))]
    day = today()
    deadline = deadline_for(p)
    names = form_names()
    context: dict[str, Any] = {
        "p": p, "form_name": names.get(p.form, p.form), "staff": staff,
        "sender": sender, "receiver": receiver,
        "candidates": [{"c": c, "chips": [_check_chip(x) for x in c.checks or []],
                        "votes": c.votes or {}} for c in candidates],
        "voted": p.status in (S.VOTED, S.FORWARDED, S.SENT_OUT, S.DECIDED, S.REFUSED),
        "buttons": buttons,
        "deadline": _deadline_note(deadline, day, None if p.status in (S.DRAFT, S.RETURNED)
                                   else p.submitted_on),
        "deadline_row": deadline,
        "history": [{"at": e.at, "label": WORKFLOW.label(e.to_state), "actor": e.actor,
                     "reason": e.reason} for e in selectors_pages.history(p)] if staff else [],
        "dossier": list(p.dossier.select_related("candidate")) if staff else [],
        "documents": dossier_documents(p) if staff else [],
        "editable": sender and p.status == S.DRAFT,
        "step_error": bound.get("step_error", ""),
        "posted_reason": bound.get("reason", ""), "posted_action": bound.get("action", ""),
        "open_panel": bound.get("panel", ""),
        "forwarded_as": list(p.forwarded_as.all()) if staff else [],
        "accept": files.ACCEPT, "max_size": files.size_text(files.max_bytes()),
    }
    if context["editable"]:
        context["candidate_form"] = bound.get("candidate") or CandidateForm(
            units=selectors_pages.subtree_unit_options(p.unit),
            known=lambda code: selectors_pages.subtree_unit(p.unit, code) is not None)
        labels = title_labels()
        codes = selectors_pages.title_choices(p)
        context["titles_form"] = bound.get("titles") or TitlesForm(
            titles=[(c, labels.get(c, c)) for c in codes])
        context["dossier_form"] = bound.get("dossier") or DossierForm()
    council = p.council
    if receiver and p.status in (S.SUBMITTED, S.RECEIVED):
        context["council_form"] = bound.get("council") or CouncilPickForm(
            councils=[(str(c.pk), f"{c.name} ({c.get_ballot_display().lower()})")
                      for c in selectors_pages.honours_councils(p)],
            initial={"council": str(council.pk) if council else "",
                     "name": f"Hội đồng Thi đua – Khen thưởng {p.recipient.name} năm {p.year}",
                     "ballot": Ballot.OPEN})
    if council is not None:
        members = selectors_pages.council_members(council)
        context["council"] = council
        context["members"] = members
        if receiver and not p.final:
            context["member_form"] = bound.get("member") or MemberForm()
        if receiver and p.status == S.REVIEWING:
            if council.ballot == Ballot.OPEN:
                context["grid"] = _ballot_grid(candidates, members)
                context["choices"] = Choice.choices
            else:
                context["counts"] = [c for c in candidates if c.subject_id]
    if "decide" in actions and _guard_ok(p, user, "decide"):
        context["decide_form"] = bound.get("decide") or DecisionIssueForm(initial={
            "date": day, "signer_title": "Chủ tịch"})
    if "forward" in actions and _guard_ok(p, user, "forward"):
        context["forward_form"] = bound.get("forward") or ForwardForm()
    if "record_outcome" in actions:
        passed = [(str(c.pk), c.display_name) for c in candidates if c.passed]
        context["outcome_form"] = bound.get("outcome") or OutcomeForm(
            candidates=passed, initial={"passed": [k for k, _ in passed], "date": day})
    return context


def _guard_ok(p: Proposal, user: Any, action: str) -> bool:
    t = WORKFLOW.find(p.status, action)
    return t is not None and (t.guard is None or t.guard(p, user) is None)


@login_required
@require_GET
def proposal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.access_proposal(request.user, pk)
    return render(request, "honours/proposal_detail.html", detail_context(request, p))


def detail_with_error(request: AuthenticatedHttpRequest, p: Proposal, **bound: Any
                      ) -> HttpResponse:
    p = selectors.access_proposal(request.user, p.pk)
    return render(request, "honours/proposal_detail.html", detail_context(request, p, **bound),
                  status=400)
