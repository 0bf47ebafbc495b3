"""Documents rendered from templates the unions can edit: Word (.docx) through docxtpl.

Renderers are fed plain dicts of text ready to print and never query: each app builds its
context (`<app>/documents.py`) and passes it here. PDF rendering (WeasyPrint) is not installed
in this build, so there is no `render_pdf` yet."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from typing import Any

from docxtpl import DocxTemplate

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_docx(template: str | os.PathLike[str] | bytes, context: Mapping[str, Any]) -> bytes:
    """The .docx `template` (a path, or the file's bytes) rendered with `context`; values are
    escaped, so a name such as «A & B <C>» prints as typed."""
    source = io.BytesIO(template) if isinstance(template, bytes) else os.fspath(template)
    doc = DocxTemplate(source)
    doc.render(dict(context), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
