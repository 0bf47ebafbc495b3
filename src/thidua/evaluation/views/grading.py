"""Units' ratings and grading: the level above rates its direct children, a unit fills a scoring
sheet an issuer above it published, and an issuer publishes its sheets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.evaluation import selectors, services
from thidua.evaluation.forms import GradingTemplateForm
from thidua.evaluation.models import SCALE_LABELS, GradingLabel
from thidua.evaluation.views.common import form_error, header, unit_year_or_404, year_url
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.text import ascii_digits, vn_number
from thidua.platform.web import run_action


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@login_required
@require_POST
def unit_ratings(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    """The ratings of the unit's direct children (the level above rates a unit)."""
    user = request.user
    unit = unit_year_or_404(user, code, year)
    children = {c.pk: c for c in selectors.child_units(unit, year)}

    def save() -> str:
        done = 0
        for key in request.POST:
            value = request.POST.get(key) or ""
            if not key.startswith("u-") or not ascii_digits(key[2:]) or not value:
                continue
            child = children.get(int(key[2:]))
            if child is None:
                raise NotFoundError()
            services.unit_rating_set(actor=user, unit=child, year=year, code=value)
            done += 1
        return f"Đã lưu xếp loại {vn_number(done)} tập thể."

    return run_action(request, save, success_url=reverse(
        "evaluation:unit-year", args=[unit.code, year]) + "#tap-the")


@login_required
@require_http_methods(["GET", "POST"])
def grading(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    templates = selectors.grading_templates_for(unit, year)
    current = selectors.grading_of(unit, year)
    chosen_id = request.POST.get("template") or request.GET.get("bang") or (
        current.template_id if current else (templates[0].pk if templates else None))
    chosen = next((t for t in templates if str(t.pk) == str(chosen_id)), None)
    back = year_url("grading", unit, year, bang=chosen.pk if chosen else "")
    if request.method == "POST":
        if chosen is None:
            raise Http404()
        sheet = chosen

        def submit() -> str:
            points = {c.pk: request.POST.get(f"c-{c.pk}", "").strip() or "0"
                      for c in sheet.criteria.all()}
            g = services.grading_submit(actor=user, unit=unit, year=year, template=sheet,
                                        points=points)
            return (f"Đã chấm {services.points_text(g.total)} điểm: "
                    f"{services.grading_label_text(g.label, unit.type)}.")

        return run_action(request, submit, success_url=back)
    answers = (selectors.grading_points(current)
               if current and chosen and current.template_id == chosen.pk else {})
    context = header(user, unit, year)
    scale = services.scale_for_year(year)
    context.update({
        "scale": scale, "scale_name": _lower_first(str(scale.label)),
        "scale_labels": [services.grading_label_text(label, unit.type)
                         for label in SCALE_LABELS[scale]],
        "templates": templates, "chosen": chosen, "current": current,
        "criteria": [{"c": c, "points": answers.get(c.pk, "")}
                     for c in (chosen.criteria.all() if chosen else [])],
        "label_names": dict(GradingLabel.choices),
        "templates_url": year_url("grading-templates", unit, year),
    })
    return render(request, "evaluation/grading.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grading_templates(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    form = GradingTemplateForm(request.POST or None,
                               initial={"scale": services.scale_for_year(year)})
    if request.method == "POST":
        def create() -> str:
            if not form.is_valid():
                raise form_error(form)
            try:
                criteria = form.parsed_criteria()
                bands = form.parsed_thresholds()
            except Exception as exc:  # noqa: BLE001 - forms.ValidationError from the parsers
                message = getattr(exc, "messages", [str(exc)])[0]
                raise ApplicationError(message) from None
            t = services.grading_template_create(
                actor=user, issuer=unit, year=year, name=form.cleaned_data["name"],
                scale=form.cleaned_data["scale"], criteria=criteria, thresholds=bands,
                source=form.cleaned_data["source"], confidence=form.cleaned_data["confidence"])
            return f"Đã tạo bảng chấm điểm «{t.name}»."

        return run_action(request, create, success_url=year_url("grading-templates", unit, year))
    context = header(user, unit, year)
    context.update({
        "templates": selectors.grading_templates_issued(unit, year),
        "form": form, "label_names": dict(GradingLabel.choices),
        "grading_url": year_url("grading", unit, year),
    })
    return render(request, "evaluation/grading_templates.html", context)
