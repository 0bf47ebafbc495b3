"""The application form (Đơn yêu cầu công nhận sáng kiến, TT 18/2013 Phụ lục I) as .docx:
`application_context` gathers what the form shows as plain text, and platform `render_docx`
fills the Word template in docx/ (built by demo/templates_src/initiative_application.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from thidua.initiatives.models import Initiative, InitiativeType, Level, Recognition
from thidua.platform.templates_docx import register_template, render_template
from thidua.platform.text import doc_date, vn_date, vn_number

TEMPLATE = Path(__file__).resolve().parent / "docx" / "don_yeu_cau_cong_nhan_sang_kien.docx"
CERTIFICATE = Path(__file__).resolve().parent / "docx" / "giay_chung_nhan_sang_kien.docx"
APPLICATION_KEY = "initiatives.don_yeu_cau"
CERTIFICATE_KEY = "initiatives.giay_chung_nhan"
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
    return render_template(APPLICATION_KEY, application_context(ini))


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
    return render_template(CERTIFICATE_KEY, certificate_context(rec, authors))


def certificate_filename(rec: Recognition) -> str:
    return f"giay-chung-nhan-sang-kien-{rec.pk}.docx"


def application_sample() -> dict[str, Any]:
    """An example of what `application_context` gives, for checking and previewing a
    replacement template."""
    workplace = "Văn phòng Sở Tư pháp Hà Nội"
    return {
        "addressee": "Hội đồng sáng kiến Sở Tư pháp Hà Nội",
        "authors": [
            {"n": 1, "name": "Trần Thị Ánh", "birth_date": "08/03/1990", "workplace": workplace,
             "job_title": "Chuyên viên", "qualification": "Cử nhân Luật", "share": "60"},
            {"n": 2, "name": "Nguyễn Văn Đức", "birth_date": "17/05/1985",
             "workplace": workplace, "job_title": "Kế toán viên",
             "qualification": "Thạc sĩ Kinh tế", "share": "40"},
        ],
        "title": "Số hóa quy trình tiếp nhận hồ sơ công chứng",
        "investor": "Tác giả đồng thời là chủ đầu tư tạo ra sáng kiến.",
        "field": "Cải cách hành chính", "kind": "giải pháp tác nghiệp",
        "first_applied_on": "02/01/2024",
        "description": ["Xây dựng biểu mẫu điện tử tiếp nhận hồ sơ.",
                        "Tra cứu tình trạng hồ sơ bằng mã QR."],
        "confidential": "không có.",
        "conditions": ["Máy tính có kết nối mạng nội bộ."],
        "benefit_author": ["Rút ngắn thời gian tiếp nhận một hồ sơ từ 30 xuống 10 phút."],
        "benefit_others": ["Người dân không phải đến nộp bản giấy nhiều lần."],
        "benefit_expected": "120.000.000 đồng", "benefit_measured": "85.500.000 đồng",
        "participants": [
            {"n": 1, "name": "Lê Minh Tuấn", "birth_date": "21/11/1988", "workplace": workplace,
             "job_title": "Chánh Văn phòng", "qualification": "Cử nhân Luật",
             "task": "Thử nghiệm quy trình tại bộ phận một cửa"},
        ],
        "place": PLACE, "date_line": "ngày 15 tháng 3 năm 2024", "signer": "Trần Thị Ánh",
    }


def certificate_sample() -> dict[str, Any]:
    """An example of what `certificate_context` gives."""
    return {
        "issuer": "Giám đốc Sở Tư pháp Hà Nội",
        "title": "Số hóa quy trình tiếp nhận hồ sơ công chứng",
        "author_noun": "nhóm tác giả",
        "authors": "Trần Thị Ánh (60%), Nguyễn Văn Đức (40%)",
        "unit_name": "Công đoàn Sở Tư pháp", "level": "cấp cơ sở", "year": 2024,
        "scope_note": "Áp dụng trong phạm vi Sở Tư pháp Hà Nội",
        "decision_no": "125/QĐ-STP", "decided_on": "ngày 20 tháng 6 năm 2024",
        "certificate_no": "SK-2024-0007", "place": PLACE,
        "date_line": "ngày 20 tháng 6 năm 2024",
    }


register_template(APPLICATION_KEY, label="Đơn yêu cầu công nhận sáng kiến", default=TEMPLATE,
                  sample=application_sample, group="Sáng kiến")
register_template(CERTIFICATE_KEY, label="Giấy chứng nhận sáng kiến", default=CERTIFICATE,
                  sample=certificate_sample, group="Sáng kiến")
