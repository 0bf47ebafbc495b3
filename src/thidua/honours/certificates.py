"""Certificates (Giấy khen, Bằng khen, Cờ thi đua) as printed pages, and what the public check
of a certificate's code may tell.

Two halves, as for every document: `certificate_pages` queries and returns plain dicts of text
ready to print; `certificates_html` turns any number of them into ONE HTML document (a page each,
A4 landscape) that `thidua.platform.pdf.render_pdf` prints in a single WeasyPrint pass — the
only way 1.000 certificates of a decision print in about the time of the pages alone.

The QR code carries `THIDUA_PUBLIC_URL` + `/xac-minh/<code>/`; the emblem is the image at
`THIDUA_CERTIFICATE_EMBLEM` (PNG, JPG or SVG), else the project's own drawing. Both are read
with `getattr` defaults, so an installation that sets neither prints a working certificate."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from thidua.honours import catalogue
from thidua.honours.models import Award, Certificate, Decision
from thidua.honours.selectors import revoked_certificates
from thidua.org.models import Unit
from thidua.platform.errors import ApplicationError
from thidua.platform.files import open_stored
from thidua.platform.qr import qr_svg_data_uri
from thidua.platform.signing import SignatureCheck, verify_pdf
from thidua.platform.text import doc_date, vn_date

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
DEFAULT_EMBLEM = Path(__file__).resolve().parent / "static" / "honours" / "emblem.svg"
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
                ".jpeg": "image/jpeg"}
# The titles printed in red, chosen by how the form's name starts (catalogue names such as
# "Bằng khen của Ban Chấp hành …", "Cờ thi đua xuất sắc …", "Giấy khen của …").
_TITLES = (("giấy khen", "GIẤY KHEN"), ("bằng khen", "BẰNG KHEN"),
           ("cờ thi đua xuất sắc", "CỜ THI ĐUA XUẤT SẮC"), ("cờ thi đua", "CỜ THI ĐUA"),
           ("bằng lao động sáng tạo", "BẰNG LAO ĐỘNG SÁNG TẠO"), ("kỷ niệm chương", "KỶ NIỆM CHƯƠNG"))
_LONG_ACHIEVEMENT = 260  # characters: above this the achievement prints smaller
_MAX_ACHIEVEMENT = 560
_SIGNATURE_CACHE_SECONDS = 3600


def public_url() -> str:
    return str(getattr(settings, "THIDUA_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")


def verification_url(code: str) -> str:
    """The absolute address printed in the QR code."""
    return public_url() + reverse("verify:code", kwargs={"code": code})


def grouped_code(code: str) -> str:
    """"K7QM2XPA…" → "K7QM-2XPA-…", as printed and typed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def certificate_title(form_name: str) -> str:
    low = form_name.strip().lower()
    for start, title in _TITLES:
        if low.startswith(start):
            return title
    return form_name.split(" của ")[0].strip().upper() or "BẰNG KHEN"


def form_name(code: str, day: dt.date | None = None) -> str:
    try:
        return catalogue.form(code, day).name
    except KeyError:  # a form recorded from above the union, or since removed
        return code


@lru_cache(maxsize=8)
def _data_uri(path: str, mtime: float) -> str:
    data = Path(path).read_bytes()
    kind = _IMAGE_TYPES.get(Path(path).suffix.lower()) or mimetypes.guess_type(path)[0]
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def emblem_data_uri() -> str:
    """The emblem inlined, so the printed HTML needs no file access and no network."""
    path = Path(getattr(settings, "THIDUA_CERTIFICATE_EMBLEM", "") or DEFAULT_EMBLEM)
    if path.suffix.lower() not in _IMAGE_TYPES:
        raise ApplicationError(f"Hình biểu trưng «{path.name}» phải là tệp .png, .jpg hoặc .svg.")
    try:
        return _data_uri(str(path), path.stat().st_mtime)
    except OSError as exc:
        raise ApplicationError(
            f"Không đọc được hình biểu trưng «{path}» (THIDUA_CERTIFICATE_EMBLEM).") from exc


def issuer_name(decision: Decision) -> str:
    return decision.external_issuer or decision.issuer.name


def _recipient_prefix(award: Award) -> str:
    if award.person is None:
        return ""
    return {"nam": "Ông", "nu": "Bà"}.get(award.person.gender, "Ông/Bà")


def _achievement(text: str) -> str:
    """"Hoàn thành xuất sắc nhiệm vụ năm 2024" → "Đã có thành tích hoàn thành xuất sắc …"."""
    text = " ".join(text.split())
    if not text or text.lower().startswith(("đã ", "vì ", "có ")):
        return text
    if not text[1:2].isupper():  # keep an abbreviation ("CĐCS …") as written
        text = text[0].lower() + text[1:]
    return f"Đã có thành tích {text}"


def _clip(text: str) -> str:
    """The frame holds about six lines of the small print: longer text is cut at a word."""
    if len(text) <= _MAX_ACHIEVEMENT:
        return text
    return text[:_MAX_ACHIEVEMENT].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def page_of(award: Award, decision: Decision, *, title: str, issuer: str) -> dict[str, str]:
    """One certificate as text ready to print (no query: the award comes with its person,
    home unit and certificate)."""
    code = award.certificate.code
    position = award.position.strip()
    if award.person_id is not None and award.home_unit.name not in position:
        position = ", ".join(p for p in (position, award.home_unit.name) if p)
    return {
        "code": code, "grouped_code": grouped_code(code), "url": verification_url(code),
        "title": title, "issuer": issuer, "issuer_upper": issuer.upper(),
        "prefix": _recipient_prefix(award), "recipient": award.recipient_name,
        "position": position if award.person_id is not None else "",
        "achievement": _clip(_achievement(award.achievement)),
        "decision": f"Quyết định số {decision.number} {doc_date(decision.date)}",
        "golden_book": str(award.golden_book_no or ""),
        # without a recorded place the line is the date alone, never a guessed city
        "place_date": (f"{decision.place}, {doc_date(decision.date)}" if decision.place
                       else doc_date(decision.date).capitalize()),
        "signer_title": decision.signer_title.upper(), "signer_name": decision.signer_name,
    }


def decision_awards(decision: Decision) -> list[Award]:
    """The awards of the decision that print: not revoked, with their certificate, in the
    golden book's order."""
    return list(Award.objects.filter(decision=decision, revoked=False,
                                     certificate__isnull=False)
                .select_related("person", "home_unit", "certificate")
                .order_by("golden_book_no", "pk"))


def certificate_pages(decision: Decision, awards: Iterable[Award]) -> list[dict[str, str]]:
    """The context builder: everything the pages print, from the decision and its awards."""
    issuer = issuer_name(decision)
    name = catalogue.printed_name(decision.form, "" if decision.external_issuer else issuer,
                                  decision.date)
    title = certificate_title(name)
    return [page_of(a, decision, title=title, issuer=issuer) for a in awards]


def certificates_html(pages: Sequence[dict[str, str]], *, emblem: str | None = None) -> str:
    """One HTML document, one A4 landscape page per certificate (the renderer: no query)."""
    if not pages:
        raise ApplicationError("Không có bằng, giấy khen nào để in.")
    printed = [dict(p, qr=qr_svg_data_uri(p["url"], scale=4),
                    long="long" if len(p["achievement"]) > _LONG_ACHIEVEMENT else "")
               for p in pages]
    return render_to_string("honours/certificate_print.html",
                            {"pages": printed, "emblem": emblem or emblem_data_uri()})


# ------------------------------------------------------------------ the public check


@dataclass(frozen=True)
class PublicFacts:
    """What the verification page, the API and `thidua certificates verify` may say: nothing
    about the person beyond the name printed on the certificate itself."""

    code: str
    grouped_code: str
    valid: bool
    revoked_by_number: str
    revoked_on: dt.date | None
    form: str
    issuer: str
    recipient: str
    decision_number: str
    decision_date: dt.date
    golden_book_no: int | None
    printed: bool
    signed: bool
    signature_intact: bool
    signature_text: str

    def lines(self) -> list[tuple[str, str]]:
        """The facts as label/value pairs, in the page's order (the CLI prints these)."""
        status = "Còn hiệu lực" if self.valid else (
            f"Đã bị thu hồi theo Quyết định số {self.revoked_by_number}"
            + (f" ngày {vn_date(self.revoked_on)}" if self.revoked_on else ""))
        return [
            ("Mã xác minh", self.grouped_code),
            ("Tình trạng", status),
            ("Hình thức khen thưởng", self.form),
            ("Cơ quan khen thưởng", self.issuer),
            ("Người, tập thể được khen", self.recipient),
            ("Quyết định", f"Số {self.decision_number} ngày {vn_date(self.decision_date)}"),
            ("Số sổ vàng", str(self.golden_book_no or "—")),
            ("Chữ ký số", self.signature_text),
        ]


def stored_signature(certificate: Certificate) -> tuple[bool, str]:
    """Whether the stored PDF's signature is intact, and the sentence that says it. Checked on
    the bytes in the storage (any change shows); the answer is cached by their digest, since a
    decision's PDF of 1.000 pages is read by every lookup of its codes."""
    if not certificate.file:
        return False, "Chưa in bản điện tử của bằng, giấy khen này."
    try:
        with open_stored(str(certificate.file.name)) as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return False, "Không còn bản điện tử trên máy chủ để kiểm tra chữ ký số."
    digest = hashlib.sha256(data).hexdigest()
    key = f"honours:signature:{digest}"
    check: SignatureCheck | None = cache.get(key)
    if check is None:
        check = verify_pdf(data)
        cache.set(key, check, _SIGNATURE_CACHE_SECONDS)
    if not check.signed:
        if certificate.signed or digest != certificate.sha256:
            return False, ("Bản điện tử đã bị sửa hoặc bị hỏng sau khi ký: chữ ký không còn "
                           "giá trị.")
        return False, "Bản điện tử chưa ký số (đơn vị ban hành chưa có khóa ký số)."
    return check.intact, check.summary_vi


def public_facts(certificate: Certificate) -> PublicFacts:
    award = certificate.award
    decision = award.decision
    revoking = award.revoked_by
    intact, text = stored_signature(certificate)
    return PublicFacts(
        code=certificate.code, grouped_code=grouped_code(certificate.code),
        valid=not award.revoked, revoked_by_number=revoking.number if revoking else "",
        revoked_on=revoking.date if revoking else None,
        form=catalogue.printed_name(award.form, "" if decision.external_issuer
                                    else award.issuer.name, decision.date),
        issuer=decision.external_issuer or award.issuer.name,
        recipient=award.recipient_name, decision_number=decision.number,
        decision_date=decision.date, golden_book_no=award.golden_book_no,
        printed=bool(certificate.file), signed=certificate.signed, signature_intact=intact,
        signature_text=text)


def revocation_list(issuer_code: str) -> dict[str, Any] | None:
    """The machine-readable list of an issuer's revoked certificates; None for no such issuer.

    The reason is left out on purpose: a revocation's reason is free text that may name an
    offence, a discipline or a court case of the person (personal data under NĐ 13/2023); a
    verifier who needs it asks the issuer, quoting the revoking decision's number."""
    issuer = Unit.objects.filter(code=issuer_code.strip()).first()
    if issuer is None:
        return None
    rows = revoked_certificates(issuer)
    return {
        "issuer": issuer.code,
        "name": issuer.name,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "revoked": [{
            "code": c.code,
            "revoked_on": c.award.revoked_by.date.isoformat() if c.award.revoked_by else None,
            "decision": c.award.revoked_by.number if c.award.revoked_by else "",
        } for c in rows],
    }
