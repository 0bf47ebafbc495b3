"""The application form (Đơn yêu cầu công nhận sáng kiến, TT 18/2013 Phụ lục I) as .docx:
`application_context` gathers what the form shows as plain text, and platform `render_docx`
fills the Word template in docx/ (built by demo/templates_src/initiative_application.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from thidua.initiatives.models import Initiative, InitiativeType, Level, Recognition
from thidua.platform.documents import render_docx
from thidua.platform.text import doc_date, vn_date, vn_number

TEMPLATE = Path(__file__).resolve().parent / "docx" / "don_yeu_cau_cong_nhan_sang_kien.docx"
CERTIFICATE = Path(__file__).resolve().parent / "docx" / "giay_chung_nhan_sang_kien.docx"
PLACE = "Hà Nội"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _share(value: Any) -> str:
    text = vn_number(float(value), 2)
    return text.rstrip("0").rstrip(",")


def _vnd(value: Any) -> str:
    return f"{vn_number(int(value))} đồng" if value is not None else ""


def application_context(ini: Initiative) -> dict[str, Any]:
    """Everything the form shows, as text ready to print."""
    authors = list(ini.authors.all())
    signed = (timezone.localtime(ini.submitted_at).date() if ini.submitted_at
              else timezone.localdate())
    return {
        "addressee": ini.addressee or f"Hội đồng sáng kiến {ini.unit.name}",
        "authors": [{"n": i, "name": a.full_name, "birth_date": vn_date(a.birth_date),
                     "workplace": a.workplace, "job_title": a.job_title,
                     "qualification": a.qualification, "share": _share(a.contribution)}
                    for i, a in enumerate(authors, 1)],
        "title": ini.title,
        "investor": ini.investor or "Tác giả đồng thời là chủ đầu tư tạo ra sáng kiến.",
        "field": ini.field,
        "kind": InitiativeType(ini.kind).label.lower() if ini.kind else "",
        "first_applied_on": vn_date(ini.first_applied_on) or "chưa áp dụng",
        "description": _lines(ini.description),
        "confidential": ini.confidential or "không có.",
        "conditions": _lines(ini.conditions) or ["Không có yêu cầu đặc biệt."],
        "benefit_author": _lines(ini.benefit_author) or ["Chưa đánh giá."],
        "benefit_others": _lines(ini.benefit_others) or ["Chưa có."],
        "benefit_expected": _vnd(ini.benefit_expected_vnd),
        "benefit_measured": _vnd(ini.benefit_measured_vnd),
        "participants": [{"n": i, "name": p.full_name, "birth_date": vn_date(p.birth_date),
                          "workplace": p.workplace, "job_title": p.job_title,
                          "qualification": p.qualification, "task": p.task}
                         for i, p in enumerate(ini.participants.all(), 1)],
        "place": PLACE,
        "date_line": doc_date(signed),
        "signer": authors[0].full_name if authors else "",
    }


def application_docx(ini: Initiative) -> bytes:
    return render_docx(TEMPLATE, application_context(ini))


def application_filename(ini: Initiative) -> str:
    return f"don-yeu-cau-cong-nhan-sang-kien-{ini.pk}.docx"


def certificate_context(rec: Recognition, authors: list[Any]) -> dict[str, Any]:
    """The certificate's lines (its page `initiatives/certificate.html` shows the same)."""
    ini = rec.initiative
    names = [a.full_name + (f" ({_share(a.contribution)}%)" if len(authors) > 1 else "")
             for a in authors]
    return {
        "issuer": rec.issuer, "title": ini.title,
        "author_noun": "nhóm tác giả" if len(authors) > 1 else "tác giả",
        "authors": ", ".join(names), "unit_name": ini.unit.name,
        "level": Level(rec.level).label.lower(), "year": rec.year, "scope_note": rec.scope_note,
        "decision_no": rec.decision_no, "decided_on": doc_date(rec.decided_on),
        "certificate_no": rec.certificate_no, "place": PLACE,
        "date_line": doc_date(rec.decided_on),
    }


def certificate_docx(rec: Recognition, authors: list[Any]) -> bytes:
    return render_docx(CERTIFICATE, certificate_context(rec, authors))


def certificate_filename(rec: Recognition) -> str:
    return f"giay-chung-nhan-sang-kien-{rec.pk}.docx"
