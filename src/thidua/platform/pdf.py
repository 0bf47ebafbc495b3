"""PDF documents from HTML (WeasyPrint), merged and counted with pypdf.

Like `documents.render_docx`, the renderer is fed text ready to print (the caller's template
escapes it) and never queries. Resources are fetched only from `file:` and `data:` URLs: a
certificate's emblem is a local file or an inline image, and no text typed by a user can make
the server open a network address while printing (ADR 0014)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from weasyprint import HTML, URLFetcher

from thidua.platform.errors import ApplicationError

PDF_CONTENT_TYPE = "application/pdf"
_ALLOWED_PROTOCOLS = ("file", "data")


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of `html`: page size, margins and fonts come from its CSS (`@page { size: A4
    landscape }` for a certificate). Relative image and stylesheet paths resolve against
    `base_url` (a folder as a `file://` URL or a path)."""
    fetcher = URLFetcher(allowed_protocols=_ALLOWED_PROTOCOLS, timeout=10)
    data = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    assert isinstance(data, bytes)
    return data


def _reader(pdf: bytes) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError, OSError) as exc:
        raise ApplicationError("Tệp PDF bị hỏng hoặc không đọc được.") from exc


def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    """One PDF with the pages of `parts` in order (a decision's certificates, printed at once)."""
    if not parts:
        raise ApplicationError("Không có tài liệu PDF nào để gộp.")
    writer = PdfWriter()
    for part in parts:
        writer.append(_reader(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    try:
        return len(_reader(pdf).pages)
    except (PdfReadError, ValueError, OSError) as exc:
        raise ApplicationError("Tệp PDF bị hỏng hoặc không đọc được.") from exc
