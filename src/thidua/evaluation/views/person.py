"""A person's evaluation: the year's facts and the rules engine's answer per title with the
reasons, the facts entered there (discipline, recognised initiatives), and the "Danh hiệu và đánh
giá" section of the person's page (people/detail.html loads it over HTMX: the people app sits
below evaluation and may not import it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thidua.evaluation import permissions, selectors, services
from thidua.evaluation.engine import rule_set_text, title_labels
from thidua.evaluation.forms import DisciplineFormForm, InitiativeForm, PendingMatterForm
from thidua.evaluation.models import DisciplineForm, InitiativeLevel, RatingCode
from thidua.evaluation.views.common import default_year, form_error, person_or_404
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.web import is_htmx, run_action
from thidua.platform.years import first_year, is_valid_year, last_year, parse_year


@login_required
@require_GET
def person(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    """A person's facts for the year and the engine's answer per title, with the reasons."""
    user = request.user
    subject = person_or_404(user, pk)
    if not is_valid_year(year):
        raise Http404()
    facts, outcome = selectors.person_evaluation(subject, year)
    labels = title_labels()
    order = list(labels)
    home = selectors.person_home_unit(subject, year)
    key = str(year)
    code = facts["ratings"].get(key, "")
    titles = [{"code": c, "label": labels.get(c, c), **o}
              for c, o in outcome["titles"].items()]
    titles.sort(key=lambda t: (not t["eligible"], order.index(t["code"])
                               if t["code"] in order else 99))
    context = {
        "person": subject, "year": year, "facts": facts, "outcome": outcome, "titles": titles,
        "rule_set_text": rule_set_text(outcome["rule_set"]),
        "rating_label": RatingCode(code).label if code else "",
        "absence": facts["absence_days"].get(key, 0) - facts["maternity_days"].get(key, 0),
        "maternity": facts["maternity_days"].get(key, 0),
        "months": facts["service_months"].get(key),
        "registered": [labels.get(c, c) for c in sorted(
            facts["registered"].get(key, []),
            key=lambda c: order.index(c) if c in order else 99)],
        "is_registered": key in facts["registered"],
        "past": [{"year": y, "rating": RatingCode(facts["ratings"][y]).label
                  if y in facts["ratings"] else "",
                  "titles": [labels.get(c, c) for c in facts["titles"].get(y, [])]}
                 for y in sorted(set(facts["ratings"]) | set(facts["titles"]), reverse=True)
                 if y != key],
        "disciplines": selectors.person_disciplines(subject),
        "initiatives": selectors.person_initiatives(subject),
        "decided": selectors.person_results(subject, year),
        "home": home,
        "is_officer": home is not None and permissions.may_enter(user, home),
        "home_url": (reverse("evaluation:unit-year", args=[home.code, year])
                     if home is not None and permissions.may_view(user, home) else ""),
        "prev_url": reverse("evaluation:person", args=[pk, year - 1])
        if year > first_year() else "",
        "next_url": reverse("evaluation:person", args=[pk, year + 1])
        if year < last_year() else "",
        "discipline_form": DisciplineFormForm(prefix="kl"),
        "pending": selectors.person_pending(subject),
        "pending_form": PendingMatterForm(prefix="th"),
        "initiative_form": InitiativeForm(prefix="sk", initial={"year": year}),
        "form_names": dict(DisciplineForm.choices), "level_names": dict(InitiativeLevel.choices),
    }
    return render(request, "evaluation/person.html", context)


@login_required
@require_GET
def person_section(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HTMX: the person's ratings and titles by year, newest first, for their page. Without
    HTMX, straight to their evaluation of the latest year recorded."""
    subject = person_or_404(request.user, pk)
    rows = selectors.person_history(subject)
    latest = rows[0]["year"] if rows else default_year()
    if not is_htmx(request):
        return redirect("evaluation:person", subject.pk, latest)
    for row in rows:
        row["url"] = reverse("evaluation:person", args=[subject.pk, row["year"]])
    return render(request, "evaluation/_person_section.html", {
        "rows": rows, "person": subject,
        "current_url": reverse("evaluation:person", args=[subject.pk, latest])})


@login_required
@require_POST
def discipline_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    subject = person_or_404(user, pk)

    def add() -> str:
        form = DisciplineFormForm(request.POST, prefix="kl")
        if not form.is_valid():
            raise form_error(form)
        services.discipline_record(actor=user, person=subject, **form.cleaned_data)
        return "Đã ghi hình thức kỷ luật."

    year = parse_year(request.POST.get("year")) or default_year()
    back = reverse("evaluation:person", args=[pk, year]) + "#ky-luat"
    return run_action(request, add, success_url=back)


@login_required
@require_POST
def pending_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a discipline review, inspection or complaint under way: it holds the review."""
    user = request.user
    subject = person_or_404(user, pk)

    def add() -> str:
        form = PendingMatterForm(request.POST, prefix="th")
        if not form.is_valid():
            raise form_error(form)
        services.pending_record(actor=user, person=subject, **form.cleaned_data)
        return "Đã ghi việc đang xem xét (tạm hoãn xét trong khi chưa kết thúc)."

    year = parse_year(request.POST.get("year")) or default_year()
    back = reverse("evaluation:person", args=[pk, year]) + "#tam-hoan"
    return run_action(request, add, success_url=back)


@login_required
@require_POST
def initiative_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    subject = person_or_404(user, pk)

    def add() -> str:
        form = InitiativeForm(request.POST, prefix="sk")
        if not form.is_valid():
            raise form_error(form)
        services.initiative_record(actor=user, person=subject, **form.cleaned_data)
        return "Đã ghi sáng kiến được công nhận."

    year = parse_year(request.POST.get("sk-year")) or default_year()
    return run_action(request, add, success_url=reverse(
        "evaluation:person", args=[pk, year]) + "#sang-kien")
