"""Filters of the evaluation pages. They only format what the view put in the context; the
person page's "Danh hiệu và đánh giá" section is a view of its own (`views.person`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from thidua.evaluation.engine import title_labels
from thidua.evaluation.models import GradingLabel
from thidua.evaluation.services.grading import grading_label_text, points_text
from thidua.platform.documents import official_text
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


_CONFIDENCE = {"C": "đã đối chiếu văn bản", "L": "nhiều khả năng đúng, chưa đối chiếu đủ"}


def source_hint(source: str | None, confidence: str | None, note: str | None, *,
                officer: bool) -> str:
    """A rule's or threshold's source as printed, without working notes; officers get a
    discreet "?" whose tooltip holds the note and the confidence (escaped HTML)."""
    source = source or ""  # a reason without a source shows none, and no "None" in the hint
    clean = official_text(source)
    out = f' <span class="muted small">({escape(clean)})</span>' if clean else ""
    if officer and (note or (confidence and confidence != "C") or clean != source):
        hint = "Ghi chú làm việc (không in ra văn bản): "
        hint += f"{note} · " if note else ""
        hint += f"{source} · " if clean != source else ""
        hint += _CONFIDENCE.get(confidence, "cần kiểm tra") if confidence else ""
        out += (f' <span class="work-hint" tabindex="0" role="note" title="{escape(hint)}" '
                'aria-label="Ghi chú làm việc">?</span>')
    return out


@register.simple_tag(takes_context=True)
def source_note(context: template.Context, source: str | None, confidence: str | None = None,
                note: str | None = None) -> SafeString:
    """{% source_note source confidence note %}: `source_hint` for the page's reader
    (`is_officer` in the context)."""
    return mark_safe(source_hint(  # noqa: S308 -- source_hint escapes every value
        source, confidence, note, officer=bool(context.get("is_officer"))))


def _get(reason: Any, key: str) -> Any:
    return reason.get(key) if isinstance(reason, Mapping) else getattr(reason, key, None)


@register.simple_tag(takes_context=True)
def reasons_list(context: template.Context, reasons: Iterable[Any] | None,
                 missing: Iterable[str] | None = None) -> SafeString:
    """{% reasons_list reasons missing %}: the engine's reasons for one title, each rule passed
    or not with its source, then what is missing. Drawn here, not by an included template: a
    review page of 50 candidates has some 250 reasons, and the template loop was 40 % of its
    time."""
    officer = bool(context.get("is_officer"))
    items = []
    for r in reasons or ():
        passed = bool(_get(r, "passed"))
        hint = source_hint(_get(r, "source"), _get(r, "confidence"), _get(r, "note"),
                           officer=officer)
        items.append(
            f'<li class="{"ok" if passed else "no"}"><span class="mark" aria-hidden="true">'
            f'{"✓" if passed else "✗"}</span> <span class="sr-only">'
            f'{"Đạt:" if passed else "Chưa đạt:"}</span> <span class="reason-text">'
            f'{escape(_get(r, "text") or "")}</span> <span class="reason-source">{hint}</span>'
            '</li>')
    html = f'<ul class="reasons">{"".join(items)}</ul>'
    gaps = list(missing or ())
    if gaps:
        html += ('<p class="missing-title">Còn thiếu:</p><ul class="missing">'
                 + "".join(f"<li>{escape(m)}</li>" for m in gaps) + "</ul>")
    return mark_safe(html)  # noqa: S308 -- every value is escaped
