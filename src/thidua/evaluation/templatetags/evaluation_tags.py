"""Template helpers of the evaluation pages, and the "Danh hiệu và đánh giá" section of a
person's page: {% load evaluation_tags %}{% person_evaluation person %}."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from thidua.evaluation.engine import title_labels
from thidua.evaluation.models import GradingLabel, Rating, TitleResult
from thidua.evaluation.services import points_text
from thidua.evaluation.views import default_year
from thidua.platform.text import vn_number

register = template.Library()


@register.filter
def bands_text(thresholds: list[dict[str, Any]]) -> str:
    """"Vững mạnh từ 85 điểm (mỗi tiêu chí từ 50%); Khá từ 70 điểm; …"."""
    names = dict(GradingLabel.choices)
    parts = []
    for b in thresholds or []:
        text = f"{names.get(b['label'], b['label'])} từ {vn_number(b['min_points'], 0)} điểm"
        if b.get("min_criterion_share"):
            text += f" (mỗi tiêu chí từ {vn_number(b['min_criterion_share'] * 100)}%)"
        parts.append(text)
    return "; ".join(parts)


@register.filter
def title_label(code: str) -> str:
    return title_labels().get(code, code)


@register.inclusion_tag("evaluation/_person_section.html", takes_context=True)
def person_evaluation(context: Any, person: Any) -> dict[str, Any]:
    """Ratings and titles of a person by year, newest first, with links to the reasons. The
    caller's page has already checked that the user may see the person."""
    labels = title_labels()
    years: dict[int, dict[str, Any]] = {}
    for r in Rating.objects.filter(person=person).select_related("unit"):
        years.setdefault(r.year, {"year": r.year, "titles": []})["rating"] = r
    for t in TitleResult.objects.filter(person=person, revoked=False).order_by("title"):
        years.setdefault(t.year, {"year": t.year, "titles": []})["titles"].append(
            {"label": labels.get(t.title, t.title), "how": t.get_how_display()})
    rows = sorted(years.values(), key=lambda y: y["year"], reverse=True)
    for row in rows:
        row["url"] = reverse("evaluation:person", args=[person.pk, row["year"]])
    latest = rows[0]["year"] if rows else default_year()
    return {"rows": rows, "person": person,
            "current_url": reverse("evaluation:person", args=[person.pk, latest])}


@register.filter
def points(value: Any) -> str:
    """Points as a score sheet writes them: 86, 86,5."""
    return "" if value in (None, "") else points_text(value)
