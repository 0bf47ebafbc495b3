"""What the system knows about a candidate when an officer puts them on a proposal, shown beside
each name: the year's titles (the rules' verdict or the council's), the emulation registration,
and "one achievement, one award" (another live proposal or award of the same year and level).

Each check is a dict {"code", "ok" (True, False or None for unknown), "text"} stored with the
candidate, so the reviewing level sees what the sender saw."""

from __future__ import annotations

from typing import Any

from thidua.evaluation.models import Rating, TitleResult
from thidua.honours import catalogue
from thidua.honours.models import Award, Candidate, Proposal, ProposalStatus
from thidua.initiatives.models import Author
from thidua.initiatives.models import Status as InitiativeStatus
from thidua.movements.selectors import registered_titles, unit_registered_titles
from thidua.rules.titles import by_code as titles_by_code

Check = dict[str, Any]
_DEAD = (ProposalStatus.REFUSED, ProposalStatus.RETURNED)


def _title_label(code: str) -> str:
    title = titles_by_code().get(code)
    return title.abbr if title is not None else code


def titles_check(*, year: int, person_id: int | None, unit_id: int | None,
                 basis_title: str = "") -> Check:
    rows = TitleResult.objects.filter(year=year, revoked=False)
    rows = rows.filter(person_id=person_id) if person_id else rows.filter(subject_unit_id=unit_id)
    held = [(r.title, r.get_how_display()) for r in rows.order_by("title")]
    if basis_title:
        ok = any(code == basis_title for code, _ in held)
        text = (f"Đạt {_title_label(basis_title)} năm {year}" if ok else
                f"Chưa có kết quả {_title_label(basis_title)} năm {year} trong hệ thống")
        return {"code": "danh_hieu", "ok": ok, "text": text}
    if not held:
        return {"code": "danh_hieu", "ok": None,
                "text": f"Chưa có danh hiệu thi đua năm {year} trong hệ thống"}
    names = ", ".join(f"{_title_label(c)} ({how.lower()})" for c, how in held)
    return {"code": "danh_hieu", "ok": True, "text": f"Năm {year}: {names}"}


def registration_check(*, year: int, person_id: int | None, unit_id: int | None) -> Check:
    if person_id:
        found = registered_titles(person_ids=[person_id], years=[year]).get((person_id, year))
    else:
        found = unit_registered_titles(unit_ids=[unit_id or 0], years=[year]).get(
            (unit_id or 0, year))
    if found is None:
        return {"code": "dang_ky", "ok": False, "text": f"Không đăng ký thi đua năm {year}"}
    codes = ", ".join(_title_label(c) for c in sorted(found))
    return {"code": "dang_ky", "ok": True,
            "text": f"Đã đăng ký thi đua năm {year}" + (f": {codes}" if codes else "")}


def same_achievement_check(*, proposal: Proposal, person_id: int | None, unit_id: int | None,
                           exclude_candidate: int | None = None) -> Check:
    """Another live proposal or an award of the same year, kind and deciding level: HD 1217/HD-TLĐ
    (2016): at one level a comprehensive award excludes a topical one and vice versa (except
    topical awards by phase and extraordinary ones)."""
    who = {"person_id": person_id} if person_id else {"subject_unit_id": unit_id}
    others = (Candidate.objects.filter(proposal__year=proposal.year,
                                       proposal__kind=proposal.kind,
                                       proposal__recipient_id=proposal.recipient_id, **who)
              .exclude(proposal__status__in=_DEAD).exclude(proposal_id=proposal.pk)
              .exclude(passed=False).filter(origin__isnull=True))
    if exclude_candidate:
        others = others.exclude(pk=exclude_candidate)
    other = others.select_related("proposal").first()
    awards = Award.objects.filter(year=proposal.year, issuer_id=proposal.recipient_id,
                                  revoked=False, **who)
    award = awards.select_related("decision").first()
    if proposal.kind == "dot_xuat":
        return {"code": "mot_thanh_tich", "ok": True,
                "text": "Khen đột xuất: không tính vào giới hạn một thành tích, một khen thưởng"}
    if award is not None:
        return {"code": "mot_thanh_tich", "ok": False,
                "text": f"Đã được khen năm {proposal.year} ở cấp này (Quyết định số "
                        f"{award.decision.number})"}
    if other is not None:
        return {"code": "mot_thanh_tich", "ok": False,
                "text": f"Đã có trong hồ sơ «{other.proposal.title}» cùng năm, cùng cấp"}
    return {"code": "mot_thanh_tich", "ok": True,
            "text": "Chưa được đề nghị, khen thưởng thành tích này ở cấp này"}


def _form_name(code: str) -> str:
    try:
        return catalogue.form(code).name
    except KeyError:
        return code


def conditions_check(*, proposal: Proposal, person_id: int | None, unit_id: int | None
                     ) -> list[Check]:
    """The conditions of the award form the catalogue states with figures (QĐ 1689/QĐ-TLĐ and
    TLĐ guidance): once per person, an excluded form the same year, the years of "hoàn thành
    xuất sắc nhiệm vụ", recognised initiatives, a prior award. Text-only conditions are shown on
    the catalogue page, not checked. ok None: the system lacks the data to say."""
    out: list[Check] = []
    recipient = "ca_nhan" if person_id else "tap_the"
    who = {"person_id": person_id} if person_id else {"subject_unit_id": unit_id}
    year = proposal.year
    for cond in catalogue.conditions(proposal.form):
        if cond.recipient and cond.recipient != recipient:
            continue
        params = dict(cond.params)
        source = cond.cited.source
        if "max_per_person" in params:
            held = Award.objects.filter(form=proposal.form, revoked=False, **who).select_related(
                "decision").first()
            out.append({"code": "dieu_kien", "ok": held is None, "source": source, "blocks": True,
                        "text": (f"Đã được tặng năm {held.year} (Quyết định số "
                                 f"{held.decision.number}); mỗi người chỉ được tặng một lần"
                                 if held else "Chưa được tặng hình thức này")})
        if "excludes" in params:
            other = str(params["excludes"])
            clash = Award.objects.filter(form=other, year=year, revoked=False, **who).exists() or (
                Candidate.objects.filter(proposal__form=other, proposal__year=year, **who)
                .exclude(proposal__status__in=_DEAD).exclude(passed=False).exists())
            out.append({"code": "dieu_kien", "ok": not clash, "source": source, "blocks": True,
                        "text": (f"Cùng năm đã được đề nghị, khen «{_form_name(other)}»" if clash
                                 else f"Không trùng «{_form_name(other)}» cùng năm")})
        if "prior_form" in params:
            prior = str(params["prior_form"])
            before = int(params.get("prior_years_before", 1))
            had = Award.objects.filter(form=prior, year=year - before, revoked=False,
                                       **who).exists()
            out.append({"code": "dieu_kien", "ok": True if had else None, "source": source,
                        "text": (f"Năm {year - before} đã được tặng «{_form_name(prior)}»" if had
                                 else f"Chưa thấy «{_form_name(prior)}» năm {year - before} "
                                      "trong hệ thống")})
        if "htxs_years" in params and person_id:
            n = int(params["htxs_years"])
            years = list(range(year - n + 1, year + 1))
            rated = set(Rating.objects.filter(person_id=person_id, year__in=years,
                                              code="HTXSNV").values_list("year", flat=True))
            out.append({"code": "dieu_kien", "ok": len(rated) == n if rated else None,
                        "source": source,
                        "text": f"Hoàn thành xuất sắc nhiệm vụ {len(rated)}/{n} năm "
                                f"({years[0]}–{years[-1]})"})
        if "initiatives" in params and person_id:
            n = int(params["initiatives"])
            first = year - int(params.get("htxs_years", 1)) + 1
            count = Author.objects.filter(
                person_id=person_id, initiative__status=InitiativeStatus.RECOGNIZED,
                initiative__year__gte=first, initiative__year__lte=year).count()
            out.append({"code": "dieu_kien", "ok": True if count >= n else None,
                        "source": source,
                        "text": f"{count}/{n} sáng kiến được công nhận ({first}–{year})"})
    return out


def candidate_checks(*, proposal: Proposal, person_id: int | None, unit_id: int | None,
                     basis_title: str = "", exclude_candidate: int | None = None) -> list[Check]:
    out = [titles_check(year=proposal.year, person_id=person_id, unit_id=unit_id,
                        basis_title=basis_title)]
    if proposal.kind != "dot_xuat":
        out.append(registration_check(year=proposal.year, person_id=person_id, unit_id=unit_id))
    out.append(same_achievement_check(proposal=proposal, person_id=person_id, unit_id=unit_id,
                                      exclude_candidate=exclude_candidate))
    out += conditions_check(proposal=proposal, person_id=person_id, unit_id=unit_id)
    return out


def blocking(checks: list[Check]) -> str | None:
    """The refusal a check makes on submission: "one achievement, one award" and a stated
    condition that fails (once per person, an excluded form); titles, registration and
    conditions the system lacks data for are evidence the reviewing level weighs."""
    bad = next((c for c in checks if (c.get("code") == "mot_thanh_tich" or c.get("blocks"))
                and c.get("ok") is False), None)
    if bad is None:
        return None
    if bad.get("code") == "mot_thanh_tich":
        return f"{bad['text']} (một thành tích chỉ khen một lần ở một cấp)"
    return f"{bad['text']} ({bad.get('source', '')})"
