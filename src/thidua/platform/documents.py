"""Documents rendered from templates the unions can edit: Word (.docx) through docxtpl.

Renderers are fed plain dicts of text ready to print and never query: each app builds its
context (`<app>/documents.py`) and passes it here. PDF rendering (WeasyPrint) is not installed
in this build, so there is no `render_pdf` yet."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from docxtpl import DocxTemplate

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Words of the working notes a generated document never prints (issue 8 §2): an assumption, a
#: text not yet checked, a confidence mark. Tests read every generated .docx for them.
WORKING_NOTES = ("Giả định", "chưa đối chiếu", "chưa tìm thấy văn bản", "mức tin cậy")
_NOTE_ASIDE = re.compile(r"\s*\((?=[^()]*(?:chưa đối chiếu|chưa tìm thấy|giả định|áp dụng khi bộ "
                         r"quy tắc))[^()]*\)", re.IGNORECASE)
_NOTE_CLAUSE = re.compile(r"\s*;?\s*(?:chưa đối chiếu|giả định)[^;()]*", re.IGNORECASE)


def official_text(text: str) -> str:
    """`text` (a source, a rule set's title) without the working notes the screens show officers:
    "(chưa đối chiếu …)" asides are dropped, and a text that is only an assumption ("Giả định: …")
    or a default labelled as local practice ("Thực tiễn địa phương: …") gives "" so the caller
    prints what the document says instead."""
    text = (text or "").strip()
    # an assumption, or a default labelled as local practice, is not a basis a document cites:
    # the caller prints what the body itself decided ("theo quy chế của Hội đồng")
    if text.casefold().startswith(("giả định", "thực tiễn địa phương")):
        return ""
    text = _NOTE_ASIDE.sub("", text)
    return _NOTE_CLAUSE.sub("", text).strip(" ;")


#: a context, or what builds it from the template being rendered (docxtpl's InlineImage and the
#: reports' charts add parts to that document)
Context = Mapping[str, Any] | Callable[[DocxTemplate], Mapping[str, Any]]


def render_docx(template: str | os.PathLike[str] | bytes, context: Context) -> bytes:
    """The .docx `template` (a path, or the file's bytes) rendered with `context`; values are
    escaped, so a name such as «A & B <C>» prints as typed."""
    source = io.BytesIO(template) if isinstance(template, bytes) else os.fspath(template)
    doc = DocxTemplate(source)
    doc.render(dict(context(doc) if callable(context) else context), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
