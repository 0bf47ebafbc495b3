"""The minutes of a review (biên bản bình xét) as .docx: `minutes_context` gathers everything
the minutes show as plain text, and platform `render_docx` fills the Word template in docx/
(built by demo/templates_src/review_minutes.py, editable in Word)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.utils import timezone

from thidua.councils.models import Role
from thidua.evaluation.engine import rule_set_text, title_labels
from thidua.evaluation.models import Candidate, Outcome, Review, year_end
from thidua.evaluation.selectors import candidates_of, council_of
from thidua.evaluation.services import candidate_tally
from thidua.evaluation.thresholds import threshold_for
from thidua.org.models import UnitVersion, alive_at
from thidua.people.models import Employment
from thidua.platform.documents import render_docx
from thidua.platform.text import vn_number

TEMPLATE = Path(__file__).resolve().parent / "docx" / "bien_ban_binh_xet.docx"


def _names_at(unit_ids: set[int], year: int) -> dict[int, str]:
    return dict(UnitVersion.objects.at(year_end(year)).filter(unit_id__in=unit_ids)
                .values_list("unit_id", "name"))


def minutes_context(review: Review) -> dict[str, Any]:
    """Everything the template shows, as text ready to print."""
    review = Review.objects.select_related("unit", "council").get(pk=review.pk)  # as stored now
    council = review.council
    labels = title_labels()
    year = review.year
    version = UnitVersion.objects.at(year_end(year)).filter(unit=review.unit).first()
    unit_name = version.name if version else review.unit.name
    parent_name = ""
    if version is not None and version.parent_id:
        parent_name = _names_at({version.parent_id}, year).get(version.parent_id, "")
    members = council_of(review)
    size = len(members)
    order = list(labels)
    candidates = sorted((c for c in candidates_of(review) if c.included),
                        key=lambda c: order.index(c.title) if c.title in order else 99)
    homes = _homes(candidates, year)
    names = _names_at({*homes.values(), *(c.subject_unit_id for c in candidates
                                          if c.subject_unit_id)}, year)
    written = {v.member_id for c in candidates if c.subject is not None
               for v in c.subject.votes.all() if v.in_writing}
    rows = []
    for n, c in enumerate(candidates, 1):
        counts = candidate_tally(c, council, size).as_counts()
        share = 100 * counts["for"] / size if size else 0
        rows.append({
            "n": n,
            "subject": c.person.full_name if c.person else names.get(c.subject_unit_id or 0, ""),
            "unit": names.get(homes.get(c.person_id or 0, 0), "") if c.person else "Tập thể",
            "title": labels.get(c.title, c.title),
            "for": counts["for"], "against": counts["against"], "absent": counts["absent"],
            "share": f"{vn_number(share, 1)}%",
            "result": Outcome(c.outcome).label if c.outcome else "Chưa kết thúc",
        })
    titles = sorted({c.title for c in candidates}, key=lambda t: list(labels).index(t)
                    if t in labels else 99)
    passed = Counter(c.title for c in candidates if c.outcome == Outcome.PASSED)
    totals = Counter(c.title for c in candidates)
    summary = [{"title": labels.get(t, t), "passed": vn_number(passed[t]),
                "total": vn_number(totals[t]),
                "noun": "tập thể" if any(c.subject_unit_id for c in candidates if c.title == t)
                else "người"} for t in titles]
    thresholds = []
    for t in titles:
        th = threshold_for(t, year)
        thresholds.append({"title": labels.get(t, t), "text": th.text, "source": th.source})
    adjustments = []
    for c in candidates_of(review):
        subject = c.person.full_name if c.person else names.get(c.subject_unit_id or 0, "")
        if not c.included:
            adjustments.append(f"Đưa {subject} ra khỏi danh sách «{labels.get(c.title, c.title)}»"
                               f": {c.removed_reason}")
        elif c.added_reason:
            adjustments.append(f"Bổ sung {subject} vào danh sách «{labels.get(c.title, c.title)}»"
                               f": {c.added_reason}")
    chair = next((m.full_name for m in members if m.role == Role.CHU_TICH), "")
    secretary = next((m.full_name for m in members if m.role == Role.THU_KY), "")
    signed = council.meeting_date or (timezone.localtime(review.closed_at).date()
                                     if review.closed_at else timezone.localdate())
    present = sum(1 for m in members if m.present)
    return {
        "parent_name": parent_name,
        "unit_name": unit_name,
        "place": review.place_name or "Hà Nội",
        "day": f"{signed.day:02d}", "month": f"{signed.month:02d}", "year_signed": signed.year,
        "year": year,
        "meeting_date": signed.strftime("%d/%m/%Y"),
        "meeting_place": council.meeting_place or unit_name,
        "council_size": vn_number(size),
        "present_count": vn_number(present),
        "absent_count": vn_number(size - present),
        "written_count": vn_number(len(written)) if written else "",
        "members": [{"n": i, "name": m.full_name, "position": m.position,
                     "role": Role(m.role).label, "present": m.present}
                    for i, m in enumerate(members, 1)],
        "chair": chair,
        "secretary": secretary,
        "rule_set": rule_set_text(review.rule_set) or "quy định hiện hành",
        "adjustments": adjustments,
        "thresholds": thresholds,
        "candidates": rows,
        "summary": summary,
    }


def _homes(candidates: list[Candidate], year: int) -> dict[int, int]:
    ids = [c.person_id for c in candidates if c.person_id]
    return dict(Employment.objects.filter(alive_at(year_end(year)), person_id__in=ids)
                .values_list("person_id", "unit_id"))


def minutes_docx(review: Review) -> bytes:
    return render_docx(TEMPLATE, minutes_context(review))


def minutes_filename(review: Review) -> str:
    return f"bien-ban-binh-xet-{review.unit.code}-{review.year}.docx"
