"""The year-end review (bình xét) at a unit: opened with the engine's list, recomputed, adjusted by
officers with reasons, and moved through its steps by the workflow (`thidua.evaluation.workflow`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from thidua.councils import services as councils
from thidua.councils.models import Kind
from thidua.evaluation import facts as facts_mod
from thidua.evaluation import permissions
from thidua.evaluation.engine import evaluate_people, title_labels
from thidua.evaluation.issuer_settings import overrides_for
from thidua.evaluation.models import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    Candidate,
    CandidateSource,
    Review,
    ReviewStatus,
    year_end,
)
from thidua.evaluation.selectors import (
    child_units,
    roster_units,
    year_version,
)
from thidua.evaluation.services.common import (
    by,
    check_eval_year,
    ensure_open,
    fresh_review,
    reason_text,
    require_status,
    review_event,
    subject_name,
    title_label,
)
from thidua.evaluation.services.titles import evaluate_child_units, evaluate_roster
from thidua.evaluation.workflow import WORKFLOW
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date, vn_number

Registrations = facts_mod.Registrations


def council_name(year: int) -> str:
    return f"Hội đồng Thi đua – Khen thưởng, bình xét năm {year}"


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
def review_open(*, actor: Actor, unit: Unit, year: int, registrations: Registrations | None = None,
                unit_registrations: Registrations | None = None) -> Review:
    """Start the year-end review at a unit with the engine's proposed list."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    ensure_open(unit, year)
    year_version(unit, year)
    if Review.objects.filter(unit=unit, year=year).exists():
        raise ApplicationError(f"«{unit.name}» đã có bình xét năm {year}.", field="year")
    council = councils.council_create(actor=actor, unit=unit, kind=Kind.REVIEW, year=year,
                                      name=council_name(year), meeting_place=unit.name)
    review = Review.objects.create(unit=unit, year=year, council=council, created_by=by(actor))
    counts = _propose(review, registrations=registrations, unit_registrations=unit_registrations)
    review_event(review, actor, "open", f"Mở bình xét năm {year}; danh sách theo quy tắc có "
                                  f"{vn_number(counts['added'])} đề nghị.", **counts)
    return review


@transaction.atomic
def review_propose(*, actor: Actor, review: Review, registrations: Registrations | None = None,
                   unit_registrations: Registrations | None = None) -> dict[str, int]:
    """Recompute the engine's list (after ratings changed); officers' changes are kept."""
    review = fresh_review(review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.DRAFT)
    counts = _propose(review, registrations=registrations, unit_registrations=unit_registrations)
    review_event(review, actor, "propose",
           f"Tính lại danh sách theo quy tắc: thêm {vn_number(counts['added'])}, bỏ "
           f"{vn_number(counts['dropped'])}.", **counts)
    return counts


@transaction.atomic
def candidate_add(*, actor: Actor, review: Review, title: str, reason: str,
                  person: Person | None = None, subject_unit: Unit | None = None,
                  registrations: Registrations | None = None,
                  unit_registrations: Registrations | None = None) -> Candidate:
    """Put someone the engine did not propose on the list; the reason is required."""
    review = fresh_review(review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.DRAFT)
    reason = reason_text(reason, "lý do bổ sung vào danh sách")
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
        outcome = evaluate_people(facts, overrides=overrides_for(review.unit, review.year)
                                  )[person.pk]["titles"].get(title)
        key: dict[str, Any] = {"person": person}
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
    review_event(review, actor, "candidate_add",
           f"Bổ sung {subject} vào danh sách «{labels.get(title, title)}». Lý do: {reason}",
           candidate=candidate.pk, title=title, reason=reason)
    return candidate


@transaction.atomic
def candidate_remove(*, actor: Actor, candidate: Candidate, reason: str) -> Candidate:
    """Take a candidate off the list; the reason is required and the row is kept."""
    review = fresh_review(candidate.review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.DRAFT)
    reason = reason_text(reason, "lý do đưa ra khỏi danh sách")
    if not candidate.included:
        raise ApplicationError("Đề nghị này đã được đưa ra khỏi danh sách.")
    candidate.included = False
    candidate.removed_reason = reason
    candidate.save(update_fields=["included", "removed_reason"])
    subject = subject_name(candidate)
    label = title_label(candidate.title)
    review_event(review, actor, "candidate_remove",
           f"Đưa {subject} ra khỏi danh sách «{label}». Lý do: {reason}",
           candidate=candidate.pk, title=candidate.title, reason=reason)
    return candidate


@transaction.atomic
def review_transition(*, actor: Actor, review: Review, to: str, note: str = "") -> Review:
    """Move the review to step `to` if the workflow allows it from where it stands."""
    review = fresh_review(review)
    permissions.require_view(actor, review.unit)
    action = WORKFLOW.action_to(review.status, to)
    if not action:
        target = ReviewStatus(to).label if to in ReviewStatus.values else to
        raise ApplicationError(f"Không chuyển được từ bước «{review.get_status_display()}» sang "
                               f"«{target}».", field="status")
    WORKFLOW.apply(review, action, actor=actor, reason=note)
    return review
