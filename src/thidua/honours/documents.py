"""The official documents of commendation as .docx: the tờ trình of a proposal, the decision with
its attached list, the minutes of the receiving level's council and the báo cáo thành tích of a
candidate. Each `<doc>_context` queries once and returns plain text ready to print (dates as
NĐ 30/2020 writes them, numbers as "10.141"); `render_<doc>` fills the Word template through
platform `render_docx`. The templates are built by demo/templates_src/honours_*.py.

Layout: the union's (QĐ 933/QĐ-TLĐ 2024) whenever the issuer is a union body — every unit of
the tree is one —, NĐ 30/2020's plain layout for a decision recorded from outside the union.
What the system does not hold (hometown, qualification…) prints as a dotted line to fill by
hand; documents never carry working notes (`official_text`)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from thidua.councils.models import ROLE_ORDER, Ballot, Role
from thidua.evaluation.documents import clock, department, union_symbol
from thidua.evaluation.engine import title_labels
from thidua.evaluation.selectors import person_home_unit, person_titles
from thidua.evaluation.thresholds import threshold_for
from thidua.honours import catalogue
from thidua.honours.models import (
    Award,
    AwardChange,
    Candidate,
    Decision,
    DecisionKind,
    Proposal,
    ProposalKind,
)
from thidua.honours.selectors import awards_of_person, awards_of_unit, candidates_of
from thidua.org.models import Unit, UnitType, UnitVersion
from thidua.platform.documents import official_text, render_docx
from thidua.platform.errors import ApplicationError
from thidua.platform.signing import signer_for
from thidua.platform.templates_docx import register_template, template_source
from thidua.platform.text import doc_date, fold, vn_count, vn_date, vn_number

DOCX = Path(__file__).resolve().parent / "docx"
#: The templates by registry key (the administrator's replacement page lists them).
TEMPLATES: dict[str, Path] = {
    "honours.to_trinh": DOCX / "to_trinh.docx",
    "honours.quyet_dinh": DOCX / "quyet_dinh.docx",
    "honours.bien_ban_hoi_dong": DOCX / "bien_ban_hoi_dong.docx",
    "honours.bao_cao_ca_nhan": DOCX / "bao_cao_ca_nhan.docx",
    "honours.bao_cao_tap_the": DOCX / "bao_cao_tap_the.docx",
}
#: Above this many names the list of a tờ trình or minutes goes to an annex.
ANNEX_AFTER = 25
#: A line to fill by hand (one printed line), and the blank after a label.
DOTS = "…" * 44
FIELD = "…" * 25
BLANK_DATE = "ngày …… tháng …… năm ……"
UNION, STATE = "cong_doan", "nha_nuoc"
_GRASSROOTS = {UnitType.CDCS, UnitType.CDCS_THANH_VIEN, UnitType.CD_BO_PHAN, UnitType.TO_CD}
_SIGN_PREFIXES = ("tm.", "kt.", "tl.", "tuq.", "q.")


def _template(key: str) -> bytes | Path:
    """The administrator's replacement when one is active, else the shipped file."""
    return template_source(key)


# --- shared pieces ----------------------------------------------------------------------------

def _names(unit: Unit, day: dt.date) -> tuple[str, str]:
    """(the body above, the unit) as named on `day`; the current names for a day before the
    unit existed."""
    version = UnitVersion.objects.at(day).filter(unit=unit).first()
    name = version.name if version else unit.name
    parent_id = version.parent_id if version else None
    upper = ""
    if parent_id:
        above = UnitVersion.objects.at(day).filter(unit_id=parent_id).first()
        upper = above.name if above else ""
    return upper, name


def _body(unit: Unit) -> str:
    """Who decides for a union body: its Ban Chấp hành at the grassroots, else its Ban Thường vụ."""
    return "Ban Chấp hành" if unit.type in _GRASSROOTS else "Ban Thường vụ"


def _signature(unit: Unit | None, title: str, name: str) -> dict[str, str]:
    """The signature lines: "TM. BAN THƯỜNG VỤ", then "KT. CHỦ TỊCH" for a deputy, then the
    title; a title typed with its own "TM./KT." prefix is printed as typed."""
    title = (title or "").strip()
    folded = fold(title)
    lines = {"sign_for": "", "sign_kt": "", "sign_title": title.upper(),
             "signer_name": name or ""}
    if folded.startswith(_SIGN_PREFIXES):
        return lines
    if unit is not None:
        lines["sign_for"] = f"TM. {_body(unit).upper()}"
    if folded.startswith("pho "):
        lines["sign_kt"] = "KT. " + title[4:].strip().upper()
    return lines


def count_text(units: int, people: int) -> str:
    """"02 tập thể và 12 cá nhân", "01 cá nhân"."""
    parts = [f"{vn_count(units)} tập thể" if units else "",
             f"{vn_count(people)} cá nhân" if people else ""]
    return " và ".join(p for p in parts if p) or "0 cá nhân"


def _form_name(code: str, day: dt.date | None = None, issuer: str = "") -> str:
    """The form as printed: with `issuer` (the body that decides it), its own name."""
    return catalogue.printed_name(code, issuer, day)


def _issuer_of(p: Proposal, day: dt.date) -> str:
    """The receiving level's name when it decides the form itself, else "" (the catalogue's
    name for the level that will)."""
    try:
        f = catalogue.form(p.form, day)
    except (KeyError, LookupError):
        return ""
    if f.decider == "cong_doan" and p.recipient.type in f.issuer_types:
        return _names(p.recipient, day)[1]
    return ""


_REF = re.compile(r"(?:^|\s)(QĐ|NĐ|HD|TT|Quyết định|Nghị định|Hướng dẫn|Thông tư)\s+(?:số\s+)?"
                  r"(\d+/[\w/-]*\w)")
_REF_NAMES = {"QĐ": "Quyết định", "NĐ": "Nghị định", "HD": "Hướng dẫn", "TT": "Thông tư"}
LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"


def legal_refs(source: str) -> list[str]:
    """The legal texts a catalogue source cites, as a document's grounds print them
    ("QĐ 1689/QĐ-TLĐ, Điều 14; domain.md §8 (…)" → ["Quyết định số 1689/QĐ-TLĐ"]). Only the
    parts that start with a text's type count: a research note, a news item or a "không tìm
    thấy" is never a ground."""
    refs: list[str] = []
    for part in official_text(source).split(";"):
        part = part.strip()
        if "không tìm thấy" in part.casefold() or not part.startswith(
                (*_REF_NAMES, *_REF_NAMES.values(), "Luật")):
            continue
        head = part.split("(")[0]
        if head.startswith("Luật Thi đua, khen thưởng"):
            refs.append(LAW)
        refs += [f"{_REF_NAMES.get(kind, kind)} số {number}"
                 for kind, number in _REF.findall(head)]
    return list(dict.fromkeys(refs))


def _form_refs(code: str, day: dt.date | None = None) -> list[str]:
    try:
        return legal_refs(catalogue.citation(code, day).source)
    except (KeyError, LookupError):
        return []


def _issues(unit: Unit, code: str, day: dt.date) -> bool:
    try:
        return unit.type in catalogue.form(code, day).issuer_types
    except (KeyError, LookupError):
        return False


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _symbol_number(unit: Unit, kind: str) -> str:
    """"     /TTr-CĐCS": the number is written in by the office that registers the document."""
    return f"\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/{kind}-{union_symbol(unit)}"


# --- tờ trình --------------------------------------------------------------------------------

def to_trinh_context(proposal: Proposal) -> dict[str, Any]:
    p = Proposal.objects.select_related("unit", "recipient", "forwarded_from__unit",
                                        "forwarded_from__council").get(pk=proposal.pk)
    day = p.submitted_on or dt.date.today()
    upper, name = _names(p.unit, day)
    _, recipient = _names(p.recipient, day)
    form = _form_name(p.form, day, _issuer_of(p, day))
    rows = candidates_of(p)
    units = sum(1 for c in rows if c.subject_unit_id)
    counted = count_text(units, len(rows) - units)
    if p.kind == ProposalKind.NAM or not p.topic:
        subject = f"Về việc đề nghị tặng {form} năm {p.year}"
    else:
        subject = f"Về việc đề nghị tặng {form} ({p.topic})"
    grounds = [f"Căn cứ {ref};" for ref in _form_refs(p.form, day)]
    if p.forwarded_from is not None:
        lower = p.forwarded_from
        _, lower_name = _names(lower.unit, day)
        council = f" và kết quả xét của {lower.council.name}" if lower.council else ""
        grounds.append(f"Căn cứ đề nghị của {lower_name}{council};")
    elif p.kind == ProposalKind.NAM:
        grounds.append(f"Căn cứ kết quả bình xét thi đua năm {p.year} của {name};")
    else:
        grounds.append(f"Căn cứ thành tích của các tập thể, cá nhân ({p.topic or form});")
    verb = "xem xét, quyết định tặng" if _issues(p.recipient, p.form, day) else \
        "xem xét, trình cấp có thẩm quyền tặng"
    request = (f"{name} kính đề nghị {recipient} {verb} {form} cho {counted} đã có thành tích "
               f"xuất sắc{' năm ' + str(p.year) if p.kind == ProposalKind.NAM else ''}.")
    dossier = [f"Báo cáo thành tích của {counted};"]
    if p.kind == ProposalKind.NAM or p.forwarded_from_id:
        dossier.append("Biên bản họp xét, bình xét thi đua, khen thưởng;")
    dossier += [f"{item.get_kind_display()}: {item.original_name};"
                for item in p.dossier.all() if item.kind == "minh_chung"]
    return {
        "layout": UNION, "upper_name": upper, "issuer_name": name,
        "number": _symbol_number(p.unit, "TTr"),
        "place": _place(p.unit),
        "date_line": doc_date(p.submitted_on) if p.submitted_on else BLANK_DATE,
        "subject": subject, "recipient_name": recipient, "form_name": form,
        "grounds": grounds, "request": request,
        "candidates": [{"n": n, "name": c.display_name, "position": c.position,
                        "achievement": c.achievement} for n, c in enumerate(rows, 1)],
        "candidate_count": vn_number(len(rows)), "annex": len(rows) > ANNEX_AFTER,
        "dossier": dossier,
        "closing": f"Kính đề nghị {recipient} xem xét, quyết định./.",
        "receivers": ["Như trên;", "Lưu: VT."],
        **_signature(p.unit, p.signer_title or "Chủ tịch", p.signer_name),
    }


def _place(unit: Unit) -> str:
    """The place name of a unit's documents: the city or province its branch is named after
    ("… thành phố Hà Nội" → "Hà Nội"), looking from the unit up; "Hà Nội" when none is."""
    prefixes = [unit.path[:i] for i in range(4, len(unit.path), 4)]
    above = Unit.objects.filter(path__in=prefixes).order_by("-path").values_list("name",
                                                                               flat=True)
    for name in [unit.name, *above]:
        for marker in ("thành phố ", "Thành phố ", "tỉnh ", "Tỉnh "):
            if marker in name:
                return str(name).rsplit(marker, 1)[1].strip()
    return "Hà Nội"


def render_to_trinh(proposal: Proposal) -> bytes:
    return render_docx(_template("honours.to_trinh"), to_trinh_context(proposal))


# --- quyết định -------------------------------------------------------------------------------

_CHANGED = {"recipient_name": "tên", "position": "chức vụ, đơn vị công tác",
            "achievement": "thành tích"}


def _rows(awards: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    # collectives first, then individuals, each in golden-book order
    ordered = sorted(awards, key=lambda a: (a["person_id"] is not None,
                                            a["golden_book_no"] or 0, a["id"]))
    return [{"n": n, "name": a["recipient_name"], "position": a["position"],
             "book": str(a["golden_book_no"] or ""),
             "cash": vn_number(a["cash_amount"]) if a["cash_amount"] else ""}
            for n, a in enumerate(ordered, 1)]


def cash_text(awards: list[dict[str, Any]], form: str) -> str:
    """"Kèm theo …, mỗi tập thể được thưởng 1.170.000 đồng, mỗi cá nhân …" when each kind of
    recipient gets one amount; a pointer to the list when the amounts differ; "" without cash."""
    amounts: dict[str, set[int]] = {"tập thể": set(), "cá nhân": set()}
    for a in awards:
        if a["cash_amount"]:
            amounts["cá nhân" if a["person_id"] else "tập thể"].add(a["cash_amount"])
    if not any(amounts.values()):
        return ""
    if any(len(v) > 1 for v in amounts.values()):
        return f"Kèm theo {form}, tiền thưởng theo danh sách kèm theo."
    parts = [f"mỗi {noun} được thưởng {vn_number(next(iter(v)))} đồng"
             for noun, v in amounts.items() if v]
    return f"Kèm theo {form}, " + ", ".join(parts) + "."


def decision_context(decision: Decision) -> dict[str, Any]:
    d = Decision.objects.select_related("issuer", "target").get(pk=decision.pk)
    issuer = d.issuer
    external = bool(d.external_issuer)
    if external:
        upper, name = "", d.external_issuer
        authority, authority_title = d.external_issuer.upper(), d.external_issuer
    else:
        upper, name = _names(issuer, d.date)
        authority = f"{_body(issuer).upper()} {name.upper()}"
        authority_title = f"{_body(issuer)} {name}"
    form = _form_name(d.form, d.date, "" if external else name) if d.form else "khen thưởng"
    fields = ("id", "person_id", "recipient_name", "position", "golden_book_no", "cash_amount")
    if d.kind == DecisionKind.THU_HOI:
        awards = list(Award.objects.filter(revoked_by=d).values(*fields))
    elif d.kind == DecisionKind.DINH_CHINH:
        changed = AwardChange.objects.filter(decision=d).values_list("award_id", flat=True)
        awards = list(Award.objects.filter(pk__in=list(changed)).values(*fields))
    else:
        awards = list(Award.objects.filter(decision=d).values(*fields))
    units = sum(1 for a in awards if a["person_id"] is None)
    counted = count_text(units, len(awards) - units)
    cash_total = sum(a["cash_amount"] or 0 for a in awards)
    senders = list(dict.fromkeys(Proposal.objects.filter(candidates__award__decision=d)
                                 .order_by("pk").values_list("unit__name", flat=True)))
    basis = [line if line.endswith((";", ".", ",")) else line + ";" for line in _lines(d.basis)]
    if not basis:
        refs = [LAW, *(_form_refs(d.form, d.date) if d.form else [])]
        basis = ["Căn cứ Điều lệ Công đoàn Việt Nam;",
                 *(f"Căn cứ {ref};" for ref in dict.fromkeys(refs))]
        if senders:
            basis.append(f"Xét đề nghị của {', '.join(senders)}.")
    target = d.target
    target_ref = (f"Quyết định số {target.number} {doc_date(target.date)} của {authority_title}"
                  if target is not None else "")
    cash_line, article2 = "", "Quyết định có hiệu lực kể từ ngày ký."
    who = "tập thể, cá nhân" if units and len(awards) > units else (
        "tập thể" if units else "cá nhân")
    if d.kind == DecisionKind.THU_HOI:
        article1 = (f"Hủy bỏ, thu hồi {form} đã tặng cho {counted} có tên trong danh sách kèm "
                    f"theo tại {target_ref}. Lý do: {d.reason.rstrip('.')}.")
        if cash_total:
            cash_line = (f"Các tập thể, cá nhân có tên trong danh sách nộp lại hiện vật và tiền "
                         f"thưởng đã nhận (tổng cộng {vn_number(cash_total)} đồng).")
        list_title = f"TẬP THỂ, CÁ NHÂN BỊ HỦY BỎ, THU HỒI {form.upper()}"
    elif d.kind == DecisionKind.DINH_CHINH:
        changes = AwardChange.objects.filter(decision=d).select_related("award")
        said = "; ".join(f"{_CHANGED.get(c.field, c.field)} của {c.award.recipient_name} "
                         f"(số sổ vàng {c.award.golden_book_no or '…'}): «{c.before}» sửa "
                         f"thành «{c.after}»" for c in changes)
        article1 = (f"Đính chính {target_ref} như sau: {said}. "
                    f"Lý do: {d.reason.rstrip('.')}.")
        article2 = (f"Các nội dung khác của {target_ref.split(' của ')[0]} giữ nguyên. "
                    "Quyết định này có hiệu lực kể từ ngày ký.")
        list_title = "TẬP THỂ, CÁ NHÂN ĐƯỢC ĐÍNH CHÍNH THÔNG TIN"
    else:
        article1 = f"Tặng {form} cho {counted} có tên trong danh sách kèm theo Quyết định này"
        topics = set(Proposal.objects.filter(candidates__award__decision=d)
                     .exclude(topic="").values_list("topic", flat=True))
        article1 += f" vì đã có thành tích {topics.pop()}." if len(topics) == 1 else (
            f" vì đã có thành tích xuất sắc năm {d.year}.")
        cash_line = cash_text(awards, form)
        if cash_total and not external:
            article2 = (f"Tiền thưởng được chi từ quỹ thi đua, khen thưởng của {name} theo quy "
                        "định. Quyết định có hiệu lực kể từ ngày ký.")
        list_title = f"{who.upper()} ĐƯỢC TẶNG {form.upper()}"
    offices = f"Văn phòng, các ban của {name}" if not external else "Các cơ quan có liên quan"
    article3 = (f"{offices}, {', '.join(senders) + ', ' if senders else ''}các {who} có tên tại "
                "Điều 1 chịu trách nhiệm thi hành Quyết định này.")
    receivers = ["Như Điều 3;"] + ([f"{upper} (để báo cáo);"] if upper else []) + ["Lưu: VT."]
    return {
        "layout": STATE if external else UNION, "upper_name": upper, "issuer_name": name,
        "number": d.number, "place": d.place or _place(issuer),
        "date_line": doc_date(d.date), "title": d.title, "authority": authority,
        "authority_title": authority_title, "basis": basis,
        "article1": article1, "cash_line": cash_line, "article2": article2,
        "article3": article3, "receivers": receivers,
        "list_title": list_title, "rows": _rows(awards), "count_text": counted,
        "cash_total": vn_number(cash_total) if cash_total else "",
        **_signature(None if external else issuer, d.signer_title, d.signer_name),
    }


def render_decision(decision: Decision) -> bytes:
    return render_docx(_template("honours.quyet_dinh"), decision_context(decision))


def docx_to_pdf(data: bytes, *, timeout: float = 180) -> bytes | None:
    """`data` (a .docx) converted to PDF by LibreOffice headless in a private temporary folder
    (its own profile, so a running LibreOffice does not block it); None when LibreOffice is not
    installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "van-ban.docx"
        source.write_bytes(data)
        try:
            subprocess.run([soffice, f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                            "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                            str(source)], check=True, capture_output=True, timeout=timeout)
            return (folder / "van-ban.pdf").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise ApplicationError("LibreOffice không chuyển được văn bản sang PDF; hãy tải bản "
                                   ".docx.") from exc


def decision_pdf(decision: Decision) -> bytes:
    """The decision as PDF (LibreOffice), signed with the issuer's key when one is configured
    (`platform.signing.signer_for`); a decision recorded from outside the union is not signed
    here. ApplicationError when LibreOffice is not installed."""
    d = Decision.objects.select_related("issuer").get(pk=decision.pk)
    pdf = docx_to_pdf(render_decision(d))
    if pdf is None:
        raise ApplicationError("Máy chủ chưa cài LibreOffice (soffice): chỉ tải được bản .docx "
                               "của quyết định.")
    signer = None if d.external_issuer else signer_for(d.issuer.code)
    if signer is not None:
        pdf = signer.sign(pdf, reason=f"Quyết định số {d.number}", location=d.place)
    return pdf


def decision_filename(decision: Decision, ext: str = "docx") -> str:
    safe = decision.number.replace("/", "-").replace(" ", "")
    return f"quyet-dinh-{fold(safe).replace(' ', '-')}.{ext}"


# --- biên bản họp Hội đồng --------------------------------------------------------------------

def bien_ban_context(proposal: Proposal) -> dict[str, Any]:
    p = Proposal.objects.select_related("unit", "recipient", "council").get(pk=proposal.pk)
    council = p.council
    day = (council.meeting_date if council and council.meeting_date else None)
    upper, recipient = _names(p.recipient, day or dt.date.today())
    _, sender = _names(p.unit, day or dt.date.today())
    form = _form_name(p.form, day, _issuer_of(p, day or dt.date.today()))
    members = sorted(council.members.all(), key=lambda m: (ROLE_ORDER.get(Role(m.role), 2), m.order,
                                                           m.pk)) if council else []
    size = len(members)
    present = sum(1 for m in members if m.present)
    rows: list[dict[str, Any]] = []
    passed: list[Candidate] = []
    failed: list[Candidate] = []
    threshold = ""
    candidates = candidates_of(p)
    for n, c in enumerate(candidates, 1):
        v = c.votes or {}
        share = ""
        if v and v.get("members"):
            share = f"{vn_number(100 * int(v.get('for', 0)) / int(v['members']), 1)}%"
        result = "Đạt" if c.passed else "Không đạt" if c.passed is False else "Chưa biểu quyết"
        if c.passed is not None:
            (passed if c.passed else failed).append(c)
        rows.append({"n": n, "name": c.display_name, "position": c.position,
                     "for": v.get("for", ""), "against": v.get("against", ""),
                     "absent": v.get("absent", ""), "share": share, "result": result})
        if not threshold and isinstance(v.get("threshold"), dict):
            th = v["threshold"]
            source = official_text(str(th.get("source", "")))
            threshold = str(th.get("text", "")) + (f" ({source})" if source else "")
    if not threshold:
        th_now = threshold_for(p.form, p.year, p.recipient)
        source = official_text(th_now.source)
        threshold = th_now.text + (f" ({source})" if source else "")
    units = sum(1 for c in candidates if c.subject_unit_id)
    won = sum(1 for c in passed if c.subject_unit_id)
    decides = _issues(p.recipient, p.form, day or dt.date.today())
    to = f"{_body(p.recipient)} {recipient} quyết định tặng" if decides else \
        "cấp có thẩm quyền xét tặng"
    conclusion = (f"Căn cứ kết quả biểu quyết, Hội đồng thống nhất đề nghị {to} {form} cho "
                  f"{count_text(won, len(passed) - won)} đạt tỷ lệ phiếu đồng ý theo quy định."
                  if passed else "Chưa có tập thể, cá nhân nào đạt tỷ lệ phiếu đồng ý.")
    failed_names = ", ".join(c.display_name for c in failed[:ANNEX_AFTER])
    if len(failed) > ANNEX_AFTER:
        failed_names = f"{vn_number(len(failed))} tập thể, cá nhân (chi tiết tại Phụ lục)"
    chair = next((m.full_name for m in members if m.role == Role.CHU_TICH), "")
    secretary = next((m.full_name for m in members if m.role == Role.THU_KY), "")
    return {
        "layout": UNION, "upper_name": upper, "issuer_name": recipient,
        "number": _symbol_number(p.recipient, "BB"), "place": _place(p.recipient),
        "date_line": doc_date(day) if day else BLANK_DATE,
        "council_name": council.name if council else "Hội đồng Thi đua – Khen thưởng",
        "meeting_date": doc_date(day) if day else BLANK_DATE,
        "start_time": clock(council.meeting_time if council else None),
        "end_time": clock(council.meeting_end_time if council else None),
        "meeting_place": (council.meeting_place if council and council.meeting_place
                          else f"trụ sở {recipient}"),
        "council_size": vn_number(size), "present_count": vn_number(present),
        "absent_count": vn_number(size - present),
        "members": [{"n": i, "name": m.full_name, "position": m.position,
                     "role": Role(m.role).label, "present": m.present}
                    for i, m in enumerate(members, 1)],
        "chair": chair, "secretary": secretary,
        "agenda": (f"Hội đồng xét hồ sơ đề nghị tặng {form} năm {p.year} của {sender}"
                   f"{' (' + p.topic + ')' if p.topic else ''}, gồm "
                   f"{count_text(units, len(candidates) - units)}."),
        "ballot": Ballot(council.ballot).label if council else FIELD,
        "threshold": threshold,
        "candidates": rows, "candidate_count": vn_number(len(rows)),
        "annex": len(rows) > ANNEX_AFTER,
        "conclusion": conclusion, "failed_names": failed_names,
    }


def render_bien_ban(proposal: Proposal) -> bytes:
    return render_docx(_template("honours.bien_ban_hoi_dong"), bien_ban_context(proposal))


# --- báo cáo thành tích -----------------------------------------------------------------------

def _award_rows(awards: Iterable[Award]) -> list[dict[str, str]]:
    out = []
    for a in awards:
        d = a.decision
        by = d.external_issuer or d.issuer.name
        out.append({"year": str(a.year), "name": _form_name(a.form, d.date,
                                                             "" if d.external_issuer else by),
                    "decision": f"Quyết định số {d.number} ngày {vn_date(d.date)} của {by}"})
    return out


def bao_cao_context(candidate: Candidate) -> dict[str, Any]:
    c = Candidate.objects.select_related("proposal__unit", "person", "subject_unit",
                                         "initiative").get(pk=candidate.pk)
    p = c.proposal
    day = p.submitted_on or dt.date.today()
    form = _form_name(p.form, day, _issuer_of(p, day))
    labels = title_labels()
    year_line = (f"(Thành tích năm {p.year})" if p.kind == ProposalKind.NAM or not p.topic
                 else f"(Thành tích {p.topic})")
    achievement = _lines(c.achievement) or [DOTS, DOTS]
    common = {"form_name": form, "year_line": year_line, "place": _place(p.unit),
              "date_line": BLANK_DATE, "achievement": achievement, "duties": DOTS,
              "head_name": "", "dots": DOTS}
    if c.person is not None:
        person = c.person
        home = person_home_unit(person, p.year) or p.unit
        _, home_name = _names(home, day)
        # the sender certifies the report: its block heads it (the tổ CĐ is only the workplace)
        upper, sender = _names(p.unit, day)
        titles = [{"year": str(t.year), "name": labels.get(t.title, t.title),
                   "decision": f"Số …… ngày …… của {t.unit.name}"}
                  for t in person_titles(person) if not t.revoked]
        awards = awards_of_person(person.pk).filter(revoked=False).select_related(
            "decision__issuer").exclude(candidate=c)
        return {**common, "kind": "ca_nhan", "upper_name": upper, "unit_name": sender,
                "name": person.full_name,
                "birth": vn_date(person.birth_date) or FIELD[:12],
                "gender": person.get_gender_display() or FIELD[:8],
                "ethnicity": person.ethnicity or FIELD,
                "hometown": FIELD, "residence": FIELD,
                "workplace": department(home_name), "position": c.position or person.position
                or FIELD, "qualification": FIELD, "degrees": FIELD,
                "initiatives": [c.initiative.title] if c.initiative else [],
                "titles": titles, "awards": _award_rows(awards),
                "signer_name": person.full_name}
    unit = c.subject_unit
    assert unit is not None
    upper, name = _names(unit, day)
    unit_titles = [{"year": str(t.year), "name": labels.get(t.title, t.title),
                    "decision": f"Số …… ngày …… của {t.unit.name}"}
                   for t in unit.title_results.filter(revoked=False).select_related("unit")
                   .order_by("-year", "title")]
    awards = awards_of_unit(unit).filter(revoked=False).select_related(
        "decision__issuer").exclude(candidate=c)
    return {**common, "kind": "tap_the", "upper_name": upper, "unit_name": name,
            "name": c.display_name or name, "address": FIELD, "history": FIELD,
            "structure": FIELD, "initiatives": [], "titles": unit_titles,
            "awards": _award_rows(awards), "signer_name": ""}


def render_bao_cao(candidate: Candidate) -> bytes:
    key = "honours.bao_cao_ca_nhan" if candidate.person_id else "honours.bao_cao_tap_the"
    return render_docx(_template(key), bao_cao_context(candidate))


# --- sample contexts (the template registry checks an uploaded replacement against them) -----

_SAMPLE_HEAD = {"layout": UNION, "upper_name": "Liên đoàn Lao động Thành phố Hà Nội",
                "issuer_name": "Công đoàn Viên chức thành phố Hà Nội", "place": "Hà Nội",
                "date_line": "ngày 10 tháng 01 năm 2025", "sign_for": "TM. BAN THƯỜNG VỤ",
                "sign_kt": "", "sign_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn A",
                "receivers": ["Như Điều 3;", "Lưu: VT."]}
_SAMPLE_PERSON = {"n": 1, "name": "Trần Thị B", "position": "Chuyên viên, Văn phòng",
                  "achievement": "Hoàn thành xuất sắc nhiệm vụ năm 2024"}


def sample_context(key: str) -> dict[str, Any]:
    """A full example of what the renderer of template `key` passes (every placeholder)."""
    people = [_SAMPLE_PERSON, {**_SAMPLE_PERSON, "n": 2, "name": "Lê Văn C"}]
    if key == "honours.to_trinh":
        return {**_SAMPLE_HEAD, "issuer_name": "Công đoàn Sở Tư pháp",
                "upper_name": "Công đoàn Viên chức thành phố Hà Nội",
                "number": "\u00a0\u00a0\u00a0/TTr-CĐCS", "sign_for": "TM. BAN CHẤP HÀNH",
                "subject": "Về việc đề nghị tặng Giấy khen năm 2024",
                "recipient_name": "Công đoàn Viên chức thành phố Hà Nội", "form_name": "Giấy khen",
                "grounds": ["Căn cứ kết quả bình xét thi đua năm 2024 của Công đoàn Sở Tư pháp;"],
                "request": "Công đoàn Sở Tư pháp kính đề nghị … tặng Giấy khen cho 02 cá nhân.",
                "candidates": people, "candidate_count": "2", "annex": False,
                "dossier": ["Báo cáo thành tích của 02 cá nhân;"],
                "closing": "Kính đề nghị Công đoàn Viên chức thành phố Hà Nội xem xét, quyết "
                           "định./.", "receivers": ["Như trên;", "Lưu: VT."]}
    if key == "honours.quyet_dinh":
        return {**_SAMPLE_HEAD, "number": "12/QĐ-CĐ",
                "title": "Về việc tặng Giấy khen năm 2024",
                "authority": "BAN THƯỜNG VỤ CÔNG ĐOÀN VIÊN CHỨC THÀNH PHỐ HÀ NỘI",
                "authority_title": "Ban Thường vụ Công đoàn Viên chức thành phố Hà Nội",
                "basis": ["Căn cứ Điều lệ Công đoàn Việt Nam;",
                          "Xét đề nghị của Công đoàn Sở Tư pháp."],
                "article1": "Tặng Giấy khen cho 02 cá nhân có tên trong danh sách kèm theo.",
                "cash_line": "Kèm theo Giấy khen, mỗi cá nhân được thưởng 585.000 đồng.",
                "article2": "Quyết định có hiệu lực kể từ ngày ký.",
                "article3": "Văn phòng và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi "
                            "hành Quyết định này.",
                "list_title": "CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN",
                "rows": [{"n": p["n"], "name": p["name"], "position": p["position"],
                          "book": str(p["n"]), "cash": "585.000"} for p in people],
                "count_text": "02 cá nhân", "cash_total": "1.170.000"}
    if key == "honours.bien_ban_hoi_dong":
        return {**_SAMPLE_HEAD, "number": "\u00a0\u00a0\u00a0/BB-CĐ",
                "council_name": "Hội đồng Thi đua – Khen thưởng",
                "meeting_date": "ngày 08 tháng 01 năm 2025", "start_time": "08 giờ 30 phút",
                "end_time": "10 giờ 00 phút", "meeting_place": "Hội trường tầng 2",
                "council_size": "3", "present_count": "3", "absent_count": "0",
                "members": [{"n": 1, "name": "Nguyễn Văn A", "position": "Chủ tịch",
                             "role": "Chủ tịch Hội đồng", "present": True}],
                "chair": "Nguyễn Văn A", "secretary": "Phạm Thị D",
                "agenda": "Hội đồng xét hồ sơ đề nghị tặng Giấy khen năm 2024 của Công đoàn "
                          "Sở Tư pháp, gồm 02 cá nhân.",
                "ballot": "Biểu quyết công khai", "threshold": "từ 80% tổng số thành viên",
                "candidates": [{**p, "for": 3, "against": 0, "absent": 0, "share": "100,0%",
                                "result": "Đạt"} for p in people],
                "candidate_count": "2", "annex": False,
                "conclusion": "Hội đồng thống nhất đề nghị tặng Giấy khen cho 02 cá nhân.",
                "failed_names": ""}
    report = {"upper_name": "Công đoàn Viên chức thành phố Hà Nội",
              "unit_name": "Công đoàn Sở Tư pháp", "place": "Hà Nội", "date_line": BLANK_DATE,
              "form_name": "Giấy khen", "year_line": "(Thành tích năm 2024)",
              "achievement": ["Hoàn thành xuất sắc nhiệm vụ năm 2024"], "duties": DOTS,
              "head_name": "", "dots": DOTS, "initiatives": [],
              "titles": [{"year": "2023", "name": "Lao động tiên tiến",
                          "decision": "Số …… ngày …… của Sở Tư pháp"}],
              "awards": [{"year": "2023", "name": "Giấy khen",
                          "decision": "Quyết định số 5/QĐ-CĐ ngày 10/01/2024 của …"}]}
    if key == "honours.bao_cao_ca_nhan":
        return {**report, "kind": "ca_nhan", "name": "Trần Thị B", "birth": "08/03/1990",
                "gender": "Nữ", "ethnicity": "Kinh", "hometown": FIELD, "residence": FIELD,
                "workplace": "Văn phòng", "position": "Chuyên viên", "qualification": FIELD,
                "degrees": FIELD, "signer_name": "Trần Thị B"}
    if key == "honours.bao_cao_tap_the":
        return {**report, "kind": "tap_the", "name": "Tổ công đoàn Văn phòng",
                "address": FIELD, "history": FIELD, "structure": FIELD, "signer_name": ""}
    raise KeyError(key)


_LABELS = {
    "honours.to_trinh": "Tờ trình đề nghị khen thưởng",
    "honours.quyet_dinh": "Quyết định khen thưởng (kèm danh sách)",
    "honours.bien_ban_hoi_dong": "Biên bản họp Hội đồng xét khen thưởng",
    "honours.bao_cao_ca_nhan": "Báo cáo thành tích cá nhân",
    "honours.bao_cao_tap_the": "Báo cáo thành tích tập thể",
}
for _key, _path in TEMPLATES.items():
    register_template(_key, label=_LABELS[_key], default=_path,
                      sample=functools.partial(sample_context, _key), group="Khen thưởng")
