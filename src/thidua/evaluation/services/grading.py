"""Units' ratings and grading: a unit rated by the level above it, the scoring sheets an issuer
publishes (criteria and bands) and a unit's filled sheet, whose label the rules engine decides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from thidua.audit.services import audit_record
from thidua.evaluation import permissions
from thidua.evaluation.engine import evaluate_person as evaluate
from thidua.evaluation.models import (
    SCALE_LABELS,
    Grading,
    GradingAnswer,
    GradingCriterion,
    GradingLabel,
    GradingScale,
    GradingTemplate,
    RatingCode,
    UnitRating,
)
from thidua.evaluation.services.common import (
    by,
    check_eval_year,
    ensure_open,
)
from thidua.evaluation.unit_figures import unit_figures
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_number
from thidua.rules.ruleset import build_ruleset, list_rulesets

# The union rule set's parameter naming the first year graded on the four labels of
# HD 1294/HD-TLĐ (the years before it use "vững mạnh, khá, trung bình, yếu").
NEW_SCALE_PARAM = "grading_new_scale_from_year"

# How a grading's label is written for each kind of union unit: "CĐCS vững mạnh".
GRADED_AS = {"cdcs": "CĐCS", "cdcs_thanh_vien": "CĐCS", "cd_bo_phan": "CĐ bộ phận",
             "to_cd": "Tổ CĐ"}


def new_scale_from_year() -> int | None:
    """The first year graded on the new labels, from the union rule sets (the earliest one
    declaring the parameter); None when none does (the new labels then apply to every year)."""
    for rs in sorted(list_rulesets(), key=lambda r: r.effective_from):
        param = rs.params.get(NEW_SCALE_PARAM)
        if rs.family == "cong_doan" and param is not None:
            return int(param.value)
    return None


def scale_for_year(year: int) -> GradingScale:
    """The grading scale in force for `year`: 2017 → the old one, 2025 → the new one."""
    first = new_scale_from_year()
    return GradingScale.OLD if first is not None and year < first else GradingScale.NEW


def grading_label_text(label: str, unit_type: str = "") -> str:
    """A grading's label as the unit's result reads: "CĐCS vững mạnh", "Tổ CĐ hoàn thành tốt
    nhiệm vụ"; the bare label for other units."""
    if label not in GradingLabel.values:
        return label
    name = str(GradingLabel(label).label)
    subject = GRADED_AS.get(unit_type)
    return f"{subject} {name[:1].lower()}{name[1:]}" if subject else name


@transaction.atomic
def unit_rating_set(*, actor: Actor, unit: Unit, year: int, code: str, note: str = "") -> UnitRating:
    permissions.require_rater(actor, unit)
    check_eval_year(year)
    ensure_open(unit, year)
    if code not in RatingCode.values:
        raise ApplicationError("Xếp loại phải là HTXSNV, HTTNV, HTNV hoặc KHTNV.", field="code")
    current = UnitRating.objects.select_for_update().filter(unit=unit, year=year).first()
    before = {"code": current.code, "note": current.note} if current else None
    rating, _ = UnitRating.objects.update_or_create(
        unit=unit, year=year, defaults={"code": code, "note": clean_spaces(note)[:255],
                                        "updated_by": by(actor)})
    audit_record(actor=actor, action="unit_rating.set", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, before=before, after={"year": year, "code": code})
    return rating


def points_text(value: Decimal | float) -> str:
    """86 -> "86", 86.5 -> "86,5": points as a score sheet writes them."""
    return vn_number(float(value), 2).rstrip("0").rstrip(",")


def _decimal(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"{what} phải là một số.") from None
    if not number.is_finite():
        raise ApplicationError(f"{what} phải là một số.")
    return number


def _clean_thresholds(scale: str, thresholds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = [str(label) for label in SCALE_LABELS[GradingScale(scale)]]
    out: list[dict[str, Any]] = []
    last = None
    for band in thresholds:
        label = str(band.get("label", ""))
        if label not in labels:
            raise ApplicationError(f"Mức «{label}» không thuộc thang đã chọn.", field="thresholds")
        points = _decimal(band.get("min_points", 0), "Điểm tối thiểu")
        share = _decimal(band.get("min_criterion_share", 0), "Tỷ lệ điểm tối thiểu mỗi tiêu chí")
        if not Decimal(0) <= share <= Decimal(1):
            raise ApplicationError("Tỷ lệ điểm tối thiểu mỗi tiêu chí phải từ 0 đến 1.",
                                   field="thresholds")
        if last is not None and points > last:
            raise ApplicationError("Các mức xếp loại phải ghi từ cao xuống thấp.",
                                   field="thresholds")
        last = points
        out.append({"label": label, "min_points": float(points),
                    "min_criterion_share": float(share)})
    if not out:
        raise ApplicationError("Bảng chấm điểm cần ít nhất một mức xếp loại.", field="thresholds")
    if out[-1]["min_points"] > 0:
        # below every band: the scale's lowest label
        lowest = str(labels[-1])
        if lowest in {b["label"] for b in out}:
            raise ApplicationError("Mức thấp nhất của thang phải có điểm tối thiểu là 0.",
                                   field="thresholds")
        out.append({"label": lowest, "min_points": 0.0, "min_criterion_share": 0.0})
    if len({b["label"] for b in out}) != len(out):
        raise ApplicationError("Mỗi mức xếp loại chỉ ghi một lần.", field="thresholds")
    return out


@transaction.atomic
def grading_template_create(
    *, actor: Actor, issuer: Unit, year: int, name: str, scale: str,
    criteria: list[tuple[str, str, str, Any]], thresholds: list[dict[str, Any]],
    source: str = "", confidence: str = "G",
) -> GradingTemplate:
    """A scoring sheet of an issuer: criteria (code, group, text, max points) and bands per
    label. The codes are what the rules engine's grading rule reads (C1, C2, C3…)."""
    permissions.require_entry(actor, issuer)
    check_eval_year(year)
    if scale not in GradingScale.values:
        raise ApplicationError("Thang xếp loại không hợp lệ.", field="scale")
    in_force = scale_for_year(year)
    if scale != in_force:
        raise ApplicationError(
            f"Năm {year} xếp loại theo {in_force.label[:1].lower()}{in_force.label[1:]}.",
            field="scale")
    name = clean_spaces(name)
    if not name:
        raise ApplicationError("Hãy ghi tên bảng chấm điểm.", field="name")
    if not criteria:
        raise ApplicationError("Bảng chấm điểm cần ít nhất một tiêu chí.", field="criteria")
    bands = _clean_thresholds(scale, thresholds)
    if confidence not in {"C", "L", "G"}:
        raise ApplicationError("Mức tin cậy là C, L hoặc G.", field="confidence")
    try:
        with transaction.atomic():
            template = GradingTemplate.objects.create(
                issuer=issuer, year=year, name=name[:255], scale=scale, thresholds=bands,
                source=clean_spaces(source)[:255], confidence=confidence,
                created_by=by(actor))
    except IntegrityError:
        raise ApplicationError("Đã có bảng chấm điểm cùng tên cho năm này.", field="name") from None
    rows = []
    codes: set[str] = set()
    for i, (code, group, text, max_points) in enumerate(criteria, 1):
        code = clean_spaces(code).upper() or f"C{i}"
        if code in codes or len(code) > 20:
            raise ApplicationError(f"Mã tiêu chí «{code}» trùng hoặc quá dài.", field="criteria")
        codes.add(code)
        points = _decimal(max_points, "Điểm tối đa")
        if points <= 0:
            raise ApplicationError("Điểm tối đa của tiêu chí phải lớn hơn 0.", field="criteria")
        text = clean_spaces(text)
        if not text:
            raise ApplicationError("Tiêu chí không được để trống.", field="criteria")
        rows.append(GradingCriterion(template=template, order=i, code=code,
                                     group=clean_spaces(group)[:255],
                                     text=text[:500], max_points=points))
    GradingCriterion.objects.bulk_create(rows)
    audit_record(actor=actor, action="grading_template.create", object_type="unit",
                 object_id=issuer.code, unit_id=issuer.pk,
                 after={"year": year, "name": template.name, "scale": scale, "thresholds": bands,
                        "criteria": [(c.code, c.group, c.text, c.max_points) for c in rows]})
    return template


def grading_ruleset(template: GradingTemplate) -> Any:
    """The template as a one-title rule set of the engine: its criteria become a sheet, its bands
    a scale (points turned into shares of the maximum), and one unit title whose `grading` rule
    passes at the lowest band, so the outcome's grade is the band the points reach."""
    criteria = list(template.criteria.all())
    total = sum((c.max_points for c in criteria), Decimal(0)) or Decimal(1)
    labels = dict(GradingLabel.choices)
    bands = []
    for band in template.thresholds:
        percent = float(Decimal(str(band["min_points"])) * 100 / total)
        bands.append({"code": band["label"], "name": labels[band["label"]],
                      "min_percent": round(percent, 6),
                      "min_each_percent": float(band.get("min_criterion_share", 0)) * 100})
    document = f"Bảng chấm điểm số {template.pk}"
    raw = {
        "id": f"bang-cham-diem-{template.pk}", "title": template.name, "family": "cong_doan",
        "effective_from": dt.date(template.year, 1, 1),
        "effective_to": dt.date(template.year + 1, 1, 1), "auto": False,
        "documents": [{"code": document, "title": template.source or template.name}],
        "sheets": {"bang": {"criteria": [{"code": c.code, "title": c.text,
                                          "max": float(c.max_points)} for c in criteria]}},
        "scales": {"thang": {"title": GradingScale(template.scale).label, "bands": bands}},
        "titles": [{"code": "XEP_LOAI", "name": f"Xếp loại theo {template.name}",
                    "subject": "tap_the", "rules": [{
                        "id": "XEP_LOAI.cham_diem", "check": "grading", "sheet": "bang",
                        "scale": "thang", "band": bands[-1]["code"],
                        "source": f"{document}, {template.source}" if template.source
                        else document,
                        "confidence": template.confidence}]}],
    }
    return build_ruleset(raw, template.name, {})


def grade(template: GradingTemplate, points: dict[int, Decimal]
          ) -> tuple[str, list[dict[str, Any]]]:
    """The label a filled sheet reaches and the reasons, decided by the rules engine's grading
    rule on the template's criteria and bands."""
    codes = {c.pk: c.code for c in template.criteria.all()}
    facts = {"kind": "unit", "year": template.year,
             "grading": {codes[pk]: float(v) for pk, v in points.items()}}
    outcome = evaluate(facts, grading_ruleset(template))["titles"]["XEP_LOAI"]
    return str(outcome["grade"] or ""), outcome["reasons"]


@transaction.atomic
def grading_submit(*, actor: Actor, unit: Unit, year: int, template: GradingTemplate,
                   points: dict[int, Any]) -> Grading:
    """A unit's scores on an issuer's sheet; the label follows from the grading rule."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    ensure_open(unit, year)
    if not unit.path.startswith(template.issuer.path) or template.year != year:
        raise ApplicationError("Bảng chấm điểm này không áp dụng cho đơn vị trong năm này.",
                               field="template")
    criteria = {c.pk: c for c in template.criteria.all()}
    clean: dict[int, Decimal] = {}
    for cid, raw in points.items():
        criterion = criteria.get(int(cid))
        if criterion is None:
            raise ApplicationError("Tiêu chí không thuộc bảng chấm điểm.", field="points")
        value = _decimal(raw, f"Điểm của «{criterion.text}»")
        if not Decimal(0) <= value <= criterion.max_points:
            raise ApplicationError(
                f"Điểm của «{criterion.text}» phải từ 0 đến "
                f"{points_text(criterion.max_points)}.", field="points")
        clean[criterion.pk] = value
    missing = [c.text for pk, c in criteria.items() if pk not in clean]
    if missing:
        raise ApplicationError(f"Chưa chấm điểm tiêu chí: {missing[0]}.", field="points")
    label, reasons = grade(template, clean)
    total = sum(clean.values(), Decimal(0))
    before = Grading.objects.filter(unit=unit, year=year).values("label", "total").first()
    with unit_figures([unit.pk]):  # the CĐCS gradings' subtree sums (ADR 0036)
        grading, _ = Grading.objects.update_or_create(
            unit=unit, year=year, defaults={
                "template": template, "total": total, "label": label, "reasons": reasons,
                "rule_set": template.source or template.name,
                "graded_by": by(actor)})
    grading.answers.all().delete()
    GradingAnswer.objects.bulk_create(
        [GradingAnswer(grading=grading, criterion_id=pk, points=v) for pk, v in clean.items()])
    audit_record(actor=actor, action="grading.submit", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, before=before,
                 after={"year": year, "template": template.pk, "total": total, "label": label})
    return grading
