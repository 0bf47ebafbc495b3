"""Filters of the evaluation pages. They only format what the view put in the context; the
person page's "Danh hiệu và đánh giá" section is a view of its own (`views.person`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from thidua.evaluation.engine import title_labels
from thidua.evaluation.models import GradingLabel
from thidua.evaluation.services.grading import grading_label_text, points_text
from thidua.platform.text import vn_number
from thidua.rules.titles import Title, by_code

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
def grading_label(label: str, unit_type: str = "") -> str:
    """A grading's label as the unit's result reads it: "CĐCS vững mạnh" (2017),
    "CĐCS hoàn thành xuất sắc nhiệm vụ" (2025)."""
    return grading_label_text(label or "", unit_type or "")


@register.filter
def title_label(code: str) -> str:
    return title_labels().get(code, code)


@register.filter
def title_info(code: str) -> Title | None:
    """The catalogue entry of a title: `decider_label` and `decider_source` say who decides it."""
    return by_code().get(code)


@register.filter
def points(value: Decimal | float | str | None) -> str:
    """Points as a score sheet writes them: 86, 86,5."""
    return "" if value is None or value == "" else points_text(float(value))
