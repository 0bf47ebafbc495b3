"""Evaluation actions: ratings and facts, grading, titles, the year-end review (bình xét) with its
council and votes, the year lock and corrections. Each is one transaction with an audit entry;
a refusal raises ApplicationError with a Vietnamese message and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.councils import services as councils
from thidua.councils import tally as tally_mod
from thidua.councils.models import BASIC_ROLES, Ballot, Choice, Council, Kind, Member, Role, Subject
from thidua.councils.tally import Tally, Threshold, decide
from thidua.evaluation import facts as facts_mod
from thidua.evaluation.engine import evaluate_people, evaluate_units, quota_limit, title_labels
from thidua.evaluation.engine import evaluate_person as evaluate
from thidua.evaluation.models import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    RATING_RANK,
    SCALE_LABELS,
    Candidate,
    CandidateSource,
    Correction,
    CorrectionKind,
    DecidedBy,
    Discipline,
    DisciplineForm,
    Grading,
    GradingAnswer,
    GradingCriterion,
    GradingLabel,
    GradingScale,
    GradingTemplate,
    InitiativeLevel,
    Outcome,
    Rating,
    RatingCode,
    RecognizedInitiative,
    Review,
    ReviewEvent,
    ReviewStatus,
    TitleResult,
    UnitRating,
    YearLock,
    year_end,
)
from thidua.evaluation.selectors import (
    check_year,
    child_units,
    lock_covering,
    lock_paths,
    locks_below,
    open_reviews_below,
    roster_units,
    year_lock_for,
    year_version,
)
from thidua.evaluation.thresholds import threshold_for
from thidua.org.models import Unit, UnitVersion
from thidua.org.permissions import can, require
from thidua.people.models import Person
from thidua.people.services import person_unit_path
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date, vn_number
from thidua.platform.workflow import Move, Transition, Workflow
from thidua.rules.engine import compiled_for
from thidua.rules.ruleset import RuleSetError, build_ruleset

MIN_REASON = 5
MAX_DAYS = 366

Registrations = facts_mod.Registrations


# --- guards -----------------------------------------------------------------------------------


def locked_message(lock: YearLock) -> str:
    return (f"Số liệu năm {lock.year} của «{lock.unit.name}» đã khóa ngày "
            f"{vn_date(timezone.localtime(lock.at).date())}; chỉ có thể thay đổi bằng đính chính "
            "có ghi lý do.")


def ensure_open(unit: Unit, year: int) -> None:
    """Refuse a change to a locked year (a lock on the unit or an ancestor)."""
    lock = year_lock_for(unit, year)
    if lock is not None:
        raise ApplicationError(locked_message(lock), field="year")


def _reason(text: str | None, what: str = "lý do") -> str:
    text = clean_spaces(text)
    if len(text) < MIN_REASON:
        raise ApplicationError(f"Hãy ghi {what} (ít nhất {MIN_REASON} ký tự).", field="reason")
    return text


def subject_name(item: Any) -> str:
    """The person's or the unit's name of a candidate or a result."""
    if item.person is not None:
        return str(item.person.full_name)
    return str(item.subject_unit.name) if item.subject_unit is not None else ""


def _title_label(code: str) -> str:
    return title_labels().get(code, code)


# --- ratings and facts of people --------------------------------------------------------------


@dataclass
class RatingRow:
    """One line of the grid or of an imported file."""

    person_id: int
    code: str = ""
    absence_days: int = 0
    maternity_days: int = 0
    service_months: int | None = None
    note: str = ""
    row: int = 0  # Excel row number, for messages


@dataclass
class RatingsResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Đã lưu: thêm mới {vn_number(self.created)}, cập nhật {vn_number(self.updated)}, "
                f"không đổi {vn_number(self.unchanged)}.")


RATING_FIELDS = ("code", "absence_days", "maternity_days", "service_months", "note")


def rating_row_problems(row: RatingRow) -> list[tuple[str, str]]:
    """(field, message) for every value a rating row may not hold."""
    problems = []
    if row.code and row.code not in RatingCode.values:
        problems.append(("code", "Xếp loại phải là HTXSNV, HTTNV, HTNV hoặc KHTNV."))
    for name, label in (("absence_days", "Số ngày nghỉ"), ("maternity_days",
                                                          "Số ngày nghỉ thai sản")):
        value = getattr(row, name)
        if value is None or value < 0 or value > MAX_DAYS:
            problems.append((name, f"{label} phải từ 0 đến {MAX_DAYS}."))
    if (row.absence_days or 0) + (row.maternity_days or 0) > MAX_DAYS:
        problems.append(("maternity_days", "Tổng số ngày nghỉ và nghỉ thai sản vượt quá số ngày "
                                           "trong năm."))
    if row.service_months is not None and not 0 <= row.service_months <= 12:
        problems.append(("service_months", "Số tháng công tác phải từ 0 đến 12."))
    if len(row.note) > 255:
        problems.append(("note", "Ghi chú tối đa 255 ký tự."))
    return problems


def _snapshot(rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {f: getattr(rating, f) for f in RATING_FIELDS}


@transaction.atomic
def ratings_save(*, actor: Any, unit: Unit, year: int, rows: list[RatingRow],
                 source: str = "grid") -> RatingsResult:
    """Save ratings and working-time facts for people on the unit's roster on 31/12 of `year`.
    All or nothing: a person off the roster, a bad value or a locked year refuses every row."""
    require(actor, unit.path, "officer")
    check_year(year)
    ensure_open(unit, year)
    homes = roster_units(unit, year)
    locks = lock_paths(year)
    unit_paths = dict(Unit.objects.filter(pk__in=set(homes.values())).values_list("pk", "path"))
    seen: set[int] = set()
    for row in rows:
        if row.person_id in seen:
            raise ApplicationError(f"Một người được ghi hai lần (dòng {row.row})."
                                   if row.row else "Một người được ghi hai lần.")
        seen.add(row.person_id)
        if row.person_id not in homes:
            name = Person.objects.filter(pk=row.person_id).values_list("full_name", flat=True).first()
            raise ApplicationError(
                f"{name or 'Người này'} không có trong danh sách của «{unit.name}» ngày "
                f"{vn_date(year_end(year))}; không ghi xếp loại được.", field="person")
        lock = lock_covering(unit_paths[homes[row.person_id]], locks)
        if lock is not None:
            raise ApplicationError(locked_message(lock), field="year")
        problems = rating_row_problems(row)
        if problems:
            f, message = problems[0]
            raise ApplicationError(message, field=f)
    existing = {r.person_id: r for r in Rating.objects.select_for_update().filter(
        year=year, person_id__in=[r.person_id for r in rows])}
    result = RatingsResult()
    new: list[Rating] = []
    changed: list[Rating] = []
    for row in rows:
        values = {"code": row.code, "absence_days": row.absence_days,
                  "maternity_days": row.maternity_days, "service_months": row.service_months,
                  "note": clean_spaces(row.note)}
        current = existing.get(row.person_id)
        if current is None:
            new.append(Rating(person_id=row.person_id, year=year, unit_id=homes[row.person_id],
                              updated_by=actor if getattr(actor, "pk", None) else None, **values))
            result.changes.append({"person": row.person_id, "before": None, "after": values})
            continue
        before = _snapshot(current)
        if before == values and current.unit_id == homes[row.person_id]:
            result.unchanged += 1
            continue
        for k, v in values.items():
            setattr(current, k, v)
        current.unit_id = homes[row.person_id]
        current.updated_by = actor if getattr(actor, "pk", None) else None
        current.updated_at = timezone.now()
        changed.append(current)
        result.changes.append({"person": row.person_id, "before": before, "after": values})
    Rating.objects.bulk_create(new, batch_size=1000)
    if changed:
        Rating.objects.bulk_update(changed, [*RATING_FIELDS, "unit", "updated_by", "updated_at"],
                                   batch_size=500)
    result.created, result.updated = len(new), len(changed)
    if new or changed:
        audit_record(actor=actor, action="rating.save", object_type="unit", object_id=unit.code,
                     unit_id=unit.pk, after={"year": year, "source": source,
                                             "created": result.created,
                                             "updated": result.updated,
                                             "changes": result.changes})
    return result


def _person_officer(actor: Any, person: Person) -> str:
    path = person_unit_path(person)
    require(actor, path, "officer")
    return path


@transaction.atomic
def discipline_record(*, actor: Any, person: Person, form: str, valid_from: dt.date,
                      valid_to: dt.date | None = None, decision: str = "",
                      note: str = "") -> Discipline:
    _person_officer(actor, person)
    if form not in DisciplineForm.values:
        raise ApplicationError("Hình thức kỷ luật không có trong danh mục.", field="form")
    if valid_to is not None and valid_to <= valid_from:
        raise ApplicationError("Ngày kết thúc phải sau ngày bắt đầu.", field="valid_to")
    record = Discipline.objects.create(
        person=person, form=form, valid_from=valid_from, valid_to=valid_to,
        decision=clean_spaces(decision)[:80], note=clean_spaces(note)[:255],
        created_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="discipline.create", object_type="person",
                 object_id=person.pk, after={"form": form, "from": valid_from, "to": valid_to,
                                             "decision": record.decision})
    return record


@transaction.atomic
def initiative_record(*, actor: Any, person: Person, year: int, level: str, name: str,
                      decision: str = "") -> RecognizedInitiative:
    """A recognised initiative as a fact (stand-in until the initiatives module exists)."""
    _person_officer(actor, person)
    check_year(year)
    if level not in InitiativeLevel.values:
        raise ApplicationError("Cấp công nhận không có trong danh mục.", field="level")
    name = clean_spaces(name)
    if not name:
        raise ApplicationError("Hãy ghi tên sáng kiến.", field="name")
    record = RecognizedInitiative.objects.create(
        person=person, year=year, level=level, name=name[:255],
        decision=clean_spaces(decision)[:120],
        created_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="initiative.record", object_type="person",
                 object_id=person.pk, after={"year": year, "level": level, "name": record.name,
                                             "decision": record.decision})
    return record


@transaction.atomic
def initiatives_import(*, actor: Any, unit: Unit, year: int,
                       rows: list[tuple[int, str, str, str]]) -> int:
    """Recognised initiatives (person id, level, name, decision) of people on the unit's roster
    on 31/12 of `year`, in one go. Returns how many were recorded."""
    require(actor, unit.path, "officer")
    check_year(year)
    homes = roster_units(unit, year)
    records = []
    for pid, level, name, decision in rows:
        if pid not in homes:
            raise ApplicationError(f"Có người không thuộc danh sách của «{unit.name}» ngày "
                                   f"{vn_date(year_end(year))}.", field="person")
        if level not in InitiativeLevel.values:
            raise ApplicationError("Cấp công nhận không có trong danh mục.", field="level")
        name = clean_spaces(name)
        if not name:
            raise ApplicationError("Hãy ghi tên sáng kiến.", field="name")
        records.append(RecognizedInitiative(
            person_id=pid, year=year, level=level, name=name[:255],
            decision=clean_spaces(decision)[:120],
            created_by=actor if getattr(actor, "pk", None) else None))
    RecognizedInitiative.objects.bulk_create(records, batch_size=1000)
    audit_record(actor=actor, action="initiative.import", object_type="unit",
                 object_id=unit.code, unit_id=unit.pk,
                 after={"year": year, "count": len(records),
                        "people": sorted({r.person_id for r in records})})
    return len(records)


# --- units: rating and grading ----------------------------------------------------------------


def _rater_path(unit: Unit) -> str:
    """A unit is rated by the level above it (its parent); the root rates itself."""
    parent = Unit.objects.get_parent(unit)
    return parent.path if parent is not None else unit.path


@transaction.atomic
def unit_rating_set(*, actor: Any, unit: Unit, year: int, code: str, note: str = "") -> UnitRating:
    require(actor, _rater_path(unit), "officer")
    check_year(year)
    ensure_open(unit, year)
    if code not in RatingCode.values:
        raise ApplicationError("Xếp loại phải là HTXSNV, HTTNV, HTNV hoặc KHTNV.", field="code")
    current = UnitRating.objects.select_for_update().filter(unit=unit, year=year).first()
    before = {"code": current.code, "note": current.note} if current else None
    rating, _ = UnitRating.objects.update_or_create(
        unit=unit, year=year, defaults={"code": code, "note": clean_spaces(note)[:255],
                                        "updated_by": actor if getattr(actor, "pk", None) else None})
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
    *, actor: Any, issuer: Unit, year: int, name: str, scale: str,
    criteria: list[tuple[str, str, str, Any]], thresholds: list[dict[str, Any]],
    source: str = "", confidence: str = "G",
) -> GradingTemplate:
    """A scoring sheet of an issuer: criteria (code, group, text, max points) and bands per
    label. The codes are what the rules engine's grading rule reads (C1, C2, C3…)."""
    require(actor, issuer.path, "officer")
    check_year(year)
    if scale not in GradingScale.values:
        raise ApplicationError("Thang xếp loại không hợp lệ.", field="scale")
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
                created_by=actor if getattr(actor, "pk", None) else None)
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
def grading_submit(*, actor: Any, unit: Unit, year: int, template: GradingTemplate,
                   points: dict[int, Any]) -> Grading:
    """A unit's scores on an issuer's sheet; the label follows from the grading rule."""
    require(actor, unit.path, "officer")
    check_year(year)
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
    grading, _ = Grading.objects.update_or_create(
        unit=unit, year=year, defaults={
            "template": template, "total": total, "label": label, "reasons": reasons,
            "rule_set": template.source or template.name,
            "graded_by": actor if getattr(actor, "pk", None) else None})
    grading.answers.all().delete()
    GradingAnswer.objects.bulk_create(
        [GradingAnswer(grading=grading, criterion_id=pk, points=v) for pk, v in clean.items()])
    audit_record(actor=actor, action="grading.submit", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, before=before,
                 after={"year": year, "template": template.pk, "total": total, "label": label})
    return grading


# --- titles ------------------------------------------------------------------------------------


def evaluate_roster(unit: Unit, year: int, *, registrations: Registrations | None = None
                    ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Facts and the engine's outcome for everyone on the unit's roster on 31/12."""
    homes = roster_units(unit, year)
    facts = facts_mod.build_person_facts(person_ids=list(homes), year=year,
                                         registrations=registrations)
    return facts, evaluate_people(facts)


def evaluate_child_units(unit: Unit, year: int, *, person_facts: dict[int, dict[str, Any]],
                         person_outcomes: dict[int, dict[str, Any]],
                         registrations: Registrations | None = None,
                         ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Facts and outcomes of the unit's direct children (collective titles), each summarised
    from the people of its subtree on 31/12 (already evaluated by the caller)."""
    day = year_end(year)
    version = year_version(unit, year)
    children = list(UnitVersion.objects.at(day).filter(
        path__startswith=version.path, depth=version.depth + 1).values_list("unit_id", "path"))
    if not children:
        return {}, {}
    homes = roster_units(unit, year)
    paths = dict(UnitVersion.objects.at(day).filter(unit_id__in=set(homes.values()))
                 .values_list("unit_id", "path"))
    decided: dict[int, set[str]] = {}
    for pid, title in TitleResult.objects.filter(person_id__in=list(homes), year=year,
                                                 revoked=False).values_list("person_id", "title"):
        decided.setdefault(pid, set()).add(title)
    rosters: dict[int, dict[str, Any]] = {}
    for uid, path in children:
        ids = [pid for pid, home in homes.items() if paths.get(home, "").startswith(path)]
        rosters[uid] = facts_mod.roster_summary(
            {p: person_facts[p] for p in ids if p in person_facts},
            {p: person_outcomes[p] for p in ids if p in person_outcomes}, year,
            {p: decided[p] for p in ids if p in decided} if decided else None)
    unit_facts = facts_mod.build_unit_facts(unit_ids=[u for u, _ in children], year=year,
                                            rosters=rosters, registrations=registrations)
    return unit_facts, evaluate_units(unit_facts)


def quota_order(facts: dict[str, Any], year: int, pid: int) -> tuple[Any, ...]:
    """Who goes first when a quota cuts a list: the better rating, more recognised initiatives
    that year, then women (NĐ 152/2025 Art. 4: on equal merit, prefer women), then the oldest
    record."""
    code = facts["ratings"].get(str(year))
    rank = RATING_RANK[RatingCode(code)] if code else -1
    initiatives = sum(1 for i in facts["initiatives"] if i["year"] == year)
    return (-rank, -initiatives, facts["person"]["gender"] != "nu", pid)


def apply_quotas(eligible: dict[str, list[int]], facts: dict[int, dict[str, Any]], year: int,
                 held: dict[str, int] | None = None) -> dict[str, list[int]]:
    """Cut each title's list to the rule set's quota (e.g. CSTĐ cơ sở ≤ 15 % of the LĐTT under
    NĐ 91/2017), keeping the first by `quota_order`; returns what was cut, by title."""
    cut: dict[str, list[int]] = {}
    for title, ids in eligible.items():
        try:
            base_title = _quota_base(title, year)
        except RuleSetError:
            continue
        if base_title is None:
            continue
        base = len(eligible.get(base_title, [])) + (held or {}).get(base_title, 0)
        limit = quota_limit(title, base, year)
        taken = (held or {}).get(title, 0)
        if limit is None or len(ids) + taken <= limit:
            continue
        ordered = sorted(ids, key=lambda p: quota_order(facts[p], year, p))
        keep = max(0, limit - taken)
        eligible[title], cut[title] = ordered[:keep], ordered[keep:]
    return cut


def _quota_base(title: str, year: int) -> str | None:
    spec = compiled_for(None, year).by_code.get(title)
    return spec.spec.quota.of if spec is not None and spec.spec.quota is not None else None


@transaction.atomic
def results_from_engine(*, actor: Any, unit: Unit, year: int,
                        titles: Iterable[str] = INDIVIDUAL_TITLES,
                        registrations: Registrations | None = None) -> int:
    """Store, as decided by the rules, the titles the engine grants to people of the roster
    (where no result of that title exists yet), a title with a quota cut to it. Returns how
    many were stored."""
    require(actor, unit.path, "officer")
    check_year(year)
    ensure_open(unit, year)
    below = locks_below(unit, year)
    if below:
        raise ApplicationError(locked_message(below[0]), field="year")
    wanted = set(titles)
    facts, outcomes = evaluate_roster(unit, year, registrations=registrations)
    held_pairs = set(TitleResult.objects.filter(person_id__in=list(outcomes), year=year,
                                                revoked=False).values_list("person_id", "title"))
    held: dict[str, int] = {}
    for _, t in held_pairs:
        held[t] = held.get(t, 0) + 1
    eligible: dict[str, list[int]] = {}
    for pid, outcome in outcomes.items():
        for code, o in outcome["titles"].items():
            if code in wanted and o["eligible"] and (pid, code) not in held_pairs:
                eligible.setdefault(code, []).append(pid)
    cut = apply_quotas(eligible, facts, year, held)
    rows = []
    for code, ids in eligible.items():
        for pid in ids:
            outcome = outcomes[pid]
            rows.append(TitleResult(person_id=pid, year=year, title=code, unit=unit,
                                    how=DecidedBy.ENGINE, reasons=outcome["titles"][code]["reasons"],
                                    rule_set=outcome["rule_set"],
                                    created_by=actor if getattr(actor, "pk", None) else None))
    TitleResult.objects.bulk_create(rows, batch_size=1000)
    counts = {code: len(ids) for code, ids in eligible.items()}
    audit_record(actor=actor, action="title.engine", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, after={"year": year, "counts": counts,
                                         "cut_by_quota": {t: len(v) for t, v in cut.items()}})
    return len(rows)


@transaction.atomic
def unit_results_from_engine(*, actor: Any, unit: Unit, year: int,
                             registrations: Registrations | None = None,
                             unit_registrations: Registrations | None = None) -> int:
    """Store the collective titles (TTLĐTT, TTLĐXS) the engine grants to the unit's direct
    children, from their ratings and their people's results. Returns how many were stored."""
    require(actor, unit.path, "officer")
    check_year(year)
    ensure_open(unit, year)
    person_facts, outcomes = evaluate_roster(unit, year, registrations=registrations)
    _, unit_outcomes = evaluate_child_units(unit, year, person_facts=person_facts,
                                            person_outcomes=outcomes,
                                            registrations=unit_registrations)
    held = set(TitleResult.objects.filter(subject_unit_id__in=list(unit_outcomes), year=year,
                                          revoked=False).values_list("subject_unit_id", "title"))
    rows = []
    for uid, outcome in unit_outcomes.items():
        for code, o in outcome["titles"].items():
            if code in COLLECTIVE_TITLES and o["eligible"] and (uid, code) not in held:
                rows.append(TitleResult(subject_unit_id=uid, year=year, title=code, unit=unit,
                                        how=DecidedBy.ENGINE, reasons=o["reasons"],
                                        rule_set=outcome["rule_set"],
                                        created_by=actor if getattr(actor, "pk", None) else None))
    TitleResult.objects.bulk_create(rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.title] = counts.get(r.title, 0) + 1
    audit_record(actor=actor, action="title.engine_units", object_type="unit",
                 object_id=unit.code, unit_id=unit.pk, after={"year": year, "counts": counts})
    return len(rows)


@transaction.atomic
def results_import(*, actor: Any, unit: Unit, year: int, title: str, person_ids: list[int],
                   how: str = DecidedBy.IMPORTED, note: str = "") -> int:
    """Titles decided outside this system (earlier years' records, a council on paper), for
    people on the unit's roster on 31/12 of `year`. Already held titles are left alone."""
    require(actor, unit.path, "officer")
    check_year(year)
    ensure_open(unit, year)
    if how not in (DecidedBy.IMPORTED, DecidedBy.COUNCIL):
        raise ApplicationError("Chỉ nhập được kết quả từ dữ liệu cũ hoặc của Hội đồng.")
    if title not in title_labels() or title in COLLECTIVE_TITLES:
        raise ApplicationError("Danh hiệu cá nhân không có trong danh mục.", field="title")
    homes = roster_units(unit, year)
    outside = [p for p in person_ids if p not in homes]
    if outside:
        raise ApplicationError(f"Có {vn_number(len(outside))} người không thuộc danh sách của "
                               f"«{unit.name}» ngày {vn_date(year_end(year))}.", field="person")
    held = set(TitleResult.objects.filter(person_id__in=person_ids, year=year, title=title,
                                          revoked=False).values_list("person_id", flat=True))
    rows = [TitleResult(person_id=p, year=year, title=title, unit=unit, how=how,
                        note=clean_spaces(note)[:255],
                        created_by=actor if getattr(actor, "pk", None) else None)
            for p in sorted(set(person_ids)) if p not in held]
    TitleResult.objects.bulk_create(rows, batch_size=1000)
    audit_record(actor=actor, action="title.import", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, after={"year": year, "title": title, "how": how,
                                         "count": len(rows), "note": note})
    return len(rows)


# --- the review (bình xét) ---------------------------------------------------------------------


def _event(review: Review, actor: Any, kind: str, text: str, **data: Any) -> None:
    ReviewEvent.objects.create(review=review, actor=actor if getattr(actor, "pk", None) else None,
                               kind=kind, text=text, data=data)
    audit_record(actor=actor, action=f"review.{kind}", object_type="review", object_id=review.pk,
                 unit_id=review.unit_id, after={"year": review.year, "text": text, **data})


def _fresh(review: Review) -> Review:
    """The review re-read under a row lock: two officers acting at once queue here."""
    return Review.objects.select_for_update().select_related("unit", "council").get(pk=review.pk)


def council_name(year: int) -> str:
    return f"Hội đồng Thi đua – Khen thưởng, bình xét năm {year}"


def _require_status(review: Review, *allowed: str) -> None:
    if review.status not in allowed:
        labels = ", ".join(f"«{ReviewStatus(s).label}»" for s in allowed)
        raise ApplicationError(
            f"Bình xét đang ở bước «{review.get_status_display()}»; thao tác này chỉ làm được ở "
            f"bước {labels}.", field="status")


def _propose(review: Review, *, registrations: Registrations | None,
             unit_registrations: Registrations | None) -> dict[str, int]:
    """Write the engine's list: eligible (person or child unit, title) pairs become engine
    candidates; engine candidates no longer eligible are dropped unless an officer acted on
    them; officers' additions and removals stay."""
    unit, year = review.unit, review.year
    person_facts, outcomes = evaluate_roster(unit, year, registrations=registrations)
    unit_facts, unit_outcomes = evaluate_child_units(
        unit, year, person_facts=person_facts, person_outcomes=outcomes,
        registrations=unit_registrations)
    rule_sets = {o["rule_set"] for o in [*outcomes.values(), *unit_outcomes.values()]}
    proposed: dict[tuple[str, int | None, str], dict[str, Any]] = {}
    for pid, outcome in outcomes.items():
        for code, o in outcome["titles"].items():
            if o["eligible"] and code in INDIVIDUAL_TITLES:
                proposed[("p", pid, code)] = o
    for uid, outcome in unit_outcomes.items():
        for code, o in outcome["titles"].items():
            if o["eligible"] and code in COLLECTIVE_TITLES:
                proposed[("u", uid, code)] = o
    existing = {("p" if c.person_id else "u", c.person_id or c.subject_unit_id, c.title): c
                for c in review.candidates.all()}
    new, update, drop = [], [], []
    for key, o in proposed.items():
        c = existing.get(key)
        if c is None:
            kind, sid, code = key
            new.append(Candidate(review=review, person_id=sid if kind == "p" else None,
                                 subject_unit_id=sid if kind == "u" else None, title=code,
                                 source=CandidateSource.ENGINE, eligible=True,
                                 reasons=o["reasons"], missing=o["missing"]))
        else:
            c.eligible, c.reasons, c.missing = True, o["reasons"], o["missing"]
            update.append(c)
    for key, c in existing.items():
        if key in proposed:
            continue
        kind, sid, code = key
        source = outcomes if kind == "p" else unit_outcomes
        o = source.get(sid or 0, {}).get("titles", {}).get(code)
        if c.source == CandidateSource.ENGINE and c.included and not c.added_reason:
            drop.append(c.pk)
        else:
            c.eligible = False
            if o is not None:
                c.reasons, c.missing = o["reasons"], o["missing"]
            update.append(c)
    Candidate.objects.filter(pk__in=drop).delete()
    Candidate.objects.bulk_create(new, batch_size=1000)
    Candidate.objects.bulk_update(update, ["eligible", "reasons", "missing"], batch_size=500)
    review.rule_set = ", ".join(sorted(r for r in rule_sets if r))[:80]
    review.proposed_at = timezone.now()
    review.save(update_fields=["rule_set", "proposed_at"])
    return {"added": len(new), "kept": len(update), "dropped": len(drop)}


@transaction.atomic
def review_open(*, actor: Any, unit: Unit, year: int, registrations: Registrations | None = None,
                unit_registrations: Registrations | None = None) -> Review:
    """Start the year-end review at a unit with the engine's proposed list."""
    require(actor, unit.path, "officer")
    check_year(year)
    ensure_open(unit, year)
    year_version(unit, year)
    if Review.objects.filter(unit=unit, year=year).exists():
        raise ApplicationError(f"«{unit.name}» đã có bình xét năm {year}.", field="year")
    council = councils.council_create(actor=actor, unit=unit, kind=Kind.REVIEW, year=year,
                                      name=council_name(year), meeting_place=unit.name)
    review = Review.objects.create(unit=unit, year=year, council=council, created_by=actor if getattr(
        actor, "pk", None) else None)
    counts = _propose(review, registrations=registrations, unit_registrations=unit_registrations)
    _event(review, actor, "open", f"Mở bình xét năm {year}; danh sách theo quy tắc có "
                                  f"{vn_number(counts['added'])} đề nghị.", **counts)
    return review


@transaction.atomic
def review_propose(*, actor: Any, review: Review, registrations: Registrations | None = None,
                   unit_registrations: Registrations | None = None) -> dict[str, int]:
    """Recompute the engine's list (after ratings changed); officers' changes are kept."""
    review = _fresh(review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.DRAFT)
    counts = _propose(review, registrations=registrations, unit_registrations=unit_registrations)
    _event(review, actor, "propose",
           f"Tính lại danh sách theo quy tắc: thêm {vn_number(counts['added'])}, bỏ "
           f"{vn_number(counts['dropped'])}.", **counts)
    return counts


@transaction.atomic
def candidate_add(*, actor: Any, review: Review, title: str, reason: str,
                  person: Person | None = None, subject_unit: Unit | None = None,
                  registrations: Registrations | None = None,
                  unit_registrations: Registrations | None = None) -> Candidate:
    """Put someone the engine did not propose on the list; the reason is required."""
    review = _fresh(review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.DRAFT)
    reason = _reason(reason, "lý do bổ sung vào danh sách")
    if (person is None) == (subject_unit is None):
        raise ApplicationError("Hãy chọn một người hoặc một tập thể.", field="person")
    labels = title_labels()
    if person is not None:
        if title not in INDIVIDUAL_TITLES and not (title in labels and title not in
                                                   COLLECTIVE_TITLES):
            raise ApplicationError("Danh hiệu này không xét cho cá nhân.", field="title")
        if person.pk not in roster_units(review.unit, review.year):
            raise ApplicationError(
                f"{person.full_name} không có trong danh sách của «{review.unit.name}» ngày "
                f"{vn_date(year_end(review.year))}.", field="person")
        facts = facts_mod.build_person_facts(person_ids=[person.pk], year=review.year,
                                             registrations=registrations)
        outcome = evaluate_people(facts)[person.pk]["titles"].get(title)
        key = {"person": person}
        subject = person.full_name
    else:
        assert subject_unit is not None
        if title not in COLLECTIVE_TITLES:
            raise ApplicationError("Danh hiệu này không xét cho tập thể.", field="title")
        if subject_unit.pk not in {u.pk for u in child_units(review.unit, review.year)}:
            raise ApplicationError(f"«{subject_unit.name}» không trực thuộc «{review.unit.name}».",
                                   field="subject_unit")
        outcome = None
        person_facts, outcomes = evaluate_roster(review.unit, review.year,
                                                 registrations=registrations)
        _, unit_outcomes = evaluate_child_units(
            review.unit, review.year, person_facts=person_facts, person_outcomes=outcomes,
            registrations=unit_registrations)
        outcome = unit_outcomes.get(subject_unit.pk, {}).get("titles", {}).get(title)
        key = {"subject_unit": subject_unit}
        subject = subject_unit.name
    candidate = review.candidates.filter(title=title, **key).first()
    if candidate is not None and candidate.included:
        raise ApplicationError(f"{subject} đã có trong danh sách đề nghị «{labels.get(title, title)}».",
                               field="person")
    if candidate is None:
        candidate = Candidate(review=review, title=title, source=CandidateSource.OFFICER, **key)
    candidate.included = True
    candidate.added_reason = reason
    candidate.removed_reason = ""
    candidate.eligible = bool(outcome and outcome["eligible"])
    candidate.reasons = outcome["reasons"] if outcome else []
    candidate.missing = outcome["missing"] if outcome else []
    candidate.save()
    _event(review, actor, "candidate_add",
           f"Bổ sung {subject} vào danh sách «{labels.get(title, title)}». Lý do: {reason}",
           candidate=candidate.pk, title=title, reason=reason)
    return candidate


@transaction.atomic
def candidate_remove(*, actor: Any, candidate: Candidate, reason: str) -> Candidate:
    """Take a candidate off the list; the reason is required and the row is kept."""
    review = _fresh(candidate.review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.DRAFT)
    reason = _reason(reason, "lý do đưa ra khỏi danh sách")
    if not candidate.included:
        raise ApplicationError("Đề nghị này đã được đưa ra khỏi danh sách.")
    candidate.included = False
    candidate.removed_reason = reason
    candidate.save(update_fields=["included", "removed_reason"])
    subject = subject_name(candidate)
    label = _title_label(candidate.title)
    _event(review, actor, "candidate_remove",
           f"Đưa {subject} ra khỏi danh sách «{label}». Lý do: {reason}",
           candidate=candidate.pk, title=candidate.title, reason=reason)
    return candidate


@transaction.atomic
def council_member_add(*, actor: Any, review: Review, role: str, person: Person | None = None,
                       name: str = "", position: str = "") -> Member:
    """Add a council member: a person the officer can see, or a free name (guest)."""
    review = _fresh(review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.DRAFT)
    member = councils.member_add(council=review.council, role=role, person=person,
                                 full_name="" if person is not None else name,
                                 position=position, roles=BASIC_ROLES)
    _event(review, actor, "council_add",
           f"Thêm {member.full_name} ({Role(role).label}) vào Hội đồng.", member=member.pk)
    return member


@transaction.atomic
def council_member_remove(*, actor: Any, member: Member) -> None:
    review = _fresh(Review.objects.get(council_id=member.council_id))
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.DRAFT)
    name = member.full_name
    member.delete()
    _event(review, actor, "council_remove", f"Bỏ {name} khỏi Hội đồng.")


@transaction.atomic
def council_presence_set(*, actor: Any, review: Review, present_ids: Iterable[int]) -> None:
    """Who attends the meeting; the others may vote in writing."""
    review = _fresh(review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.DRAFT, ReviewStatus.VOTING)
    present, size = councils.presence_set(council=review.council, present_ids=present_ids)
    _event(review, actor, "presence", f"Có mặt {present}/{size} thành viên Hội đồng.",
           present=sorted(set(present_ids)))


@transaction.atomic
def council_ballot_set(*, actor: Any, review: Review, ballot: str) -> Review:
    """Open vote (each member's vote is recorded) or secret ballot (only the counts the
    vote-counting committee announces for each candidate). Chosen while drafting."""
    review = _fresh(review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.DRAFT)
    council = review.council
    if ballot not in Ballot.values:
        raise ApplicationError("Hình thức biểu quyết không hợp lệ.", field="ballot")
    if council.subjects.filter(votes__isnull=False).exists() or council.subjects.exclude(
            count_for=0, count_against=0, count_absent=0).exists():
        raise ApplicationError("Đã có phiếu được ghi; không đổi hình thức biểu quyết được nữa.",
                               field="ballot")
    council.ballot = ballot
    council.save(update_fields=["ballot"])
    _event(review, actor, "ballot", f"Hình thức biểu quyết: {Ballot(ballot).label.lower()}.",
           ballot=ballot)
    return review


@dataclass
class VoteIn:
    candidate_id: int
    member_id: int
    choice: str
    opinion: str = ""


def _voting_subjects(review: Review, candidate_ids: Iterable[int]) -> dict[int, int]:
    """{candidate id: subject id} of the included candidates asked for."""
    return dict(review.candidates.filter(pk__in=set(candidate_ids), included=True,
                                         subject__isnull=False)
                .values_list("pk", "subject_id"))


@transaction.atomic
def votes_record(*, actor: Any, review: Review, votes: list[VoteIn]) -> int:
    """Record council votes (upsert per candidate and member). A member absent from the meeting
    who votes for or against does so in writing; one who does not vote is recorded `vang`."""
    review = _fresh(review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.VOTING)
    subjects = _voting_subjects(review, [v.candidate_id for v in votes])
    for v in votes:
        if v.choice not in Choice.values:
            raise ApplicationError("Phiếu phải là Đồng ý, Không đồng ý hoặc Vắng.", field="choice")
    ballots = [councils.BallotIn(subject_id=subjects.get(v.candidate_id, 0),
                                 member_id=v.member_id, choice=v.choice, opinion=v.opinion)
               for v in votes]
    changes = councils.votes_record(council=review.council, ballots=ballots)
    if changes:
        candidate_of = {s: c for c, s in subjects.items()}
        _event(review, actor, "votes", f"Ghi {vn_number(len(changes))} phiếu biểu quyết.",
               votes=[{"candidate": candidate_of[c["subject"]], "member": c["member"],
                       "choice": c["choice"]} for c in changes][:2000])
    return len(changes)


@transaction.atomic
def votes_fill(*, actor: Any, review: Review, member: Member, choice: str,
               title: str = "") -> int:
    """One member's same vote on every candidate (of one title) not yet voted on by them: a
    council approving a list in one show of hands."""
    if member.council_id != review.council_id:
        raise ApplicationError(councils.NOT_A_MEMBER, field="member")
    qs = review.candidates.filter(included=True).exclude(subject__votes__member=member)
    if title:
        qs = qs.filter(title=title)
    return votes_record(actor=actor, review=review, votes=[
        VoteIn(candidate_id=pk, member_id=member.pk, choice=choice)
        for pk in qs.values_list("pk", flat=True)])


@transaction.atomic
def candidate_counts_record(*, actor: Any, candidate: Candidate, votes_for: int,
                            votes_against: int, absent: int) -> Tally:
    """A secret ballot's announced counts for one candidate (who voted how is not kept)."""
    review = _fresh(candidate.review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.VOTING)
    subject = (Subject.objects.select_related("council")
               .filter(candidate__pk=candidate.pk, candidate__included=True).first())
    if subject is None:
        raise ApplicationError("Đề nghị không có trong danh sách đang bỏ phiếu.",
                               field="candidate")
    result = councils.counts_record(subject=subject, votes_for=votes_for,
                                    votes_against=votes_against, absent=absent)
    _event(review, actor, "counts",
           f"Ghi kết quả kiểm phiếu «{_title_label(candidate.title)}» của "
           f"{subject_name(candidate)}: {result.votes_for} đồng ý, {result.votes_against} không "
           f"đồng ý, {result.absent} vắng.", candidate=candidate.pk, **result.as_counts())
    return result


def candidate_tally(candidate: Candidate, council: Council, size: int) -> Tally:
    """The tally of a candidate over the council's `size` members: frozen at closing, else
    counted now (prefetch `subject__votes` for many candidates)."""
    if candidate.outcome:
        return tally_mod.counted(members=candidate.council_size, votes_for=candidate.votes_for,
                                 votes_against=candidate.votes_against)
    if candidate.subject is None:
        return tally_mod.count((), members=size)
    return councils.subject_tally(candidate.subject, members=size, ballot=council.ballot)


def _close(review: Review, actor: Any) -> dict[str, int]:
    council = review.council
    size = council.members.count()
    candidates = list(review.candidates.filter(included=True)
                      .select_related("person", "subject_unit", "subject")
                      .prefetch_related("subject__votes"))
    tallies = {c.pk: candidate_tally(c, council, size) for c in candidates}
    missing = sum(t.missing for t in tallies.values())
    if missing:
        raise ApplicationError(
            f"Còn {vn_number(missing)} phiếu chưa ghi. Hãy ghi đủ phiếu của mọi thành viên "
            "(thành viên vắng không có ý kiến ghi «Vắng»).", field="votes")
    held = set()
    ids = [c.person_id for c in candidates if c.person_id]
    uids = [c.subject_unit_id for c in candidates if c.subject_unit_id]
    for pid, uid, t in TitleResult.objects.filter(year=review.year, revoked=False).filter(
            Q(person_id__in=ids) | Q(subject_unit_id__in=uids)).values_list(
            "person_id", "subject_unit_id", "title"):
        held.add((pid, uid, t))
    results, changed = [], []
    passed = 0
    thresholds: dict[str, Threshold] = {}
    for c in candidates:
        counts = tallies[c.pk]
        decision = decide(counts, thresholds.setdefault(c.title,
                                                        threshold_for(c.title, review.year)))
        ok = decision.passed
        c.outcome = Outcome.PASSED if ok else Outcome.FAILED
        c.votes_for, c.votes_against, c.votes_absent = (counts.votes_for, counts.votes_against,
                                                        counts.absent)
        c.council_size = size
        changed.append(c)
        if not ok or (c.person_id, c.subject_unit_id, c.title) in held:
            passed += ok
            continue
        passed += 1
        th = decision.threshold
        vote_reason = {
            "rule_id": f"vote.{c.title}", "passed": True, "source": th.source,
            "confidence": th.confidence, "text": f"Hội đồng bình xét {decision.explanation}.",
        }
        results.append(TitleResult(
            person_id=c.person_id, subject_unit_id=c.subject_unit_id, year=review.year,
            title=c.title, unit=review.unit, how=DecidedBy.COUNCIL,
            reasons=[*c.reasons, vote_reason], rule_set=review.rule_set, review=review,
            votes={**counts.as_counts(), "council": size, "threshold": th.as_dict()},
            created_by=actor if getattr(actor, "pk", None) else None))
    Candidate.objects.bulk_update(changed, ["outcome", "votes_for", "votes_against",
                                            "votes_absent", "council_size"], batch_size=500)
    TitleResult.objects.bulk_create(results, batch_size=1000)
    return {"candidates": len(candidates), "passed": passed, "stored": len(results)}


def _voting_refusal(review: Review, actor: Any) -> str | None:
    roles = set(review.council.members.values_list("role", flat=True))
    if not roles:
        return "Hãy lập Hội đồng bình xét trước khi bỏ phiếu."
    if Role.CHU_TICH not in roles:
        return "Hội đồng cần có Chủ tịch (chủ tọa cuộc họp)."
    if Role.THU_KY not in roles:
        return "Hội đồng cần có Thư ký (ghi biên bản)."
    if not review.candidates.filter(included=True).exists():
        return "Danh sách đề nghị đang trống."
    return _quota_refusal(review)


def _quota_refusal(review: Review) -> str | None:
    """A title with a quota (CSTĐ cơ sở ≤ 15 % of LĐTT under NĐ 91/2017) may not go to the vote
    with more candidates than the quota allows: the officer trims the list first, with reasons."""
    counts: dict[str, int] = {}
    for title in review.candidates.filter(included=True, person__isnull=False).values_list(
            "title", flat=True):
        counts[title] = counts.get(title, 0) + 1
    for title, n in counts.items():
        try:
            base_title = _quota_base(title, review.year)
        except RuleSetError:
            return None
        if base_title is None:
            continue
        limit = quota_limit(title, counts.get(base_title, 0), review.year)
        if limit is not None and n > limit:
            return (f"Danh sách «{_title_label(title)}» có {vn_number(n)} người, vượt chỉ tiêu "
                    f"{vn_number(limit)} người theo bộ quy tắc năm {review.year}. Hãy đưa bớt ra "
                    "khỏi danh sách (ghi lý do) trước khi bỏ phiếu.")
    return None


def _to_voting(review: Review, actor: Any, note: str) -> dict[str, Any]:
    """Every included candidate becomes a subject of the council's vote."""
    council = review.council
    waiting = list(review.candidates.filter(included=True, subject__isnull=True).order_by("pk"))
    for c, s in zip(waiting, councils.subjects_create(council=council,
                                                      labels=[c.title for c in waiting]),
                    strict=True):
        c.subject = s
    Candidate.objects.bulk_update(waiting, ["subject"], batch_size=500)
    return {"council": council.members.count()}


def _to_closed(review: Review, actor: Any, note: str) -> dict[str, Any]:
    counts = _close(review, actor)
    review.closed_at = timezone.now()
    return counts


def _years_open(review: Review, actor: Any) -> str | None:
    lock = year_lock_for(review.unit, review.year)
    if lock is None:
        below = locks_below(review.unit, review.year)
        lock = below[0] if below else None
    return locked_message(lock) if lock is not None else None


def _all(*guards: Callable[[Review, Any], str | None]) -> Callable[[Review, Any], str | None]:
    def guard(review: Review, actor: Any) -> str | None:
        return next((r for r in (g(review, actor) for g in guards) if r), None)
    return guard


def _record_transition(move: Move[Review]) -> None:
    text = f"{move.transition.label}."
    if move.reason:
        text += f" Ghi chú: {clean_spaces(move.reason)}"
    ReviewEvent.objects.create(review=move.obj, actor=move.actor if getattr(
        move.actor, "pk", None) else None, kind="transition", text=text,
        data={"before": move.source, "after": move.target, **move.data})


# The only way a review changes step. Closed is final: after it, corrections.
WORKFLOW: Workflow[Review] = Workflow(
    name="review", model=Review, labels=dict(ReviewStatus.choices), object_type="review",
    transitions=[
        Transition(ReviewStatus.DRAFT, ReviewStatus.VOTING, "vote", "Chuyển sang bỏ phiếu",
                   role="officer", guard=_all(_years_open, _voting_refusal),
                   effect=_to_voting),
        Transition(ReviewStatus.VOTING, ReviewStatus.DRAFT, "back", "Trở lại lập danh sách",
                   role="officer", guard=_years_open, reason_required=True,
                   reason_hint="lý do trở lại lập danh sách"),
        Transition(ReviewStatus.VOTING, ReviewStatus.CLOSED, "close",
                   "Kết thúc bỏ phiếu, ghi kết quả", role="officer", guard=_years_open,
                   effect=_to_closed, saves=("closed_at",)),
    ],
    can=lambda actor, review, role: can(actor, review.unit.path, role),
    deny=lambda actor, review, t: require(actor, review.unit.path, t.role),
    audit=audit_record, audit_action="review.transition", unit_id=lambda r: r.unit_id,
    record=_record_transition, min_reason=MIN_REASON,
)


@transaction.atomic
def review_transition(*, actor: Any, review: Review, to: str, note: str = "") -> Review:
    """Move the review to step `to` if the workflow allows it from where it stands."""
    review = _fresh(review)
    require(actor, review.unit.path, "viewer")
    action = WORKFLOW.action_to(review.status, to)
    if not action:
        target = ReviewStatus(to).label if to in ReviewStatus.values else to
        raise ApplicationError(f"Không chuyển được từ bước «{review.get_status_display()}» sang "
                               f"«{target}».", field="status")
    WORKFLOW.apply(review, action, actor=actor, reason=note)
    return review


@transaction.atomic
def review_meeting_set(*, actor: Any, review: Review, meeting_date: dt.date | None,
                       meeting_place: str = "", place_name: str = "") -> Review:
    review = _fresh(review)
    require(actor, review.unit.path, "officer")
    ensure_open(review.unit, review.year)
    _require_status(review, ReviewStatus.DRAFT, ReviewStatus.VOTING)
    council = councils.meeting_set(council=review.council, meeting_date=meeting_date,
                                   meeting_place=meeting_place)
    review.place_name = clean_spaces(place_name)[:80] or review.place_name
    review.save(update_fields=["place_name"])
    _event(review, actor, "meeting", f"Cuộc họp ngày {vn_date(meeting_date)} tại "
                                     f"{council.meeting_place or '—'}.")
    return review


# --- lock and corrections ----------------------------------------------------------------------


@transaction.atomic
def year_lock(*, actor: Any, unit: Unit, year: int, note: str = "") -> YearLock:
    """Close the year for the unit's subtree; only corrections change it afterwards."""
    require(actor, unit.path, "leader")
    check_year(year)
    lock = year_lock_for(unit, year)
    if lock is not None:
        raise ApplicationError(locked_message(lock), field="year")
    pending = open_reviews_below(unit, year)
    if pending:
        names = ", ".join(r.unit.name for r in pending[:3])
        raise ApplicationError(f"Còn bình xét năm {year} chưa kết thúc: {names}.", field="year")
    lock = YearLock.objects.create(unit=unit, year=year, note=clean_spaces(note)[:255],
                                   locked_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="year.lock", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, after={"year": year, "note": lock.note})
    return lock


def _result_snapshot(r: TitleResult | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"id": r.pk, "title": r.title, "year": r.year, "how": r.how, "revoked": r.revoked,
            "unit": r.unit_id, "person": r.person_id, "subject_unit": r.subject_unit_id}


@transaction.atomic
def title_correct(*, actor: Any, unit: Unit, year: int, title: str, action: str, reason: str,
                  person: Person | None = None, subject_unit: Unit | None = None) -> Correction:
    """Add or revoke a title of a decided year (locked or not), logged with its reason and the
    result before and after. `unit` is the deciding unit; the subject must be of its subtree."""
    require(actor, unit.path, "officer")
    check_year(year)
    reason = _reason(reason, "lý do đính chính")
    if (person is None) == (subject_unit is None):
        raise ApplicationError("Hãy chọn một người hoặc một tập thể.", field="person")
    if title not in title_labels():
        raise ApplicationError("Danh hiệu không có trong danh mục.", field="title")
    if person is not None:
        if person.pk not in roster_units(unit, year):
            raise ApplicationError(f"{person.full_name} không có trong danh sách của "
                                   f"«{unit.name}» ngày {vn_date(year_end(year))}.",
                                   field="person")
        subject: dict[str, Any] = {"person": person}
    else:
        assert subject_unit is not None
        if not subject_unit.path.startswith(unit.path) or subject_unit.pk == unit.pk:
            raise ApplicationError(f"«{subject_unit.name}» không trực thuộc «{unit.name}».",
                                   field="subject_unit")
        subject = {"subject_unit": subject_unit}
    current = TitleResult.objects.select_for_update().filter(
        year=year, title=title, revoked=False, **subject).first()
    before = _result_snapshot(current)
    if action == "add":
        if current is not None:
            raise ApplicationError("Danh hiệu này đã được ghi nhận cho năm này.", field="title")
        result = TitleResult.objects.create(
            year=year, title=title, unit=unit, how=DecidedBy.CORRECTION, note=reason[:255],
            reasons=[{"rule_id": "correction", "text": f"Đính chính: {reason}", "source": "",
                      "confidence": "", "passed": True}],
            created_by=actor if getattr(actor, "pk", None) else None, **subject)
        kind = CorrectionKind.TITLE_ADD
    elif action == "revoke":
        if current is None:
            raise ApplicationError("Không có danh hiệu này để hủy.", field="title")
        if not can(actor, current.unit.path, "officer"):
            raise ApplicationError("Danh hiệu do đơn vị ngoài phạm vi của bạn quyết định.",
                                   field="title")
        current.revoked = True
        current.save(update_fields=["revoked"])
        result = current
        kind = CorrectionKind.TITLE_REVOKE
    else:
        raise ApplicationError("Thao tác đính chính không hợp lệ.", field="action")
    after = _result_snapshot(result)
    correction = Correction.objects.create(
        unit=unit, year=year, kind=kind, title=title, before=before, after=after, reason=reason,
        actor=actor if getattr(actor, "pk", None) else None, **subject)
    audit_record(actor=actor, action=f"title.{action}", object_type="title_result",
                 object_id=result.pk, unit_id=unit.pk, before=before,
                 after={**(after or {}), "reason": reason, "correction": correction.pk})
    return correction


@transaction.atomic
def rating_correct(*, actor: Any, unit: Unit, year: int, person: Person, code: str,
                   reason: str) -> Correction:
    """Change a person's rating of a year that may be locked, logged with the reason."""
    require(actor, unit.path, "officer")
    check_year(year)
    reason = _reason(reason, "lý do đính chính")
    homes = roster_units(unit, year)
    if person.pk not in homes:
        raise ApplicationError(f"{person.full_name} không có trong danh sách của «{unit.name}» "
                               f"ngày {vn_date(year_end(year))}.", field="person")
    if code not in RatingCode.values:
        raise ApplicationError("Xếp loại phải là HTXSNV, HTTNV, HTNV hoặc KHTNV.", field="code")
    rating = Rating.objects.select_for_update().filter(person=person, year=year).first()
    before = _snapshot(rating)
    if rating is None:
        rating = Rating(person=person, year=year, unit_id=homes[person.pk])
    if rating.code == code:
        raise ApplicationError("Xếp loại mới giống xếp loại đang ghi.", field="code")
    rating.code = code
    rating.updated_by = actor if getattr(actor, "pk", None) else None
    rating.save()
    after = _snapshot(rating)
    correction = Correction.objects.create(
        unit=unit, year=year, kind=CorrectionKind.RATING, person=person, before=before,
        after=after, reason=reason, actor=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="rating.correct", object_type="person", object_id=person.pk,
                 unit_id=unit.pk, before=before, after={**(after or {}), "reason": reason,
                                                        "correction": correction.pk})
    return correction
