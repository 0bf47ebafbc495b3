"""Decisions: the list (by year and issuer, .xlsx too), a decision's page with its recipients,
golden-book numbers, cash, revocations and corrections, and the revoke and correct forms for the
issuer's officers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thidua.honours import catalogue, selectors, selectors_pages, services
from thidua.honours.forms import CorrectForm, RevokeForm
from thidua.honours.models import Decision, DecisionKind
from thidua.honours.permissions import may_issue
from thidua.honours.views.common import form_names, wants_xlsx, xlsx_response
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.forms import VNForm
from thidua.platform.reads import page_reads_view
from thidua.platform.web import (
    CountedPaginator,
    page_links,
    page_or_partial,
    refused,
    today,
    with_query,
)
from thidua.platform.years import parse_year

PAGE_SIZE = 30


@login_required
@require_GET
@page_reads_view
def decision_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    year = parse_year(request.GET.get("nam"))
    issuer = (request.GET.get("co_quan") or "").strip().upper()[:40]
    qs = selectors_pages.decision_list(user, year=year, issuer=issuer)
    names = form_names()
    if wants_xlsx(request):
        columns = [("STT", 6, "number"), ("Số quyết định", 18, "text"),
                   ("Ngày ký", 12, "date"), ("Cơ quan ban hành", 34, "text"),
                   ("Loại", 26, "text"), ("Trích yếu", 50, "text"),
                   ("Hình thức", 30, "text"), ("Năm khen thưởng", 9, "number"),
                   ("Số người, tập thể", 10, "number"), ("Người ký", 24, "text")]
        rows = ([n, d.number, d.date, d.external_issuer or d.issuer.name, d.get_kind_display(),
                 d.title, names.get(d.form, d.form), d.year, getattr(d, "n_awards", 0) or 0, d.signer_name]
                for n, d in enumerate(qs[:20000], 1))
        return xlsx_response(filename="quyet-dinh-khen-thuong.xlsx",
                             title="DANH SÁCH QUYẾT ĐỊNH KHEN THƯỞNG",
                             subtitle=f"Năm {year}" if year else "Mọi năm",
                             columns=columns, rows=rows)
    per_year = selectors_pages.decision_year_counts(user)
    seen = sum(per_year.values())
    # the count comes with the years; an issuer's filter is counted on its own (its index)
    paginator = (Paginator(qs, PAGE_SIZE) if issuer else
                 CountedPaginator(qs, PAGE_SIZE, count=per_year.get(year, 0) if year else seen))
    page = paginator.get_page(request.GET.get("trang"))
    base = {"nam": year or "", "co_quan": issuer}
    list_url = reverse("honours:decisions")

    def page_url(n: int) -> str:
        return with_query(list_url, {**base, "trang": n if n > 1 else ""})

    context = {
        "rows": [{"d": d, "form_name": names.get(d.form, d.form)} for d in page.object_list],
        "page": page, "links": page_links(page, page_url), "year": year, "issuer": issuer,
        "years": list(per_year),
        "issuers": selectors_pages.decision_issuers(user, seen),
        "xlsx_url": with_query(list_url, {**base, "xuat": "xlsx"}),
    }
    return page_or_partial(request, "honours/decision_list.html",
                           "honours/_decision_results.html", context, target="ket-qua")


def _award_label(a: Any) -> str:
    no = f"sổ vàng {a.golden_book_no} — " if a.golden_book_no else ""
    return f"{no}{a.recipient_name}"


def _context(request: AuthenticatedHttpRequest, d: Decision, **bound: Any) -> dict[str, Any]:
    user = request.user
    awards = selectors_pages.decision_awards(d)
    issuer_officer = d.kind == DecisionKind.KHEN_THUONG and may_issue(user, d.issuer)
    live = [(str(a.pk), _award_label(a)) for a in awards if not a.revoked]
    context: dict[str, Any] = {
        "d": d, "awards": awards,
        "form_name": catalogue.printed_name(d.form, "" if d.external_issuer else d.issuer.name,
                                            d.date),
        "amending": selectors_pages.amending_decisions(d),
        "total_cash": sum(a.cash_amount or 0 for a in awards if not a.revoked),
        "can_amend": issuer_officer and bool(live) and not d.external_issuer,
        "open_panel": bound.get("panel", ""),
    }
    if context["can_amend"]:
        initial = {"date": today(), "signer_name": d.signer_name,
                   "signer_title": d.signer_title, "place": d.place}
        context["revoke_form"] = bound.get("revoke") or RevokeForm(
            awards=live, initial=initial, prefix="th")
        context["correct_form"] = bound.get("correct") or CorrectForm(
            awards=live, initial=initial, prefix="dc")
    return context


@login_required
@require_GET
def decision_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    d = selectors.access_decision(request.user, pk)
    return render(request, "honours/decision_detail.html", _context(request, d))


def _amend(request: AuthenticatedHttpRequest, d: Decision, form: VNForm, key: str,
           run: Any) -> HttpResponse:
    try:
        if form.is_valid():
            made = run(form.cleaned_data)
            messages.success(request, f"Đã ghi Quyết định số {made.number}.")
            return redirect("honours:decision", made.pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "honours/decision_detail.html",
                  _context(request, d, **{key: form, "panel": key}), status=400)


def _signed(data: dict[str, Any]) -> services.Signed:
    return services.Signed(data["date"], data["signer_name"], data["signer_title"],
                           data["place"])


@login_required
@require_POST
def decision_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    d = selectors.access_decision(user, pk)
    awards = {str(a.pk): a for a in selectors_pages.decision_awards(d)}
    form = RevokeForm(request.POST, awards=[(k, _award_label(a)) for k, a in awards.items()],
                      prefix="th")
    return _amend(request, d, form, "revoke", lambda c: services.decision_revoke(
        actor=user, awards=[awards[k] for k in c["awards"]], signed=_signed(c),
        reason=c["reason"]))


@login_required
@require_POST
def decision_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    d = selectors.access_decision(user, pk)
    awards = {str(a.pk): a for a in selectors_pages.decision_awards(d)}
    form = CorrectForm(request.POST, awards=[(k, _award_label(a)) for k, a in awards.items()],
                       prefix="dc")

    def correct(c: dict[str, Any]) -> Decision:
        changes = {k: v for k, v in (("recipient_name", c["recipient_name"]),
                                     ("position", c["position_new"]),
                                     ("achievement", c["achievement"])) if v.strip()}
        return services.decision_correct(actor=user, award=awards[c["award"]], changes=changes,
                                         signed=_signed(c), reason=c["reason"])

    return _amend(request, d, form, "correct", correct)
