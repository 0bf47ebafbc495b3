"""The minutes of a review (biên bản bình xét) as .docx: `minutes_context` gathers everything
the minutes show as plain text, and platform `render_docx` fills the Word template in docx/
(built by demo/templates_src/review_minutes.py, editable in Word).

Whose minutes they are follows who decides the titles (titles catalogue `decider`, Luật 06/2022
Điều 80): titles the agency's head (or a level above) decides are proposed by the agency's Hội
đồng thi đua – khen thưởng, in the state layout; the union's own titles by the union body, in the
union layout of QĐ 933/QĐ-TLĐ ("TM. BAN CHẤP HÀNH"). A review holding both gives one set of
minutes per body (`body=`), or one for all in the state layout. Documents never carry working
notes (assumptions, "chưa đối chiếu", confidence marks): `platform.documents.official_text`."""

from __future__ import annotations

import datetime as dt
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
from thidua.org.models import Unit, UnitType, UnitVersion, alive_at
from thidua.people.models import Employment
from thidua.platform.documents import official_text
from thidua.platform.templates_docx import register_template, render_template
from thidua.platform.text import doc_date, vn_number
from thidua.rules.titles import by_code

TEMPLATE = Path(__file__).resolve().parent / "docx" / "bien_ban_binh_xet.docx"
MINUTES_KEY = "evaluation.bien_ban_binh_xet"
#: Above this many candidates the list goes to an annex and the body keeps the counts per title.
ANNEX_AFTER = 25
#: The bodies whose minutes a review gives: the agency (state titles) and the union.
STATE, UNION = "nha_nuoc", "cong_doan"
BODIES = {STATE: "Danh hiệu do thủ trưởng cơ quan quyết định",
          UNION: "Danh hiệu do công đoàn quyết định"}
# Union bodies that sign for their Ban Chấp hành; the levels above sign for the Ban Thường vụ.
_GRASSROOTS = {UnitType.CDCS, UnitType.CDCS_THANH_VIEN, UnitType.CD_BO_PHAN, UnitType.TO_CD}
_UNION_PREFIXES = ("Tổ công đoàn ", "Công đoàn bộ phận ", "Công đoàn cơ sở ",
                   "Công đoàn cơ quan ", "Công đoàn ")


def body_of(title: str) -> str:
    """UNION for a title the union's own body decides, STATE for the others."""
    t = by_code().get(title)
    return UNION if t is not None and t.decider == "cong_doan" else STATE


def bodies_of(review: Review) -> list[str]:
    """The bodies whose titles are on the review's list, state first."""
    titles = review.candidates.filter(included=True).order_by().values_list("title", flat=True)
    found = {body_of(t) for t in titles.distinct()}
    return [b for b in (STATE, UNION) if b in found]


def department(unit_name: str) -> str:
    """The agency's department (or the agency) a union body is formed in: "Tổ công đoàn Văn
    phòng" -> "Văn phòng", "Công đoàn Sở Tư pháp" -> "Sở Tư pháp"."""
    for prefix in _UNION_PREFIXES:
        # unit names write "Tổ Công đoàn …" as often as "Tổ công đoàn …"
        if unit_name.casefold().startswith(prefix.casefold()) and len(unit_name) > len(prefix):
            return unit_name[len(prefix):]
    return unit_name


def clock(value: dt.time | None) -> str:
    """"08 giờ 30 phút"; a blank to fill in by hand when the time was not recorded."""
    if value is None:
        return "…… giờ …… phút"
    return f"{value.hour:02d} giờ {value.minute:02d} phút"


# The issuer part of a union document's symbol ("Số: 12/BB-CĐCS"), after the abbreviations the
# union's documents use for each level (QĐ 933/QĐ-TLĐ's examples); a short name without spaces
# (e.g. "CĐVC") is used as typed.
_SYMBOLS = {UnitType.TLD: "TLĐ", UnitType.LDLD_TINH: "LĐLĐ", UnitType.CD_NGANH_TW: "CĐN",
            UnitType.CD_TONG_CONG_TY: "CĐTCT", UnitType.CAP_TREN_CO_SO: "CĐ",
            UnitType.CDCS: "CĐCS", UnitType.CDCS_THANH_VIEN: "CĐCS", UnitType.CD_BO_PHAN: "CĐBP",
            UnitType.TO_CD: "TCĐ"}


def union_symbol(unit: Unit) -> str:
    """"CĐVC" for «CĐVC TP Hà Nội», "LĐLĐ" for «LĐLĐ quận Hai Bà Trưng»: a short name typed
    as an abbreviation (or starting with one of 3+ capitals); else the level's abbreviation."""
    short = (unit.short_name or "").strip()
    if short and " " not in short and len(short) <= 12:
        return short
    first = short.split(" ", 1)[0] if short else ""
    if 3 <= len(first) <= 12 and first.isalpha() and first.isupper():
        return first
    return _SYMBOLS.get(UnitType(unit.type), "CĐ") if unit.type in UnitType.values else "CĐ"


def _names_at(unit_ids: set[int], year: int) -> dict[int, str]:
    return dict(UnitVersion.objects.at(year_end(year)).filter(unit_id__in=unit_ids)
                .values_list("unit_id", "name"))


def minutes_context(review: Review, body: str | None = None) -> dict[str, Any]:
    """Everything the template shows, as text ready to print; `body` (STATE or UNION) keeps the
    titles that body decides, None keeps them all."""
    review = Review.objects.select_related("unit", "council").get(pk=review.pk)  # as stored now
    council = review.council
    labels = title_labels()
    catalogue = by_code()
    year = review.year
    version = UnitVersion.objects.at(year_end(year)).filter(unit=review.unit).first()
    unit_name = version.name if version else review.unit.name
    parent_name = ""
    if version is not None and version.parent_id:
        parent_name = _names_at({version.parent_id}, year).get(version.parent_id, "")
    members = council_of(review)
    size = len(members)
    order = list(labels)
    every = candidates_of(review)
    if body is not None:
        every = [c for c in every if body_of(c.title) == body]
    candidates = sorted((c for c in every if c.included),
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
            "workplace": _workplace(c, names.get(homes.get(c.person_id or 0, 0), "")),
            "title": labels.get(c.title, c.title),
            "for": counts["for"], "against": counts["against"], "absent": counts["absent"],
            "share": f"{vn_number(share, 1)}%",
            "result": Outcome(c.outcome).label if c.outcome else "Chưa kết thúc",
        })
    titles = sorted({c.title for c in candidates}, key=lambda t: order.index(t)
                    if t in order else 99)
    passed = Counter(c.title for c in candidates if c.outcome == Outcome.PASSED)
    failed = Counter(c.title for c in candidates if c.outcome == Outcome.FAILED)
    totals = Counter(c.title for c in candidates)
    summary = [{"title": labels.get(t, t), "passed": vn_number(passed[t]),
                "failed": vn_number(failed[t]), "total": vn_number(totals[t]),
                "noun": "tập thể" if any(c.subject_unit_id for c in candidates if c.title == t)
                else "người"} for t in titles]
    deciders = [{"title": labels.get(t, t), "label": catalogue[t].decider_label,
                 "source": catalogue[t].decider_source}
                for t in titles if t in catalogue and catalogue[t].decider_label]
    thresholds = []
    for t in titles:
        th = threshold_for(t, year, review.unit)
        source = official_text(th.source)
        thresholds.append({"title": labels.get(t, t), "text": th.text,
                           "source": source or "theo quy chế của Hội đồng"})
    adjustments = []
    for c in every:
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
    union = bool(titles) and all(body_of(t) == UNION for t in titles)
    if union:
        grassroots = review.unit.type in _GRASSROOTS
        layout = {"layout": UNION, "upper_name": parent_name, "issuer_name": unit_name,
                  "symbol": union_symbol(review.unit),
                  "council_name": "Hội đồng bình xét thi đua",
                  "sign_for": "TM. BAN CHẤP HÀNH" if grassroots else "TM. BAN THƯỜNG VỤ",
                  "sign_title": "CHỦ TỊCH"}
    else:
        layout = {"layout": STATE, "upper_name": department(unit_name),
                  "issuer_name": "Hội đồng thi đua – khen thưởng", "symbol": "HĐTĐKT",
                  "council_name": "Hội đồng thi đua – khen thưởng",
                  "sign_for": "", "sign_title": "CHỦ TỌA"}
    return {
        **layout,
        "parent_name": parent_name,
        "unit_name": unit_name,
        "place": review.place_name or "Hà Nội",
        "date_line": doc_date(signed),
        "year": year,
        "meeting_date": doc_date(signed),
        "start_time": clock(council.meeting_time),
        "end_time": clock(getattr(council, "meeting_end_time", None)),
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
        "rule_set": official_text(rule_set_text(review.rule_set)) or "quy định hiện hành",
        "adjustments": adjustments,
        "deciders": deciders,
        "thresholds": thresholds,
        "candidates": rows,
        "candidate_count": vn_number(len(rows)),
        "annex": len(rows) > ANNEX_AFTER,
        "summary": summary,
    }


def _workplace(c: Candidate, home_name: str) -> str:
    """The person's position and department ("Chuyên viên, Văn phòng"), not the tổ CĐ."""
    if c.person is None:
        return "Tập thể"
    parts = [c.person.position, department(home_name) if home_name else ""]
    return ", ".join(p for p in parts if p)


def _homes(candidates: list[Candidate], year: int) -> dict[int, int]:
    ids = [c.person_id for c in candidates if c.person_id]
    return dict(Employment.objects.filter(alive_at(year_end(year)), person_id__in=ids)
                .values_list("person_id", "unit_id"))


def minutes_docx(review: Review, body: str | None = None) -> bytes:
    return render_template(MINUTES_KEY, minutes_context(review, body))


def minutes_filename(review: Review, body: str | None = None) -> str:
    suffix = f"-{body.replace('_', '-')}" if body else ""
    return f"bien-ban-binh-xet-{review.unit.code}-{review.year}{suffix}.docx"


def minutes_sample() -> dict[str, Any]:
    """An example of what `minutes_context` gives (state layout, one of each list), for checking
    and previewing a replacement template."""
    lao_dong = "Lao động tiên tiến"
    return {
        "layout": STATE, "upper_name": "Sở Tư pháp",
        "issuer_name": "Hội đồng thi đua – khen thưởng", "symbol": "HĐTĐKT",
        "council_name": "Hội đồng thi đua – khen thưởng", "sign_for": "", "sign_title": "CHỦ TỌA",
        "parent_name": "Công đoàn Viên chức thành phố Hà Nội", "unit_name": "Công đoàn Sở Tư pháp",
        "place": "Hà Nội", "date_line": "ngày 15 tháng 12 năm 2024", "year": 2024,
        "meeting_date": "ngày 15 tháng 12 năm 2024", "start_time": "08 giờ 30 phút",
        "end_time": "10 giờ 00 phút", "meeting_place": "Phòng họp tầng 3, Sở Tư pháp",
        "council_size": "5", "present_count": "4", "absent_count": "1", "written_count": "1",
        "members": [
            {"n": 1, "name": "Nguyễn Văn Hùng", "position": "Giám đốc Sở",
             "role": "Chủ tịch Hội đồng", "present": True},
            {"n": 2, "name": "Trần Thị Lan", "position": "Chủ tịch Công đoàn",
             "role": "Phó Chủ tịch Hội đồng", "present": True},
            {"n": 3, "name": "Lê Minh Tuấn", "position": "Chánh Văn phòng",
             "role": "Thư ký Hội đồng", "present": True},
            {"n": 4, "name": "Phạm Thu Hà", "position": "Trưởng phòng Tổ chức cán bộ",
             "role": "Ủy viên", "present": True},
            {"n": 5, "name": "Đỗ Quang Vinh", "position": "Phó Giám đốc Sở", "role": "Ủy viên",
             "present": False},
        ],
        "chair": "Nguyễn Văn Hùng", "secretary": "Lê Minh Tuấn",
        "rule_set": "Luật Thi đua, khen thưởng số 06/2022/QH15 và Nghị định 98/2023/NĐ-CP",
        "adjustments": ["Bổ sung Vũ Thị Mai vào danh sách «Lao động tiên tiến»: "
                        "đủ thời gian công tác sau khi chuyển đến"],
        "deciders": [{"title": lao_dong, "label": "Thủ trưởng cơ quan, đơn vị quyết định",
                      "source": "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 80"}],
        "thresholds": [{"title": lao_dong, "text": "trên 50% thành viên Hội đồng đồng ý",
                        "source": "theo quy chế của Hội đồng"}],
        "candidates": [
            {"n": 1, "subject": "Trần Thị Ánh", "workplace": "Chuyên viên, Văn phòng",
             "title": lao_dong, "for": 4, "against": 0, "absent": 1, "share": "80,0%",
             "result": "Đạt"},
            {"n": 2, "subject": "Vũ Thị Mai", "workplace": "Kế toán, Văn phòng",
             "title": lao_dong, "for": 2, "against": 2, "absent": 1, "share": "40,0%",
             "result": "Không đạt"},
        ],
        "candidate_count": "2", "annex": False,
        "summary": [{"title": lao_dong, "passed": "1", "failed": "1", "total": "2",
                     "noun": "người"}],
    }


register_template(MINUTES_KEY, label="Biên bản họp bình xét thi đua", default=TEMPLATE,
                  sample=minutes_sample, group="Bình xét")
